import { describe, expect, it } from 'vitest';
import { graphView, highlights, multiplicityText, nodeCaption } from '../../../analyzer/report/graph-view.js';
import { rich } from '../../../fixtures/reports/graphs/rich.js';

describe('multiplicityText', () => {
  it('writes each multiplicity the way the pictures show it', () => {
    expect(multiplicityText({ kind: 'one' })).toBe('×1');
    expect(multiplicityText({ kind: 'constant', n: 8 })).toBe('×8');
    expect(multiplicityText({ kind: 'unbounded' })).toBe('×∞');
    expect(multiplicityText({ kind: 'bounded', by: 'limit', limit: 4 })).toBe('≤limit 4');
    expect(multiplicityText({ kind: 'bounded', by: 'slice' })).toBe('≤slice');
  });
});

describe('graphView', () => {
  it('finds the nodes a finding is reported at, by place or by the chain step there', () => {
    const view = graphView(rich);
    expect([...view.findingsAt.keys()].sort()).toEqual(['fanout:src/crawler.ts:14:3', 'fanout:src/crawler.ts:19:21', 'spawn:src/fetch.ts:8:28', 'spawn:src/track.ts:7:3']);
    expect(view.files).toEqual(['src/broken.ts', 'src/crawler.ts', 'src/fetch.ts', 'src/track.ts']);
  });

  it('builds one view per graph, and a new one for a graph with other arrays', () => {
    expect(graphView(rich)).toBe(graphView(rich));
    const fewer = { ...rich, findings: rich.findings.slice(1) };
    expect(graphView(fewer)).not.toBe(graphView(rich));
    expect(graphView(fewer).findings).toHaveLength(rich.findings.length - 1);
  });
});

describe('highlights', () => {
  it('marks floating spawns, unbounded fan-outs and nodes with findings, red first', () => {
    const view = graphView(rich);
    const of = (id: string): string[] => highlights(view.byId.get(id)!, view);
    expect(of('spawn:src/track.ts:7:3')).toEqual(['floating', 'finding']);
    expect(of('fanout:src/crawler.ts:19:21')).toEqual(['unbounded', 'finding']);
    expect(of('spawn:src/fetch.ts:8:28')).toEqual(['finding']);
    expect(of('function:src/crawler.ts:5:8')).toEqual([]);
  });
});

describe('nodeCaption', () => {
  it('cuts long labels and adds limits and capacities', () => {
    const view = graphView(rich);
    expect(nodeCaption(view.byId.get('group:src/crawler.ts:6:17')!)).toBe('new ErrGroup({ limit: 8, signal }) ≤limit 8');
    expect(nodeCaption(view.byId.get('semaphore:src/fetch.ts:3:15')!)).toBe('new Semaphore(2) ≤2');
    expect(nodeCaption(view.byId.get('signal:src/fetch.ts:19:18')!, 20)).toBe('AbortSignal.any([ti…');
  });
});
