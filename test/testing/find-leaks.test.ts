import { afterEach, describe, expect, it, vi } from 'vitest';
import { findLeaks, LeakError, verifyNoLeaks } from '../../runtime/testing/find-leaks.js';
import { nextRecordId } from '../../runtime/registry.js';
import { liveGroup, livePermit, liveTask, settle } from './records.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('findLeaks', () => {
  it('reports running and queued tasks, active groups, held and waiting permits', async () => {
    const since = nextRecordId();
    const group = liveGroup('g');
    liveTask(group, 'runs');
    liveTask(group, 'waits', false);
    livePermit('db');
    livePermit('db', false);
    const leaks = await findLeaks({ since, maxRetries: 1 });
    expect(leaks.map((leak) => [leak.kind, leak.state])).toEqual([
      ['group', 'active'], ['task', 'running'], ['task', 'queued'], ['permit', 'held'], ['permit', 'waiting'],
    ]);
  });

  it('does not report a group that a wait() is awaiting', async () => {
    const since = nextRecordId();
    const group = liveGroup('g');
    group.state = 'waiting';
    liveTask(group, 'runs');
    const leaks = await findLeaks({ since, maxRetries: 1 });
    expect(leaks.map((leak) => leak.kind)).toEqual(['task']);
  });

  it('only counts records created at or after `since`', async () => {
    liveTask(liveGroup('old'), 'old');
    const since = nextRecordId();
    liveTask(liveGroup('new'), 'new');
    const leaks = await findLeaks({ since, maxRetries: 1 });
    expect(leaks.map((leak) => leak.record.name)).toEqual(['new', 'new']);
  });

  it('keeps a copy of the record as it was when found', async () => {
    const since = nextRecordId();
    const task = liveTask(liveGroup('g'), 'runs');
    const [, leak] = await findLeaks({ since, maxRetries: 1 });
    task.state = 'settled';
    expect(leak?.record).toMatchObject({ kind: 'task', state: 'running', name: 'runs' });
    expect(Object.isFrozen(leak?.record)).toBe(true);
  });

  it('does not call a task that settles after a few ms a leak', async () => {
    const since = nextRecordId();
    const group = liveGroup('g');
    const task = liveTask(group, 'slow');
    setTimeout(() => {
      settle(task);
      group.state = 'idle';
      group.unwaited = 0;
    }, 5);
    await expect(findLeaks({ since, ignore: [] })).resolves.toEqual([]);
  });

  it('reports after its retries when the task never settles', async () => {
    const since = nextRecordId();
    liveTask(liveGroup('g'), 'stuck');
    const leaks = await findLeaks({ since, maxRetries: 3, maxDelayMs: 1 });
    expect(leaks).toHaveLength(2);
  });

  it('is not held up by fake timers left installed', async () => {
    vi.useFakeTimers();
    const since = nextRecordId();
    liveTask(liveGroup('g'), 'stuck');
    const leaks = await findLeaks({ since, maxRetries: 5, maxDelayMs: 2 });
    expect(leaks).toHaveLength(2);
  });

  it('rejects bad options with the value', async () => {
    await expect(findLeaks({ maxRetries: 0 })).rejects.toThrow('Expected `maxRetries` to be a positive integer, got `0` (number).');
    await expect(findLeaks({ maxDelayMs: -1 })).rejects.toThrow('Expected `maxDelayMs` to be a finite number of milliseconds from 0 up, got `-1` (number).');
    await expect(findLeaks({ ignore: ['x'] as never })).rejects.toThrow(/Expected `ignore` to be an array of filters/);
    await expect(findLeaks({ retries: 1 } as never)).rejects.toThrow('Unknown option `retries` in `options`.');
  });
});

describe('verifyNoLeaks', () => {
  it('resolves when nothing is pending', async () => {
    await expect(verifyNoLeaks({ since: nextRecordId() })).resolves.toBeUndefined();
  });

  it('rejects with a LeakError carrying the report and the leaks', async () => {
    const since = nextRecordId();
    livePermit('db');
    const error: unknown = await verifyNoLeaks({ since, maxRetries: 1, test: { name: 'saves' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakError);
    expect((error as LeakError).name).toBe('LeakError');
    expect((error as LeakError).leaks).toHaveLength(1);
    expect((error as LeakError).message).toMatch(/^taskscope: 1 leak after test "saves"\n\n {2}1\. Permit of Semaphore "db" \(weight 1\) was never released\n/);
  });
});
