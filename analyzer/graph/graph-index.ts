import type { ChainStep, EdgeKind, FunctionNode, GraphEdge, GraphNode, SpawnNode, TaskGraph } from './types.js';

/** What the graph analyses read: the nodes and edges, nothing from the compiler. */
export type GraphData = Pick<TaskGraph, 'nodes' | 'edges'>;

/**
 * Lookups over a graph's data for the `find-*` analyses: nodes by id, outgoing and incoming edges by kind, and the
 * spawns and fan-outs of each function. Neighbours come back sorted by id, so every search visits them in one order
 * and reports the same chain on every run.
 */
export class GraphIndex {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #out = new Map<string, string[]>();
  readonly #in = new Map<string, string[]>();

  constructor(graph: GraphData) {
    for (const node of graph.nodes) this.#nodes.set(node.id, node);
    const sorted = [...graph.edges].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    for (const edge of sorted) {
      push(this.#out, `${edge.kind}\n${edge.from}`, edge.to);
      push(this.#in, `${edge.kind}\n${edge.to}`, edge.from);
    }
  }

  node(id: string): GraphNode | undefined {
    return this.#nodes.get(id);
  }

  get nodes(): IterableIterator<GraphNode> {
    return this.#nodes.values();
  }

  /** The ids an edge of this kind leads to from `id`. */
  out(id: string, kind: EdgeKind): readonly string[] {
    return this.#out.get(`${kind}\n${id}`) ?? [];
  }

  /** The ids an edge of this kind comes from into `id`. */
  in(id: string, kind: EdgeKind): readonly string[] {
    return this.#in.get(`${kind}\n${id}`) ?? [];
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

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A chain step for a node: its place, its label, its id. */
export function stepOf(node: GraphNode): ChainStep {
  return { file: node.file, line: node.line, column: node.column, label: node.label, node: node.id };
}

/** The graph's edges of one kind, for tests and reporters that draw one relation. */
export function edgesOfKind(graph: GraphData, kind: EdgeKind): GraphEdge[] {
  return graph.edges.filter((edge) => edge.kind === kind);
}
