import { describe, expect, it } from 'vitest';
import { toBeErr, toBeOk } from '../../runtime/testing/matchers.js';
import { err, ok } from '../../runtime/result.js';

// Registered here rather than through the setup entry, so this file also runs without it. The types come from
// the module augmentation in runtime/testing/vitest.ts, which is part of the program: `npm run typecheck` fails
// if `expect(r).toBeOk(1)` stops typechecking.
expect.extend({ toBeOk, toBeErr });
const check = expect;

describe('toBeOk', () => {
  it('passes for an ok result, with or without an expected value', () => {
    check(ok(1)).toBeOk();
    check(ok({ a: [1] })).toBeOk({ a: [1] });
    check(ok({ id: 7, name: 'x' })).toBeOk(expect.objectContaining({ id: 7 }));
  });

  it('fails for an err result, a different value, or a non-result, saying what it got', () => {
    expect(() => check(err('nope')).toBeOk()).toThrow('expected err("nope") to be ok');
    expect(() => check(ok(1)).toBeOk(2)).toThrow('expected ok(1) to be ok(2)');
    expect(() => check(42).toBeOk()).toThrow('expected a Result (a value with isOk() and isErr()), got 42');
  });

  it('distinguishes an expected undefined from no expected value', () => {
    check(ok(1)).toBeOk();
    expect(() => check(ok(1)).toBeOk(undefined)).toThrow('expected ok(1) to be ok(undefined)');
  });

  it('negates', () => {
    check(err('x')).not.toBeOk();
    expect(() => check(ok(1)).not.toBeOk()).toThrow('expected ok(1) not to be ok');
  });

  it('accepts any value with isOk() and isErr() methods', () => {
    check({ isOk: () => true, isErr: () => false, value: 'structural' }).toBeOk('structural');
  });
});

describe('toBeErr', () => {
  it('passes for an err result, comparing the error with toEqual equality', () => {
    check(err('nope')).toBeErr('nope');
    check(err(new RangeError('too big'))).toBeErr(expect.any(RangeError));
    check(ok(1)).not.toBeErr();
  });

  it('fails for an ok result or a different error', () => {
    expect(() => check(ok(1)).toBeErr()).toThrow('expected ok(1) to be err');
    expect(() => check(err('a')).toBeErr('b')).toThrow('expected err("a") to be err("b")');
  });
});
