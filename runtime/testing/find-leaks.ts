/**
 * goleak's `Find` and `VerifyNone` for taskscope: what in the live registry is still pending, after giving it a
 * bounded chance to finish.
 *
 * Timers come from `node:timers/promises`, not the globals: a test that left fake timers installed
 * (`vi.useFakeTimers()`, `@sinonjs/fake-timers`) replaces `globalThis.setTimeout`, and a detector sleeping on a
 * fake clock would hang the run instead of reporting.
 */
import { setImmediate as nextImmediate, setTimeout as sleep } from 'node:timers/promises';
import { hasLiveRecords, liveRecords } from '../registry.js';
import type { LiveRecord, RecordKind } from '../registry.js';
import { argumentError, assertOptions } from '../validate.js';
import type { LeakFilter } from './filters.js';
import { formatLeakReport } from './format.js';

/** Why a record is a leak: a task `queued`/`running`, a group `active`, a permit `held`/`waiting`. */
export type LeakState = 'queued' | 'running' | 'active' | 'held' | 'waiting';

/** One thing a test left behind. */
export interface Leak {
  /** What leaked. */
  readonly kind: RecordKind;
  /** Its state when it was found. */
  readonly state: LeakState;
  /**
   * A copy of the record taken when the leak was found (the live record keeps changing), with its creation
   * stack if one was captured. A task's `group` is the live group record.
   */
  readonly record: LiveRecord;
}

/** Options for {@link findLeaks}. */
export interface FindLeaksOptions {
  /** Records any of these filters match are not leaks. @default [] */
  ignore?: readonly LeakFilter[];
  /**
   * Only records created at or after this id count: a watermark taken with `nextRecordId()` when a test started.
   * @default 0 (every live record counts)
   */
  since?: number;
  /**
   * How many times to look before calling anything a leak (goleak's default). Each look after the first waits
   * longer than the one before.
   * @default 20
   */
  maxRetries?: number;
  /**
   * The longest wait between two looks, in milliseconds. Waits start at 1 µs (a turn of the event loop, in
   * practice) and double up to this.
   * @default 100
   */
  maxDelayMs?: number;
}

const findOptionKeys = ['ignore', 'since', 'maxRetries', 'maxDelayMs'] as const;

/** Decides whether a live record counts: a scope (which test it belongs to) before any filter. */
export type RecordScope = (record: LiveRecord) => boolean;

function leakState(record: LiveRecord): LeakState | undefined {
  switch (record.kind) {
    case 'task': return record.state === 'settled' ? undefined : record.state;
    // A group in `waiting` has someone awaiting it; its unfinished tasks are reported instead.
    case 'group': return record.state === 'active' ? 'active' : undefined;
    case 'permit': return record.state === 'released' ? undefined : record.state;
  }
}

function snapshot(record: LiveRecord): LiveRecord {
  // `stack` is a getter on the record's class; a spread would drop it.
  return Object.freeze({ ...record, stack: record.stack });
}

/** The leaks right now, without waiting. */
function collect(scope: RecordScope, ignore: readonly LeakFilter[]): Leak[] {
  if (!hasLiveRecords()) return [];
  const leaks: Leak[] = [];
  for (const record of liveRecords()) {
    const state = leakState(record);
    if (state === undefined || !scope(record) || ignore.some((filter) => filter.matches(record))) continue;
    leaks.push({ kind: record.kind, state, record: snapshot(record) });
  }
  return leaks;
}

interface Resolved {
  ignore: readonly LeakFilter[];
  maxRetries: number;
  maxDelayMs: number;
  since: number;
}

/**
 * Validates and fills in options; shared with the detectors so every entry point fails the same way.
 * @example resolveFindOptions('options', { maxRetries: 3 }); // { ignore: [], since: 0, maxRetries: 3, maxDelayMs: 100 }
 */
