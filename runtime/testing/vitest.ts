/**
 * `taskscope/vitest`: a setup entry. With `setupFiles: ['taskscope/vitest']`, every test fails whose body leaves a
 * task queued or running, a group started but never waited, or a permit held or still waiting; and
 * `expect(r).toBeOk(value)` / `expect(r).toBeErr(error)` are available.
 *
 * Leaks are attributed to the test that created them (by record id watermark), so one leaking test fails alone.
 * The hooks run after the test's own `afterEach` hooks (Vitest runs them in reverse order, and this file registers
 * first), so cleanup in `afterEach` counts. A test that fails on its own and leaks reports both.
 *
 * Setup files run again for every test file, and with `isolate: false` this module may be evaluated once per file
 * in one worker; the detector state therefore lives on `globalThis`, like the registry's, and is created once per
 * worker.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['taskscope/vitest'] } });
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { requestStacks } from '../registry.js';
import { checkWatchedTest, watchTest } from './detector.js';
import type { LeakDetectorOptions, WatchedTest } from './detector.js';
import { resolveFindOptions } from './find-leaks.js';
import { toBeErr, toBeOk } from './matchers.js';

interface VitestDetectorState {
  options: LeakDetectorOptions;
  readonly tests: Map<string, WatchedTest>;
}

const STATE_KEY = Symbol.for('taskscope.vitest.v1');
const vitestHint = "To allow a known background task: allowLeaks(ignoreTaskNamed('…')) in the test, or configureLeakDetection({ ignore: [ignoreTaskNamed('…')] }) in a setup file.";

function detectorState(): VitestDetectorState {
  const holder = globalThis as Record<symbol, unknown>;
  let state = holder[STATE_KEY] as VitestDetectorState | undefined;
  if (state === undefined) {
    state = { options: { hint: vitestHint }, tests: new Map() };
    holder[STATE_KEY] = state;
    // Stacks stay on for the life of the worker: the hooks below are never removed.
    requestStacks();
  }
  return state;
}

const state = detectorState();

/**
 * Sets the options of the `taskscope/vitest` detector for the rest of the run in this worker: filters every test
 * may leak through, and the retry budget. Call it from a setup file listed after `taskscope/vitest`. Throws a
 * `TypeError` for bad options and leaves the previous ones in place.
 *
 * @example
 * // test/setup.ts, after 'taskscope/vitest' in setupFiles
 * configureLeakDetection({ ignore: [ignoreTaskNamed('metrics flush')] });
 */
export function configureLeakDetection(options: LeakDetectorOptions): void {
  resolveFindOptions('options', options, ['hint']);
  state.options = { hint: vitestHint, ...options };
}

beforeEach((context) => {
  const task = context.task;
  state.tests.set(task.id, watchTest(task.fullTestName ?? task.name, task.file.filepath));
});

afterEach(async (context) => {
  const test = state.tests.get(context.task.id);
  if (test === undefined) return;
  state.tests.delete(context.task.id);
  await checkWatchedTest(test, state.options);
});

expect.extend({ toBeOk, toBeErr });

interface ResultMatchers<R = unknown> {
  /**
   * Passes when the value is an ok Result (anything with `isOk()`/`isErr()`), and its `value` equals `expected`
   * when given (`toEqual` equality, asymmetric matchers included).
   * @example expect(ok(1)).toBeOk(1);
   */
  toBeOk(expected?: unknown): R;
  /**
   * Passes when the value is an err Result, and its `error` equals `expected` when given.
   * @example expect(err('nope')).toBeErr('nope');
   */
  toBeErr(expected?: unknown): R;
}

declare module 'vitest' {
  // The type parameter must repeat Vitest's declaration (`T = any`) for the interfaces to merge.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends ResultMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends ResultMatchers {}
}
