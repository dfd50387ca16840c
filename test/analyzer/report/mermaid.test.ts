import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, TaskGraph } from '../../../analyzer/graph/types.js';
import { mermaidDiagrams, renderMermaid } from '../../../analyzer/report/index.js';
import { empty } from '../../../fixtures/reports/graphs/empty.js';
import { hostile } from '../../../fixtures/reports/graphs/hostile.js';
import { rich } from '../../../fixtures/reports/graphs/rich.js';

/** `files` modules, each an exported function calling the next module's and spawning `spawns` calls. */
function big(files: number, spawns: number): TaskGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let f = 0; f < files; f++) {
    const file = `src/m${f}.ts`;
    const fn = `function:${file}:1:1`;
    nodes.push({ id: fn, kind: 'function', label: `work${f}`, file, line: 1, column: 1, async: true, exported: true, hasSignal: false });
    if (f + 1 < files) edges.push({ from: fn, to: `function:src/m${f + 1}.ts:1:1`, kind: 'calls' });
    for (let s = 0; s < spawns; s++) {
      const id = `spawn:${file}:${s + 2}:3`;
      nodes.push({ id, kind: 'spawn', label: `step${s}(input)`, file, line: s + 2, column: 3, via: 'call', parent: fn, owned: 'await' });
      edges.push({ from: fn, to: id, kind: 'spawns' });
    }
  }
  return { ...empty, nodes, edges };
}

const edgeLines = (source: string): string[] => source.split('\n').filter((line) => /^\s+n\d+ -/.test(line));

describe('mermaidDiagrams', () => {
  it('draws a graph that fits as one diagram', () => {
    expect(mermaidDiagrams(rich).map((diagram) => diagram.title)).toEqual(['Task graph']);
  });

  it('splits per module past 500 edges, keeping every edge and each diagram within the limits', () => {
    const graph = big(6, 100);
    const diagrams = mermaidDiagrams(graph);
    expect(diagrams.map((diagram) => diagram.title)).toEqual(['src/m0.ts', 'src/m1.ts', 'src/m2.ts', 'src/m3.ts', 'src/m4.ts', 'src/m5.ts']);
    for (const diagram of diagrams) {
      expect(edgeLines(diagram.source).length).toBeLessThanOrEqual(500);
      expect(diagram.source.length).toBeLessThanOrEqual(50_000);
    }
    const drawn = new Set(diagrams.flatMap((diagram) => edgeLines(diagram.source).map((line) => line.trim())));
    expect(drawn.size).toBe(graph.edges.length);
  });

  it('cuts a module too big on its own into parts', () => {
    const diagrams = mermaidDiagrams(big(1, 30), { maxEdges: 10 });
    expect(diagrams.map((diagram) => diagram.title)).toEqual(['src/m0.ts (part 1 of 4)', 'src/m0.ts (part 2 of 4)', 'src/m0.ts (part 3 of 4)', 'src/m0.ts (part 4 of 4)']);
    expect(diagrams.map((diagram) => edgeLines(diagram.source).length)).toEqual([8, 8, 8, 6]);
  });

  it('splits when the text would pass maxTextSize', () => {
    const graph = big(3, 5);
    const whole = mermaidDiagrams(graph)[0]!.source.length;
    const diagrams = mermaidDiagrams(graph, { maxTextSize: whole - 1 });
    expect(diagrams.map((diagram) => diagram.title)).toEqual(['src/m0.ts', 'src/m1.ts', 'src/m2.ts']);
    for (const diagram of diagrams) expect(diagram.source.length).toBeLessThan(whole);
  });

  it('greys out the other modules a module has edges with', () => {
    const second = mermaidDiagrams(big(3, 2), { maxEdges: 5 })[1]!.source;
    expect(second).toMatch(/class n0 external/);
    expect(second).toContain('subgraph m0["src/m0.ts"]');
  });

  it('escapes quotes, angle brackets, hashes and backticks in labels', () => {
    const source = mermaidDiagrams(hostile)[0]!.source;
    expect(source).not.toContain('<');
    expect(source).not.toMatch(/"[^"\n]*"[^|\]})>\n]/);
    expect(source).toContain('#lt;/script#gt;#lt;img src=x onerror=window.__xss=1#gt;#quot;\'#96;#amp;#35;35;|]');
  });

  it('writes every run of blanks in a label as one space, and a plain label as it is', () => {
    const labelled = (label: string): string => mermaidDiagrams({ ...rich, nodes: rich.nodes.map((node) => ({ ...node, label })) })[0]!.source;
    expect(labelled('load(\n  url,\tsignal)')).toContain('"load( url, signal)"');
    expect(labelled(' a b ')).toContain('" a b "');
  });

  it('puts multiplicity on fan-out edges and highlights floating spawns and unbounded fan-outs', () => {
    const source = mermaidDiagrams(rich)[0]!.source;
    expect(source).toContain('n8 -->|"×∞"| n28');
    expect(source).toContain('n3 -->|"≤limit 8"| n4');
    expect(source).toContain('n24 -->|"×3"| n14');
    expect(source).toMatch(/class n30 floating\n/);
    expect(source).toMatch(/class n8 unbounded\n/);
    expect(source).toMatch(/linkStyle \d+(,\d+)* stroke:#cf222e/);
  });
});

describe('renderMermaid', () => {
  it('writes Markdown with one fenced block per diagram', () => {
    const markdown = renderMermaid(big(3, 2), { maxEdges: 5 });
    expect(markdown.match(/^```mermaid$/gm)).toHaveLength(3);
    expect(markdown).toMatch(/^## src\/m1\.ts$/m);
    expect(renderMermaid(rich).startsWith('# Task graph\n\n```mermaid\nflowchart LR\n')).toBe(true);
  });
});