export function resolveFindOptions(name: string, options: FindLeaksOptions | undefined, extraKeys: readonly string[] = []): Resolved {
  assertOptions(name, options, [...findOptionKeys, ...extraKeys]);
  const { ignore = [], since = 0, maxRetries = 20, maxDelayMs = 100 } = options ?? {};
  if (!Array.isArray(ignore) || !ignore.every((filter) => typeof (filter as Partial<LeakFilter>)?.matches === 'function')) {
    throw argumentError('ignore', 'an array of filters from ignoreTaskNamed(), ignoreCreatedIn() or ignoreCurrent()', ignore);
  }
  if (!Number.isInteger(since) || since < 0) throw argumentError('since', 'a record id (an integer from 0 up)', since);
  if (!Number.isInteger(maxRetries) || maxRetries < 1) throw argumentError('maxRetries', 'a positive integer', maxRetries);
  if (typeof maxDelayMs !== 'number' || !(maxDelayMs >= 0) || maxDelayMs === Infinity) {
    throw argumentError('maxDelayMs', 'a finite number of milliseconds from 0 up', maxDelayMs);
  }
  return { ignore, since, maxRetries, maxDelayMs };
}

/**
 * Looks for leaks in `scope` with goleak's retry: the first look is immediate, and returns at once when nothing
 * relevant is pending (no timer, no turn of the event loop). Otherwise it yields to `setImmediate` (tasks about
 * to settle get their microtasks and I/O callbacks), then sleeps 1 µs, 2 µs, … doubling up to `maxDelayMs`,
 * looking again each time, `maxRetries` looks in all.
 *
 * @example
 * const leaks = await findLeaksIn((record) => record.id >= watermark, resolveFindOptions('options', {}));
 */
export async function findLeaksIn(scope: RecordScope, options: Resolved): Promise<Leak[]> {
  let leaks = collect(scope, options.ignore);
  let delayMs = 0.001;
  for (let attempt = 1; attempt < options.maxRetries && leaks.length > 0; attempt++) {
    if (attempt === 1) {
      await nextImmediate();
    } else {
      // Node rounds sub-millisecond timers up to 1 ms; the doubling still reaches `maxDelayMs` as goleak's does.
      await sleep(Math.min(delayMs, options.maxDelayMs));
      delayMs *= 2;
    }
    leaks = collect(scope, options.ignore);
  }
  return leaks;
}

/**
 * Finds what is still pending: tasks queued or running, groups started but never waited, permits held or still
 * waiting for `acquire()`. Waits and looks again (up to `maxRetries` times) before calling anything a leak, and
 * resolves `[]` without waiting at all when nothing relevant is live. Never rejects except for bad options
 * (a `TypeError`, thrown before anything is looked at).
 *
 * @example
 * const leaks = await findLeaks({ ignore: [ignoreTaskNamed('poller')] });
 * expect(leaks).toEqual([]);
 */
export async function findLeaks(options?: FindLeaksOptions): Promise<Leak[]> {
  const resolved = resolveFindOptions('options', options);
  return findLeaksIn((record) => record.id >= resolved.since, resolved);
}

/**
 * Thrown (as a rejection) when leaks are found. Its message is the whole report; `leaks` is the data.
 *
 * @example
 * try {
 *   await verifyNoLeaks();
 * } catch (error) {
 *   if (error instanceof LeakError) console.error(error.leaks.map((leak) => leak.kind));
 * }
 */
export class LeakError extends Error {
  override readonly name = 'LeakError';
  /** What was found, in creation order. */
  readonly leaks: readonly Leak[];

  constructor(leaks: readonly Leak[], message: string) {
    super(message);
    this.leaks = leaks;
    // The stack is the report: where the detector ran says nothing, and a test runner that shows a code frame
    // for the first `at` line then shows where the first leak was created.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Options for {@link verifyNoLeaks}. */
export interface VerifyNoLeaksOptions extends FindLeaksOptions {
  /** Named in the report's header: `after test "…" (file)`. @default undefined (`found`) */
  test?: { name: string; file?: string | undefined };
}

/**
 * Resolves when nothing is pending (after the same retries as {@link findLeaks}); rejects with a
 * {@link LeakError} whose message is the formatted report otherwise. goleak's `VerifyNone`, for the end of a test
 * or of a whole suite.
 *
 * @example
 * afterAll(async () => {
 *   await verifyNoLeaks({ ignore: [ignoreTaskNamed('poller')] });
 * });
 */
export async function verifyNoLeaks(options?: VerifyNoLeaksOptions): Promise<void> {
  const resolved = resolveFindOptions('options', options, ['test']);
  const leaks = await findLeaksIn((record) => record.id >= resolved.since, resolved);
  if (leaks.length > 0) throw new LeakError(leaks, formatLeakReport(leaks, { test: options?.test }));
}
