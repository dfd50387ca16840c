import { createHash } from 'node:crypto';
import type { GraphNode, TaskGraph } from '../graph/types.js';
import { edgeCaption, graphView, multiplicityText, type GraphView } from './graph-view.js';
import { CSS, SCRIPT } from './html-assets.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { findingsHtml, summaryHtml } from './html-findings.js';
import { graphHtml } from './html-graph.js';

/** Options of {@link renderHtml}. */
export interface HtmlReportOptions {
  /**
   * File contents by relative path (the graph holds none); each finding then shows its lines with `context` lines
   * around. The CLI passes the files it read.
   * @default {} (no excerpts)
   */
  readonly sources?: Readonly<Record<string, string>>;
  /** Lines shown above and below a finding's line. @default 2 */
  readonly context?: number;
  /** Shown in the header and the tab title. @default the root's last folder name */
  readonly title?: string;
}

// What the details panel shows about a node beyond its kind, label and place.
function facts(node: GraphNode, view: GraphView): [string, string][] {
  const name = (id: string | undefined): string | undefined => {
    const other = id === undefined ? undefined : view.byId.get(id);
    return other ? `${other.label} (${other.file}:${other.line})` : id;
  };
  const list: [string, unknown][] = (() => {
    switch (node.kind) {
      case 'function':
        return [['async', node.async], ['exported', node.exported], ['signal in scope', node.hasSignal]];
      case 'spawn':
        return [['via', node.via], ['owned', node.owned ?? 'nobody (floating)'], ['signal', node.signal], ['callee', name(node.callee)]];
      case 'fanout':
        return [['multiplicity', multiplicityText(node.multiplicity)], [node.over === 'passes' ? 'loop condition' : 'input', node.input]];
      case 'group':
        return [['limit', node.limited ? node.limit ?? 'not constant' : 'none']];
      case 'semaphore':
        return [['capacity', node.capacity]];
      case 'signal':
        return [['source', node.source]];
    }
  })();
  const all: [string, unknown][] = [...list, ['inside', 'parent' in node ? name(node.parent) : undefined]];
  return all.filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]);
}

function data(view: GraphView): unknown {
  const sections = new Map([...view.nodesByFile.keys()].map((file, index) => [file, `module-${index}`]));
  return {
    nodes: view.nodes.map((node) => ({ id: node.id, kind: node.kind, label: node.label, place: `${node.file}:${node.line}:${node.column}`, section: sections.get(node.file), facts: facts(node, view) })),
    edges: view.edges.map((edge) => [edge.from, edge.to, [edge.kind, edgeCaption(edge, view)].filter(Boolean).join(' ')]),
    findings: Object.fromEntries([...view.findingsAt].map(([id, list]) => [id, list.map((finding) => [finding.ruleId, finding.severity, finding.message])])),
  };
}

const LEGEND =
  '<div class="legend"><span><i style="border-color:#818b98"></i>async function</span><span><i style="border-color:#818b98;border-style:dashed"></i>spawn</span>' +
  '<span><i style="border-color:#0969da;background:#ddf4ff"></i>fan-out</span><span><i style="border-color:#8250df;background:#fbefff"></i>ErrGroup / Semaphore</span>' +
  '<span><i style="border-color:#1a7f37;background:#dafbe1"></i>signal</span><span><i style="border-color:#cf222e;background:#ffebe9"></i>floating spawn / unbounded fan-out</span>' +
  '<span><i style="border-color:#9a6700;background:#fff8c5"></i>has findings</span><span>Click a node for details · drag to pan · Ctrl+wheel to zoom</span></div>';

/**
 * The report a person opens: one self-contained HTML file (inline CSS and script, no fonts, images or requests; a
 * Content-Security-Policy allows nothing else) with a summary, the findings grouped by rule or by file with their
 * chains and source excerpts, and the task graph drawn per module as a layered picture you can pan, zoom and click.
 * Every string from the project is escaped, and the embedded JSON cannot close its script element.
 *
 * @example renderHtml(graph, { sources: { 'src/a.ts': text } }).startsWith('<!doctype html>') // true
 */
export function renderHtml(graph: TaskGraph, options: HtmlReportOptions = {}): string {
  const view = graphView(graph);
  const title = options.title ?? graph.root.split('/').filter(Boolean).pop() ?? 'project';
  const hash = createHash('sha256').update(SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  // The drawing goes into the page's array a module at a time and the page is joined once. Rejected: the drawing as one
  // string placed in a template, one more copy of most of a page that is tens of megabytes on a large project.
  const page = [
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · taskscope report</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)} <span>· taskscope task graph</span></h1><p>${escapeHtml(graph.root)}</p></header>
<main>
${summaryHtml(graph.summary, view.findings)}
<h2>Findings <span class="toggle" role="group" aria-label="Group findings"><button type="button" data-group-by="rule" aria-pressed="true">By rule</button><button type="button" data-group-by="file" aria-pressed="false">By file</button></span></h2>
${findingsHtml(view, options.sources ?? {}, options.context ?? 2)}
<h2>Task graph <span class="toggle"><button type="button" data-modules="open">Expand all</button><button type="button" data-modules="closed">Collapse all</button></span></h2>
${LEGEND}
`,
  ];
  graphHtml(view, page);
  page.push(`
</main>
<aside id="details" hidden aria-live="polite"></aside>
<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#8c959f"/></marker></defs></svg>
<script type="application/json" id="taskscope-data">${jsonForScript(data(view))}</script>
<script>${SCRIPT}</script>
</body>
</html>
`);
  return page.join('');
}
