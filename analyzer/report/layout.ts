/** A box to place: its id and size. */
export interface LayoutBox {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** Where a box went: its top-left corner, its size and its layer (column). */
export interface Placed extends LayoutBox {
  readonly x: number;
  readonly y: number;
  readonly layer: number;
}

export interface Layout {
  readonly boxes: ReadonlyMap<string, Placed>;
  readonly width: number;
  readonly height: number;
}

const GAP_X = 70;
const GAP_Y = 16;
const MARGIN = 16;

/**
 * A layered left-to-right layout of a directed graph (the Sugiyama scheme, cut down): edges that close a cycle are
 * turned around (depth first, in input order), each box goes one column right of its furthest predecessor, and a few
 * barycentre sweeps order each column to shorten edges. Deterministic: the same input gives the same picture.
 *
 * Rejected: pulling in dagre or elkjs, because the report must be one self-contained file and the reporters pure;
 * and dummy nodes for long edges, because the pictures are per module and mostly two or three columns deep.
 *
 * @example layoutLayers([{ id: 'a', width: 80, height: 40 }, { id: 'b', width: 80, height: 40 }], [{ from: 'a', to: 'b' }]).boxes.get('b')?.layer // 1
 */
export function layoutLayers(boxes: readonly LayoutBox[], edges: readonly { from: string; to: string }[]): Layout {
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
  const heightOf = (column: string[]): number => column.reduce((sum, id) => sum + (size.get(id)?.height ?? 0) + GAP_Y, -GAP_Y);
  const height = Math.max(0, ...columns.map((column) => heightOf(column ?? [])));
  const placed = new Map<string, Placed>();
  let x = MARGIN;
  columns.forEach((column = [], index) => {
    let y = MARGIN + (height - heightOf(column)) / 2;
    const width = Math.max(0, ...column.map((id) => size.get(id)?.width ?? 0));
    for (const id of column) {
      const box = size.get(id);
      if (!box) continue;
      placed.set(id, { ...box, x, y, layer: index });
      y += box.height + GAP_Y;
    }
    x += width + GAP_X;
  });
  return { boxes: placed, width: Math.max(x - GAP_X + MARGIN, 2 * MARGIN), height: height + 2 * MARGIN };
}
