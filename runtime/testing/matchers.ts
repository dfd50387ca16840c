/**
 * `toBeOk()` / `toBeErr()` for `expect.extend`. Structural: anything with `isOk()` and `isErr()` methods (taskscope's
 * `Result`, or a copy of it from another module instance) is a result; the value is read from `value` and the
 * error from `error`.
 *
 * This module does not import Vitest (the runtime must not); the matcher context is typed by the members used.
 * `taskscope/vitest` registers the matchers and declares their types.
 */

/** The part of Vitest's (and Jest's) matcher context the matchers use. */
export interface MatcherContextLike {
  /** Deep equality with asymmetric matchers, as `toEqual` uses. */
  equals(a: unknown, b: unknown): boolean;
  /** Whether the assertion is negated (`expect(r).not.toBeOk()`). */
  readonly isNot: boolean;
  readonly utils: { stringify(value: unknown): string };
}

/** What a matcher returns to `expect`. */
export interface MatcherResultLike {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

interface ResultLike {
  isOk(): boolean;
  isErr(): boolean;
  readonly value?: unknown;
  readonly error?: unknown;
}

function isResult(value: unknown): value is ResultLike {
  return typeof value === 'object' && value !== null &&
    typeof (value as Partial<ResultLike>).isOk === 'function' && typeof (value as Partial<ResultLike>).isErr === 'function';
}

function match(context: MatcherContextLike, received: unknown, expected: unknown[], want: 'ok' | 'err'): MatcherResultLike {
  const field = want === 'ok' ? 'value' : 'error';
  const show = (value: unknown): string => context.utils.stringify(value);
  if (!isResult(received)) {
    return {
      pass: false,
      message: () => `expected a Result (a value with isOk() and isErr()), got ${show(received)}`,
    };
  }
  const kindMatches = want === 'ok' ? received.isOk() : received.isErr();
  const actualKind = received.isOk() ? `ok(${show(received.value)})` : `err(${show(received.error)})`;
  if (expected.length === 0) {
    return {
      pass: kindMatches,
      message: () => context.isNot ? `expected ${actualKind} not to be ${want}` : `expected ${actualKind} to be ${want}`,
    };
  }
  const inner = received[field];
  const pass = kindMatches && context.equals(inner, expected[0]);
  return {
    pass,
    message: () => `expected ${actualKind} ${context.isNot ? 'not ' : ''}to be ${want}(${show(expected[0])})`,
    actual: kindMatches ? inner : received,
    expected: expected[0],
  };
}

/**
 * Passes when `received` is an ok result and, if `expected` is given, its value equals it (with `toEqual`'s
 * equality, asymmetric matchers included).
 *
 * @example
 * expect.extend({ toBeOk, toBeErr }); // done for you by `taskscope/vitest`
 * expect(ok(1)).toBeOk(1);
 * expect(ok({ id: 7, name: 'x' })).toBeOk(expect.objectContaining({ id: 7 }));
 */
export function toBeOk(this: MatcherContextLike, received: unknown, ...expected: unknown[]): MatcherResultLike {
  return match(this, received, expected, 'ok');
}

/**
 * Passes when `received` is an err result and, if `expected` is given, its error equals it (with `toEqual`'s
 * equality, asymmetric matchers included).
 *
 * @example
 * expect(err(new RangeError('too big'))).toBeErr(expect.any(RangeError));
 * expect(ok(1)).not.toBeErr();
 */
export function toBeErr(this: MatcherContextLike, received: unknown, ...expected: unknown[]): MatcherResultLike {
  return match(this, received, expected, 'err');
}
