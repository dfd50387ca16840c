import type { Finding, RuleId, Summary } from '../graph/types.js';
import { byText, type GraphView } from './graph-view.js';
import { codeSpans, escapeHtml } from './html-escape.js';
import { RULE_DOCS, ruleHelpUri } from './rule-docs.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const place = (at: { file: string; line: number; column: number }): string => `${at.file}:${at.line}:${at.column}`;

/** The summary cards and the per-rule and per-severity counts. */
export function summaryHtml(summary: Summary, findings: readonly Finding[]): string {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const card = (id: string, value: number, label: string, note = '', hot = false): string =>
    `<div class="card${hot ? ' hot' : ''}"><b id="count-${id}">${value}</b><span>${label}</span>${note && `<small>${note}</small>`}</div>`;
  const byRule = new Map<RuleId, number>();
  for (const finding of findings) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  const most = Math.max(1, ...byRule.values());
  const bars = [...byRule]
    .sort(([a, m], [b, n]) => n - m || byText(a, b))
    .map(([rule, n]) => `<li><span class="rule">${rule}</span><span class="bar" style="width:${Math.round((100 * n) / most)}%"></span><b>${n}</b></li>`);
  return [
    '<section class="summary" aria-label="Summary">',
    card('findings', findings.length, 'findings', `<span class="error">${plural(errors, 'error')}</span> · <span class="warning">${plural(findings.length - errors, 'warning')}</span>`, findings.length > 0),
    card('files', summary.files, 'files'),
    card('functions', summary.functions, 'async functions'),
    card('spawns', summary.spawns, 'spawns', `${summary.floating} floating`, summary.floating > 0),
    card('fanouts', summary.fanOuts, 'fan-outs', `${summary.unboundedFanOuts} unbounded`, summary.unboundedFanOuts > 0),
    card('groups', summary.groups, 'ErrGroups'),
    card('semaphores', summary.semaphores, 'Semaphores'),
    card('signals', summary.signals, 'AbortSignals'),
    '</section>',
    bars.length > 0 ? `<ul class="by-rule" aria-label="Findings by rule">${bars.join('')}</ul>` : '',
  ].join('\n');
}

function excerpt(finding: Finding, source: string | undefined, context: number): string {
  if (source === undefined) return '';
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, finding.line - context);
  const last = Math.min(lines.length, finding.line + context);
  const rows: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? '';
    if (n !== finding.line) {
      rows.push(`<span class="ln">${n}</span>${escapeHtml(text)}`);
      continue;
    }
    const end = finding.endLine === n && finding.endColumn !== undefined ? finding.endColumn - 1 : text.length;
    const start = Math.min(finding.column - 1, text.length);
    const marked = `${escapeHtml(text.slice(0, start))}<mark>${escapeHtml(text.slice(start, Math.max(end, start + 1)))}</mark>${escapeHtml(text.slice(Math.max(end, start + 1)))}`;
    rows.push(`<span class="ln">${n}</span><span class="hit">${marked}</span>`);
  }
  return rows.length > 0 ? `<pre class="excerpt">${rows.join('\n')}</pre>` : '';
}

function card(finding: Finding, view: GraphView, sources: Readonly<Record<string, string>>, context: number): string {
  const chain = finding.chain.map((step) => {
    const label = escapeHtml(step.label);
    const target = step.node !== undefined && view.byId.has(step.node) ? `<button type="button" data-node="${escapeHtml(step.node)}">${label}</button>` : `<span>${label}</span>`;
    return `<li>${target} <small>${escapeHtml(place(step))}</small></li>`;
  });
  return [
    `<li class="finding sev-${finding.severity}">`,
    `<div class="head"><span class="badge ${finding.severity}">${finding.severity}</span> <span class="loc">${escapeHtml(place(finding))}</span>`,
    ` <a class="rule" href="${ruleHelpUri(finding.ruleId)}" rel="noreferrer">${finding.ruleId}</a>${finding.origin === 'graph' ? ' <span class="origin">whole program</span>' : ''}</div>`,
    `<p class="msg">${codeSpans(finding.message)}</p>`,
    chain.length > 1 ? `<ol class="chain">${chain.join('')}</ol>` : '',
    excerpt(finding, sources[finding.file], context),
    '</li>',
  ].join('');
}

/** The findings twice, grouped by rule and grouped by file; the page's toggle shows one grouping at a time. */
export function findingsHtml(view: GraphView, sources: Readonly<Record<string, string>>, context: number): string {
  if (view.findings.length === 0) return '<p class="none">No findings: every task has an owner, a bound and its signal.</p>';
  const group = (key: (finding: Finding) => string, heading: (key: string, list: Finding[]) => string): string => {
    const groups = new Map<string, Finding[]>();
    for (const finding of view.findings) {
      const list = groups.get(key(finding));
      if (list) list.push(finding);
      else groups.set(key(finding), [finding]);
    }
    return [...groups]
      .sort(([a], [b]) => byText(a, b))
      .map(([name, list]) => `<details class="group" open><summary>${heading(name, list)} <span class="count">${list.length}</span></summary><ol class="findings">${list.map((finding) => card(finding, view, sources, context)).join('\n')}</ol></details>`)
      .join('\n');
  };
  const byRule = group(
    (finding) => finding.ruleId,
    (rule) => `<span class="rule">${rule}</span> <small>${escapeHtml(RULE_DOCS[rule as RuleId].short)}</small>`,
  );
  const byFile = group((finding) => finding.file, (file) => `<span class="file">${escapeHtml(file)}</span>`);
  return `<div data-grouping="rule">${byRule}</div>\n<div data-grouping="file" hidden>${byFile}</div>`;
}
