// Repeats the @example of each export of runtime/testing/ and runtime/dump.ts. The example of
// `configureLeakDetection` (a setup file) runs in fixtures/leaks/ignored/, through leaks.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import {
  allowLeaks,
  findLeaks,
  formatLeakReport,
  ignoreCreatedIn,
  ignoreCurrent,
  ignoreTaskNamed,
  installLeakDetector,
  LeakError,
  toBeErr,
  toBeOk,
  verifyNoLeaks,
} from '../../runtime/testing/index.js';
import { dump } from '../../runtime/dump.js';
import { describeRecord, groupLabel, semaphoreLabel, stackBlock, taskLabel, userFrames } from '../../runtime/describe.js';
import { err, ok } from '../../runtime/result.js';
import { ErrGroup } from '../../runtime/err-group.js';
import { nextRecordId } from '../../runtime/registry.js';
import { plainGroup, plainPermit, plainTask } from './records.js';

/** A group with one task that runs until `finish()`. */
function blockedGroup(name?: string, taskName?: string): { group: ErrGroup; finish: () => void } {
  const group = new ErrGroup(name === undefined ? {} : { name });
  let finish!: () => void;
  group.go(() => new Promise<void>((resolve) => (finish = resolve)), taskName === undefined ? {} : { name: taskName });
  return { group, finish };
}

describe('examples', () => {
  it('findLeaks', async () => {
    const leaks = await findLeaks({ ignore: [ignoreTaskNamed('poller')], since: nextRecordId() });
    expect(leaks).toEqual([]);
  });

  it('verifyNoLeaks and LeakError', async () => {
    const since = nextRecordId();
    await verifyNoLeaks({ ignore: [ignoreTaskNamed('poller')], since });
    const { group, finish } = blockedGroup('example');
    try {
      await verifyNoLeaks({ since, maxRetries: 1 });
      expect.unreachable();
    } catch (error) {
      if (error instanceof LeakError) expect(error.leaks.map((leak) => leak.kind)).toEqual(['group', 'task']);
      else throw error;
    } finally {
      finish();
      await group.wait();
    }
  });

  it('formatLeakReport', async () => {
    const since = nextRecordId();
    const { group, finish } = blockedGroup('upload');
    const leaks = await findLeaks({ since, maxRetries: 1 });
    finish();
    await group.wait();
    const report = leaks.length > 0 ? formatLeakReport(leaks, { test: { name: 'uploads chunks', file: 'test/upload.test.ts' } }) : '';
    expect(report.split('\n')[0]).toBe('taskscope: 2 leaks after test "uploads chunks" (test/upload.test.ts)');
  });

  it('installLeakDetector and allowLeaks', async () => {
    const detector = installLeakDetector({ ignore: [ignoreTaskNamed('poller')], maxRetries: 1 });
    detector.startTest('rejects when the group is abandoned', import.meta.filename);
    allowLeaks(ignoreTaskNamed('never settles'));
    const { group, finish } = blockedGroup(undefined, 'never settles');
    try {
      // The task is allowed; its unnamed group, never waited, is not.
      const error = await detector.checkTest().catch((e: unknown) => e as LeakError);
      expect(error).toBeInstanceOf(LeakError);
      expect((error as LeakError).leaks.map((leak) => leak.kind)).toEqual(['group']);
    } finally {
      detector.uninstall();
      finish();
      await group.wait();
    }
  });

  it('ignoreTaskNamed, ignoreCreatedIn and ignoreCurrent', async () => {
    const ignore = [ignoreTaskNamed('metrics flush'), ignoreTaskNamed(/^heartbeat/), ignoreCreatedIn('src/telemetry/'), ignoreCreatedIn(/startPoller/), ignoreCurrent()];
    await verifyNoLeaks({ ignore });
  });

  it('toBeOk and toBeErr', () => {
    expect.extend({ toBeOk, toBeErr });
    expect(ok(1)).toBeOk(1);
    expect(ok({ id: 7, name: 'x' })).toBeOk(expect.objectContaining({ id: 7 }));
    expect(err(new RangeError('too big'))).toBeErr(expect.any(RangeError));
    expect(ok(1)).not.toBeErr();
  });

  it('dump', () => {
    const written: string[] = [];
    const stream = { write: (text: string) => written.push(text) };
    const text = dump({ write: stream });
    expect(written).toEqual([text]);
  });

  it('describe helpers', () => {
    const task = plainTask();
    expect(taskLabel(task)).toBe('Task "chunk 3"');
    expect(groupLabel(plainGroup({ name: undefined }), true)).toBe('an unnamed ErrGroup (#5)');
    expect(semaphoreLabel(plainPermit())).toBe('Semaphore "db"');
    expect(describeRecord(task, task.createdAt + 12, true).headline).toBe('Task "chunk 3" in ErrGroup "upload" is still running (started 12 ms ago)');
    expect(userFrames('Error\n    at save (/app/src/db.ts:3:9)\n    at node:internal/x:1:1', '/app')).toEqual(['at save (src/db.ts:3:9)']);
    expect(stackBlock(plainTask({ stack: 'Error\n    at uploadAll (/proj/src/upload.ts:41:11)' }), 'created at', '     ', '/proj'))
      .toEqual(['     created at:', '       at uploadAll (src/upload.ts:41:11)']);
  });
});
