import { GraphIndex, stepOf, type GraphData } from './graph-index.js';
import type { Finding, FunctionNode, SpawnNode } from './types.js';

/**
 * Signals dropped along a call chain: an entry point that has an AbortSignal calls a helper that cannot take one,
 * and that helper (or one it calls, through helpers that cannot take one either) calls an API that accepts a signal
 * without passing any. The lint rule is silent at both ends: the entry's call cannot pass a signal to a helper without
 * a signal parameter, and inside the helper no signal is in scope. Aborting the entry does not stop the call.
 *
 * The search stops at a function that has a signal of its own: what it does with it is the lint rule's business. It
 * also stops at a method of a class that wires the signal it holds by hand (`wiredSignal`): it listens for the abort
 * and tears the object down (a request destroys itself and its response stream), which ends the reads its methods
 * started. What the listener does is not checked. A class that only stores a signal is still followed.
 *
 * An entry whose signal is an ambient context (`ambient`: a LangGraph node handed a `RunnableConfig`) runs inside that
 * context's run, and so does every helper it calls: a call to one of the context's readers (`dispatchCustomEvent(…)`
 * in a helper) gets the entry's signal from AsyncLocalStorage and is not dropped, as the lint rule judges it. Such
 * entries are searched from apart, so a helper also reached from an entry with a plain signal is still reported.
 *
 * Each call is reported once, at the call, with the shortest chain from an entry (entries and neighbours in id
 * order, so the chain is the same on every run).
 *
 * @example findDroppedSignals(graph)[0].chain.map((step) => step.label) // ['handle', 'loadPage', 'fetch(url)']
 */
export function findDroppedSignals(graph: GraphData): Finding[] {
  const index = GraphIndex.of(graph);
  const entries = [...index.nodes]
    .filter((node): node is FunctionNode => node.kind === 'function' && node.hasSignal)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // One search for the entries with a plain signal, one per ambient context; a call keeps its shortest chain, from the
  // first entry in id order among equals, as one search from every entry would give.
  const groups = new Map<string | undefined, FunctionNode[]>([[undefined, []]]);
  for (const entry of entries) {
    const group = groups.get(entry.ambient);
    if (group) group.push(entry);
    else groups.set(entry.ambient, [entry]);
  }
  const found = new Map<SpawnNode, FunctionNode[]>();
  for (const [ambient, group] of groups) {
    for (const [spawn, chain] of dropsFrom(index, group, ambient)) {
      const known = found.get(spawn);
      if (!known || chain.length < known.length || (chain.length === known.length && chain[0]!.id < known[0]!.id)) found.set(spawn, chain);
    }
  }
  const findings: Finding[] = [];
  for (const [spawn, chain] of found) {
    const entry = chain[0]!;
    const through = chain.slice(1).map((fn) => `\`${fn.label}\``).join(' → ');
    findings.push({
      file: spawn.file,
      line: spawn.line,
      column: spawn.column,
      ruleId: 'propagate-abort-signal',
      severity: 'error',
      origin: 'graph',
      message:
        `\`${spawn.label}\` runs without the signal that \`${entry.label}\` was given (through ${through}), so aborting \`${entry.label}\` does not stop it. ` +
        `Add a \`signal\` parameter along the chain and pass it to this call.`,
      chain: [...chain.map(stepOf), stepOf(spawn)],
    });
  }
  return findings;
}

/**
 * The calls that drop the signal of `entries` (all with the same `ambient` context, or none), each with the chain
 * from an entry to the helper that makes it, in breadth-first order: a multi-source search in which each signal-less
 * function remembers the entry side it was first reached from.
 */
function dropsFrom(index: GraphIndex, entries: readonly FunctionNode[], ambient: string | undefined): Array<[SpawnNode, FunctionNode[]]> {
  const previous = new Map<string, FunctionNode>();
  const queue: FunctionNode[] = [];
  for (const entry of entries) {
    for (const callee of index.callees(entry.id)) {
      if (callee.hasSignal || callee.wiredSignal || previous.has(callee.id)) continue;
      previous.set(callee.id, entry);
      queue.push(callee);
    }
  }
  const drops: Array<[SpawnNode, FunctionNode[]]> = [];
  const isEntry = new Set(entries);
  // A read position instead of `queue.shift()`, which moves the whole queue on every step.
  for (let head = 0; head < queue.length; head++) {
    const helper = queue[head]!;
    let chain: FunctionNode[] | undefined;
    for (const spawn of index.spawnsOf(helper.id)) {
      // dispatchCustomEvent(name, payload) in a helper of a node handed a RunnableConfig: read back from the run
      if (spawn.signal === 'missing' && (ambient === undefined || spawn.ambient !== ambient)) drops.push([spawn, (chain ??= chainTo(helper, previous))]);
    }
    for (const callee of index.callees(helper.id)) {
      if (callee.hasSignal || callee.wiredSignal || previous.has(callee.id) || isEntry.has(callee)) continue;
      previous.set(callee.id, helper);
      queue.push(callee);
    }
  }
  return drops;
}

/** The path from an entry that reached `helper`: built only for a helper with a call to report. */
function chainTo(helper: FunctionNode, previous: ReadonlyMap<string, FunctionNode>): FunctionNode[] {
  const chain: FunctionNode[] = [];
  for (let at: FunctionNode | undefined = helper; at; at = previous.get(at.id)) chain.push(at);
  return chain.reverse();
}
