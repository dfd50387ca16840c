/**
 * Leak filters, goleak's `IgnoreTopFunction` / `IgnoreCurrent` for tasks: each says which live records are known
 * and allowed. Pass several in `ignore: [...]`; a record any of them matches is not a leak.
 *
 * Rejected: one options bag (`{ ignoreNames, ignorePaths }`). Functions compose, read as sentences in a config,
 * and a new kind of filter does not change an options type.
 */
import { argumentError } from '../validate.js';
import { liveRecords } from '../registry.js';
import type { LiveRecord } from '../registry.js';

/** Decides whether a live record is allowed to outlive a test. Build one with an `ignore*()` helper. */
export interface LeakFilter {
  /** What the filter allows, for messages: `task named "poller"`. */
  readonly description: string;
  /** `true` when the record is allowed (not a leak). Must not change the record. */
  matches(record: LiveRecord): boolean;
}

function isPattern(value: unknown): value is string | RegExp {
  return typeof value === 'string' || value instanceof RegExp;
}

function test(pattern: string | RegExp, text: string | undefined, exact: boolean): boolean {
  if (text === undefined) return false;
  if (typeof pattern === 'string') return exact ? text === pattern : text.includes(pattern);
  // A /g or /y pattern keeps `lastIndex` between calls; reset it so one match does not hide the next.
  pattern.lastIndex = 0;
  return pattern.test(text);
}

/**
 * Allows tasks by name: a string must equal the name, a RegExp must match it. It also matches the tasks' group by
 * the group's name, and permits by their semaphore's name, because a known background loop is usually named once
 * (`new ErrGroup({ name: 'poller' })`) and its tasks and permits come with it.
 *
 * @example
 * installLeakDetector({ ignore: [ignoreTaskNamed('metrics flush'), ignoreTaskNamed(/^heartbeat/)] });
 */
export function ignoreTaskNamed(name: string | RegExp): LeakFilter {
  if (!isPattern(name)) throw argumentError('name', 'a string or a RegExp', name);
  return {
    description: `task named ${typeof name === 'string' ? JSON.stringify(name) : String(name)}`,
    matches(record) {
      switch (record.kind) {
        case 'task': return test(name, record.name, true) || test(name, record.group.name, true);
        case 'group': return test(name, record.name, true);
        case 'permit': return test(name, record.semaphore, true);
      }
    },
  };
}

/**
 * Allows whatever was created with a given file or function on its creation stack: a string is looked for as a
 * substring of the stack (a path such as `src/poller.ts` or a function name), a RegExp is tested against the
 * whole stack. Records created while stacks were off have no stack and are never matched by this filter.
 *
 * @example
 * installLeakDetector({ ignore: [ignoreCreatedIn('src/telemetry/'), ignoreCreatedIn(/startPoller/)] });
 */
export function ignoreCreatedIn(pathOrRegExp: string | RegExp): LeakFilter {
  if (!isPattern(pathOrRegExp) || pathOrRegExp === '') {
    throw argumentError('pathOrRegExp', 'a non-empty string or a RegExp', pathOrRegExp);
  }
  return {
    description: `created in ${String(pathOrRegExp)}`,
    matches: (record) => test(pathOrRegExp, record.stack, false),
  };
}

/**
 * Allows everything live at the moment it is called (goleak's `IgnoreCurrent`): call it before the code under
 * test, and only what that code starts can be a leak. A record that is live now stays allowed for as long as it
 * lives, even if it is reused later (a group waited and started again).
 *
 * @example
 * const ignore = [ignoreCurrent()]; // the server started by an earlier fixture is not this suite's problem
 * await startUpload();
 * await verifyNoLeaks({ ignore });
 */
export function ignoreCurrent(): LeakFilter {
  const ids = new Set(liveRecords().map((record) => record.id));
  return {
    description: `${ids.size} record${ids.size === 1 ? '' : 's'} live when ignoreCurrent() was called`,
    matches: (record) => ids.has(record.id),
  };
}
