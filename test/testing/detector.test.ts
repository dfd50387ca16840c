import { afterEach, describe, expect, it } from 'vitest';
import { allowLeaks, installLeakDetector } from '../../runtime/testing/detector.js';
import type { LeakDetector } from '../../runtime/testing/detector.js';
import { ignoreTaskNamed } from '../../runtime/testing/filters.js';
import { LeakError } from '../../runtime/testing/find-leaks.js';
import { createGroupRecord, instrumentation, markLive } from '../../runtime/registry.js';
import { liveGroup, livePermit, liveTask, track } from './records.js';

let detector: LeakDetector | undefined;
afterEach(() => {
  detector?.uninstall();
  detector = undefined;
});

describe('installLeakDetector', () => {
  it('attributes leaks to the test that created them', async () => {
    detector = installLeakDetector({ maxRetries: 1 });
    detector.startTest('first', '/proj/a.test.ts');
    liveTask(liveGroup('first group'), 'first task');
    await expect(detector.checkTest()).rejects.toThrow(/^taskscope: 2 leaks after test "first"/);
    detector.startTest('second', '/proj/a.test.ts');
    livePermit('db');
    const error = await detector.checkTest().catch((e: unknown) => e as LeakError);
    expect(error).toBeInstanceOf(LeakError);
    expect(error?.leaks.map((leak) => leak.kind)).toEqual(['permit']);
  });

  it('attributes to the test a group created earlier that goes live during it', async () => {
    const group = track(createGroupRecord('module level', () => undefined));
    detector = installLeakDetector({ maxRetries: 1 });
    detector.startTest('uses it', undefined);
    group.state = 'active';
    markLive(group);
    const error = await detector.checkTest().catch((e: unknown) => e as LeakError);
    expect(error?.leaks.map((leak) => leak.record.name)).toEqual(['module level']);
  });

  it('resolves when the test leaves nothing pending', async () => {
    detector = installLeakDetector();
    detector.startTest('clean');
    await expect(detector.checkTest()).resolves.toBeUndefined();
  });

  it('applies its ignore filters and its hint', async () => {
    detector = installLeakDetector({ ignore: [ignoreTaskNamed('poller')], hint: 'Ask the lead.', maxRetries: 1 });
    detector.startTest('t');
    liveTask(liveGroup('poller'), 'tick');
    livePermit('db');
    const error = await detector.checkTest().catch((e: unknown) => e as LeakError);
    expect(error?.leaks).toHaveLength(1);
    expect(error?.message.split('\n').at(-1)).toBe('Ask the lead.');
  });

  it('turns creation stacks on while installed, and off after uninstall', () => {
    const before = instrumentation().stacks;
    detector = installLeakDetector();
    expect(instrumentation().stacks).toBe(true);
    detector.uninstall();
    detector.uninstall();
    expect(instrumentation().stacks).toBe(before);
  });

  it('fails loudly when checkTest() has no test started', async () => {
    detector = installLeakDetector();
    await expect(detector.checkTest()).rejects.toThrow('taskscope: LeakDetector.checkTest: no test was started. Call startTest(name, file) at the start of each test.');
  });

  it('rejects bad options and installs nothing', () => {
    const before = instrumentation().stacks;
    expect(() => installLeakDetector({ maxDelayMs: Number.NaN })).toThrow(/Expected `maxDelayMs`/);
    expect(instrumentation().stacks).toBe(before);
  });
});

describe('allowLeaks', () => {
  it('allows the leaks its filters match, for the current test only', async () => {
    detector = installLeakDetector({ maxRetries: 1 });
    detector.startTest('allowed');
    allowLeaks(ignoreTaskNamed('known'));
    liveTask(liveGroup('known'), 'x');
    await expect(detector.checkTest()).resolves.toBeUndefined();
    detector.startTest('next');
    liveTask(liveGroup('known'), 'y');
    await expect(detector.checkTest()).rejects.toThrow(LeakError);
  });

  it('allows every leak without a filter', async () => {
    detector = installLeakDetector({ maxRetries: 1 });
    detector.startTest('anything goes');
    allowLeaks();
    livePermit();
    await expect(detector.checkTest()).resolves.toBeUndefined();
  });

  it('does nothing when no detector watches a test', () => {
    expect(() => allowLeaks(ignoreTaskNamed('x'))).not.toThrow();
  });
});
