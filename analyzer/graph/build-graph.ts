import { SCHEMA_VERSION, type Finding, type GraphEdge, type GraphNode, type RuleId, type Summary, type TaskGraph } from './types.js';

/** What {@link buildGraph} assembles: the collected parts, in any order. */
export interface GraphParts {
  /** The project root (absolute, `/` separators). */
  readonly root: string;
  /** How many source files were analyzed. */
  readonly files: number;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly findings: readonly Finding[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareLocation(a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }): number {
  return byText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/**
 * Assembles a {@link TaskGraph}: drops duplicate nodes and edges (and edges whose ends are not nodes), merges graph
 * findings into the lint findings they repeat, sorts every array and computes the summary.
 *
 * Sorting: nodes by place then kind, edges by the places of `from` then `to` (then kind), findings by place then rule, so two runs on the
 * same sources give byte-identical JSON.
 *
 * @example buildGraph({ root: '/repo', files: 2, nodes, edges, findings }).summary.floating // 1
 */
export function buildGraph(parts: GraphParts): TaskGraph {
  const nodes = [...new Map(parts.nodes.map((node) => [node.id, node])).values()].sort(
    (a, b) => compareLocation(a, b) || byText(a.kind, b.kind) || byText(a.id, b.id),
  );
  const order = new Map(nodes.map((node, index) => [node.id, index]));
  // Each edge with the positions of its ends, looked up once rather than four times per comparison; a stable sort
  // puts equal edges next to each other in input order, so keeping the first of each run drops the later duplicates.
  const placed: { readonly edge: GraphEdge; readonly from: number; readonly to: number }[] = [];
  for (const edge of parts.edges) {
    const from = order.get(edge.from);
    const to = order.get(edge.to);
    if (from !== undefined && to !== undefined) placed.push({ edge, from, to });
  }
  placed.sort((a, b) => a.from - b.from || a.to - b.to || byText(a.edge.kind, b.edge.kind));
  const edges = placed
    .filter((each, i) => {
      const before = placed[i - 1];
      return !before || before.from !== each.from || before.to !== each.to || before.edge.kind !== each.edge.kind;
    })
    .map((each) => each.edge);
  const findings = mergeFindings(parts.findings);
  return { schemaVersion: SCHEMA_VERSION, root: parts.root, summary: summarize(parts.files, nodes, findings), nodes, edges, findings };
}

/** Re-sorts a graph (read back from JSON, or edited in a test) and recomputes its summary. */
export function sortGraph(graph: TaskGraph): TaskGraph {
  return buildGraph({ root: graph.root, files: graph.summary.files, nodes: graph.nodes, edges: graph.edges, findings: graph.findings });
}

/** Whether a finding's range (its start, up to `endLine:endColumn` when known) holds a location of the same file. */
function covers(outer: Finding, inner: Finding): boolean {
  if (outer.file !== inner.file) return false;
  if (outer.line === inner.line && outer.column === inner.column) return true;
  if (outer.endLine === undefined || outer.endColumn === undefined) return false;
  const afterStart = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const beforeEnd = inner.line < outer.endLine || (inner.line === outer.endLine && inner.column < outer.endColumn);
  return afterStart && beforeEnd;
}

/**
 * Merges findings that say the same thing twice. A graph finding of the same rule at a lint finding's location, or
 * inside its range, is the editor's finding seen again from the whole program: the lint finding stays (its message
 * is the one the editor shows) and takes the graph finding's longer chain. Graph findings at one place with one rule
 * keep the first in sorted order.
 *
 * Rejected: matching on line and column alone. A rule reports `Promise.all(xs.map(f))` while the graph knows the
 * call `f(x)` inside it; both are one problem, and listing it twice would make CI disagree with the editor.
 */
export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const sorted = [...findings].sort(
    (a, b) => compareLocation(a, b) || byText(a.ruleId, b.ruleId) || byText(a.origin, b.origin) || byText(a.message, b.message),
  );
  const lint = sorted.filter((finding) => finding.origin === 'lint');
  const lintByFile = new Map<string, Finding[]>();
  for (const finding of lint) {
    const key = `${finding.ruleId}\n${finding.file}`;
    const list = lintByFile.get(key);
    if (list) list.push(finding);
    else lintByFile.set(key, [finding]);
  }
  const chains = new Map<Finding, Finding['chain']>();
  const kept: Finding[] = [...lint];
  const graphKeys = new Set<string>();
  for (const finding of sorted) {
    if (finding.origin === 'lint') continue;
    const host = lintByFile.get(`${finding.ruleId}\n${finding.file}`)?.find((candidate) => covers(candidate, finding));
    if (host) {
      if (host.chain.length < finding.chain.length && (chains.get(host)?.length ?? 0) < finding.chain.length) chains.set(host, finding.chain);
      continue;
    }
    const key = `${finding.ruleId}\n${finding.file}\n${finding.line}\n${finding.column}`;
    if (graphKeys.has(key)) continue;
    graphKeys.add(key);
    kept.push(finding);
  }
  return kept
    .map((finding) => {
      const chain = chains.get(finding);
      return chain ? { ...finding, chain } : finding;
    })
    .sort((a, b) => compareLocation(a, b) || byText(a.ruleId, b.ruleId) || byText(a.origin, b.origin) || byText(a.message, b.message));
}

function summarize(files: number, nodes: readonly GraphNode[], findings: readonly Finding[]): Summary {
  const count = (kind: GraphNode['kind']): number => nodes.filter((node) => node.kind === kind).length;
  const byRule: Partial<Record<RuleId, number>> = {};
  for (const finding of findings) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  return {
    files,
    functions: count('function'),
    spawns: count('spawn'),
    floating: nodes.filter((node) => node.kind === 'spawn' && node.owned === undefined).length,
    fanOuts: count('fanout'),
    unboundedFanOuts: nodes.filter((node) => node.kind === 'fanout' && node.multiplicity.kind === 'unbounded').length,
    groups: count('group'),
    semaphores: count('semaphore'),
    signals: count('signal'),
    findings: {
      error: findings.filter((finding) => finding.severity === 'error').length,
      warning: findings.filter((finding) => finding.severity === 'warning').length,
    },
    byRule,
  };
}
