import type { GraphEdge, GraphNode } from '../graph/types.js';
import { edgeCaption, highlights, nodeCaption, type GraphView } from './graph-view.js';
import { escapeHtml } from './html-escape.js';
import { layoutLayers } from './layout.js';

const CHAR = 7.4;
const HEIGHT = 40;
const MAX_OPEN = 12;
const TOOLS = '<span class="tools"><button type="button" data-zoom="in" title="Zoom in">+</button><button type="button" data-zoom="out" title="Zoom out">−</button><button type="button" data-zoom="reset" title="Fit">fit</button></span>';

/** The line above a node's label: its kind and what matters about it. */
function subtitle(node: GraphNode): string {
  switch (node.kind) {
    case 'function':
      return [node.async ? 'async function' : 'function', node.exported && 'exported', node.hasSignal && 'has signal'].filter(Boolean).join(' · ');
    case 'spawn':
      return [`spawn (${node.via})`, node.owned ?? 'FLOATING', node.signal === 'missing' && 'no signal'].filter(Boolean).join(' · ');
    case 'fanout':
      return node.multiplicity.kind === 'unbounded' ? 'fan-out · UNBOUNDED' : 'fan-out';
    case 'group':
      return node.limited ? 'ErrGroup' : 'ErrGroup · no limit';
    case 'semaphore':
      return 'Semaphore';
    case 'signal':
      return `signal (${node.source})`;
  }
}

// An ownership edge back to the function that spawned the task repeats its `spawns` edge; the node's subtitle says
// how it is owned instead, which halves the arrows in a typical picture.
const drawn = (edge: GraphEdge, view: GraphView): boolean => {
  const from = view.byId.get(edge.from);
  return !(edge.kind === 'owned-by' && from?.kind === 'spawn' && from.parent === edge.to);
};

/** Appends one module's picture to `out`. */
function moduleSvg(file: string, view: GraphView, sectionOf: ReadonlyMap<string, string>, out: string[]): void {
  const edges = (view.edgesByFile.get(file) ?? []).filter((edge) => drawn(edge, view));
  const own = view.nodesByFile.get(file) ?? [];
  const others = new Map<string, GraphNode>();
  for (const edge of edges) {
    for (const id of [edge.from, edge.to]) {
      const node = view.byId.get(id);
      if (node && node.file !== file) others.set(id, node);
    }
  }
  const nodes = [...own, ...others.values()].sort((a, b) => (view.index.get(a.id) ?? 0) - (view.index.get(b.id) ?? 0));
  // Each node's two lines, worked out once for its width and again for its box.
  const lines = nodes.map((node): [string, string] => [nodeCaption(node, 44), node.file === file ? subtitle(node) : `in ${node.file}`]);
  const layout = layoutLayers(
    nodes.map((node, i) => ({ id: node.id, width: Math.round(Math.max(lines[i]![0].length, lines[i]![1].length) * CHAR + 26), height: HEIGHT })),
    edges,
  );
  // Two edges between the same nodes (a Semaphore acquired and released) are drawn as one, with both captions.
  const pairs = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const key = `${edge.from}\n${edge.to}`;
    const same = pairs.get(key);
    if (same) same.push(edge);
    else pairs.set(key, [edge]);
  }
  const { width, height } = layout;
  out.push(
    `<svg viewBox="0 0 ${width} ${height}" data-width="${width}" data-height="${height}" style="height:${Math.min(height, 640)}px" role="img" aria-label="Task graph of ${escapeHtml(file)}">`,
    '<g class="edges">',
  );
  for (const same of pairs.values()) {
    const edge = same[0] as GraphEdge;
    const a = layout.boxes.get(edge.from);
    const b = layout.boxes.get(edge.to);
    if (!a || !b) continue;
    const [x1, y1, x2, y2] = [a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2];
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    const caption = same.map((each) => edgeCaption(each, view)).filter(Boolean).join(' · ');
    const label = caption && `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}">${escapeHtml(caption)}</text>`;
    const hot = caption === '×∞' ? ' hot' : '';
    out.push(`<g class="edge ${edge.kind}${hot}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}"><path d="M${x1} ${y1}C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}" marker-end="url(#arrow)"/>${label}</g>`);
  }
  out.push('</g><g class="nodes">');
  nodes.forEach((node, i) => {
    const box = layout.boxes.get(node.id);
    if (!box) return;
    const external = node.file !== file;
    const classes = external ? `node ${node.kind} external` : [`node ${node.kind}`, ...highlights(node, view)].join(' ');
    const count = view.findingsAt.get(node.id)?.length ?? 0;
    const badge = count > 0 && !external ? `<circle cx="${box.width}" cy="0" r="9"/><text class="badge" x="${box.width}" y="4">${count}</text>` : '';
    const [label, sub] = lines[i]!;
    out.push(
      `<g class="${classes}" data-node="${escapeHtml(node.id)}" data-section="${sectionOf.get(node.file) ?? ''}" transform="translate(${box.x} ${box.y})" tabindex="0" role="button">` +
        `<title>${escapeHtml(node.label)}</title><rect width="${box.width}" height="${box.height}" rx="${node.kind === 'function' ? 6 : 14}"/>` +
        `<text class="sub" x="12" y="15">${escapeHtml(sub)}</text><text x="12" y="31">${escapeHtml(label)}</text>${badge}</g>`,
    );
  });
  out.push('</g></svg>');
}

/**
 * The task graph, one collapsible picture per module (modules with something to look at come open), appended to `out`
 * one module at a time: the page joins the pieces once. A module's own pieces are joined first, so they die young;
 * rejected: every piece of every module in the page's array, which kept tens of thousands of strings (each a chain
 * of smaller ones) alive to the end: the HTML report of a 2,000-file project took 1.0 s instead of 0.75 s.
 */
export function graphHtml(view: GraphView, out: string[]): void {
  const files = [...view.nodesByFile.keys()];
  if (files.length === 0) {
    out.push('<p class="none">No async work found: the task graph is empty.</p>');
    return;
  }
  const sectionOf = new Map(files.map((file, index) => [file, `module-${index}`]));
  files.forEach((file, index) => {
    const own = view.nodesByFile.get(file) ?? [];
    const marked = own.filter((node) => highlights(node, view).length > 0).length;
    const open = files.length <= MAX_OPEN || marked > 0 ? ' open' : '';
    const note = `${own.length} nodes${marked > 0 ? ` · <span class="error">${marked} highlighted</span>` : ''}`;
    out.push(`${index === 0 ? '' : '\n'}<details class="module" id="${sectionOf.get(file)}"${open}><summary><span class="file">${escapeHtml(file)}</span> <small>${note}</small>${TOOLS}</summary><div class="viewport">`);
    const svg: string[] = [];
    moduleSvg(file, view, sectionOf, svg);
    out.push(svg.join(''), '</div></details>');
  });
}
