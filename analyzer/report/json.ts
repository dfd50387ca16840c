import type { TaskGraph } from '../graph/types.js';
import { graphView } from './graph-view.js';

/** Options of {@link renderJson}. */
export interface JsonReportOptions {
  /**
   * Written as `root` instead of the graph's absolute root, e.g. `'.'`, so a committed report (or a golden file) does
   * not depend on where the project was checked out.
   * @default the graph's `root`
   */
  readonly root?: string;
}

// Keys in the order a reader wants them: identity first, place next, details last. Keys not listed (fields added
// after this reporter was written) follow in alphabetical order, so a new field never makes the output unstable.
const KEY_ORDER = [
  'schemaVersion', 'root', 'summary', 'nodes', 'edges',
  'files', 'functions', 'spawns', 'floating', 'fanOuts', 'unboundedFanOuts', 'groups', 'semaphores', 'signals', 'findings', 'byRule', 'error', 'warning',
  'id', 'from', 'to', 'kind', 'ruleId', 'severity', 'origin', 'message', 'label',
  'file', 'line', 'column', 'endLine', 'endColumn', 'node',
  'async', 'exported', 'hasSignal', 'via', 'parent', 'owned', 'callee', 'signal',
  'multiplicity', 'n', 'by', 'limit', 'limited', 'capacity', 'input', 'source', 'chain',
];
const rank = new Map(KEY_ORDER.map((key, index) => [key, index]));

function orderKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value).sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((key) => [key, (value as Record<string, unknown>)[key]]));
}

/**
 * The task graph as JSON: `{ schemaVersion, root, summary, nodes, edges, findings }`, the shape of {@link TaskGraph}.
 * Arrays are sorted and keys come in a fixed order, indented by two spaces with a trailing newline, so the same
 * sources give byte-identical output and a changed report diffs line by line.
 *
 * @example renderJson(graph, { root: '.' }) // '{\n  "schemaVersion": 1,\n  "root": ".",\n …'
 */
export function renderJson(graph: TaskGraph, options: JsonReportOptions = {}): string {
  const view = graphView(graph);
  const report = {
    schemaVersion: graph.schemaVersion,
    root: options.root ?? graph.root,
    summary: graph.summary,
    nodes: view.nodes,
    edges: view.edges,
    findings: view.findings,
  };
  return `${JSON.stringify(report, orderKeys, 2)}\n`;
}
