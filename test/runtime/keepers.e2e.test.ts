// The kept instances of the runtime's classes: they stay out of the registry, and they keep V8's optimized code for
// ErrGroup and Semaphore alive through full garbage collections (checked with --trace-deopt in a child process).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrGroup, keptObjects as keptGroupObjects } from '../../runtime/err-group.js';
import { keptRecords, liveRecords } from '../../runtime/registry.js';
import { Semaphore, keptObjects as keptSemaphoreObjects } from '../../runtime/semaphore.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs every hot path (go at and below the limit, goBlocking, goEach, Semaphore acquire/release) six times with a
 * full collection before each round, as a server that goes idle between bursts, or the runtime bench, would.
 */
const CHILD = `
const { ErrGroup } = await import(${JSON.stringify(`${root}runtime/err-group.ts`)});
const { Semaphore } = await import(${JSON.stringify(`${root}runtime/semaphore.ts`)});
const resolved = Promise.resolve();
const task = () => resolved.then(() => {});
function* items(n) { for (let i = 0; i < n; i++) yield i; }
for (let round = 0; round < 6; round++) {
  globalThis.gc();
  for (const limit of [1, 16]) {
    const eager = new ErrGroup({ limit });
    for (let i = 0; i < 5000; i++) eager.go(task);
    await eager.wait();
    const blocking = new ErrGroup({ limit });
    for (let i = 0; i < 5000; i++) await blocking.goBlocking(task);
    await blocking.wait();
    const each = new ErrGroup({ limit });
    await each.goEach(items(5000), task);
    await each.wait();
    const semaphore = new Semaphore(limit);
    for (let i = 0; i < 5000; i++) {
      const permit = await semaphore.acquire();
      void task().then(() => permit.release());
    }
    (await semaphore.acquire(limit)).release();
  }
}
`;

function traceDeopts(): Promise<{ code: number; output: string }> {
  const args = ['--import', 'tsx', '--expose-gc', '--trace-deopt', '--input-type=module', '--eval', CHILD];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, timeout: 60_000, maxBuffer: 256 * 2 ** 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

describe('keptRecords', () => {
  it('holds one record of each kind, none of them in the registry', () => {
    const kept = keptRecords();
    expect(kept.map((record) => record.kind)).toEqual(['group', 'task', 'permit']);
    const live = liveRecords();
    for (const record of kept) expect(live).not.toContain(record);
  });
});

describe('keptObjects', () => {
  it('keeps an ErrGroup and a Semaphore that register nothing', async () => {
    expect(keptGroupObjects()[0]).toBeInstanceOf(ErrGroup);
    expect(keptSemaphoreObjects()[0]).toBeInstanceOf(Semaphore);
    // Whatever ran before in this worker left nothing live (the leak detector checks every test), so a record
    // here could only come from a kept object.
    expect(liveRecords()).toEqual([]);
    const group = new ErrGroup({ limit: 1 });
    group.go(() => Promise.resolve());
    await group.wait();
    expect(liveRecords()).toEqual([]);
  });

  it('keeps the optimized code of ErrGroup and Semaphore through full garbage collections', async () => {
    const { code, output } = await traceDeopts();
    expect(code).toBe(0);
    // "[marking dependent code … (… <SharedFunctionInfo #feed>) … for deoptimization, reason: weak objects]": V8
    // threw the function away because a hidden class it embedded died in a collection.
    const thrownAway = [...output.matchAll(/<SharedFunctionInfo ([^>]*)>.*reason: weak objects/g)].map((match) => match[1]);
    expect(thrownAway).toEqual([]);
  });
});
