/**
 * `taskscope/testing`: the leak detector for any test runner, its filters and its report. For Vitest, the
 * `taskscope/vitest` setup entry installs it for every test.
 *
 * @example
 * import { installLeakDetector, ignoreTaskNamed } from 'taskscope/testing';
 */
export { findLeaks, verifyNoLeaks, LeakError } from './find-leaks.js';
export type { Leak, LeakState, FindLeaksOptions, VerifyNoLeaksOptions } from './find-leaks.js';
export { installLeakDetector, allowLeaks } from './detector.js';
export type { LeakDetector, LeakDetectorOptions } from './detector.js';
export { ignoreTaskNamed, ignoreCreatedIn, ignoreCurrent } from './filters.js';
export type { LeakFilter } from './filters.js';
export { formatLeakReport } from './format.js';
export type { FormatLeakReportOptions } from './format.js';
export { toBeOk, toBeErr } from './matchers.js';
