/**
 * `Result<T, E>`: a value or an error, returned instead of thrown, so that a failure is part of a function's type
 * and a caller cannot forget it.
 *
 * A Result is an `Ok` holding a `value` or an `Err` holding an `error`. Narrow it with `isOk()` / `isErr()` or the
 * readonly `ok` discriminant, then read `value` or `error`; before narrowing neither is on the type. Lint rules
 * recognise a Result structurally, by its `isOk()` and `isErr()` methods.
 *
 * Cost model. A Result is one small object with two own fields (`ok`, and `value` or `error`); its methods live on
 * the prototype, so no call allocates a closure. `map` and `andThen` on an `Err` (and `mapErr`, `orElse` on an `Ok`)
 * return the same instance instead of a copy. Rejected: `Object.freeze` on every Result, which measured about
 * 30 ns per construction on Node 20 against about 1 ns unfrozen; the fields are `readonly` to the type checker
 * instead.
 *
 * An exception thrown by a callback propagates unchanged: a Result records failures you return, not ones you throw
 * (wrap a throwing call in `Result.try` to turn it into an `Err`).
 *
 * Every method checks its callback up front, in both states: a `map(notAFunction)` fails on the `Ok` path the tests
 * take and on the `Err` path they usually do not, rather than only on the one that happens to run.
 */
import { argumentError, assertFunction, describeValue, misuseError } from './validate.js';

/**
 * Marks both classes, so `Result.isResult` and `andThen`'s return check recognise a Result built by another copy
 * of this module (one loaded from `dist/`, one from source). Rejected: `instanceof`, which is false across copies.
 */
const brand = Symbol.for('taskscope.result');

/** The handlers given to `match`: one per state, both required. */
export interface MatchHandlers<T, E, A, B> {
  /** Called with the value of an `Ok`. */
  ok: (value: T) => A;
  /** Called with the error of an `Err`. */
  err: (error: E) => B;
}

/**
 * The success half of a `Result`. Create one with {@link ok}; the constructor is not part of the public API.
 *
 * @example
 * const r: Result<number, string> = ok(2);
 * if (r.isOk()) console.log(r.value); // 2
 */
export class Ok<T, E> {
  /** The discriminant: `true` on an `Ok`. */
  readonly ok = true as const;
  /** The value. Only on the type after narrowing with `isOk()` or `ok === true`. */
  readonly value: T;

  /** @internal Use {@link ok}. */
  constructor(value: T) {
    this.value = value;
  }

  /** `true`, and narrows to `Ok`. @example if (r.isOk()) r.value; */
  isOk(): this is Ok<T, E> {
    return true;
  }

  /** `false` on an `Ok`; narrows to `Err` when true. @example if (r.isErr()) r.error; */
  isErr(): this is Err<T, E> {
    return false;
  }

  /**
   * Applies `fn` to the value and wraps what it returns in a new `Ok`; an `Err` is returned unchanged and `fn` is
   * not called. An exception thrown by `fn` propagates: use `andThen` with `Result.try` to capture it.
   *
   * @example
   * ok(2).map((n) => n * 10); // Ok(20)
   */
  map<U>(fn: (value: T) => U): Result<U, E> {
    assertFunction('fn', fn);
    return new Ok(fn(this.value));
  }

  /**
   * Applies `fn` to the error and wraps what it returns in a new `Err`; an `Ok` is returned unchanged and `fn` is
   * not called.
   *
   * @example
   * err('boom').mapErr((message) => new Error(message)); // Err(Error: boom)
   */
  mapErr<F>(fn: (error: E) => F): Result<T, F> {
    assertFunction('fn', fn);
    return this as unknown as Ok<T, F>;
  }

  /**
   * Chains a step that can fail: calls `fn` with the value and returns its Result; an `Err` is returned unchanged
   * and `fn` is not called. `fn` must return a Result (not a promise of one): anything else throws a `taskscope:`
   * error.
   *
   * @example
   * const half = (n: number): Result<number, string> => (n % 2 === 0 ? ok(n / 2) : err(`${n} is odd`));
   * ok(8).andThen(half).andThen(half); // Ok(2)
   * ok(6).andThen(half).andThen(half); // Err("3 is odd")
   */
  andThen<U, F>(fn: (value: T) => Result<U, F>): Result<U, E | F> {
    assertFunction('fn', fn);
    return checkReturned('andThen', fn(this.value));
  }

