// Records for tests: plain objects for the pure formatter, registered records (cleaned up after each test) for
// everything that reads the live registry.
import { afterEach } from 'vitest';
import { createGroupRecord, createPermitRecord, createTaskRecord, markDone, markLive } from '../../runtime/registry.js';
import type { GroupRecord, LiveRecord, PermitRecord, TaskRecord } from '../../runtime/registry.js';

export const cwd = '/proj';
export const now = 10_000;

export function plainGroup(fields: Partial<GroupRecord> = {}): GroupRecord {
  return { kind: 'group', id: 5, name: 'upload', createdAt: 8_000, stack: undefined, state: 'active', pending: 1, unwaited: 1, unobservedErrors: 0, ...fields };
}

export function plainTask(fields: Partial<TaskRecord> = {}): TaskRecord {
  return { kind: 'task', id: 12, name: 'chunk 3', createdAt: 8_797, startedAt: 8_797, stack: undefined, state: 'running', group: plainGroup(), ...fields };
}

export function plainPermit(fields: Partial<PermitRecord> = {}): PermitRecord {
  return { kind: 'permit', id: 20, name: undefined, createdAt: 9_000, grantedAt: 9_000, stack: undefined, state: 'held', weight: 1, semaphore: 'db', ...fields };
}

const created: LiveRecord[] = [];

afterEach(() => {
  for (const record of created.splice(0)) markDone(record);
});

function here(): void {}

/** Removes `record` from the registry after the test. */
export function track<R extends LiveRecord>(record: R): R {
  created.push(record);
  return record;
}

/** A live, `active` group record; removed from the registry after the test. */
export function liveGroup(name?: string): GroupRecord {
  const group = createGroupRecord(name, here);
  group.state = 'active';
  group.unwaited = 1;
  markLive(group);
  created.push(group);
  return group;
}

/** A live task record in `group`; removed from the registry after the test. */
export function liveTask(group: GroupRecord, name?: string, running = true): TaskRecord {
  const task = createTaskRecord(group, name, running, here);
  created.push(task);
  return task;
}

/** A live permit record; removed from the registry after the test. */
export function livePermit(semaphore?: string, held = true): PermitRecord {
  const permit = createPermitRecord(semaphore, 1, held, here);
  created.push(permit);
  return permit;
}

/** Settles a task record as ErrGroup does. */
export function settle(task: TaskRecord): void {
  task.state = 'settled';
  markDone(task);
}
