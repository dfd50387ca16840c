import { describe, expect, it } from 'vitest';
import { GraphIndex } from '../../../analyzer/graph/graph-index.js';
import { edge, fn, spawn } from './graphs.js';

const main = fn('src/main.ts', 1, 'main');
const [b, a, c] = [fn('src/b.ts', 1, 'b'), fn('src/a.ts', 1, 'a'), fn('src/c.ts', 1, 'c')];
const request = spawn('src/main.ts', 3, 'fetch(url)');
const data = { nodes: [main, b, a, c, request], edges: [edge(main, 'calls', c), edge(main, 'calls', a), edge(main, 'spawns', request), edge(main, 'calls', b), edge(c, 'calls', a), edge(b, 'calls', a)] };

describe('GraphIndex', () => {
  it('lists where edges of a kind lead in id order, and where they come from in edge order', () => {
    const index = new GraphIndex(data);
    expect(index.out(main.id, 'calls')).toEqual([a.id, b.id, c.id]);
    expect(index.callees(main.id).map((node) => node.label)).toEqual(['a', 'b', 'c']);
    expect(index.spawnsOf(main.id)).toEqual([request]);
    expect(index.in(a.id, 'calls')).toEqual([main.id, c.id, b.id]);
    expect(index.out(a.id, 'calls')).toEqual([]);
    expect(index.out(main.id, 'acquires')).toEqual([]);
  });

  it('builds one index per data object and a new one for other arrays', () => {
    const shared = GraphIndex.of(data);
    expect(GraphIndex.of(data)).toBe(shared);
    const fewer = { ...data, edges: data.edges.slice(1) };
    expect(GraphIndex.of(fewer)).not.toBe(shared);
    expect(GraphIndex.of(fewer).out(main.id, 'calls')).toEqual([a.id, b.id]);
  });

  it('builds a new index when an array grew in place', () => {
    const growing = { nodes: [main, a], edges: [edge(main, 'calls', a)] };
    const before = GraphIndex.of(growing);
    growing.nodes.push(b);
    growing.edges.push(edge(main, 'calls', b));
    expect(GraphIndex.of(growing)).not.toBe(before);
    expect(GraphIndex.of(growing).out(main.id, 'calls')).toEqual([a.id, b.id]);
  });
});
