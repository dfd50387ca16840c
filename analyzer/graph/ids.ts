import type { Location, NodeKind } from './types.js';

/**
 * The stable id of a graph node: its kind and where it is, `spawn:src/a.ts:12:5`. Never a counter, so the same
 * sources give the same ids on every run and a report diffs cleanly after an unrelated edit elsewhere.
 *
 * @example nodeId('function', { file: 'src/a.ts', line: 3, column: 1 }) // 'function:src/a.ts:3:1'
 */
export function nodeId(kind: NodeKind, location: Location): string {
  return `${kind}:${location.file}:${location.line}:${location.column}`;
}
