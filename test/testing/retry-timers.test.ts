// Spies on node:timers/promises to show when the detector waits and when it does not.
import * as timers from 'node:timers/promises';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ignoreTaskNamed } from '../../runtime/testing/filters.js';
import { nextRecordId } from '../../runtime/registry.js';
import { liveGroup, liveTask } from './records.js';

vi.mock('node:timers/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:timers/promises')>();
  return { ...actual, setTimeout: vi.fn(actual.setTimeout), setImmediate: vi.fn(actual.setImmediate) };
});

// Loaded after the mock and apart from any copy the `taskscope/vitest` setup entry already loaded with real timers.
vi.resetModules();
const { findLeaks } = await import('../../runtime/testing/find-leaks.js');

beforeEach(() => {
  vi.mocked(timers.setTimeout).mockClear();
  vi.mocked(timers.setImmediate).mockClear();
});

describe('findLeaks', () => {
  it('uses no timer and no immediate when nothing is live', async () => {
    await expect(findLeaks({ since: nextRecordId() })).resolves.toEqual([]);
    expect(timers.setImmediate).not.toHaveBeenCalled();
    expect(timers.setTimeout).not.toHaveBeenCalled();
  });

  it('uses no timer when everything live is filtered out', async () => {
    const since = nextRecordId();
    liveTask(liveGroup('poller'), 'tick');
    await expect(findLeaks({ since, ignore: [ignoreTaskNamed('poller')] })).resolves.toEqual([]);
    expect(timers.setImmediate).not.toHaveBeenCalled();
    expect(timers.setTimeout).not.toHaveBeenCalled();
  });

  it('yields to setImmediate first, then doubles its delays up to maxDelayMs', async () => {
    const since = nextRecordId();
    liveTask(liveGroup('g'), 'stuck');
    await findLeaks({ since, maxRetries: 20, maxDelayMs: 100 });
    expect(timers.setImmediate).toHaveBeenCalledTimes(1);
    const delays = vi.mocked(timers.setTimeout).mock.calls.map(([ms]) => ms);
    expect(delays).toHaveLength(18);
    expect(delays[0]).toBe(0.001);
    expect(delays[1]).toBe(0.002);
    expect(delays.at(-1)).toBe(100);
    expect(delays.every((ms, i) => i === 0 || ms! >= delays[i - 1]!)).toBe(true);
  });
});
