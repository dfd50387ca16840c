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
  // Boxes by position; every structure below is an array indexed by it. The HTML report lays out one picture per
  // module (2,000 on a 2,000-file project), so a picture's fixed costs count: with Maps keyed by id and a spread per
  // box, the layout was a fifth of that report's time. A repeated id is placed once, where it first came.
  const slot = new Map<string, number>();
  const list: LayoutBox[] = [];
  for (const box of boxes) {
    if (slot.has(box.id)) continue;
    slot.set(box.id, list.length);
    list.push(box);
  }
  const n = list.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const edge of edges) {
    const from = slot.get(edge.from);
    const to = slot.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) out[from]!.push(to);
  }
  // Depth first from each box in input order: an edge into a box still on the stack closes a cycle, so it is turned around.
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  const state = new Uint8Array(n); // 0 unseen, 1 on the stack, 2 done
  const forward = (from: number, to: number): void => {
    succs[from]!.push(to);
    preds[to]!.push(from);
  };
  const visit = (at: number): void => {
    state[at] = 1;
    for (const to of out[at]!) {
      if (state[to] === 1) forward(to, at);
      else {
        forward(at, to);
        if (state[to] === 0) visit(to);
      }
    }
    state[at] = 2;
  };
  for (let at = 0; at < n; at++) if (state[at] === 0) visit(at);
  // Longest path over the acyclic edges, in topological order (Kahn's): each box one column right of its furthest
  // predecessor. Rejected: relaxing every edge until nothing changes, which is one pass per column of depth.
  const layer = new Array<number>(n).fill(0);
  const waiting = preds.map((list) => list.length);
  const ready: number[] = [];
  for (let at = 0; at < n; at++) if (waiting[at] === 0) ready.push(at);
  for (let head = 0; head < ready.length; head++) {
    const from = ready[head]!;
    for (const to of succs[from]!) {
      if (layer[from]! + 1 > layer[to]!) layer[to] = layer[from]! + 1;
      if (--waiting[to]! === 0) ready.push(to);
    }
  }
  const columns: number[][] = [];
  for (let at = 0; at < n; at++) (columns[layer[at]!] ??= []).push(at);
  // Barycentre sweeps: down (each column by its predecessors), then up (by its successors), with the neighbours'
  // current positions; a box without neighbours on that side keeps its place.
  const position = new Array<number>(n).fill(0);
  const place = (column: number[]): void => column.forEach((at, index) => (position[at] = index));
  for (const column of columns) place(column);
  const keys = new Array<number>(n).fill(0);
  const order = (column: number[], by: readonly number[][]): void => {
    for (const at of column) {
      const near = by[at]!;
      let sum = 0;
      for (const other of near) sum += position[other]!;
      keys[at] = near.length === 0 ? position[at]! : sum / near.length;
    }
    column.sort((a, b) => keys[a]! - keys[b]!);
    place(column);
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let i = 1; i < columns.length; i++) order(columns[i]!, preds);
    for (let i = columns.length - 2; i >= 0; i--) order(columns[i]!, succs);
  }
  const heightOf = (column: number[]): number => column.reduce((sum, at) => sum + list[at]!.height + GAP_Y, -GAP_Y);
  const height = columns.reduce((most, column) => Math.max(most, heightOf(column)), 0);
  const placed = new Map<string, Placed>();
  let x = MARGIN;
  columns.forEach((column, index) => {
    let y = MARGIN + (height - heightOf(column)) / 2;
    let width = 0;
    for (const at of column) width = Math.max(width, list[at]!.width);
    for (const at of column) {
      const { id, width: boxWidth, height: boxHeight } = list[at]!;
      placed.set(id, { id, width: boxWidth, height: boxHeight, x, y, layer: index });
      y += boxHeight + GAP_Y;
    }
    x += width + GAP_X;
  });
  return { boxes: placed, width: Math.max(x - GAP_X + MARGIN, 2 * MARGIN), height: height + 2 * MARGIN };
}
