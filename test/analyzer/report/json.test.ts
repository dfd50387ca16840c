import { describe, expect, it } from 'vitest';
import type { TaskGraph } from '../../../analyzer/graph/types.js';
import { renderJson } from '../../../analyzer/report/index.js';
import { rich } from '../../../fixtures/reports/graphs/rich.js';

describe('renderJson', () => {
  it('reads back as the graph, with its arrays sorted', () => {
    const shuffled: TaskGraph = { ...rich, nodes: [...rich.nodes].reverse(), findings: [...rich.findings].reverse() };
    const back = JSON.parse(renderJson(shuffled)) as TaskGraph;
    const sorted = (list: readonly unknown[]): string[] => list.map((item) => JSON.stringify(item, Object.keys(item as object).sort())).sort();
    expect(sorted(back.nodes)).toEqual(sorted(rich.nodes));
    expect(sorted(back.edges)).toEqual(sorted(rich.edges));
    expect(back.findings).toEqual(rich.findings);
    expect(back.nodes.map((node) => `${node.file}:${node.line}`)).toEqual(rich.nodes.map((node) => `${node.file}:${node.line}`));
    expect(back.edges.map((edge) => edge.from)).toEqual(rich.edges.map((edge) => edge.from).sort());
    expect(Object.keys(back)).toEqual(['schemaVersion', 'root', 'summary', 'nodes', 'edges', 'findings']);
  });

  it('writes keys in one order whatever order the objects were built in', () => {
    const node = rich.nodes[0]!;
    const reordered = Object.fromEntries(Object.entries(node).reverse()) as typeof node;
    const first = renderJson({ ...rich, nodes: [reordered] });
    expect(first).toBe(renderJson({ ...rich, nodes: [node] }));
    expect(Object.keys((JSON.parse(first) as TaskGraph).nodes[0]!)).toEqual(['id', 'kind', 'label', 'file', 'line', 'column', 'async', 'exported', 'hasSignal']);
  });

  it('puts fields it does not know after the known ones, alphabetically', () => {
    const node: object = { ...rich.nodes[0]!, zeta: 1, alpha: 2 };
    const extended = { ...rich, nodes: [node] } as TaskGraph;
    expect(Object.keys((JSON.parse(renderJson(extended)) as TaskGraph).nodes[0]!).slice(-2)).toEqual(['alpha', 'zeta']);
  });

  it('orders objects of one shape alike, whichever order each was built in', () => {
    const [first, second] = rich.nodes;
    const reordered = Object.fromEntries(Object.entries(second!).reverse()) as typeof second;
    const back = JSON.parse(renderJson({ ...rich, nodes: [first!, reordered!, second!] })) as TaskGraph;
    expect(Object.keys(back.nodes[1]!)).toEqual(Object.keys(back.nodes[2]!));
    expect(Object.keys(back.nodes[1]!).slice(0, 3)).toEqual(['id', 'kind', 'label']);
  });

  it('writes a `__proto__` key read back from JSON as a key', () => {
    const node = { ...rich.nodes[0]!, ...(JSON.parse('{"__proto__":"x"}') as object) };
    expect(renderJson({ ...rich, nodes: [node] })).toContain('"__proto__": "x"');
  });

  it('replaces the absolute root when asked, and ends with a newline', () => {
    const json = renderJson(rich, { root: '.' });
    expect((JSON.parse(json) as TaskGraph).root).toBe('.');
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });
});
