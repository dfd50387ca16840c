/** Hand-written graph pieces for the graph analyses' tests: each helper builds one node at a line of `file`. */
import type { FanOutNode, Finding, FunctionNode, GraphEdge, Multiplicity, SpawnNode } from '../../../analyzer/graph/types.js';

export function fn(file: string, line: number, label: string, extra: Partial<FunctionNode> = {}): FunctionNode {
  return { kind: 'function', id: `function:${file}:${line}:1`, file, line, column: 1, label, async: true, exported: false, hasSignal: false, ...extra };
}

export function spawn(file: string, line: number, label: string, extra: Partial<SpawnNode> = {}): SpawnNode {
  return { kind: 'spawn', id: `spawn:${file}:${line}:3`, file, line, column: 3, label, via: 'call', ...extra };
}

export function fanOut(file: string, line: number, input: string, multiplicity: Multiplicity = { kind: 'unbounded' }): FanOutNode {
  return { kind: 'fanout', id: `fanout:${file}:${line}:5`, file, line, column: 5, label: `for each of ${input}`, input, multiplicity };
}

export function edge(from: { id: string }, kind: GraphEdge['kind'], to: { id: string }): GraphEdge {
  return { from: from.id, to: to.id, kind };
}

export function finding(file: string, line: number, column: number, extra: Partial<Finding> = {}): Finding {
  return { file, line, column, ruleId: 'no-floating-task', severity: 'error', message: 'm', origin: 'lint', chain: [{ file, line, column, label: 'x' }], ...extra };
}

/** The labels of a finding's chain, the way the tests compare explanations. */
export function labels(found: Finding): string[] {
  return found.chain.map((step) => step.label);
}
