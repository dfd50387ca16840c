/**
 * Lifecycle events on `node:diagnostics_channel`, so that APM agents and OpenTelemetry can follow groups, tasks
 * and permits without taskscope depending on them.
 *
 * Publishing costs one `hasSubscribers` check per event when nobody listens. Messages carry the live record
 * itself (read-only by contract), not a copy: subscribers read what they need when the event fires.
 *
 * Rejected: `TracingChannel`, which wraps a function call and fits a task's start/end, but not a permit held
 * across many calls or a group's wait, and would give two vocabularies for one lifecycle.
 *
 * @example
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe('taskscope:task:error', ({ task, error }) => log.warn({ task: task.name, error }));
 */
import { channel } from 'node:diagnostics_channel';
import type { GroupRecord, PermitRecord, TaskRecord } from './registry.js';

/** The channel names, as published. */
export const channelNames = {
  /** `{ task }`: a task was submitted while its group was at its limit and waits for a slot. */
  taskQueue: 'taskscope:task:queue',
  /** `{ task }`: a task began running. */
  taskStart: 'taskscope:task:start',
  /** `{ task }`: a task's promise fulfilled (or it returned a non-promise value). */
  taskEnd: 'taskscope:task:end',
  /** `{ task, error }`: a task threw or its promise rejected. */
  taskError: 'taskscope:task:error',
  /** `{ permit }`: a permit was granted. */
  permitAcquire: 'taskscope:permit:acquire',
  /** `{ permit }`: a permit was released. */
  permitRelease: 'taskscope:permit:release',
  /** `{ group }`: `wait()` was called on a group. */
  groupWait: 'taskscope:group:wait',
  /** `{ group, error }`: a `wait()` settled; `error` is the first error or `undefined`. */
  groupDone: 'taskscope:group:done',
} as const;

/** Message of the task channels. `error` is set on `taskscope:task:error` only. */
export interface TaskMessage {
  readonly task: TaskRecord;
  readonly error?: unknown;
}

/** Message of the permit channels. */
export interface PermitMessage {
  readonly permit: PermitRecord;
}

/** Message of the group channels. `error` is set on `taskscope:group:done` when the group failed. */
export interface GroupMessage {
  readonly group: GroupRecord;
  readonly error?: unknown;
}

export const taskQueueChannel = channel(channelNames.taskQueue);
export const taskStartChannel = channel(channelNames.taskStart);
export const taskEndChannel = channel(channelNames.taskEnd);
export const taskErrorChannel = channel(channelNames.taskError);
export const permitAcquireChannel = channel(channelNames.permitAcquire);
export const permitReleaseChannel = channel(channelNames.permitRelease);
export const groupWaitChannel = channel(channelNames.groupWait);
export const groupDoneChannel = channel(channelNames.groupDone);
