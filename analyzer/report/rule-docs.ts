import type { RuleId, Severity } from '../graph/types.js';

/** What a report says about a rule: the SARIF rule descriptor's text, and the HTML report's group headings. */
export interface RuleDoc {
  /** One sentence: what the rule asks for. */
  readonly short: string;
  /** Why it matters and what it checks. */
  readonly full: string;
  /** What to do about a finding, as Markdown. */
  readonly help: string;
  readonly level: Severity;
  /** SARIF's `precision`: how often a finding is a real problem. */
  readonly precision: 'high' | 'medium';
  readonly tags: readonly string[];
}

// A table in code rather than docs/rules/*.md read at render time: reporters are pure, and a report must not depend
// on where the package is installed. Wording follows docs/rules/<id>.md and each rule's meta.docs.description.
/** The rule descriptions every report uses, for the five lint rules and `parse-error`. */
export const RULE_DOCS: Readonly<Record<RuleId, RuleDoc>> = {
  'no-floating-task': {
    short: 'Require every promise to have an owner: awaited, returned, handed on, or given a rejection handler on every path.',
    full: 'A promise nobody owns fails silently: its rejection reaches no catch, no caller and no test. Reports floating call statements, async callbacks passed where a void function is expected, promises kept in variables that some path never reads, and exported async functions whose every caller in another module drops the promise.',
    help: 'Give the task an owner: `await` it, `return` it, collect it in `Promise.all`, or start it with `group.go(...)` in an `ErrGroup` that is waited for. Mark a deliberate fire-and-forget with `void`.',
    level: 'error',
    precision: 'high',
    tags: ['concurrency', 'correctness', 'promises'],
  },
  'propagate-abort-signal': {
    short: "Require a caller's AbortSignal to reach every call that can take one, as Go passes a ctx down.",
    full: 'When a function is given an AbortSignal, every call inside it that accepts a signal should get it (or a signal derived from it), so cancelling the caller stops its work. Reports calls without the signal, detached timeouts and controllers, and signals dropped somewhere along a call chain from an entry point that has one.',
    help: 'Pass the signal on: `fetch(url, { signal })`. Combine it with a timeout using `AbortSignal.any([signal, AbortSignal.timeout(ms)])`, and add a `signal` parameter to helpers along the chain.',
    level: 'warning',
    precision: 'medium',
    tags: ['concurrency', 'cancellation'],
  },
  'no-double-close': {
    short: 'Disallow closing or releasing the same resource twice on one path.',
    full: 'A second release of a Semaphore permit, a second close of a handle or a second abort gives back what is no longer held or throws. Reports a close that may run after an earlier close on the same code path, and a close inside a loop of a resource created outside it.',
    help: 'Close each resource in one place per path, usually a single `finally`, or record the close in a flag and check it.',
    level: 'error',
    precision: 'high',
    tags: ['concurrency', 'correctness', 'resources'],
  },
  'no-unbounded-fanout': {
    short: 'Require a concurrency bound when starting one task per element of an input whose size the code does not bound.',
    full: 'Starting a task for every element at once (`Promise.all(items.map(f))`, pushing running tasks in a loop, an ErrGroup without a limit) runs as many tasks at once as the input has elements. Reports such fan-outs, also when the per-element call reaches async work only through a chain of helpers.',
    help: 'Bound the concurrency: run the tasks in `new ErrGroup({ limit })`, or acquire a `Semaphore` permit before the async work.',
    level: 'error',
    precision: 'medium',
    tags: ['concurrency', 'performance', 'reliability'],
  },
  'no-ignored-result': {
    short: 'Require every computed Result to be looked at: checked, returned, passed on, or discarded explicitly with void.',
    full: 'A Result carries its error as a value; ignoring it loses the error as surely as a floating promise does. Reports Result values that are dropped, discarded with void where that is not allowed, kept in variables that are never read, or returned to callbacks that ignore them.',
    help: 'Check the Result with `isErr()`, `match` or `unwrap`, return it, or discard it on purpose with `void`.',
    level: 'error',
    precision: 'high',
    tags: ['correctness', 'errors'],
  },
  'parse-error': {
    short: 'A source file could not be parsed, so its tasks are missing from the analysis.',
    full: 'The analyzer reports files with syntax errors instead of skipping them silently: nothing in such a file is in the task graph, so findings there and along call chains through it may be missing.',
    help: 'Fix the syntax error at the reported place (`tsc --noEmit` shows the same error), then run the analyzer again.',
    level: 'error',
    precision: 'high',
    tags: ['analysis'],
  },
};

/** Where a rule's documentation lives. */
export function ruleHelpUri(ruleId: RuleId): string {
  return `https://github.com/taskscope/taskscope/blob/main/docs/rules/${ruleId}.md`;
}
