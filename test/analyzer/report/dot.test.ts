import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDot } from '../../../analyzer/report/index.js';
import { empty } from '../../../fixtures/reports/graphs/empty.js';
import { hostile, PAYLOAD } from '../../../fixtures/reports/graphs/hostile.js';
import { rich } from '../../../fixtures/reports/graphs/rich.js';

const GRAPHVIZ = '/usr/bin/dot';
const hasGraphviz = existsSync(GRAPHVIZ);
if (!hasGraphviz) console.warn(`Skipping the Graphviz check of the DOT report: no ${GRAPHVIZ} (apt-get install graphviz).`);

describe('renderDot', () => {
  it('escapes quotes and backslashes in ids and labels', () => {
    const dot = renderDot({ ...hostile, nodes: hostile.nodes.map((node) => ({ ...node, label: `a\\N "x"` })) });
    expect(dot).toContain('\\\\N \\"x\\"');
    for (const line of dot.split('\n')) expect(line.replace(/\\\\|\\"/g, '').split('"').length % 2).toBe(1);
    expect(dot).toContain(PAYLOAD.replace(/"/g, '\\"'));
  });

  it('writes every run of blanks in a label as one space, and a plain label as it is', () => {
    const labelled = (label: string): string => renderDot({ ...rich, nodes: rich.nodes.map((node) => ({ ...node, label })) });
    expect(labelled('load(\n  url,\tsignal)')).toContain('[label="load( url, signal)"');
    expect(labelled(' a b ')).toContain('[label=" a b "');
  });

  it('draws one cluster per module, multiplicity on fan-out edges and red unbounded fan-outs', () => {
    const dot = renderDot(rich);
    expect(dot.match(/subgraph cluster_\d+ \{/g)).toHaveLength(3);
    expect(dot).toContain('"fanout:src/crawler.ts:14:3" -> "function:src/track.ts:5:8" [label="×∞", color="#cf222e", penwidth=2];');
    expect(dot).toMatch(/"spawn:src\/track.ts:7:3" \[[^\n]*fillcolor="#ffebe9"/);
  });

  it.skipIf(!hasGraphviz)('is read by Graphviz without a warning', () => {
    for (const graph of [rich, hostile, empty]) {
      const svg = execFileSync(GRAPHVIZ, ['-Tsvg'], { input: renderDot(graph), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      expect(svg).toContain('<svg');
    }
    const svg = execFileSync(GRAPHVIZ, ['-Tsvg'], { input: renderDot(hostile), encoding: 'utf8' });
    expect(svg).not.toContain('<img');
  });
});
