import type { TaskGraph } from '../graph/types.js';
import { renderDot } from './dot.js';
import { renderHtml, type HtmlReportOptions } from './html.js';
import { renderJson, type JsonReportOptions } from './json.js';
import { renderMermaid, type MermaidReportOptions } from './mermaid.js';
import { renderSarif, type SarifReportOptions } from './sarif.js';
import { renderText, type TextReportOptions } from './text.js';

export { renderDot } from './dot.js';
export { renderHtml, type HtmlReportOptions } from './html.js';
export { renderJson, type JsonReportOptions } from './json.js';
export { mermaidDiagrams, renderMermaid, type MermaidDiagram, type MermaidReportOptions } from './mermaid.js';
export { renderSarif, type SarifReportOptions } from './sarif.js';
export { renderText, type TextReportOptions } from './text.js';
export { RULE_DOCS, ruleHelpUri, type RuleDoc } from './rule-docs.js';

/** Every report format, in the order the CLI's help lists them. */
export const formats = ['text', 'json', 'sarif', 'html', 'mermaid', 'dot'] as const;

export type ReportFormat = (typeof formats)[number];

/** The options of every format in one object; each reporter reads only its own. */
export type ReportOptions = TextReportOptions & JsonReportOptions & SarifReportOptions & HtmlReportOptions & MermaidReportOptions;

/** The file extension a format's output is written with (`mermaid` is Markdown with fenced diagrams). */
export const extensions: Readonly<Record<ReportFormat, string>> = { text: 'txt', json: 'json', sarif: 'sarif', html: 'html', mermaid: 'md', dot: 'dot' };

/**
 * Renders a task graph in one format. Every reporter is a pure function of the graph and its options: no clock, no
 * file system, no environment, so the same graph gives the same bytes. Computing the graph once and calling this for
 * each wanted format is how the CLI writes several reports in one run.
 *
 * @example renderReport(graph, 'sarif', { toolVersion: '0.1.0' })
 */
export function renderReport(graph: TaskGraph, format: ReportFormat, options: ReportOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(graph, options);
    case 'json':
      return renderJson(graph, options);
    case 'sarif':
      return renderSarif(graph, options);
    case 'html':
      return renderHtml(graph, options);
    case 'mermaid':
      return renderMermaid(graph, options);
    case 'dot':
      return renderDot(graph);
  }
}
