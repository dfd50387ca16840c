/**
 * A per-test leak detector for any runner: mark the start of a test, check at its end. Leaks are attributed to
 * the test that created them, by watermark: the registry's ids only grow, so a record with an id at or above
 * `nextRecordId()` at the start of a test was created during it.
 *
 * Rejected: checking everything live at the end of each test (goleak's `VerifyNone` per test). One leaking test
 * would then fail every test after it, and the report would point at the wrong test.
 */
import { liveRecords, nextRecordId, requestStacks } from '../registry.js';
import type { LiveRecord } from '../registry.js';
import { argumentError, assertOptionalString, misuseError } from '../validate.js';
import { findLeaksIn, LeakError, resolveFindOptions } from './find-leaks.js';
import type { FindLeaksOptions } from './find-leaks.js';
import type { LeakFilter } from './filters.js';
import { defaultLeakHint, formatLeakReport } from './format.js';

/** Options for {@link installLeakDetector}. */
export interface LeakDetectorOptions extends Omit<FindLeaksOptions, 'since'> {
  /**
   * The last line of a report, telling how to allow a known leak.
   * @default "To allow a known background task: installLeakDetector({ ignore: [ignoreTaskNamed('…')] })."
   */
  hint?: string;
}

/** A running test as the detector sees it. @example const test = watchTest('uploads', 'test/upload.test.ts'); */
export class WatchedTest {
  readonly name: string;
  readonly file: string | undefined;
  readonly #watermark = nextRecordId();
  /**
   * Groups live when the test started. A group created earlier (at module level, say) that goes live during the
   * test was started by it, though its id is below the watermark.
   */
  readonly #groupsLive = new Set(liveRecords().filter((record) => record.kind === 'group').map((record) => record.id));
  /** Filters added by `allowLeaks()` during the test. */
  readonly allowed: LeakFilter[] = [];

  constructor(name: string, file: string | undefined) {
    this.name = name;
    this.file = file;
  }

  /** Whether a live record was created (or, for a group, started) during this test. */
  readonly owns = (record: LiveRecord): boolean =>
    record.id >= this.#watermark || (record.kind === 'group' && !this.#groupsLive.has(record.id));
}

const OPEN_KEY = Symbol.for('taskscope.openTests.v1');
/** Tests being watched, by every detector in every copy of this module, so that `allowLeaks()` reaches them. */
const openTests: Set<WatchedTest> = ((globalThis as Record<symbol, unknown>)[OPEN_KEY] as Set<WatchedTest> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[OPEN_KEY] = new Set<WatchedTest>());

/**
 * Starts watching a test; `allowLeaks()` applies to it until {@link checkWatchedTest}.
 * @example const test = watchTest(context.task.name, context.task.file.filepath);
 */
export function watchTest(name: string, file: string | undefined): WatchedTest {
  const test = new WatchedTest(name, file);
  openTests.add(test);
  return test;
}

/**
 * Stops watching a test and rejects with a {@link LeakError} if it leaked.
 * @example await checkWatchedTest(test, { ignore: [ignoreTaskNamed('poller')] });
 */
export async function checkWatchedTest(test: WatchedTest, options: LeakDetectorOptions): Promise<void> {
  try {
    const { hint = defaultLeakHint, ...findOptions } = options;
    const resolved = resolveFindOptions('options', findOptions);
    const leaks = await findLeaksIn(test.owns, { ...resolved, ignore: [...resolved.ignore, ...test.allowed] });
    if (leaks.length > 0) {
      const report = formatLeakReport(leaks, { test: { name: test.name, file: test.file }, hint });
      throw new LeakError(leaks, report);
    }
  } finally {
    openTests.delete(test);
  }
}

/**
 * Lets the current test end with the leaks the filters match, or with any leak when called without a filter.
 * Applies to every test a detector is watching right now and ends with it; does nothing when no detector is
 * installed, so a test can call it under any runner configuration.
 *
 * Prefer cleaning up (`await group.wait().catch(() => {})`, `permit.release()`): a leak allowed here still runs
 * into the next test.
 *
 * @example
 * it('rejects when the group is abandoned', async () => {
 *   allowLeaks(ignoreTaskNamed('never settles'));
 *   group.go(() => new Promise(() => {}), { name: 'never settles' });
 *   // …
 * });
 */
export function allowLeaks(...filters: LeakFilter[]): void {
  for (const filter of filters) {
    if (typeof (filter as Partial<LeakFilter> | undefined)?.matches !== 'function') {
      throw argumentError('filters', 'filters from ignoreTaskNamed(), ignoreCreatedIn() or ignoreCurrent()', filter);
    }
  }
  const allowed: LeakFilter[] = filters.length > 0 ? filters : [{ description: 'every leak (allowLeaks())', matches: () => true }];
  for (const test of openTests) test.allowed.push(...allowed);
}

/** A leak detector installed with {@link installLeakDetector}. */
export interface LeakDetector {
  /** Marks the start of a test: only what is created from now on is attributed to it. Ends a test not checked. */
  startTest(name: string, file?: string): void;
  /**
   * Checks the test started last: resolves when it left nothing pending, rejects with a {@link LeakError}
   * otherwise. Rejects with a `taskscope:` misuse error when no test was started.
   */
  checkTest(): Promise<void>;
  /** Stops the detector and turns creation stacks back off (unless something else asked for them). Idempotent. */
  uninstall(): void;
  /** Same as `uninstall()`, for `using detector = installLeakDetector()`. */
  [Symbol.dispose](): void;
}

/**
 * Installs a per-test leak detector for any test runner (node:test, Mocha, Jest, Vitest without the setup
 * entry). Creation stacks are captured from now until `uninstall()`, so reports say where each leak was created.
 * Throws a `TypeError` for bad options and leaves nothing installed.
 *
 * @example
 * // node:test
 * import { afterEach, beforeEach } from 'node:test';
 * const detector = installLeakDetector({ ignore: [ignoreTaskNamed('poller')] });
 * beforeEach((t) => detector.startTest(t.name, import.meta.filename));
 * afterEach(() => detector.checkTest());
 */
export function installLeakDetector(options: LeakDetectorOptions = {}): LeakDetector {
  resolveFindOptions('options', options, ['hint']);
  assertOptionalString('hint', options.hint);
  const settings: LeakDetectorOptions = { ...options, ignore: [...(options.ignore ?? [])] };
  let releaseStacks: (() => void) | undefined = requestStacks();
  let current: WatchedTest | undefined;

  const uninstall = (): void => {
    releaseStacks?.();
    releaseStacks = undefined;
    if (current !== undefined) openTests.delete(current);
    current = undefined;
  };
  return {
    startTest(name, file) {
      if (releaseStacks === undefined) throw misuseError('LeakDetector.startTest', 'the detector was uninstalled.');
      if (typeof name !== 'string') throw argumentError('name', 'a string', name);
      assertOptionalString('file', file);
      if (current !== undefined) openTests.delete(current);
      current = watchTest(name, file);
    },
    async checkTest() {
      const test = current;
      if (test === undefined) {
        throw misuseError('LeakDetector.checkTest', 'no test was started. Call startTest(name, file) at the start of each test.');
      }
      current = undefined;
      await checkWatchedTest(test, settings);
    },
    uninstall,
    [Symbol.dispose]: uninstall,
  };
}
