import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { err, ok, Result } from '../../runtime/result.js';

type ResultModule = typeof import('../../runtime/result.js');

/** A second, separately evaluated copy of the module, as when `dist/` and source are both loaded. */
async function loadCopy(tag: string): Promise<ResultModule> {
  // The query string makes Vite evaluate the module again; a variable keeps tsc from resolving the specifier.
  const specifier = `../../runtime/result.js?copy=${tag}`;
  return (await import(specifier)) as ResultModule;
}

const notAFunction = 'Expected `fn` to be a function, got `5` (number).';

/** Any Result, with any value or error. */
const anyResult = fc.oneof(fc.anything().map((v) => ok(v)), fc.anything().map((e) => err(e)));
type AnyResult = Result<unknown, unknown>;

describe('ok', () => {
  it('wraps a value in an Ok', () => {
    const r = ok(42);
    expect(r.ok).toBe(true);
    expect(r.value).toBe(42);
  });

  it('wraps undefined when called without an argument', () => {
    const r = ok();
    expect(r.ok).toBe(true);
    expect(r.value).toBeUndefined();
  });
});

describe('err', () => {
  it('wraps any value as the error', () => {
    const cause = { code: 404 };
    const r = err(cause);
    expect(r.ok).toBe(false);
    expect(r.error).toBe(cause);
  });
});

