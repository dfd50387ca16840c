// Type-level tests. `expectTypeOf` does nothing at runtime: these fail in `tsc --noEmit` (part of `npm test`), and
// every `@ts-expect-error` fails there too if the line it guards stops being an error.
import { describe, expectTypeOf, it } from 'vitest';
import { err, ok, Result, type Err, type Ok } from '../../runtime/result.js';

// Values, not `declare const`: Vitest runs this file too. The cast keeps the declared type a union.
const r = ok(1) as Result<number, string>;

/** Type-checks `fn` without running it: for calls that are meant not to compile (and would throw if run). */
function typeOnly(_fn: () => void): void {}

describe('ok', () => {
  it('infers the value type and a never error', () => {
    expectTypeOf(ok(1)).toEqualTypeOf<Ok<number, never>>();
    expectTypeOf(ok()).toEqualTypeOf<Ok<void, never>>();
  });

  it('is assignable to a Result with any error type', () => {
    expectTypeOf(ok(1)).toExtend<Result<number, string>>();
    expectTypeOf(ok()).toExtend<Result<void, Error>>();
    expectTypeOf(ok('x')).not.toExtend<Result<number, string>>();
  });
});

describe('err', () => {
  it('infers the error type and a never value', () => {
    expectTypeOf(err('boom')).toEqualTypeOf<Err<never, string>>();
    expectTypeOf(err('boom')).toExtend<Result<number, string>>();
    expectTypeOf(err(404)).not.toExtend<Result<number, string>>();
  });
});

describe('Result', () => {
  it('hides value and error until narrowed', () => {
    // @ts-expect-error value is not on the union
    void r.value;
    // @ts-expect-error error is not on the union
    void r.error;
  });

  it('narrows with isOk and isErr', () => {
    if (r.isOk()) {
      expectTypeOf(r.value).toEqualTypeOf<number>();
    } else {
      expectTypeOf(r.error).toEqualTypeOf<string>();
    }
    if (r.isErr()) {
      expectTypeOf(r.error).toEqualTypeOf<string>();
    } else {
      expectTypeOf(r.value).toEqualTypeOf<number>();
    }
  });

  it('narrows with the ok discriminant', () => {
    if (r.ok) {
      expectTypeOf(r).toEqualTypeOf<Ok<number, string>>();
      expectTypeOf(r.value).toEqualTypeOf<number>();
    } else {
      expectTypeOf(r).toEqualTypeOf<Err<number, string>>();
      expectTypeOf(r.error).toEqualTypeOf<string>();
    }
  });

  it('types map, mapErr, andThen and orElse', () => {
    expectTypeOf(r.map((n) => String(n))).toEqualTypeOf<Result<string, string>>();
    expectTypeOf(r.mapErr((e) => new Error(e))).toEqualTypeOf<Result<number, Error>>();
    expectTypeOf(r.andThen((n) => (n > 0 ? ok(n) : err(404 as const)))).toEqualTypeOf<Result<number, string | 404>>();
    expectTypeOf(r.orElse((e) => (e ? ok(e) : err(false)))).toEqualTypeOf<Result<number | string, boolean>>();
  });

  it('rejects an andThen callback that returns a plain value or a promise', () => {
    typeOnly(() => {
      // @ts-expect-error a plain value is not a Result
      void r.andThen((n) => n + 1);
      // @ts-expect-error an async step must be awaited first
      void r.andThen(async (n) => ok(n));
    });
  });

  it('types match, unwrap and unwrapOr', () => {
    expectTypeOf(r.match({ ok: (n) => n, err: (e) => e.length })).toEqualTypeOf<number>();
    expectTypeOf(r.match({ ok: (n) => n, err: (e) => e })).toEqualTypeOf<number | string>();
    expectTypeOf(r.unwrap()).toEqualTypeOf<number>();
    expectTypeOf(r.unwrapOr(null)).toEqualTypeOf<number | null>();
  });

  it('allows method calls on an unannotated union of ok() and err()', () => {
    const parse = (text: string) => (text ? ok(text.length) : err('empty' as const));
    expectTypeOf(parse('abc').map((n) => n * 2)).toEqualTypeOf<Result<number, never> | Result<number, 'empty'>>();
    expectTypeOf(parse('abc').map((n) => n * 2)).toExtend<Result<number, 'empty'>>();
    expectTypeOf(parse('abc').unwrapOr(0)).toEqualTypeOf<number>();
  });

  it('requires both match handlers', () => {
    typeOnly(() => {
      // @ts-expect-error err is missing
      r.match({ ok: (n) => n });
    });
  });
});

