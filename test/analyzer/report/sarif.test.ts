import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Finding, TaskGraph } from '../../../analyzer/graph/types.js';
import { RULE_DOCS, renderSarif } from '../../../analyzer/report/index.js';
import { rich } from '../../../fixtures/reports/graphs/rich.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[];
  partialFingerprints: Record<string, string>;
  codeFlows?: { threadFlows: { locations: unknown[] }[] }[];
  relatedLocations?: unknown[];
}
interface SarifLog {
  runs: { tool: { driver: { rules: { id: string }[] } }; results: SarifResult[]; originalUriBaseIds?: Record<string, { uri: string }> }[];
}

const parse = (text: string): SarifLog => JSON.parse(text) as SarifLog;
const results = (graph: TaskGraph): SarifResult[] => parse(renderSarif(graph)).runs[0]!.results;
const moved = (graph: TaskGraph, by: number): TaskGraph => ({
  ...graph,
  findings: graph.findings.map((finding): Finding => ({
    ...finding,
    line: finding.line + by,
    ...(finding.endLine !== undefined && { endLine: finding.endLine + by }),
    message: finding.message.replace(/line (\d+)/, (_match, n: string) => `line ${Number(n) + by}`),
    chain: finding.chain.map((step) => ({ ...step, line: step.line + by })),
  })),
});

describe('renderSarif', () => {
  it('describes all six rules and points each result at its rule by index', () => {
    const log = parse(renderSarif(rich));
    const rules = log.runs[0]!.tool.driver.rules.map((rule) => rule.id);
    expect(rules.sort()).toEqual(Object.keys(RULE_DOCS).sort());
    for (const result of log.runs[0]!.results) expect(log.runs[0]!.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it('keeps fingerprints when the code moves down the file', () => {
    expect(results(moved(rich, 40)).map((result) => result.partialFingerprints)).toEqual(results(rich).map((result) => result.partialFingerprints));
    expect(results(moved(rich, 40))[0]!.locations[0]!.physicalLocation.region['startLine']).toBe(rich.findings[0]!.line + 40);
  });

  it('gives identical findings in one file distinct fingerprints', () => {
    const finding = rich.findings[5]!;
    const twice: TaskGraph = { ...rich, findings: [finding, { ...finding, line: finding.line + 3 }] };
    const prints = results(twice).map((result) => result.partialFingerprints['taskscope/v1']);
    expect(new Set(prints).size).toBe(2);
    expect(prints[0]!.slice(0, -2)).toBe(prints[1]!.slice(0, -2));
  });

  it('gives findings of different rules or files different fingerprints', () => {
    const prints = results(rich).map((result) => result.partialFingerprints['taskscope/v1']);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('turns the explaining chain into related locations and a code flow', () => {
    const signal = results(rich).find((result) => result.ruleId === 'propagate-abort-signal')!;
    expect(signal.relatedLocations).toHaveLength(4);
    expect(signal.codeFlows?.[0]?.threadFlows[0]?.locations).toHaveLength(4);
    expect(signal.level).toBe('warning');
    expect(signal.locations[0]!.physicalLocation.region).toEqual({ startLine: 8, startColumn: 28, endLine: 8, endColumn: 38 });
  });

  it('escapes brackets so source text is never read as an embedded link', () => {
    const finding: Finding = { ...rich.findings[6]!, message: 'Result of `list[i](x)` is ignored.' };
    expect(results({ ...rich, findings: [finding] })[0]!.message.text).toBe('Result of `list\\[i\\](x)` is ignored.');
  });

  it('percent-encodes paths and roots into URIs', () => {
    const finding: Finding = { ...rich.findings[6]!, file: 'src/a b#1.ts', chain: [] };
    const log = parse(renderSarif({ ...rich, root: 'C:/work/my app', findings: [finding] }));
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/a%20b%231.ts');
    expect(log.runs[0]!.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe('file:///C:/work/my%20app/');
    expect(parse(renderSarif(rich, { includeRoot: false })).runs[0]!.originalUriBaseIds).toBeUndefined();
  });

  // The SARIF Multitool takes about 4 s per run: one rich report, both rule sets.
  it('passes the SARIF Multitool with the GitHub and the SARIF rule sets', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'taskscope-sarif-'));
    try {
      writeFileSync(join(folder, 'report.sarif'), renderSarif(rich, { toolVersion: '0.1.0' }));
      for (const kind of ['Gh', 'Sarif']) {
        const out = join(folder, `${kind}.sarif`);
        await promisify(execFile)('npx', ['sarif-multitool', 'validate', join(folder, 'report.sarif'), '-o', out, '--rule-kind', kind]);
        const found = (JSON.parse(readFileSync(out, 'utf8')) as { runs: { results: { level?: string; ruleId: string; message: unknown }[] }[] }).runs[0]!.results;
        expect(found.filter((result) => result.level === 'error')).toEqual([]);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
