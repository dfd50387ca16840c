import type { EdgeKind, NodeKind, TaskGraph } from '../graph/types.js';
import { edgeCaption, graphView, highlights, nodeCaption } from './graph-view.js';

const SHAPES: Record<NodeKind, string> = {
  function: 'shape=box, style="rounded,filled"', spawn: 'shape=box, style="rounded,dashed,filled"', fanout: 'shape=hexagon',
  group: 'shape=component', semaphore: 'shape=cylinder', signal: 'shape=cds',
};
const EDGES: Record<EdgeKind, string> = {
  calls: '', spawns: '', 'owned-by': 'style=dashed, color="#57606a"', 'signal-flow': 'style=dashed, color="#0969da"',
  acquires: 'color="#8250df"', releases: 'color="#8250df"', uses: 'style=dotted',
};
const HIGHLIGHTS = {
  finding: 'fillcolor="#fff8c5", color="#9a6700", penwidth=2',
  floating: 'fillcolor="#ffebe9", color="#cf222e", penwidth=2',
  unbounded: 'fillcolor="#ffebe9", color="#cf222e", penwidth=3',
};

// A DOT quoted string: `"` and `\` are escaped, and a backslash can then never start one of Graphviz's label escapes
// (`\n`, `\l`, `\N`); line breaks become spaces. Most ids and labels need none of it, and a test is cheaper than three
// replaces on each of the ~100,000 strings of a large project's graph.
const SPECIAL = /["\\]|(?! )\s|\s\s/;
const quote = (text: string): string => (!SPECIAL.test(text) ? `"${text}"` : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\s+/g, ' ')}"`);

/**
 * The task graph as a Graphviz `digraph`, left to right, one cluster per module. Node shapes tell kinds apart (a box
 * for a function, a dashed box for a spawn, a hexagon for a fan-out, a cylinder for a Semaphore); fan-out edges carry
 * their multiplicity; floating spawns, unbounded fan-outs and nodes with findings are filled red or yellow. Graphviz
 * has no size limit to split for, unlike Mermaid.
 *
 * @example renderDot(graph) // 'digraph taskscope {\n  rankdir=LR;\n …'
 */
export function renderDot(graph: TaskGraph): string {
  const view = graphView(graph);
  const lines = [
    'digraph taskscope {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11, style=filled, fillcolor="#ffffff"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  view.files.forEach((file, index) => {
    const nodes = view.nodesByFile.get(file);
    if (!nodes) return;
    lines.push(`  subgraph cluster_${index} {`, `    label=${quote(file)};`, '    style="rounded"; color="#d0d7de";');
    for (const node of nodes) {
      const marks = highlights(node, view);
      // Red (floating, unbounded) wins over yellow (has findings): `highlights` lists it first.
      const fill = marks[0] === undefined ? '' : `, ${HIGHLIGHTS[marks[0]]}`;
      lines.push(`    ${quote(node.id)} [label=${quote(nodeCaption(node))}, ${SHAPES[node.kind]}${fill}];`);
    }
    lines.push('  }');
  });
  for (const edge of view.edges) {
    const caption = edgeCaption(edge, view);
    const attributes = [caption && `label=${quote(caption)}`, EDGES[edge.kind], caption === '×∞' && 'color="#cf222e", penwidth=2'].filter(Boolean);
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
