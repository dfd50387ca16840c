import { describe, expect, it } from 'vitest';
import { ignoreCreatedIn, ignoreCurrent, ignoreTaskNamed } from '../../runtime/testing/filters.js';
import { findLeaks } from '../../runtime/testing/find-leaks.js';
import { liveGroup, liveTask, plainGroup, plainPermit, plainTask } from './records.js';

describe('ignoreTaskNamed', () => {
  it('matches a task by its exact name or a RegExp', () => {
    expect(ignoreTaskNamed('chunk 3').matches(plainTask())).toBe(true);
    expect(ignoreTaskNamed('chunk').matches(plainTask({ group: plainGroup({ name: undefined }) }))).toBe(false);
    expect(ignoreTaskNamed(/^chunk \d$/).matches(plainTask())).toBe(true);
  });

  it('matches a task, its group and a group by the group name', () => {
    const filter = ignoreTaskNamed('upload');
    expect(filter.matches(plainTask({ name: 'other' }))).toBe(true);
    expect(filter.matches(plainGroup())).toBe(true);
    expect(filter.matches(plainGroup({ name: 'download' }))).toBe(false);
  });

  it('matches a permit by its semaphore name', () => {
    expect(ignoreTaskNamed('db').matches(plainPermit())).toBe(true);
    expect(ignoreTaskNamed('db').matches(plainPermit({ semaphore: undefined }))).toBe(false);
  });

  it('never matches unnamed records', () => {
    const group = plainGroup({ name: undefined });
    expect(ignoreTaskNamed(/.*/).matches(plainTask({ name: undefined, group }))).toBe(false);
  });

  it('is not confused by a global RegExp across calls', () => {
    const filter = ignoreTaskNamed(/chunk/g);
    expect([filter.matches(plainTask()), filter.matches(plainTask())]).toEqual([true, true]);
  });

  it('rejects a name that is neither a string nor a RegExp', () => {
    expect(() => ignoreTaskNamed(42 as unknown as string)).toThrow('Expected `name` to be a string or a RegExp, got `42` (number).');
  });
});

describe('ignoreCreatedIn', () => {
  const stack = 'Error\n    at startPoller (/proj/src/poller.ts:4:2)';

  it('matches a substring or a RegExp of the creation stack', () => {
    expect(ignoreCreatedIn('src/poller.ts').matches(plainTask({ stack }))).toBe(true);
    expect(ignoreCreatedIn(/startPoller/).matches(plainTask({ stack }))).toBe(true);
    expect(ignoreCreatedIn('src/upload.ts').matches(plainTask({ stack }))).toBe(false);
  });

  it('never matches a record without a stack', () => {
    expect(ignoreCreatedIn(/.*/).matches(plainTask({ stack: undefined }))).toBe(false);
  });

  it('rejects an empty path', () => {
    expect(() => ignoreCreatedIn('')).toThrow('Expected `pathOrRegExp` to be a non-empty string or a RegExp, got `""` (string).');
  });
});

describe('ignoreCurrent', () => {
  it('ignores what is live when called and nothing created later', async () => {
    const before = liveTask(liveGroup('before'), 'old');
    const filter = ignoreCurrent();
    const after = liveTask(liveGroup('after'), 'new');
    expect(filter.matches(before)).toBe(true);
    expect(filter.matches(after)).toBe(false);
    const leaks = await findLeaks({ ignore: [filter], maxRetries: 1 });
    expect(leaks.map((leak) => leak.record.name)).toEqual(['after', 'new']);
  });
});

describe('LeakFilter', () => {
  it('composes: a record any filter matches is not a leak', async () => {
    const group = liveGroup();
    liveTask(group, 'poller');
    liveTask(group, 'flush');
    liveTask(group, 'real leak');
    const leaks = await findLeaks({ ignore: [ignoreTaskNamed('poller'), ignoreTaskNamed(/flush/)], since: group.id, maxRetries: 1 });
    expect(leaks.map((leak) => leak.record.name ?? leak.kind)).toEqual(['group', 'real leak']);
  });
});
