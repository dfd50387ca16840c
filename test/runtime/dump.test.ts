import { afterEach, describe, expect, it, vi } from 'vitest';
import { dump } from '../../runtime/dump.js';
import { liveRecords, requestStacks, suspendStacks } from '../../runtime/registry.js';
import { ErrGroup } from '../../runtime/err-group.js';
import { Semaphore } from '../../runtime/semaphore.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
// Node 20 has no Promise.withResolvers.
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The dump without stack blocks and with ages replaced, which depend on the clock and on stack settings. */
function headlines(text: string): string {
  return text.split('\n').filter((line) => !line.startsWith('    ')).join('\n').replace(/\d+ ms ago/g, 'N ms ago');
}

describe('dump', () => {
  it('lists tasks under their group and permits by semaphore, with state and age', async () => {
    expect(liveRecords()).toEqual([]);
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const group = new ErrGroup({ name: 'upload', limit: 1 });
    group.go(() => gate, { name: 'chunk 1' });
    group.go(() => gate, { name: 'chunk 2' });
    const db = new Semaphore(1, { name: 'db' });
    const permit = await db.acquire();
    cleanups.push(async () => {
      finish();
      permit.release();
      await group.wait();
    });
    expect(headlines(dump())).toMatchInlineSnapshot(`
      "taskscope: 1 group, 2 tasks, 1 permit live

      ErrGroup "upload": active, 2 tasks pending (2 tasks since the last wait())
        Task "chunk 1" running (started N ms ago)
        Task "chunk 2" queued for a slot (submitted N ms ago)

      Permits:
        Permit of Semaphore "db" (weight 1) held (granted N ms ago)
      "
    `);
  });

  it('shows creation stacks when they are on, trimmed to user frames relative to cwd', async () => {
    const releaseStacks = requestStacks();
    const group = new ErrGroup({ name: 'traced' });
    let finish!: () => void;
    group.go(() => new Promise<void>((resolve) => (finish = resolve)), { name: 'traced task' });
    cleanups.push(async () => {
      releaseStacks();
      finish();
      await group.wait();
    });
    const text = dump({ cwd: process.cwd() });
    expect(text).toMatch(/\n {2}Task "traced task" running \(started \d+ ms ago\)\n {4}created at:\n {6}at .*test\/runtime\/dump\.test\.ts:\d+:\d+/);
    expect(text).not.toContain('runtime/err-group.ts');
  });

  it('says how to get a stack when none was captured', async () => {
    // suspendStacks wins over the leak detector this suite runs under; only Date is faked, so its timers stay real.
    const restoreStacks = suspendStacks();
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const gate = deferred();
    const group = new ErrGroup({ name: 'g' });
    try {
      group.go(() => gate.promise, { name: 't' });
      const waited = group.wait();
      cleanups.push(async () => {
        gate.resolve();
        await waited;
      });
    } finally {
      vi.useRealTimers();
      restoreStacks();
    }
    expect(dump({ now: 1_500 })).toContain([
      'ErrGroup "g": waiting, 1 task pending (0 tasks since the last wait())',
      '  Task "t" running (started 1500 ms ago)',
      '    (no stack captured: set TASKSCOPE_DEBUG=1, or install the leak detector before this is created)',
    ].join('\n'));
  });

  it('writes the text when given a stream', () => {
    const written: string[] = [];
    const text = dump({ write: { write: (chunk: string) => written.push(chunk) } });
    expect(written).toEqual([text]);
    expect(text).toMatch(/^taskscope: \d+ groups?, \d+ tasks?, \d+ permits? live\n/);
  });
});