  /**
   * Recovers from an error: calls `fn` with the error and returns its Result; an `Ok` is returned unchanged and
   * `fn` is not called. `fn` must return a Result, as for `andThen`.
   *
   * @example
   * err('missing').orElse(() => ok('default')); // Ok("default")
   */
  orElse<U, F>(fn: (error: E) => Result<U, F>): Result<T | U, F> {
    assertFunction('fn', fn);
    return this as unknown as Ok<T, F>;
  }

  /**
   * Calls `handlers.ok` with the value or `handlers.err` with the error and returns what it returns. Takes one
   * object rather than two positional callbacks so the call site names each branch and cannot swap them. Both
   * handlers must be functions, whichever one runs.
   *
   * @example
   * const label = r.match({ ok: (n) => `got ${n}`, err: (e) => `failed: ${e}` });
   */
  match<A, B = A>(handlers: MatchHandlers<T, E, A, B>): A | B {
    assertHandlers(handlers);
    return handlers.ok(this.value);
  }

  /**
   * Returns the value, or throws the error itself, unchanged: no wrapping, so an error that is not an `Error`
   * (a string, say) is thrown as is, without a stack.
   *
   * @example
   * ok(1).unwrap(); // 1
   * err(new Error('boom')).unwrap(); // throws Error: boom
   */
  unwrap(): T {
    return this.value;
  }

  /**
   * Returns the value, or `fallback` on an `Err`.
   *
   * @example
   * err('boom').unwrapOr(0); // 0
   */
  unwrapOr<U>(_fallback: U): T | U {
    return this.value;
  }
}

/**
 * The failure half of a `Result`. Create one with {@link err}; the constructor is not part of the public API.
 * Methods are documented on {@link Ok}.
 *
 * @example
 * const r: Result<number, string> = err('boom');
 * if (r.isErr()) console.log(r.error); // "boom"
 */
export class Err<T, E> {
  /** The discriminant: `false` on an `Err`. */
  readonly ok = false as const;
  /** The error. Only on the type after narrowing with `isErr()` or `ok === false`. */
  readonly error: E;

  /** @internal Use {@link err}. */
  constructor(error: E) {
    this.error = error;
  }

  /** `false` on an `Err`. @example if (!r.isOk()) r.error; */
  isOk(): this is Ok<T, E> {
    return false;
  }

  /** `true`, and narrows to `Err`. @example if (r.isErr()) r.error; */
  isErr(): this is Err<T, E> {
    return true;
  }

  /** Returns this `Err` unchanged. @example err('x').map((n: number) => n + 1); // Err("x") */
  map<U>(fn: (value: T) => U): Result<U, E> {
    assertFunction('fn', fn);
    return this as unknown as Err<U, E>;
  }

  /** Wraps `fn(error)` in a new `Err`. @example err(404).mapErr((code) => `HTTP ${code}`); // Err("HTTP 404") */
  mapErr<F>(fn: (error: E) => F): Result<T, F> {
    assertFunction('fn', fn);
    return new Err(fn(this.error));
  }

  /** Returns this `Err` unchanged. @example err('x').andThen((n: number) => ok(n + 1)); // Err("x") */
  andThen<U, F>(fn: (value: T) => Result<U, F>): Result<U, E | F> {
    assertFunction('fn', fn);
    return this as unknown as Err<U, E>;
  }

  /** Returns `fn(error)`, which must be a Result. @example err('x').orElse((e) => err(`${e}!`)); // Err("x!") */
  orElse<U, F>(fn: (error: E) => Result<U, F>): Result<T | U, F> {
    assertFunction('fn', fn);
    return checkReturned('orElse', fn(this.error));
  }

