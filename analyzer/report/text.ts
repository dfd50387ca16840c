import type { Finding, Summary, TaskGraph } from '../graph/types.js';
import { byText, graphView } from './graph-view.js';

/** Options of {@link renderText}. */
export interface TextReportOptions {
  /**
   * Colour the rule ids by severity and dim the summary with ANSI escapes, for a terminal. The CLI asks for it when
   * stdout is a TTY; golden files and pipes never get it.
   * @default false
   */
  readonly color?: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The default output of `taskscope analyze`: one line per finding, `file:line:col  rule  message` (columns padded so
 * rules line up), a blank line, then the counts by severity and by rule, and what the graph holds.
 *
 * @example renderText(graph).split('\n')[0] // 'src/audit.ts:7:3  no-floating-task  Promise from `saveAudit(...)` …'
 */
export function renderText(graph: TaskGraph, options: TextReportOptions = {}): string {
  const paint = (code: string, text: string): string => (options.color === true ? `\u001b[${code}m${text}\u001b[0m` : text);
  const { findings } = graphView(graph);
  const place = (finding: Finding): string => `${finding.file}:${finding.line}:${finding.column}`;
  const placeWidth = Math.max(0, ...findings.map((finding) => place(finding).length));
  const ruleWidth = Math.max(0, ...findings.map((finding) => finding.ruleId.length));
  const lines = findings.map((finding) => {
    const rule = paint(finding.severity === 'error' ? '31' : '33', finding.ruleId.padEnd(ruleWidth));
    return `${place(finding).padEnd(placeWidth)}  ${rule}  ${finding.message}`;
  });
  if (lines.length > 0) lines.push('');
  lines.push(...summaryLines(findings, graph.summary, paint));
  return `${lines.join('\n')}\n`;
}

function summaryLines(findings: readonly Finding[], summary: Summary, paint: (code: string, text: string) => string): string[] {
  const count = (severity: Finding['severity']): number => findings.filter((finding) => finding.severity === severity).length;
  const files = new Set(findings.map((finding) => finding.file)).size;
  const head =
    findings.length === 0
      ? 'No findings.'
      : `${plural(findings.length, 'finding')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}) in ${plural(files, 'file')}`;
  const byRule = new Map<string, number>();
  for (const finding of findings) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  const ruleWidth = Math.max(0, ...[...byRule.keys()].map((rule) => rule.length));
  const rules = [...byRule].sort(([a], [b]) => byText(a, b)).map(([rule, n]) => `  ${rule.padEnd(ruleWidth)}  ${n}`);
  const graph =
    `Task graph: ${plural(summary.files, 'file')}, ${plural(summary.functions, 'async function')}, ` +
    `${plural(summary.spawns, 'spawn')} (${summary.floating} floating), ${plural(summary.fanOuts, 'fan-out')} (${summary.unboundedFanOuts} unbounded), ` +
    `${plural(summary.groups, 'ErrGroup')}, ${plural(summary.semaphores, 'Semaphore')}, ${plural(summary.signals, 'signal')}.`;
  return [head, ...rules, paint('2', graph)];
}
