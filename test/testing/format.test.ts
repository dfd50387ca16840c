import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLeakReport } from '../../runtime/testing/format.js';
import type { Leak } from '../../runtime/testing/find-leaks.js';
import type { LiveRecord } from '../../runtime/registry.js';
import { cwd, now, plainGroup, plainPermit, plainTask } from './records.js';

const runtimeFile = fileURLToPath(new URL('../../runtime/err-group.ts', import.meta.url));

function leak(record: LiveRecord): Leak {
  const state = record.kind === 'group' ? 'active' : (record.state as Leak['state']);
  return { kind: record.kind, state, record };
}

const taskStack = [
  'Error',
  `    at ErrGroup.go (${runtimeFile}:170:10)`,
  '    at uploadAll (/proj/src/upload.ts:41:11)',
  '    at new Promise (<anonymous>)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  '    at file:///proj/node_modules/@vitest/runner/dist/index.js:1:1',
  '    at file:///proj/test/upload.test.ts:9:5',
].join('\n');

describe('formatLeakReport', () => {
  it('renders the report shape of STYLE.md', () => {
    const report = formatLeakReport(
      [
        leak(plainTask({ stack: taskStack })),
        leak(plainPermit({ stack: 'Error\n    at saveChunk (/proj/src/db.ts:12:3)' })),
      ],
      { test: { name: 'uploads chunks', file: '/proj/test/upload.test.ts' }, now, cwd },
    );
    expect(report).toMatchInlineSnapshot(`
      "taskscope: 2 leaks after test "uploads chunks" (test/upload.test.ts)

        1. Task "chunk 3" in ErrGroup "upload" is still running (started 1203 ms ago)
           created at:
             at uploadAll (src/upload.ts:41:11)
             at test/upload.test.ts:9:5

        2. Permit of Semaphore "db" (weight 1) was never released
           acquired at:
             at saveChunk (src/db.ts:12:3)

      Await every group and release every permit before the test ends.
      To allow a known background task: installLeakDetector({ ignore: [ignoreTaskNamed('…')] })."
    `);
  });

  it('says "1 leak" in the singular', () => {
    const report = formatLeakReport([leak(plainTask())], { test: { name: 't' }, now, cwd });
    expect(report.split('\n')[0]).toBe('taskscope: 1 leak after test "t"');
  });

  it('names unnamed tasks, groups and semaphores readably', () => {
    const group = plainGroup({ name: undefined, id: 7, unwaited: 2, unobservedErrors: 1 });
    const report = formatLeakReport(
      [leak(plainTask({ name: undefined, group })), leak(group), leak(plainPermit({ semaphore: undefined, weight: 3 }))],
      { now, cwd },
    );
    expect(report).toMatchInlineSnapshot(`
      "taskscope: 3 leaks found

        1. Task #12 in an unnamed ErrGroup is still running (started 1203 ms ago)
           (no stack captured: set TASKSCOPE_DEBUG=1, or install the leak detector before this is created)

        2. An unnamed ErrGroup (#7) was started but never waited (2 tasks since the last wait(), 1 error swallowed)
           (no stack captured: set TASKSCOPE_DEBUG=1, or install the leak detector before this is created)

        3. Permit of an unnamed Semaphore (weight 3) was never released
           (no stack captured: set TASKSCOPE_DEBUG=1, or install the leak detector before this is created)

      Await every group and release every permit before the test ends.
      To allow a known background task: installLeakDetector({ ignore: [ignoreTaskNamed('…')] })."
    `);
  });

  it('describes queued tasks and waiting permits', () => {
    const report = formatLeakReport(
      [
        leak(plainTask({ state: 'queued', startedAt: undefined, createdAt: 9_950 })),
        leak(plainPermit({ state: 'waiting', grantedAt: undefined, createdAt: 9_990, stack: 'Error\n    at lock (/proj/src/db.ts:3:9)' })),
      ],
      { now, cwd, hint: 'Custom hint.' },
    );
    expect(report).toMatchInlineSnapshot(`
      "taskscope: 2 leaks found

        1. Task "chunk 3" in ErrGroup "upload" is still queued for a slot (submitted 50 ms ago)
           (no stack captured: set TASKSCOPE_DEBUG=1, or install the leak detector before this is created)

        2. Permit of Semaphore "db" (weight 1) is still waiting to be acquired (queued 10 ms ago)
           acquire called at:
             at lock (src/db.ts:3:9)

      Await every group and release every permit before the test ends.
      Custom hint."
    `);
  });

  it('keeps the first frames when every frame is library code', () => {
    const stack = 'Error\n    at run (/proj/node_modules/lib/index.js:1:1)\n    at node:internal/x:2:2';
    const report = formatLeakReport([leak(plainTask({ stack }))], { now, cwd });
    expect(report).toContain('       at run (node_modules/lib/index.js:1:1)');
  });

  it('returns an empty string for no leaks', () => {
    expect(formatLeakReport([])).toBe('');
  });
});
