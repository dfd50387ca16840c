import { describe, expect, it } from 'vitest';
import { layoutLayers } from '../../../analyzer/report/layout.js';

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
});
