/**
 * Small numeric and text helpers shared by every bench topic. No dependency: tinybench is not installed, and a
 * median over a handful of `process.hrtime.bigint()` runs is all these benches need.
 */

/** The median of `values` (the mean of the middle two for an even count). Fails on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('bench: median of no values.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `1e5` → `100k`, `1e6` → `1M`: task counts as people read them in a table. */
export function formatCount(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

/** Pads each column to its widest cell; the first column is left-aligned, the others right-aligned. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/**
 * The same rows as a GitHub markdown table. The first `headerRows` rows merge into one header, cell by cell
 * (`c=16` over `ns/task` becomes `c=16 ns/task`), since markdown has a single header row.
 */
export function formatMarkdownTable(rows: readonly (readonly string[])[], headerRows = 1): string {
  const header = rows[0]!.map((_, i) => rows.slice(0, headerRows).map((row) => row[i] ?? '').filter((cell) => cell !== '').join(' '));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? ':--' : '--:'));
  return [line(header), line(align), ...rows.slice(headerRows).map(line)].join('\n');
}
