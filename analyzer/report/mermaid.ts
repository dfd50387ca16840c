import type { EdgeKind, GraphEdge, GraphNode, NodeKind, TaskGraph } from '../graph/types.js';
import { edgeCaption, graphView, highlights, nodeCaption, type GraphView } from './graph-view.js';

/** Options of {@link renderMermaid} and {@link mermaidDiagrams}. */
export interface MermaidReportOptions {
  /** Mermaid's `maxEdges`: more edges than this in one diagram and it refuses to draw. @default 500 */
  readonly maxEdges?: number;
  /** Mermaid's `maxTextSize`, in characters. @default 50000 */
  readonly maxTextSize?: number;
}

/** One Mermaid diagram: its title (`Task graph`, a module's file, or `<file> (part 2 of 3)`) and its source. */
export interface MermaidDiagram {
  readonly title: string;
  readonly source: string;
}

const SHAPES: Record<NodeKind, [string, string]> = {
  function: ['["', '"]'], spawn: ['(["', '"])'], fanout: ['{{"', '"}}'], group: ['[["', '"]]'], semaphore: ['[("', '")]'], signal: ['>"', '"]'],
};
const ARROWS: Record<EdgeKind, string> = { calls: '-->', spawns: '-->', 'owned-by': '-.->', 'signal-flow': '-.->', acquires: '-->', releases: '-->', uses: '-.->' };
const CLASSES = [
  'classDef finding fill:#fff8c5,stroke:#9a6700,stroke-width:2px',
  'classDef floating fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 3',
  'classDef unbounded fill:#ffebe9,stroke:#cf222e,stroke-width:3px',
  'classDef external fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:2 2,color:#57606a',
];

// Mermaid decodes `#name;` and `#code;` entities in quoted labels; `#` itself goes first so the others stay intact.
// Most labels need none of it (tested first: a report escapes tens of thousands of labels). `\s+` becomes one space,
// so a label is left as it is only when its every blank is a lone space.
const SPECIAL = /[#&"<>`]|(?! )\s|\s\s/;
const escape = (text: string): string =>
  !SPECIAL.test(text) ? text : text.replace(/#/g, '#35;').replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/`/g, '#96;').replace(/\s+/g, ' ');

function diagram(view: GraphView, nodes: readonly GraphNode[], edges: readonly GraphEdge[], home?: string): string {
  const ids = new Map(nodes.map((node) => [node.id, `n${view.index.get(node.id)}`]));
  const lines = ['flowchart LR', ...CLASSES.map((line) => `  ${line}`)];
  const byFile = new Map<string, GraphNode[]>();
  for (const node of nodes) {
    const inFile = byFile.get(node.file);
    if (inFile) inFile.push(node);
    else byFile.set(node.file, [node]);
  }
  [...byFile].forEach(([file, inFile], index) => {
    lines.push(`  subgraph m${index}["${escape(file)}"]`);
    for (const node of inFile) {
      const [open, close] = SHAPES[node.kind];
      lines.push(`    ${ids.get(node.id)}${open}${escape(nodeCaption(node))}${close}`);
    }
    lines.push('  end');
  });
  const hot: number[] = [];
  edges.forEach((edge, index) => {
    const caption = edgeCaption(edge, view);
    lines.push(`  ${ids.get(edge.from)} ${ARROWS[edge.kind]}${caption ? `|"${escape(caption)}"|` : ''} ${ids.get(edge.to)}`);
    if (caption === '×∞') hot.push(index);
  });
  if (hot.length > 0) lines.push(`  linkStyle ${hot.join(',')} stroke:#cf222e,stroke-width:2px`);
  for (const node of nodes) {
    const classes = home !== undefined && node.file !== home ? ['external'] : highlights(node, view);
    for (const name of classes) lines.push(`  class ${ids.get(node.id)} ${name}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The task graph as Mermaid `flowchart LR` sources: one diagram while the graph fits Mermaid's limits, else one per
 * module (its nodes, and the nodes of other modules it has edges with, greyed), and a module too big on its own is
 * cut into parts by its edges. Fan-out edges carry their multiplicity (`×∞`, `×3`, `≤limit 8`); floating spawns,
 * unbounded fan-outs and nodes with findings are highlighted by class.
 *
 * @example mermaidDiagrams(graph).map((diagram) => diagram.title) // ['Task graph']
 */
export function mermaidDiagrams(graph: TaskGraph, options: MermaidReportOptions = {}): MermaidDiagram[] {
  const view = graphView(graph);
  const maxEdges = options.maxEdges ?? 500;
  const fits = (source: string, edges: number): boolean => edges <= maxEdges && source.length <= (options.maxTextSize ?? 50_000);
  // Drawn whole only when it can fit: with more edges than Mermaid allows, the whole graph's source (megabytes on a
  // large project) was built only to be measured and dropped.
  if (view.edges.length <= maxEdges) {
    const whole = diagram(view, view.nodes, view.edges);
    if (fits(whole, view.edges.length)) return [{ title: 'Task graph', source: whole }];
  }
  // Plain loops, not `flatMap`: with one diagram per module, V8's generic flatMap was a third of this report's time.
  const endsOf = (edges: readonly GraphEdge[]): Set<string> => {
    const ends = new Set<string>();
    for (const edge of edges) ends.add(edge.from).add(edge.to);
    return ends;
  };
  return [...view.nodesByFile].flatMap(([file, own]) => {
    const edges = view.edgesByFile.get(file) ?? [];
    const linked = endsOf(edges);
    const isolated = own.filter((node) => !linked.has(node.id));
    for (let parts = 1; ; parts *= 2) {
      const size = Math.ceil(edges.length / parts);
      const slices = Array.from({ length: Math.max(1, Math.ceil(edges.length / Math.max(size, 1))) }, (_, i) => edges.slice(i * size, (i + 1) * size));
      const sources = slices.map((slice, i) => {
        const nodes: GraphNode[] = [];
        for (const id of endsOf(slice)) {
          const node = view.byId.get(id);
          if (node) nodes.push(node);
        }
        if (i === 0) nodes.push(...isolated);
        nodes.sort((a, b) => (view.index.get(a.id) ?? 0) - (view.index.get(b.id) ?? 0));
        return diagram(view, nodes, slice, file);
      });
      if (sources.every((source, i) => fits(source, slices[i]?.length ?? 0)) || size <= 1) {
        return sources.map((source, i) => ({ title: sources.length === 1 ? file : `${file} (part ${i + 1} of ${sources.length})`, source }));
      }
    }
  });
}

/**
 * {@link mermaidDiagrams} as one Markdown document: a fenced `mermaid` block per diagram under a heading, which GitHub
 * renders in place and `mmdc -i report.md` turns into pictures.
 *
 * @example renderMermaid(graph).startsWith('# Task graph\n\n```mermaid\nflowchart LR') // true
 */
export function renderMermaid(graph: TaskGraph, options: MermaidReportOptions = {}): string {
  const diagrams = mermaidDiagrams(graph, options);
  const blocks = diagrams.map((diagram) => `${diagrams.length === 1 ? '#' : '##'} ${diagram.title}\n\n\`\`\`mermaid\n${diagram.source}\`\`\`\n`);
  return (diagrams.length === 1 ? blocks : ['# Task graph, one diagram per module\n', ...blocks]).join('\n');
}
