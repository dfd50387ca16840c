import type { ChainStep, EdgeKind, FunctionNode, GraphEdge, GraphNode, SpawnNode, TaskGraph } from './types.js';

/** What the graph analyses read: the nodes and edges, nothing from the compiler. */
export type GraphData = Pick<TaskGraph, 'nodes' | 'edges'>;

const NONE: readonly string[] = Object.freeze([]);

// One index per graph for the three `find-*` analyses the pipeline runs on the same data: built once it is ~0.1 s less
// on a 2,000-file project. Keyed by the data object and checked against its arrays and their lengths, so other data
// (or arrays grown in place, which the readonly types forbid) never get a stale index.
const indexes = new WeakMap<GraphData, { readonly nodes: GraphData['nodes']; readonly edges: GraphData['edges']; readonly sizes: readonly [number, number]; readonly index: GraphIndex }>();

/**
 * Lookups over a graph's data for the `find-*` analyses: nodes by id, outgoing and incoming edges by kind, and the
 * spawns and fan-outs of each function. Outgoing neighbours come back sorted by id, so every search visits them in one
 * order and reports the same chain on every run; incoming ones in the order of the graph's edges.
 */
export class GraphIndex {
  readonly #nodes = new Map<string, GraphNode>();
  // By kind, then by node id. Rejected: one map keyed by `${kind}\n${id}`, which built and hashed a new string per
  // edge end and per lookup (the index took longer to build than the analyses took to run).
  readonly #out = new Map<EdgeKind, Map<string, string[]>>();
  readonly #in = new Map<EdgeKind, Map<string, string[]>>();

  /**
   * The index of `graph`, built on first use and shared by every later call with the same data object (and the same
   * arrays): the pipeline's three analyses build it once.
   *
   * @example GraphIndex.of(data) === GraphIndex.of(data) // true
   */
  static of(graph: GraphData): GraphIndex {
    const cached = indexes.get(graph);
    if (cached && cached.nodes === graph.nodes && cached.edges === graph.edges && cached.sizes[0] === graph.nodes.length && cached.sizes[1] === graph.edges.length) {
      return cached.index;
    }
    const index = new GraphIndex(graph);
    indexes.set(graph, { nodes: graph.nodes, edges: graph.edges, sizes: [graph.nodes.length, graph.edges.length], index });
    return index;
  }

  constructor(graph: GraphData) {
    for (const node of graph.nodes) this.#nodes.set(node.id, node);
    for (const edge of graph.edges) {
      push(this.#out, edge.kind, edge.from, edge.to);
      push(this.#in, edge.kind, edge.to, edge.from);
    }
    // Each list sorted on its own (stable, so as one sort of every edge by its target would leave it), not every edge.
    for (const byNode of this.#out.values()) for (const list of byNode.values()) if (list.length > 1) list.sort(byText);
  }

  node(id: string): GraphNode | undefined {
    return this.#nodes.get(id);
  }

  get nodes(): IterableIterator<GraphNode> {
    return this.#nodes.values();
  }

  /** The ids an edge of this kind leads to from `id`. */
  out(id: string, kind: EdgeKind): readonly string[] {
    return this.#out.get(kind)?.get(id) ?? NONE;
  }

  /** The ids an edge of this kind comes from into `id`. */
  in(id: string, kind: EdgeKind): readonly string[] {
    return this.#in.get(kind)?.get(id) ?? NONE;
  }

  /** The functions `id` calls (only function nodes: a fan-out's `calls` edges are asked for with {@link out}). */
  callees(id: string): FunctionNode[] {
    return this.out(id, 'calls').map((to) => this.#nodes.get(to)).filter((node): node is FunctionNode => node?.kind === 'function');
  }

  /** The spawn sites whose enclosing function is `id`, in id order. */
  spawnsOf(id: string): SpawnNode[] {
    return this.out(id, 'spawns').map((to) => this.#nodes.get(to)).filter((node): node is SpawnNode => node?.kind === 'spawn');
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function push(map: Map<EdgeKind, Map<string, string[]>>, kind: EdgeKind, key: string, value: string): void {
  let byNode = map.get(kind);
  if (!byNode) map.set(kind, (byNode = new Map<string, string[]>()));
  const list = byNode.get(key);
  if (list) list.push(value);
  else byNode.set(key, [value]);
}

/** A chain step for a node: its place, its label, its id. */
export function stepOf(node: GraphNode): ChainStep {
  return { file: node.file, line: node.line, column: node.column, label: node.label, node: node.id };
}

/** The graph's edges of one kind, for tests and reporters that draw one relation. */
export function edgesOfKind(graph: GraphData, kind: EdgeKind): GraphEdge[] {
  return graph.edges.filter((edge) => edge.kind === kind);
}
