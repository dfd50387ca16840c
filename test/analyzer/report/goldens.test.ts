import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TaskGraph } from '../../../analyzer/graph/types.js';
import { extensions, formats, renderReport, type ReportOptions } from '../../../analyzer/report/index.js';
import { empty } from '../../../fixtures/reports/graphs/empty.js';
import { rich, richSources } from '../../../fixtures/reports/graphs/rich.js';
import { small, smallSources } from '../../../fixtures/reports/graphs/small.js';

// `UPDATE_GOLDENS=1 npx vitest run test/analyzer/report` rewrites the golden files; review the diff before committing.
const update = process.env['UPDATE_GOLDENS'] === '1';
const folder = (name: string): string => fileURLToPath(new URL(`../../../fixtures/reports/${name}/`, import.meta.url));

const cases: [string, TaskGraph, ReportOptions][] = [
  ['small', small, { sources: smallSources, toolVersion: '0.1.0' }],
  ['rich', rich, { sources: richSources, toolVersion: '0.1.0' }],
  ['empty', empty, { toolVersion: '0.1.0' }],
];

describe('renderReport', () => {
  for (const [name, graph, options] of cases) {
    for (const format of formats) {
      it(`renders the ${name} graph as ${format} exactly as its golden file`, () => {
        const path = `${folder(name)}report.${extensions[format]}`;
        const output = renderReport(graph, format, options);
        if (update || !existsSync(path)) {
          mkdirSync(folder(name), { recursive: true });
          writeFileSync(path, output);
        }
        expect(output).toBe(readFileSync(path, 'utf8'));
      });
    }

    it(`gives the same bytes for the ${name} graph whatever order its arrays come in`, () => {
      const shuffled: TaskGraph = { ...graph, nodes: [...graph.nodes].reverse(), edges: [...graph.edges].reverse(), findings: [...graph.findings].reverse() };
      for (const format of formats) expect(renderReport(shuffled, format, options)).toBe(renderReport(graph, format, options));
    });

    it(`has a hand-written summary that matches the ${name} graph`, () => {
      const count = (kind: string): number => graph.nodes.filter((node) => node.kind === kind).length;
      const byRule: Record<string, number> = {};
      for (const finding of graph.findings) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
      expect(graph.summary).toEqual({
        files: graph.summary.files,
        functions: count('function'),
        spawns: count('spawn'),
        floating: graph.nodes.filter((node) => node.kind === 'spawn' && node.owned === undefined).length,
        fanOuts: count('fanout'),
        unboundedFanOuts: graph.nodes.filter((node) => node.kind === 'fanout' && node.multiplicity.kind === 'unbounded').length,
        groups: count('group'),
        semaphores: count('semaphore'),
        signals: count('signal'),
        findings: {
          error: graph.findings.filter((finding) => finding.severity === 'error').length,
          warning: graph.findings.filter((finding) => finding.severity === 'warning').length,
        },
        byRule,
      });
      const ids = new Set(graph.nodes.map((node) => node.id));
      for (const edge of graph.edges) expect([ids.has(edge.from), ids.has(edge.to)]).toEqual([true, true]);
    });
  }

  it('lists every format with a file extension', () => {
    expect(formats).toEqual(['text', 'json', 'sarif', 'html', 'mermaid', 'dot']);
    expect(Object.keys(extensions).sort()).toEqual([...formats].sort());
  });
});