  /** Returns `handlers.err(error)`. @example err('x').match({ ok: () => 1, err: () => 0 }); // 0 */
  match<A, B = A>(handlers: MatchHandlers<T, E, A, B>): A | B {
    assertHandlers(handlers);
    return handlers.err(this.error);
  }

  /** Throws the error itself, unchanged. @example err('boom').unwrap(); // throws "boom" */
  unwrap(): T {
    throw this.error;
  }

  /** Returns `fallback`. @example err('boom').unwrapOr(0); // 0 */
  unwrapOr<U>(fallback: U): T | U {
    return fallback;
  }
}

// On the prototypes, not the instances: one property per class rather than one per Result.
Object.defineProperty(Ok.prototype, brand, { value: true });
Object.defineProperty(Err.prototype, brand, { value: true });

/**
 * A value or an error: `Ok<T, E>` or `Err<T, E>`, a union narrowed by `isOk()`, `isErr()` or `ok`.
 *
 * @example
 * function parsePort(text: string): Result<number, string> {
 *   const port = Number(text);
 *   return Number.isInteger(port) && port > 0 ? ok(port) : err(`not a port: ${text}`);
 * }
 */
export type Result<T, E> = Ok<T, E> | Err<T, E>;

/**
 * Wraps a value in an `Ok`. With no argument, returns `Ok<void>` for steps that succeed with nothing to say.
 *
 * @example
 * const r: Result<number, string> = ok(42);
 * const done: Result<void, string> = ok();
 */
export function ok(): Ok<void, never>;
export function ok<T>(value: T): Ok<T, never>;
export function ok<T>(value?: T): Ok<T | undefined, never> {
  return new Ok(value);
}

/**
 * Wraps an error in an `Err`. Any value is accepted as the error; an `Error` keeps its stack for `unwrap()`.
 *
 * @example
 * const r: Result<number, Error> = err(new Error('not found'));
 */
export function err<E>(error: E): Err<never, E> {
  return new Err(error);
}

/** Why `andThen`/`orElse` check the callback's return: a stray promise would otherwise fail far from its cause. */
function checkReturned<R>(api: string, returned: R): R {
  if (isResult(returned)) return returned;
  throw misuseError(
    `Result.${api}`,
    `the callback must return a Result, but it returned ${describeValue(returned)}. ` +
      'Wrap a value with ok() or err(); for an async step, await Result.fromPromise() first.',
  );
}

function assertHandlers(handlers: unknown): void {
  if (handlers === null || typeof handlers !== 'object') {
    throw argumentError('handlers', 'an object with `ok` and `err` functions', handlers);
  }
  assertFunction('handlers.ok', (handlers as Record<string, unknown>)['ok']);
  assertFunction('handlers.err', (handlers as Record<string, unknown>)['err']);
}

function isResult(value: unknown): value is Result<unknown, unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

// Shared by every fromPromise call, so settling a promise allocates the Result and nothing else.
const toOk = <T>(value: T): Ok<T, never> => new Ok(value);
const toErr = (error: unknown): Err<never, unknown> => new Err(error);

/** The value type of a Result type, or `never` for an `Err<never, E>`. */
export type OkValue<R> = R extends Ok<infer T, unknown> ? T : R extends Err<infer T, unknown> ? T : never;
/** The error type of a Result type, or `never` for an `Ok<T, never>`. */
export type ErrValue<R> = R extends Ok<unknown, infer E> ? E : R extends Err<unknown, infer E> ? E : never;

/**
 * The value type `Result.all` gives a tuple or array of Results: a tuple keeps one type per position, whatever its
 * length; an array `Result<T, E>[]` gives `T[]`.
 */
export type AllValues<R extends readonly unknown[]> = { -readonly [K in keyof R]: OkValue<R[K]> };

/**
 * Rejects, at type level, a function that may return a promise: a string in the parameter type, so the compiler's
 * message says what to do instead. `any` (say, from `JSON.parse`) and `never` (a function that always throws) pass.
 */
type SyncOnly<T> = 0 extends 1 & T
  ? unknown
  : [Extract<T, PromiseLike<unknown>>] extends [never]
    ? unknown
    : 'Result.try takes a synchronous function; for a promise use Result.fromPromise(fn())';