describe('Result', () => {
  describe('isOk and isErr', () => {
    it('tell an Ok from an Err', () => {
      expect([ok(1).isOk(), ok(1).isErr()]).toEqual([true, false]);
      expect([err(1).isOk(), err(1).isErr()]).toEqual([false, true]);
    });
  });

  describe('map', () => {
    it('applies the function to the value of an Ok', () => {
      expect(ok(2).map((n) => n * 10)).toStrictEqual(ok(20));
    });

    it('returns an Err unchanged without calling the function', () => {
      const e: AnyResult = err('x');
      const fn = vi.fn();
      expect(e.map(fn)).toBe(e);
      expect(fn).not.toHaveBeenCalled();
    });

    it('lets an exception from the function propagate', () => {
      const boom = new Error('boom');
      expect(() => ok(1).map(() => { throw boom; })).toThrow(boom);
    });

    it('rejects a non-function in both states', () => {
      expect(() => ok(1).map(5 as never)).toThrow(new TypeError(notAFunction));
      expect(() => err(1).map(5 as never)).toThrow(new TypeError(notAFunction));
    });
  });

  describe('mapErr', () => {
    it('applies the function to the error of an Err', () => {
      expect(err(404).mapErr((code) => `HTTP ${code}`)).toStrictEqual(err('HTTP 404'));
    });

    it('returns an Ok unchanged without calling the function', () => {
      const o: AnyResult = ok(1);
      const fn = vi.fn();
      expect(o.mapErr(fn)).toBe(o);
      expect(fn).not.toHaveBeenCalled();
    });

    it('rejects a non-function in both states', () => {
      expect(() => ok(1).mapErr(5 as never)).toThrow(new TypeError(notAFunction));
      expect(() => err(1).mapErr(5 as never)).toThrow(new TypeError(notAFunction));
    });
  });

  describe('andThen', () => {
    it('returns the Result of the function called with the value', () => {
      const next = err('odd');
      expect(ok(3).andThen(() => next)).toBe(next);
    });

    it('returns an Err unchanged without calling the function', () => {
      const e: AnyResult = err('x');
      const fn = vi.fn();
      expect(e.andThen(fn)).toBe(e);
      expect(fn).not.toHaveBeenCalled();
    });

    it('throws a taskscope error when the function returns something that is not a Result', () => {
      const expected =
        'taskscope: Result.andThen: the callback must return a Result, but it returned `4` (number). ' +
        'Wrap a value with ok() or err(); for an async step, await Result.fromPromise() first.';
      expect(() => ok(3).andThen((n) => (n + 1) as never)).toThrow(new Error(expected));
      expect(() => ok(3).andThen((async (n: number) => ok(n)) as never)).toThrow('it returned an instance of `Promise`');
    });

    it('accepts a Result made by another copy of the module', async () => {
      const copy = await loadCopy('andThen');
      const foreign = copy.ok(2);
      expect(ok(1).andThen(() => foreign)).toBe(foreign);
    });

    it('rejects a non-function in both states', () => {
      expect(() => ok(1).andThen(5 as never)).toThrow(new TypeError(notAFunction));
      expect(() => err(1).andThen(5 as never)).toThrow(new TypeError(notAFunction));
    });
  });

  describe('orElse', () => {
    it('returns the Result of the function called with the error', () => {
      expect(err('missing').orElse(() => ok('default'))).toStrictEqual(ok('default'));
    });

    it('returns an Ok unchanged without calling the function', () => {
      const o: AnyResult = ok(1);
      const fn = vi.fn();
      expect(o.orElse(fn)).toBe(o);
      expect(fn).not.toHaveBeenCalled();
    });

    it('throws a taskscope error when the function returns something that is not a Result', () => {
      expect(() => err(1).orElse(() => null as never)).toThrow(
        'taskscope: Result.orElse: the callback must return a Result, but it returned `null`.',
      );
    });

    it('rejects a non-function in both states', () => {
      expect(() => ok(1).orElse(5 as never)).toThrow(new TypeError(notAFunction));
      expect(() => err(1).orElse(5 as never)).toThrow(new TypeError(notAFunction));
    });
  });

  describe('match', () => {
    it('calls the handler for the state and returns what it returns', () => {
      const handlers = { ok: (n: number) => `got ${n}`, err: (e: string) => `failed: ${e}` };
      const good: Result<number, string> = ok(1);
      const bad: Result<number, string> = err('boom');
      expect(good.match(handlers)).toBe('got 1');
      expect(bad.match(handlers)).toBe('failed: boom');
    });

    it('requires both handlers to be functions, whichever one runs', () => {
      expect(() => ok(1).match({ ok: (n: number) => n } as never)).toThrow(
        new TypeError('Expected `handlers.err` to be a function, got `undefined`.'),
      );
      expect(() => err(1).match({ err: (e: number) => e } as never)).toThrow(
        new TypeError('Expected `handlers.ok` to be a function, got `undefined`.'),
      );
    });

    it('rejects handlers that are not an object', () => {
      expect(() => ok(1).match(null as never)).toThrow(
        new TypeError('Expected `handlers` to be an object with `ok` and `err` functions, got `null`.'),
      );
    });
  });

  describe('unwrap', () => {
    it('returns the value of an Ok', () => {
      expect(ok('v').unwrap()).toBe('v');
    });

    it('throws the error of an Err itself, unchanged', () => {
      const boom = new Error('boom');
      let thrown: unknown;
      try {
        err(boom).unwrap();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBe(boom);
    });

    it('throws an error that is not an Error as is', () => {
      let thrown: unknown = 'nothing thrown';
      try {
        err(404).unwrap();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBe(404);
    });
  });

  describe('unwrapOr', () => {
    it('returns the value of an Ok and the fallback for an Err', () => {
      expect(ok(1).unwrapOr(0)).toBe(1);
      expect(err('boom').unwrapOr(0)).toBe(0);
    });
  });

  describe('laws', () => {
    const results = anyResult as fc.Arbitrary<AnyResult>;
    const fns = fc.func(fc.anything());
    const resultFns = fc.func(results);

    it('map keeps identity', () => {
      fc.assert(fc.property(results, (r) => {
        expect(r.map((x) => x)).toStrictEqual(r);
      }));
    });

    it('map composes', () => {
      fc.assert(fc.property(results, fns, fns, (r, f, g) => {
        expect(r.map(f).map(g)).toStrictEqual(r.map((x) => g(f(x))));
      }));
    });

    it('mapErr keeps identity and composes', () => {
      fc.assert(fc.property(results, fns, fns, (r, f, g) => {
        expect(r.mapErr((x) => x)).toStrictEqual(r);
        expect(r.mapErr(f).mapErr(g)).toStrictEqual(r.mapErr((x) => g(f(x))));
      }));
    });

    it('andThen has ok as left identity', () => {
      fc.assert(fc.property(fc.anything(), resultFns, (a, f) => {
        expect(ok(a).andThen(f)).toStrictEqual(f(a));
      }));
    });

    it('andThen has ok as right identity', () => {
      fc.assert(fc.property(results, (r) => {
        expect(r.andThen((x) => ok(x))).toStrictEqual(r);
      }));
    });

    it('andThen is associative', () => {
      fc.assert(fc.property(results, resultFns, resultFns, (r, f, g) => {
        expect(r.andThen(f).andThen(g)).toStrictEqual(r.andThen((x) => f(x).andThen(g)));
      }));
    });
  });
});

describe('Result.fromPromise', () => {
  it('resolves to an Ok with the value of a fulfilled promise', async () => {
    await expect(Result.fromPromise(Promise.resolve(7))).resolves.toStrictEqual(ok(7));
  });

  it('resolves to an Err with the reason of a rejected promise, unchanged', async () => {
    const reason = new Error('offline');
    const r = await Result.fromPromise(Promise.reject(reason));
    expect(r.isErr() && r.error).toBe(reason);
  });

  it('adopts a thenable, and a then that throws becomes an Err', async () => {
    const good: PromiseLike<number> = { then: (onFulfilled) => Promise.resolve(onFulfilled?.(3)) as never };
    await expect(Result.fromPromise(good)).resolves.toStrictEqual(ok(3));
    const bad: PromiseLike<number> = {
      then: () => {
        throw 'then failed';
      },
    };
    await expect(Result.fromPromise(bad)).resolves.toStrictEqual(err('then failed'));
  });

  it('rejects an argument that is not a promise', () => {
    expect(() => Result.fromPromise(7 as never)).toThrow(new TypeError('Expected `promise` to be a promise, got `7` (number).'));
    expect(() => Result.fromPromise({} as never)).toThrow(TypeError);
  });
});

describe('Result.try', () => {
  it('returns an Ok with what the function returns', () => {
    expect(Result.try(() => JSON.parse('[1]') as unknown)).toStrictEqual(ok([1]));
  });

  it('returns an Err with what the function throws, unchanged', () => {
    const r = Result.try(() => JSON.parse('{') as unknown);
    expect(r.isErr() && r.error).toBeInstanceOf(SyntaxError);
    expect(Result.try(() => { throw 'plain'; })).toStrictEqual(err('plain'));
  });

  it('rejects a non-function', () => {
    expect(() => Result.try(5 as never)).toThrow(new TypeError(notAFunction));
  });

  it('throws a taskscope error when the function returns a promise', () => {
    // Typed `() => unknown`, as when the promise hides behind a wider type, so the compiler cannot catch it.
    const hidden: () => unknown = () => Promise.resolve(1);
    expect(() => Result.try(hidden)).toThrow(
      new Error('taskscope: Result.try: the function returned a promise, whose failure it cannot catch. Use Result.fromPromise(fn()) instead.'),
    );
  });
});

describe('Result.all', () => {
  it('returns an Ok with every value in order when all are Ok', () => {
    expect(Result.all([ok(1), ok('two'), ok(true)])).toStrictEqual(ok([1, 'two', true]));
  });

  it('returns the first Err by position', () => {
    const first = err('first');
    expect(Result.all([ok(1), first, err('second')])).toBe(first);
  });

  it('returns an Ok of an empty array for an empty array', () => {
    expect(Result.all([])).toStrictEqual(ok([]));
  });

  it('leaves the input array unchanged', () => {
    const input = [ok(1), ok(2)];
    void Result.all(input);
    expect(input).toStrictEqual([ok(1), ok(2)]);
  });

  it('rejects a non-array and names an element that is not a Result', () => {
    expect(() => Result.all(ok(1) as never)).toThrow(new TypeError('Expected `results` to be an array of Results, got an instance of `Ok`.'));
    expect(() => Result.all([ok(1), { ok: true, value: 2 }] as never)).toThrow(
      new TypeError('Expected `results[1]` to be a Result, got `[object]` (object).'),
    );
  });

  it('returns the first Err, or every value in order (property)', () => {
    fc.assert(fc.property(fc.array(anyResult as fc.Arbitrary<AnyResult>), (rs) => {
      const firstErr = rs.find((r) => r.isErr());
      const combined = Result.all(rs);
      if (firstErr) expect(combined).toBe(firstErr);
      else expect(combined).toStrictEqual(ok(rs.map((r) => r.unwrap())));
    }));
  });
});

describe('Result.isResult', () => {
  it('is true for an Ok and an Err', () => {
    expect([Result.isResult(ok(1)), Result.isResult(err(1))]).toEqual([true, true]);
  });

  it('is false for lookalikes and non-objects', () => {
    const lookalike = { ok: true, value: 1, isOk: () => true, isErr: () => false };
    expect([lookalike, null, undefined, 1, 'ok'].map((x) => Result.isResult(x))).toEqual([false, false, false, false, false]);
  });

  it('is true for a Result made by another copy of the module', async () => {
    const copy = await loadCopy('isResult');
    expect(copy.Result).not.toBe(Result);
    expect(Result.isResult(copy.err('x'))).toBe(true);
  });
});

// Each `@example` in runtime/result.ts, repeated (STYLE.md).
describe('TSDoc examples', () => {
  it('Result: parsePort', () => {
    function parsePort(text: string): Result<number, string> {
      const port = Number(text);
      return Number.isInteger(port) && port > 0 ? ok(port) : err(`not a port: ${text}`);
    }
    expect(parsePort('8080')).toStrictEqual(ok(8080));
    expect(parsePort('http')).toStrictEqual(err('not a port: http'));
  });

  it('ok, err, Ok and Err', () => {
    const r: Result<number, string> = ok(42);
    const done: Result<void, string> = ok();
    const e: Result<number, Error> = err(new Error('not found'));
    expect(r.isOk() && r.value).toBe(42);
    expect(done.isOk()).toBe(true);
    expect(e.isErr() && e.error.message).toBe('not found');
  });

  it('map, mapErr and unwrapOr', () => {
    expect(ok(2).map((n) => n * 10)).toStrictEqual(ok(20));
    expect(err('boom').mapErr((message) => new Error(message))).toStrictEqual(err(new Error('boom')));
    expect(err('x').map((n: number) => n + 1)).toStrictEqual(err('x'));
    expect(err(404).mapErr((code) => `HTTP ${code}`)).toStrictEqual(err('HTTP 404'));
    expect(err('boom').unwrapOr(0)).toBe(0);
  });

  it('andThen and orElse', () => {
    const half = (n: number): Result<number, string> => (n % 2 === 0 ? ok(n / 2) : err(`${n} is odd`));
    expect(ok(8).andThen(half).andThen(half)).toStrictEqual(ok(2));
    expect(ok(6).andThen(half).andThen(half)).toStrictEqual(err('3 is odd'));
    expect(err('x').andThen((n: number) => ok(n + 1))).toStrictEqual(err('x'));
    expect(err('missing').orElse(() => ok('default'))).toStrictEqual(ok('default'));
    expect(err('x').orElse((e) => err(`${e}!`))).toStrictEqual(err('x!'));
  });

  it('match', () => {
    const r: Result<number, string> = ok(3);
    const label = r.match({ ok: (n) => `got ${n}`, err: (e) => `failed: ${e}` });
    expect(label).toBe('got 3');
    expect(err('x').match({ ok: () => 1, err: () => 0 })).toBe(0);
  });

  it('unwrap', () => {
    expect(ok(1).unwrap()).toBe(1);
    expect(() => err(new Error('boom')).unwrap()).toThrow('boom');
    expect(() => err('boom').unwrap()).toThrow('boom');
  });

  it('Result.fromPromise', async () => {
    const log = vi.fn();
    const fetchLike = (_url: string): Promise<string> => Promise.reject(new Error('offline'));
    const r = await Result.fromPromise(fetchLike('https://example.test'));
    if (r.isErr()) log(r.error);
    expect(log).toHaveBeenCalledWith(new Error('offline'));
  });

  it('Result.try', () => {
    const text = '{"a":1}';
    const r = Result.try(() => JSON.parse(text) as unknown);
    expect(r).toStrictEqual(ok({ a: 1 }));
  });

  it('Result.all', () => {
    expect(Result.all([ok(1), ok('two'), ok(true)])).toStrictEqual(ok([1, 'two', true]));
    const rs: Result<number, string>[] = [ok(1), err('bad')];
    expect(Result.all(rs)).toStrictEqual(err('bad'));
  });

  it('Result.isResult', () => {
    expect(Result.isResult(ok(1))).toBe(true);
    expect(Result.isResult({ ok: true, value: 1 })).toBe(false);
  });

  it('the Result namespace', () => {
    const f = (): number => 1;
    const g = (): string => 'g';
    const [a, b] = Result.all([Result.try(() => f()), Result.try(() => g())]).unwrap();
    expect([a, b]).toEqual([1, 'g']);
  });
});
