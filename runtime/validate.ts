/**
 * Argument checks in the house voice: ``Expected `limit` to be a positive integer or Infinity, got `0` (number).``
 * Every public entry point validates its arguments up front, so a bad call fails where it is made and leaves no
 * state behind.
 */

/** Renders a value for an error message: `` `0` (number) ``, `` `"abc"` (string) ``, `` `null` ``. */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (value === undefined) return '`undefined`';
  if (typeof value === 'string') return `\`${JSON.stringify(value)}\` (string)`;
  if (typeof value === 'function') return `\`${value.name || 'anonymous'}\` (function)`;
  if (typeof value === 'object') {
    const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
    return ctor && ctor !== 'Object' ? `an instance of \`${ctor}\`` : '`[object]` (object)';
  }
  // What is left: number, bigint, boolean or symbol, all of which String() renders as written.
  const primitive = value as number | bigint | boolean | symbol;
  return `\`${String(primitive)}\` (${typeof primitive})`;
}

/** A `TypeError` for a bad argument: ``Expected `name` to be what, got value.`` */
export function argumentError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}.`);
}

/** A loud error for a broken "must", prefixed `taskscope:` with the API that was misused. */
export function misuseError(api: string, problem: string): Error {
  return new Error(`taskscope: ${api}: ${problem}`);
}

/** Throws unless `value` is an integer ≥ 1 (or `Infinity` when allowed). */
export function assertPositiveInteger(name: string, value: unknown, allowInfinity = false): asserts value is number {
  if (typeof value === 'number' && ((Number.isInteger(value) && value >= 1) || (allowInfinity && value === Infinity))) return;
  throw argumentError(name, allowInfinity ? 'a positive integer or Infinity' : 'a positive integer', value);
}

/** Throws unless `value` is a function. */
export function assertFunction(name: string, value: unknown): asserts value is Function {
  if (typeof value !== 'function') throw argumentError(name, 'a function', value);
}

/** Throws unless `value` is `undefined` or a string. */
export function assertOptionalString(name: string, value: unknown): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') throw argumentError(name, 'a string', value);
}

/** Throws unless `value` is `undefined` or an `AbortSignal`. */
export function assertOptionalSignal(name: string, value: unknown): asserts value is AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) throw argumentError(name, 'an AbortSignal', value);
}

/** Throws unless `value` is `undefined` or a plain options object, and names any unknown key. */
export function assertOptions(name: string, value: unknown, known: readonly string[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') throw argumentError(name, 'an options object', value);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option \`${key}\` in \`${name}\`. Known options: ${known.map((k) => `\`${k}\``).join(', ')}.`);
    }
  }
}
