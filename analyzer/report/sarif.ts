import { createHash } from 'node:crypto';
import type { ChainStep, Finding, Location, RuleId, TaskGraph } from '../graph/types.js';
import { graphView } from './graph-view.js';
import { RULE_DOCS, ruleHelpUri } from './rule-docs.js';

/** Options of {@link renderSarif}. */
export interface SarifReportOptions {
  /** `tool.driver.version`: the taskscope version that ran. @default '0.0.0' */
  readonly toolVersion?: string;
  /**
   * The code-scanning category (`runs[0].automationDetails.id` is `<category>/`); two uploads of one commit with
   * different categories do not replace each other.
   * @default 'taskscope'
   */
  readonly category?: string;
  /** Leave out `originalUriBaseIds` (the absolute root), e.g. for a golden file. @default true */
  readonly includeRoot?: boolean;
}

const RULE_IDS = Object.keys(RULE_DOCS) as RuleId[];
const uri = (file: string): string => file.split('/').map(encodeURIComponent).join('/');
// `/home/me/x` → `file:///home/me/x/`, `C:/x` → `file:///C:/x/` (a drive letter's colon stays).
const rootUri = (root: string): string => `file://${uri(root.replace(/\/+$/, '').replace(/^(?!\/)/, '/')).replace(/^\/([A-Za-z])%3A/, '/$1:')}/`;

function physical(location: Location, end?: { endLine?: number; endColumn?: number }): object {
  const region = { startLine: location.line, startColumn: location.column, endLine: end?.endLine, endColumn: end?.endColumn };
  return { artifactLocation: { uri: uri(location.file), uriBaseId: '%SRCROOT%' }, region };
}

// A message's `[text](n)` is an embedded link in SARIF; escape brackets so source text like `a[i](x)` stays text.
const text = (message: string): string => message.replace(/[[\]]/g, (bracket) => `\\${bracket}`);

/**
 * A fingerprint that survives moving code: the rule, the file, the message with any line numbers taken out, and the
 * chain's labels, hashed; `:n` counts identical findings in one file. Rejected: the line (GitHub's own default), which
 * reopens every alert below an inserted line.
 */
function fingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const message = finding.message.replace(/\bline \d+/g, 'line');
    const key = [finding.ruleId, finding.file, message, ...finding.chain.map((step: ChainStep) => step.label)].join('\n');
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

/**
 * The findings as SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one run, a rule
 * descriptor for each of the six rule ids (with full description, help and a link to `docs/rules/<id>.md`), and a
 * result per finding with its place, its explaining chain as related locations and as a code flow, and a
 * line-independent fingerprint. Passes the SARIF Multitool's `validate` with both `--rule-kind Sarif` and `Gh`.
 *
 * @example JSON.parse(renderSarif(graph)).runs[0].results[0].ruleId // 'no-floating-task'
 */
export function renderSarif(graph: TaskGraph, options: SarifReportOptions = {}): string {
  const { findings } = graphView(graph);
  const rules = RULE_IDS.map((id) => {
    const doc = RULE_DOCS[id];
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase()),
      shortDescription: { text: doc.short },
      fullDescription: { text: doc.full },
      help: { text: doc.help.replace(/`/g, ''), markdown: `${doc.help}\n\n[Documentation](${ruleHelpUri(id)})` },
      helpUri: ruleHelpUri(id),
      defaultConfiguration: { level: doc.level },
      properties: { tags: doc.tags, precision: doc.precision },
    };
  });
  const prints = fingerprints(findings);
  const results = findings.map((finding, index) => ({
    ruleId: finding.ruleId,
    ruleIndex: RULE_IDS.indexOf(finding.ruleId),
    level: finding.severity,
    message: { text: text(finding.message) },
    locations: [{ physicalLocation: physical(finding, finding) }],
    partialFingerprints: { 'taskscope/v1': prints[index] },
    ...(finding.chain.length > 1 && {
      relatedLocations: finding.chain.map((step, id) => ({ id: id + 1, physicalLocation: physical(step), message: { text: text(step.label) } })),
      codeFlows: [
        {
          message: { text: `How ${finding.chain[0]?.label ?? ''} leads here.` },
          threadFlows: [{ locations: finding.chain.map((step) => ({ location: { physicalLocation: physical(step), message: { text: text(step.label) } } })) }],
        },
      ],
    }),
  }));
  const run = {
    tool: { driver: { name: 'taskscope', informationUri: 'https://github.com/taskscope/taskscope', version: options.toolVersion ?? '0.0.0', rules } },
    automationDetails: { id: `${options.category ?? 'taskscope'}/` },
    ...(options.includeRoot !== false && { originalUriBaseIds: { '%SRCROOT%': { uri: rootUri(graph.root) } } }),
    columnKind: 'utf16CodeUnits',
    results,
  };
  const log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}
