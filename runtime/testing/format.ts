/**
 * The leak report: goleak's one block per leak, as text a test runner prints unchanged. Pure, so that it is
 * snapshot-tested; no colour, so that snapshots and CI logs stay readable.
 */
import { relative } from 'node:path';
import { describeRecord, stackBlock } from '../describe.js';
import type { Leak } from './find-leaks.js';

/** Options for {@link formatLeakReport}. */
export interface FormatLeakReportOptions {
  /** The test the leaks belong to; without it the header says `found` instead of `after test …`. */
  test?: { name: string; file?: string | undefined };
  /**
   * The clock ages are measured against, in `Date.now()` milliseconds.
   * @default Date.now()
   */
  now?: number;
  /**
   * Paths (the test file, stack frames) are shown relative to this directory.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * The last line, telling how to allow a known leak.
   * @default "To allow a known background task: installLeakDetector({ ignore: [ignoreTaskNamed('…')] })."
   */
  hint?: string;
}

/** The default last line of a report. */
export const defaultLeakHint = "To allow a known background task: installLeakDetector({ ignore: [ignoreTaskNamed('…')] }).";

/**
 * Renders leaks as the report `LeakError` carries: a header with the count and the test, one numbered block per
 * leak (what, state, age, then the creation stack trimmed to user frames), and what to do. Returns `''` for no
 * leaks.
 *
 * @example
 * const leaks = await findLeaks();
 * if (leaks.length > 0) console.error(formatLeakReport(leaks, { test: { name: 'uploads chunks', file: 'test/upload.test.ts' } }));
 */
export function formatLeakReport(leaks: readonly Leak[], options: FormatLeakReportOptions = {}): string {
  if (leaks.length === 0) return '';
  const now = options.now ?? Date.now();
  const cwd = options.cwd ?? process.cwd();
  const count = `${leaks.length} leak${leaks.length === 1 ? '' : 's'}`;
  const test = options.test;
  const where = test === undefined
    ? 'found'
    : `after test ${JSON.stringify(test.name)}${test.file === undefined ? '' : ` (${relative(cwd, test.file) || test.file})`}`;
  const lines = [`taskscope: ${count} ${where}`];
  leaks.forEach((leak, index) => {
    const number = `  ${index + 1}. `;
    const { headline, stackLabel } = describeRecord(leak.record, now, true);
    lines.push('', `${number}${headline}`, ...stackBlock(leak.record, stackLabel, ' '.repeat(number.length), cwd));
  });
  lines.push('', 'Await every group and release every permit before the test ends.', options.hint ?? defaultLeakHint);
  return lines.join('\n');
}
