import type { Finding, GraphEdge, GraphNode, Location, Multiplicity, TaskGraph } from '../graph/types.js';

/**
 * What every reporter reads: the graph's arrays in one canonical order, and the highlights the pictures share. A
 * reporter sorts again rather than trusting its input because hand-written and read-back graphs need not be sorted,
 * and the same graph must give the same bytes whatever order it came in.
 */
export interface GraphView {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly findings: readonly Finding[];
  readonly byId: ReadonlyMap<string, GraphNode>;
  /** Findings reported at a node: at its place, or naming it in the chain step at the finding's place. */
  readonly findingsAt: ReadonlyMap<string, readonly Finding[]>;
  /** Every file with a node or a finding, sorted. */
  readonly files: readonly string[];
  /** The nodes of each file (files without nodes are absent), in order. */
  readonly nodesByFile: ReadonlyMap<string, readonly GraphNode[]>;
  /** The edges with an end in each file, in order; an edge inside one file is listed once. */
  readonly edgesByFile: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Each node's position in `nodes`: a short id for formats that need one (`n12` in Mermaid). */
  readonly index: ReadonlyMap<string, number>;
}

/** Byte order, not locale order: the same on every machine. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareLocation(a: Location, b: Location): number {
  return byText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

export function compareFindings(a: Finding, b: Finding): number {
  return compareLocation(a, b) || byText(a.ruleId, b.ruleId) || byText(a.origin, b.origin) || byText(a.message, b.message);
}

const at = (location: Location): string => `${location.file}\n${location.line}\n${location.column}`;

// The CLI renders up to six formats from one graph, and four of them need the view: building it once is ~0.5 s less
// on a 2,000-file project. Keyed by the graph, checked against its arrays, so a graph rebuilt with new arrays (as
// `sortGraph` does) never gets a stale view. A TaskGraph's arrays are readonly: editing one in place is out of contract.
const views = new WeakMap<TaskGraph, { readonly parts: readonly [readonly GraphNode[], readonly GraphEdge[], readonly Finding[]]; readonly view: GraphView }>();

/**
 * Sorts a graph the way `buildGraph` does (place, then kind and id; edges by ends and kind; findings by place and rule).
 * The same graph object gives the same view object.
 */
export function graphView(graph: TaskGraph): GraphView {
  const cached = views.get(graph);
  if (cached && cached.parts[0] === graph.nodes && cached.parts[1] === graph.edges && cached.parts[2] === graph.findings) return cached.view;
  const view = buildView(graph);
  views.set(graph, { parts: [graph.nodes, graph.edges, graph.findings], view });
  return view;
}

function buildView(graph: TaskGraph): GraphView {
  const nodes = [...graph.nodes].sort((a, b) => compareLocation(a, b) || byText(a.kind, b.kind) || byText(a.id, b.id));
  const edges = [...graph.edges].sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to) || byText(a.kind, b.kind));
  const findings = [...graph.findings].sort(compareFindings);
  const byId = new Map<string, GraphNode>();
  const index = new Map<string, number>();
  const nodesByFile = new Map<string, GraphNode[]>();
  nodes.forEach((node, position) => {
    byId.set(node.id, node);
    index.set(node.id, position);
    push(nodesByFile, node.file, node);
  });
  // Places are keyed only for the files that have findings: a few hundred findings, tens of thousands of nodes.
  const findingFiles = new Set(findings.map((finding) => finding.file));
  const byPlace = new Map<string, string[]>();
  for (const node of nodes) if (findingFiles.has(node.file)) push(byPlace, at(node), node.id);
  const findingsAt = new Map<string, Finding[]>();
  for (const finding of findings) {
    const named = finding.chain.filter((step) => step.node !== undefined && at(step) === at(finding)).map((step) => step.node ?? '');
    for (const id of new Set([...(byPlace.get(at(finding)) ?? []), ...named])) if (byId.has(id)) push(findingsAt, id, finding);
  }
  const files = [...new Set([...nodesByFile.keys(), ...findingFiles])].sort(byText);
  const edgesByFile = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const from = byId.get(edge.from)?.file;
    const to = byId.get(edge.to)?.file;
    if (from !== undefined) push(edgesByFile, from, edge);
    if (to !== undefined && to !== from) push(edgesByFile, to, edge);
  }
  return { nodes, edges, findings, byId, findingsAt, files, nodesByFile, edgesByFile, index };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * How a fan-out's multiplicity reads on a picture: `×1`, `×8`, `×∞`, or what bounds it, `≤limit 4`, `≤semaphore 2`,
 * `≤slice`.
 *
 * @example multiplicityText({ kind: 'bounded', by: 'limit', limit: 4 }) // '≤limit 4'
 */
export function multiplicityText(multiplicity: Multiplicity): string {
  switch (multiplicity.kind) {
    case 'one':
      return '×1';
    case 'constant':
      return `×${multiplicity.n}`;
    case 'bounded':
      return `≤${multiplicity.by}${multiplicity.limit === undefined ? '' : ` ${multiplicity.limit}`}`;
    case 'unbounded':
      return '×∞';
  }
}

/** The highlight classes a picture gives a node: a floating spawn, an unbounded fan-out, a node with findings. */
export function highlights(node: GraphNode, view: GraphView): ('floating' | 'unbounded' | 'finding')[] {
  const classes: ('floating' | 'unbounded' | 'finding')[] = [];
  if (node.kind === 'spawn' && node.owned === undefined) classes.push('floating');
  if (node.kind === 'fanout' && node.multiplicity.kind === 'unbounded') classes.push('unbounded');
  if (view.findingsAt.has(node.id)) classes.push('finding');
  return classes;
}

/** A node's label as the pictures show it: with its multiplicity or limit, cut to `max` characters. */
export function nodeCaption(node: GraphNode, max = 48): string {
  const label = node.label.length > max ? `${node.label.slice(0, max - 1)}…` : node.label;
  switch (node.kind) {
    case 'fanout':
      return `${label} ${multiplicityText(node.multiplicity)}`;
    case 'group':
      return `${label} ${node.limited ? `≤limit ${node.limit ?? '?'}` : '×∞'}`;
    case 'semaphore':
      return node.capacity === undefined ? label : `${label} ≤${node.capacity}`;
    default:
      return label;
  }
}

// The pictures ask for each edge's caption several times (DOT, Mermaid, the HTML's drawing and its data): worked out
// once per view and edge.
const captions = new WeakMap<GraphView, Map<GraphEdge, string>>();

/** An edge's caption on a picture: a fan-out's multiplicity, how a task is owned, or what the edge does. */
export function edgeCaption(edge: GraphEdge, view: GraphView): string {
  let known = captions.get(view);
  if (!known) captions.set(view, (known = new Map<GraphEdge, string>()));
  let caption = known.get(edge);
  if (caption === undefined) known.set(edge, (caption = captionOf(edge, view)));
  return caption;
}

function captionOf(edge: GraphEdge, view: GraphView): string {
  const from = view.byId.get(edge.from);
  if (from?.kind === 'fanout' && (edge.kind === 'calls' || edge.kind === 'spawns')) return multiplicityText(from.multiplicity);
  switch (edge.kind) {
    case 'owned-by':
      return from?.kind === 'spawn' && from.owned !== undefined ? from.owned : 'owned';
    case 'signal-flow':
      return 'signal';
    case 'acquires':
      return 'acquire';
    case 'releases':
      return 'release';
    case 'uses':
      return 'in group';
    default:
      return '';
  }
}
