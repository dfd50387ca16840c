/**
 * `taskscope/runtime` (also `taskscope`): what applications import. Go's errgroup, weighted semaphore and an
 * errcheck-friendly `Result`, instrumented so that a leak detector can name every unfinished task, unwaited group
 * and unreleased permit.
 */
export { ok, err, Result, type Ok, type Err } from './result.js';
export type { MatchHandlers, OkValue, ErrValue, AllValues, ResultStatic } from './result.js';
export { ErrGroup } from './err-group.js';
export type { ErrGroupOptions, GoOptions, GroupTask } from './err-group.js';
export { Semaphore } from './semaphore.js';
export type { AcquireOptions, Permit, SemaphoreOptions } from './semaphore.js';
export { dump } from './dump.js';
export type { DumpOptions } from './dump.js';
export { configureInstrumentation, instrumentation, liveRecords } from './registry.js';
export type {
  GroupRecord,
  GroupState,
  InstrumentationOptions,
  LiveRecord,
  PermitRecord,
  PermitState,
  RecordKind,
  TaskRecord,
  TaskState,
} from './registry.js';
export { channelNames } from './diagnostics.js';
export type { GroupMessage, PermitMessage, TaskMessage } from './diagnostics.js';
