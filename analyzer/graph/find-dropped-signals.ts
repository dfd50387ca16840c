import { GraphIndex, stepOf, type GraphData } from './graph-index.js';
import type { Finding, FunctionNode } from './types.js';

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
 * Each call is reported once, at the call, with the shortest chain from an entry (entries and neighbours in id
 * order, so the chain is the same on every run).
 *
 * @example findDroppedSignals(graph)[0].chain.map((step) => step.label) // ['handle', 'loadPage', 'fetch(url)']
 */
export function findDroppedSignals(graph: GraphData): Finding[] {
  const index = new GraphIndex(graph);
  const entries = [...index.nodes]
    .filter((node): node is FunctionNode => node.kind === 'function' && node.hasSignal)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Multi-source breadth-first search: each signal-less function remembers the entry side it was first reached from.
  const previous = new Map<string, FunctionNode>();
  const queue: FunctionNode[] = [];
  for (const entry of entries) {
    for (const callee of index.callees(entry.id)) {
      if (callee.hasSignal || callee.wiredSignal || previous.has(callee.id)) continue;
      previous.set(callee.id, entry);
      queue.push(callee);
    }
  }
  const findings: Finding[] = [];
  for (let helper = queue.shift(); helper; helper = queue.shift()) {
    const chain: FunctionNode[] = [];
    for (let at: FunctionNode | undefined = helper; at; at = previous.get(at.id)) chain.unshift(at);
    const entry = chain[0]!;
    for (const spawn of index.spawnsOf(helper.id)) {
      if (spawn.signal !== 'missing') continue;
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
    for (const callee of index.callees(helper.id)) {
      if (callee.hasSignal || callee.wiredSignal || previous.has(callee.id) || entries.includes(callee)) continue;
      previous.set(callee.id, helper);
      queue.push(callee);
    }
  }
  return findings;
}
