import type { Segment } from './code-path.js';

/** What happens to receivers inside one code-path segment, in evaluation order. */
export type FlowOp<N> =
  /** `key` is closed by `node`; `reportable: false` for a disposal, which marks it closed but is never the second. */
  | { kind: 'close'; key: string; node: N; reportable: boolean }
  /** Receivers for which `kills(key)` holds may now hold a different resource (assigned, or reopened by a call). */
  | { kind: 'kill'; kills: (key: string) => boolean };

/** A close that may run after another close of the same receiver, with nothing reopening it in between. */
export interface Repeat<N> {
  node: N;
  /** The closes that may have run last before it on some path (itself, for a loop around it). */
  previous: ReadonlySet<N>;
  /** Whether every path that reaches it has already closed the receiver, so removing it changes nothing else. */
  always: boolean;
}

interface State<N> {
  /** Receivers closed on some path to here, each with the closes that may have run last. */
  may: Map<string, ReadonlySet<N>>;
  /** Receivers closed on every path to here; `null` until known (the top of the lattice). */
  must: ReadonlySet<string> | null;
}

function merge<N>(states: ReadonlyArray<State<N>>): State<N> {
  const may = new Map<string, Set<N>>();
  let must: Set<string> | null = null;
  for (const state of states) {
    for (const [key, nodes] of state.may) {
      const merged = may.get(key) ?? new Set<N>();
      for (const node of nodes) merged.add(node);
      may.set(key, merged);
    }
    const known = state.must;
    if (!known) continue;
    if (must === null) must = new Set(known);
    else for (const key of must) if (!known.has(key)) must.delete(key);
  }
  return { may, must };
}

function equal<N>(a: State<N> | undefined, b: State<N>): boolean {
  if (!a || a.may.size !== b.may.size) return false;
  for (const [key, nodes] of b.may) {
    const other = a.may.get(key);
    if (!other || other.size !== nodes.size || [...nodes].some((node) => !other.has(node))) return false;
  }
  if (a.must === null || b.must === null) return a.must === b.must;
  return a.must.size === b.must.size && [...b.must].every((key) => a.must!.has(key));
}

/**
 * Finds closes of a receiver that may already be closed, by a forward dataflow over ESLint's code-path segments:
 * a "may be closed" set (union at joins) says some path closes twice; a "closed on every path" set (intersection)
 * says the second close is always redundant. Assignments and reopening calls remove receivers from both.
 *
 * Exceptions follow ESLint's model, less one edge: a `try` or `catch` block is left for its handler before its first
 * throwable expression, at each `throw`, `return` and `yield`, and — ESLint's stand-in for "the last statement
 * threw" — from its end. `isExceptional` names those end edges so the caller can drop them: a close is counted as
 * done only when it completed normally, and a close that is the last statement of `try` and throws has not closed
 * anything. Loops are followed to a fixpoint, so a close in a loop body meets itself on the back edge.
 */
export function findRepeats<N>(
  initial: Segment,
  opsOf: (segment: Segment) => ReadonlyArray<FlowOp<N>>,
  isExceptional: (from: Segment, to: Segment) => boolean = () => false,
): Array<Repeat<N>> {
  const segments: Segment[] = [];
  const seen = new Set<Segment>([initial]);
  for (let index = 0, next: Segment[] = [initial]; index < next.length; index++) {
    const segment = next[index]!;
    segments.push(segment);
    for (const following of segment.nextSegments) {
      if (following.reachable && !seen.has(following)) {
        seen.add(following);
        next.push(following);
      }
    }
  }
  const out = new Map<Segment, State<N>>();
  const entry: State<N> = { may: new Map(), must: new Set() };
  const stateIn = (segment: Segment): State<N> => {
    const incoming = segment.prevSegments.flatMap((previous) => (isExceptional(previous, segment) ? [] : (out.get(previous) ?? [])));
    return merge(segment === initial ? [entry, ...incoming] : incoming);
  };
  const transfer = (state: State<N>, segment: Segment, visit?: (op: FlowOp<N> & { kind: 'close' }, state: State<N>) => void): State<N> => {
    const may = new Map(state.may);
    const must = state.must === null ? null : new Set(state.must);
    for (const op of opsOf(segment)) {
      if (op.kind === 'kill') {
        for (const key of may.keys()) if (op.kills(key)) may.delete(key);
        if (must) for (const key of must) if (op.kills(key)) must.delete(key);
        continue;
      }
      visit?.(op, { may, must });
      may.set(op.key, new Set([op.node]));
      must?.add(op.key);
    }
    return { may, must };
  };

  const pending = [...segments];
  while (pending.length > 0) {
    const segment = pending.shift()!;
    const result = transfer(stateIn(segment), segment);
    if (equal(out.get(segment), result)) continue;
    out.set(segment, result);
    for (const following of segment.nextSegments) if (seen.has(following) && !pending.includes(following)) pending.push(following);
  }

  const repeats = new Map<N, { previous: Set<N>; always: boolean }>();
  for (const segment of segments) {
    transfer(stateIn(segment), segment, (op, state) => {
      const repeat = repeats.get(op.node) ?? { previous: new Set<N>(), always: true };
      repeats.set(op.node, repeat);
      const previous = op.reportable ? state.may.get(op.key) : undefined;
      if (!previous) {
        repeat.always = false;
        return;
      }
      for (const node of previous) repeat.previous.add(node);
      repeat.always &&= state.must?.has(op.key) ?? false;
    });
  }
  return [...repeats].filter(([, repeat]) => repeat.previous.size > 0).map(([node, repeat]) => ({ node, ...repeat }));
}
