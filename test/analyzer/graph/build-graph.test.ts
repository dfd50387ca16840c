import { describe, expect, it } from 'vitest';
import { buildGraph, mergeFindings, sortGraph } from '../../../analyzer/graph/build-graph.js';
import { nodeId } from '../../../analyzer/graph/ids.js';
import { SCHEMA_VERSION } from '../../../analyzer/graph/types.js';
import { edge, fanOut, finding, fn, spawn } from './graphs.js';

describe('buildGraph', () => {
  const a = fn('src/b.ts', 1, 'a');
  const b = fn('src/a.ts', 9, 'b');
  const floating = spawn('src/a.ts', 10, 'save()', { parent: b.id });
  const awaited = spawn('src/a.ts', 3, 'load()', { parent: b.id, owned: 'await' });
  const wide = fanOut('src/a.ts', 4, 'xs');

  it('sorts nodes by place, edges by the places of their ends, findings by place and rule', () => {
    const graph = buildGraph({
      root: '/repo',
      files: 2,
      nodes: [a, floating, b, awaited],
      edges: [edge(b, 'spawns', floating), edge(a, 'calls', b), edge(b, 'spawns', awaited)],
      findings: [finding('src/b.ts', 2, 1), finding('src/a.ts', 10, 3, { ruleId: 'propagate-abort-signal' }), finding('src/a.ts', 10, 3)],
    });
    expect(graph.nodes.map((node) => node.id)).toEqual([awaited.id, b.id, floating.id, a.id]);
    expect(graph.edges.map((e) => `${e.from} ${e.kind} ${e.to}`)).toEqual([
      `${b.id} spawns ${awaited.id}`,
      `${b.id} spawns ${floating.id}`,
      `${a.id} calls ${b.id}`,
    ]);
    expect(graph.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['src/a.ts:10 no-floating-task', 'src/a.ts:10 propagate-abort-signal', 'src/b.ts:2 no-floating-task']);
    expect(graph.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('drops duplicate edges and edges whose ends are not nodes', () => {
    const graph = buildGraph({ root: '/r', files: 1, nodes: [a, b], edges: [edge(a, 'calls', b), edge(a, 'calls', b), edge(a, 'calls', floating)], findings: [] });
    expect(graph.edges).toEqual([edge(a, 'calls', b)]);
  });

  it('summarizes nodes and findings', () => {
    const graph = buildGraph({
      root: '/r',
      files: 3,
      nodes: [a, b, floating, awaited, wide, { ...fanOut('src/a.ts', 5, 'ys'), multiplicity: { kind: 'constant', n: 2 } }],
      edges: [],
      findings: [finding('src/a.ts', 1, 1), finding('src/a.ts', 2, 1, { severity: 'warning', ruleId: 'no-unbounded-fanout' })],
    });
    expect(graph.summary).toEqual({
      files: 3,
      functions: 2,
      spawns: 2,
      floating: 1,
      fanOuts: 2,
      unboundedFanOuts: 1,
      groups: 0,
      semaphores: 0,
      signals: 0,
      findings: { error: 1, warning: 1 },
      byRule: { 'no-floating-task': 1, 'no-unbounded-fanout': 1 },
    });
  });
});

describe('sortGraph', () => {
  it('gives the same graph back for a graph written in another order', () => {
    const a = fn('src/a.ts', 1, 'a');
    const b = fn('src/a.ts', 5, 'b');
    const built = buildGraph({ root: '/r', files: 1, nodes: [a, b], edges: [edge(b, 'calls', a), edge(a, 'calls', b)], findings: [] });
    const shuffled = { ...built, nodes: [...built.nodes].reverse(), edges: [...built.edges].reverse() };
    expect(sortGraph(shuffled)).toEqual(built);
  });
});

describe('mergeFindings', () => {
  const chain = [
    { file: 'src/a.ts', line: 2, column: 1, label: 'caller' },
    { file: 'src/a.ts', line: 4, column: 10, label: 'f(x)' },
  ];

  it('keeps the lint finding when a graph finding of the same rule lies in its range, taking the longer chain', () => {
    const lint = finding('src/a.ts', 4, 3, { ruleId: 'no-unbounded-fanout', endLine: 4, endColumn: 40 });
    const graph = finding('src/a.ts', 4, 10, { ruleId: 'no-unbounded-fanout', origin: 'graph', chain });
    expect(mergeFindings([graph, lint])).toEqual([{ ...lint, chain }]);
  });

  it('keeps both when the rules differ or the graph finding lies outside the range', () => {
    const lint = finding('src/a.ts', 4, 3, { endLine: 4, endColumn: 8 });
    const otherRule = finding('src/a.ts', 4, 3, { ruleId: 'propagate-abort-signal', origin: 'graph' });
    const outside = finding('src/a.ts', 4, 10, { origin: 'graph' });
    expect(mergeFindings([lint, otherRule, outside])).toHaveLength(3);
  });

  it('merges a graph finding at exactly a lint finding’s place when the lint finding has no range', () => {
    const lint = finding('src/a.ts', 4, 3);
    expect(mergeFindings([lint, finding('src/a.ts', 4, 3, { origin: 'graph', chain })])).toEqual([{ ...lint, chain }]);
  });

  it('keeps one of two graph findings with one rule at one place', () => {
    const first = finding('src/a.ts', 4, 3, { origin: 'graph', message: 'a' });
    const second = finding('src/a.ts', 4, 3, { origin: 'graph', message: 'b' });
    expect(mergeFindings([second, first])).toEqual([first]);
  });
});

describe('nodeId', () => {
  it('derives the id from kind, file, line and column', () => {
    expect(nodeId('spawn', { file: 'src/a.ts', line: 3, column: 7 })).toBe('spawn:src/a.ts:3:7');
  });
});