/** The functions on the `Result` value. */
export interface ResultStatic {
  /**
   * Settles `promise` into a Result: `Ok` with its value or `Err` with its rejection reason. The returned promise
   * never rejects. `promise` must be a promise or thenable; anything else throws a `TypeError`.
   *
   * @example
   * const r = await Result.fromPromise(fetch(url));
   * if (r.isErr()) log(r.error);
   */
  fromPromise<T>(promise: PromiseLike<T>): Promise<Result<T, unknown>>;
  /**
   * Calls `fn` and returns `Ok` with what it returns or `Err` with what it throws. `fn` must be synchronous: a
   * function returning a promise is a type error, and at runtime throws a `taskscope:` error (the promise is left
   * running, and its rejection is not caught). Use `Result.fromPromise(fn())` for async work.
   *
   * @example
   * const r = Result.try(() => JSON.parse(text) as unknown); // Result<unknown, unknown>
   */
  try<T>(fn: (() => T) & SyncOnly<T>): Result<T, unknown>;
  /**
   * Combines Results: `Ok` with every value in order when all are `Ok`, otherwise the first `Err` by position
   * (the Results are already computed, so "first" means the lowest index, not the earliest to fail). The error type
   * is the union of the elements' error types. An empty array gives `Ok([])`.
   *
   * @example
   * const r = Result.all([ok(1), ok('two'), ok(true)]); // Result<[number, string, boolean], never>
   * const rs: Result<number, string>[] = [ok(1), err('bad')];
   * Result.all(rs); // Err("bad"), typed Result<number[], string>
   */
  all<const R extends readonly Result<unknown, unknown>[]>(results: R): Result<AllValues<R>, ErrValue<R[number]>>;
  /**
   * Whether `value` is a Result made by this library, including by another loaded copy of it.
   *
   * @example
   * Result.isResult(ok(1)); // true
   * Result.isResult({ ok: true, value: 1 }); // false
   */
  isResult(value: unknown): value is Result<unknown, unknown>;
}

/**
 * The `Result` namespace: `Result.fromPromise`, `Result.try`, `Result.all`, `Result.isResult`. Same name as the
 * type, so `Result<T, E>` and `Result.all(...)` read together. The object is frozen.
 *
 * @example
 * const [a, b] = Result.all([Result.try(() => f()), Result.try(() => g())]).unwrap();
 */
export const Result: ResultStatic = Object.freeze({
  fromPromise<T>(promise: PromiseLike<T>): Promise<Result<T, unknown>> {
    if (promise === null || (typeof promise !== 'object' && typeof promise !== 'function') || typeof promise.then !== 'function') {
      throw argumentError('promise', 'a promise', promise);
    }
    // Promise.resolve adopts any thenable, and turns a `then` that throws into a rejection we then catch.
    return Promise.resolve(promise).then<Result<T, unknown>, Result<T, unknown>>(toOk, toErr);
  },

  try<T>(fn: () => T): Result<T, unknown> {
    assertFunction('fn', fn);
    let value: T;
    try {
      value = fn();
    } catch (error) {
      return new Err(error);
    }
    if (value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
      throw misuseError('Result.try', 'the function returned a promise, whose failure it cannot catch. Use Result.fromPromise(fn()) instead.');
    }
    return new Ok(value);
  },

  all<const R extends readonly Result<unknown, unknown>[]>(results: R): Result<AllValues<R>, ErrValue<R[number]>> {
    if (!Array.isArray(results)) throw argumentError('results', 'an array of Results', results);
    const values: unknown[] = new Array(results.length);
    for (let i = 0; i < results.length; i++) {
      const result: unknown = results[i];
      if (!isResult(result)) throw argumentError(`results[${i}]`, 'a Result', result);
      if (!result.ok) return result as Err<AllValues<R>, ErrValue<R[number]>>;
      values[i] = result.value;
    }
    return new Ok(values as AllValues<R>);
  },

  isResult,
} satisfies ResultStatic);