describe('Result.fromPromise', () => {
  it('resolves to a Result with an unknown error', () => {
    expectTypeOf(Result.fromPromise(Promise.resolve(1))).toEqualTypeOf<Promise<Result<number, unknown>>>();
  });
});

describe('Result.try', () => {
  it('returns a Result with an unknown error', () => {
    expectTypeOf(Result.try(() => 1)).toEqualTypeOf<Result<number, unknown>>();
    expectTypeOf(Result.try(() => undefined)).toEqualTypeOf<Result<undefined, unknown>>();
  });

  it('accepts a function returning any or never', () => {
    // `any` is the point here: JSON.parse returns it, and Result.try must still accept the function.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any
    expectTypeOf(Result.try(() => JSON.parse('1'))).toEqualTypeOf<Result<any, unknown>>();
    expectTypeOf(Result.try((): never => { throw new Error('always'); })).toEqualTypeOf<Result<never, unknown>>();
    expectTypeOf(Result.try(() => { throw new Error('always'); })).toEqualTypeOf<Result<never, unknown>>();
  });

  it('rejects a function that returns a promise', () => {
    typeOnly(() => {
      // @ts-expect-error use Result.fromPromise for async work
      void Result.try(async () => 1);
      // @ts-expect-error a promise returned by a sync function is rejected too
      void Result.try(() => Promise.resolve(1));
      // @ts-expect-error a function that only sometimes returns a promise is rejected too
      void Result.try(() => (Math.random() > 0.5 ? 1 : Promise.resolve(1)));
    });
  });
});

describe('Result.all', () => {
  it('keeps per-position value types for a tuple of nine', () => {
    const all = Result.all([
      ok(1),
      ok('two'),
      ok(true),
      ok(null),
      ok(undefined),
      ok(3n),
      ok({ seven: 7 }),
      ok([8] as const),
      ok(new Date(9)),
    ]);
    expectTypeOf(all).toEqualTypeOf<
      Result<[number, string, boolean, null, undefined, bigint, { seven: number }, readonly [8], Date], never>
    >();
  });

  it('unions the element error types', () => {
    const a: Result<number, 'a'> = ok(1);
    const b: Result<string, 'b'> = ok('x');
    const c: Result<boolean, Error> = ok(true);
    expectTypeOf(Result.all([a, b, c])).toEqualTypeOf<Result<[number, string, boolean], 'a' | 'b' | Error>>();
    expectTypeOf(Result.all([ok(1), err('no')])).toEqualTypeOf<Result<[number, never], string>>();
  });

  it('gives a Result of an empty tuple for an empty tuple', () => {
    expectTypeOf(Result.all([])).toEqualTypeOf<Result<[], never>>();
  });

  it('gives an array for an array', () => {
    const rs: Result<number, string>[] = [];
    expectTypeOf(Result.all(rs)).toEqualTypeOf<Result<number[], string>>();
    const ro: readonly Result<number, string>[] = [];
    expectTypeOf(Result.all(ro)).toEqualTypeOf<Result<number[], string>>();
  });

  it('rejects elements that are not Results', () => {
    typeOnly(() => {
      // @ts-expect-error 2 is not a Result
      void Result.all([ok(1), 2]);
    });
  });
});

describe('Result.isResult', () => {
  it('narrows unknown to a Result', () => {
    const x: unknown = ok(1);
    if (Result.isResult(x)) expectTypeOf(x).toEqualTypeOf<Result<unknown, unknown>>();
  });
});
