/**
 * Topic flag values. `npm run bench` (run.ts) prints a {@link BenchOptionError}'s message alone and exits 2, as it
 * does for a flag it does not know, instead of a stack trace. Here rather than in run.ts, so a test can import a
 * topic without importing run.ts, which runs the bench when loaded.
 */

/**
 * A bad value for one of a topic's flags. The message says which flag, what it expected and what it got.
 *
 * @example throw new BenchOptionError('bench: expected `--analyze-reps` to be a positive integer, got `x`.');
 */
export class BenchOptionError extends Error {
  override readonly name = 'BenchOptionError';
}

/**
 * The flag's value as a positive integer, `fallback` when it is not given.
 * Throws a {@link BenchOptionError} for anything else.
 *
 * @example positiveInteger('analyze-reps', values['analyze-reps'], 3)
 */
export function positiveInteger(name: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BenchOptionError(`bench: expected \`--${name}\` to be a positive integer, got \`${String(value)}\`.`);
  return n;
}
