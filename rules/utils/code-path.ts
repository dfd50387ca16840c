import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/** ESLint's code-path segment, as typed by typescript-eslint. */
export type Segment = TSESLint.CodePathSegment;
/** ESLint's code path (one per function, class field initialiser and program). */
export type CodePath = TSESLint.CodePath;

/** Callbacks a rule receives from {@link trackCodePaths}. */
export interface CodePathHandlers<State> {
  /** Creates the per-code-path state when ESLint enters a function (or the program). */
  start: (codePath: CodePath, node: TSESTree.Node) => State;
  /** Called once the whole code path is known: every segment has its final `nextSegments`. */
  end: (state: State, codePath: CodePath, node: TSESTree.Node) => void;
}

/** What {@link trackCodePaths} gives back: the listeners to spread into the rule, and the current position. */
export interface CodePathTracker<State> {
  /** Spread into the rule's listener object. */
  listeners: TSESLint.RuleListener;
  /** State of the innermost code path; `undefined` only outside any code path (never during a traversal). */
  state: () => State | undefined;
  /** The segments being traversed now (several inside `finally`, which ESLint walks once per completion). */
  segments: () => ReadonlySet<Segment>;
  /**
   * The segments a path may take next, leaving out ESLint's guess that the first node of a `try` (or of a `catch`
   * with a `finally`) that could throw did throw: ESLint forks there into the `catch`/`finally`, before the rest of
   * the block has run. An explicit `throw` keeps its edge.
   */
  nextSegments: (segment: Segment) => readonly Segment[];
}

interface Frame<State> {
  state: State;
  segments: Set<Segment>;
}

/**
 * Follows ESLint's code-path analysis for a rule: which segments are current at each node, and a state object per
 * code path that is handed back when the path ends and its graph is complete.
 *
 * Why: ESLint 9 removed `codePath.currentSegments`, so each rule must track segment starts and ends itself; doing it
 * once here keeps `no-floating-task` and `no-double-close` from drifting apart. The listener functions take two or
 * three arguments, which typescript-eslint's `RuleListener` (one-node callbacks) cannot express; the single cast
 * below is the documented escape hatch (typescript-eslint#6993).
 */
export function trackCodePaths<State>(handlers: CodePathHandlers<State>): CodePathTracker<State> {
  const frames: Array<Frame<State>> = [];
  const top = (): Frame<State> | undefined => frames[frames.length - 1];
  // First segments of `catch` clauses and `finally` blocks: ESLint starts them at the clause or block node.
  const handlerEntries = new WeakSet<Segment>();
  const enter = (segment: Segment, node: TSESTree.Node): void => {
    top()?.segments.add(segment);
    if (node.type === AST_NODE_TYPES.CatchClause || (node.parent?.type === AST_NODE_TYPES.TryStatement && node.parent.finalizer === node)) {
      handlerEntries.add(segment);
    }
  };
  const leave = (segment: Segment): void => {
    top()?.segments.delete(segment);
  };
  const listeners = {
    onCodePathStart(codePath: CodePath, node: TSESTree.Node): void {
      frames.push({ state: handlers.start(codePath, node), segments: new Set() });
    },
    onCodePathEnd(codePath: CodePath, node: TSESTree.Node): void {
      const frame = frames.pop();
      if (frame) handlers.end(frame.state, codePath, node);
    },
    onCodePathSegmentStart: enter,
    onCodePathSegmentEnd: leave,
    onUnreachableCodePathSegmentStart: enter,
    onUnreachableCodePathSegmentEnd: leave,
  };
  return {
    listeners: listeners as unknown as TSESLint.RuleListener,
    state: () => top()?.state,
    segments: () => top()?.segments ?? new Set(),
    // A segment that goes on in its block and also into a handler is ESLint's first-throwable fork; one that ends in
    // `throw`, or ends the block, goes into the handler only.
    nextSegments: (segment) => {
      const next = segment.nextSegments;
      const onward = next.filter((candidate) => !handlerEntries.has(candidate));
      return onward.length > 0 && onward.length < next.length ? onward : next;
    },
  };
}
