import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutLayers, type Layout, type LayoutBox, type Placed } from '../../../analyzer/report/layout.js';

const box = (id: string, width = 80): { id: string; width: number; height: number } => ({ id, width, height: 40 });

describe('layoutLayers', () => {
  it('puts each box one column right of its furthest predecessor', () => {
    const layout = layoutLayers([box('a'), box('b'), box('c'), box('d')], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'a', to: 'c' }, { from: 'a', to: 'd' }]);
    expect(['a', 'b', 'c', 'd'].map((id) => layout.boxes.get(id)?.layer)).toEqual([0, 1, 2, 1]);
  });

  it('turns around an edge that closes a cycle instead of looping', () => {
    const layout = layoutLayers([box('f'), box('s')], [{ from: 'f', to: 's' }, { from: 's', to: 'f' }]);
    expect([layout.boxes.get('f')?.layer, layout.boxes.get('s')?.layer]).toEqual([0, 1]);
  });

  it('never overlaps two boxes and fits them all in its size', () => {
    const boxes = Array.from({ length: 12 }, (_, i) => box(`n${i}`, 60 + 10 * i));
    const edges = boxes.slice(1).map((b, i) => ({ from: `n${Math.floor(i / 3)}`, to: b.id }));
    const layout = layoutLayers(boxes, edges);
    const placed = [...layout.boxes.values()];
    for (const a of placed) {
      expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
      for (const b of placed) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('orders a column by its neighbours, so edges do not cross needlessly', () => {
    // a1 → b2 and a2 → b1: the sweep puts b2 above b1.
    const layout = layoutLayers([box('a1'), box('a2'), box('b1'), box('b2')], [{ from: 'a1', to: 'b2' }, { from: 'a2', to: 'b1' }]);
    expect(layout.boxes.get('b2')!.y).toBeLessThan(layout.boxes.get('b1')!.y);
  });

  it('ignores edges to boxes it was not given', () => {
    expect(layoutLayers([box('a')], [{ from: 'a', to: 'elsewhere' }]).boxes.get('a')?.layer).toBe(0);
  });

  it('puts each box of a long chain in its own column, in one pass', () => {
    // 3,000 boxes, a → b → c …, given last to first: one relaxation pass per column would be 3,000 passes.
    const boxes = Array.from({ length: 3000 }, (_, i) => box(`c${2999 - i}`));
    const edges = boxes.slice(1).map((_, i) => ({ from: `c${i}`, to: `c${i + 1}` }));
    const layout = layoutLayers(boxes, edges);
    expect([0, 1, 1500, 2999].map((i) => layout.boxes.get(`c${i}`)?.layer)).toEqual([0, 1, 1500, 2999]);
  });

  it('places every box where the layout before the rewrite placed it', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const graph = fc.record({
      boxes: fc.uniqueArray(fc.record({ id: fc.constantFrom(...ids), width: fc.integer({ min: 20, max: 200 }), height: fc.integer({ min: 20, max: 60 }) }), { selector: (b) => b.id, maxLength: ids.length }),
      // Self-loops, repeats, cycles and ends without a box included.
      edges: fc.array(fc.record({ from: fc.constantFrom(...ids, 'elsewhere'), to: fc.constantFrom(...ids, 'elsewhere') }), { maxLength: 30 }),
    });
    const flat = (layout: Layout): [string, Placed][] => [...layout.boxes].sort(([a], [b]) => (a < b ? -1 : 1));
    fc.assert(
      fc.property(graph, ({ boxes, edges }) => {
        const [got, want] = [layoutLayers(boxes, edges), referenceLayout(boxes, edges)];
        expect([got.width, got.height, flat(got)]).toEqual([want.width, want.height, flat(want)]);
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * The layout as it was before session 4 made it linear (edges relaxed until nothing changed, Maps keyed by id, a
 * spread per box), kept as the oracle: the rewrite must place every box exactly where this did, so the HTML report's
 * bytes do not change.
 */
function referenceLayout(boxes: readonly LayoutBox[], edges: readonly { from: string; to: string }[]): Layout {
  const ids = new Set(boxes.map((box) => box.id));
  const out = new Map<string, string[]>(boxes.map((box) => [box.id, []]));
  for (const edge of edges) if (edge.from !== edge.to && ids.has(edge.from) && ids.has(edge.to)) out.get(edge.from)?.push(edge.to);
  // Depth first from each box in input order: an edge into a box still on the stack closes a cycle, so it is turned around.
  const forward: [string, string][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    for (const to of out.get(id) ?? []) {
      if (state.get(to) === 'open') forward.push([to, id]);
      else {
        forward.push([id, to]);
        if (!state.has(to)) visit(to);
      }
    }
    state.set(id, 'done');
  };
  for (const box of boxes) if (!state.has(box.id)) visit(box.id);
  const layer = new Map<string, number>(boxes.map((box) => [box.id, 0]));
  // Longest path: relaxing the acyclic edges |boxes| times is enough and keeps the code short.
  for (let changed = true, round = 0; changed && round <= boxes.length; round++) {
    changed = false;
    for (const [from, to] of forward) {
      const next = (layer.get(from) ?? 0) + 1;
      if (next > (layer.get(to) ?? 0)) {
        layer.set(to, next);
        changed = true;
      }
    }
  }
  const columns: string[][] = [];
  for (const box of boxes) (columns[layer.get(box.id) ?? 0] ??= []).push(box.id);
  const preds = new Map<string, string[]>(boxes.map((box) => [box.id, []]));
  const succs = new Map<string, string[]>(boxes.map((box) => [box.id, []]));
  for (const [from, to] of forward) {
    succs.get(from)?.push(to);
    preds.get(to)?.push(from);
  }
  // Barycentre sweeps: down (each column by its predecessors), then up (by its successors), with the neighbours'
  // current positions; a box without neighbours on that side keeps its place.
  const position = new Map<string, number>();
  const place = (column: string[]): void => column.forEach((id, index) => position.set(id, index));
  columns.forEach((column = []) => place(column));
  const order = (column: string[], by: ReadonlyMap<string, string[]>): void => {
    const key = (id: string): number => {
      const near = (by.get(id) ?? []).map((other) => position.get(other) ?? 0);
      return near.length === 0 ? (position.get(id) ?? 0) : near.reduce((a, b) => a + b, 0) / near.length;
    };
    const keys = new Map(column.map((id) => [id, key(id)]));
    column.sort((a, b) => (keys.get(a) ?? 0) - (keys.get(b) ?? 0));
    place(column);
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let i = 1; i < columns.length; i++) order(columns[i] ?? [], preds);
    for (let i = columns.length - 2; i >= 0; i--) order(columns[i] ?? [], succs);
  }
  const size = new Map(boxes.map((box) => [box.id, box]));
  const heightOf = (column: string[]): number => column.reduce((sum, id) => sum + (size.get(id)?.height ?? 0) + 16, -16);
  const height = Math.max(0, ...columns.map((column) => heightOf(column ?? [])));
  const placed = new Map<string, Placed>();
  let x = 16;
  columns.forEach((column = [], index) => {
    let y = 16 + (height - heightOf(column)) / 2;
    const width = Math.max(0, ...column.map((id) => size.get(id)?.width ?? 0));
    for (const id of column) {
      const box = size.get(id);
      if (!box) continue;
      placed.set(id, { ...box, x, y, layer: index });
      y += box.height + 16;
    }
    x += width + 70;
  });
  return { boxes: placed, width: Math.max(x - 70 + 16, 2 * 16), height: height + 2 * 16 };
}
