import ts from 'typescript';
import { inMemoryProgram } from './in-memory-program.js';
import { describe, expect, it } from 'vitest';
import { canUnwrap, declaresResult, isResultThenable, isResultValued, mayReturnResult, returnsResult } from '../../rules/facts/results.js';

// One in-memory program: a taskscope-like Result under /app/runtime/ (recognised by declaration), a neverthrow-like one
// (recognised by shape, no unwrap), and the calls the facts are asked about.
const SOURCES: Record<string, string> = {
  '/app/runtime/result.ts': `
    export class Ok<T, E> { constructor(readonly value: T) {} isOk(): this is Ok<T, E> { return true; } isErr(): this is Err<T, E> { return false; } unwrap(): T { return this.value; } }
    export class Err<T, E> { constructor(readonly error: E) {} isOk(): this is Ok<T, E> { return false; } isErr(): this is Err<T, E> { return true; } unwrap(): T { throw this.error; } }
    export type Result<T, E> = Ok<T, E> | Err<T, E>;
  `,
  '/app/main.ts': `
    import type { Result } from './runtime/result.js';
    interface NtOk<T> { isOk(): boolean; isErr(): boolean; value: T; _unsafeUnwrap(): T }
    interface ResultAsync<T> extends PromiseLike<NtOk<T>> { map<A>(f: (value: T) => A): ResultAsync<A> }
    declare function parsePort(text: string): Result<number, string>;
    declare function save(): Promise<Result<void, string>>;
    declare function sendMail(): ResultAsync<void>;
    declare function touch(): Promise<void>;
    declare function count(): number;
    declare function retry<T>(attempt: () => T): T;
    declare const untyped: any;
    declare const cache: Map<string, Result<number, string>>;
    declare const port: Result<number, string>;
    declare const maybePort: Result<number, string> | undefined;
    declare const ntResult: NtOk<number>;
    declare const mail: ResultAsync<void>;
    declare const pending: Promise<Result<void, string>>;
    declare const parser: (text: string) => Result<number, string>;
    declare const saver: () => Promise<Result<void, string>>;
    declare const counter: () => number;
    export const calls = [parsePort('80'), retry(() => parsePort('80')), cache.get('k'), save()];
  `,
};

const { program, checker, main } = inMemoryProgram(SOURCES, { lib: ['lib.es2023.d.ts'], types: [] });

/** The type of the declaration `<name>` in main.ts. */
function typeOf(name: string): ts.Type {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name?.getText() === name) found = node.name;
    ts.forEachChild(node, visit);
  };
  visit(main);
  if (!found) throw new Error(`no declaration of ${name} in main.ts`);
  return checker.getTypeAtLocation(found);
}

/** The resolved signature of the `index`-th call in `export const calls = [...]`. */
function resolvedCall(index: number): ts.Signature {
  let calls: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'calls' && node.initializer && ts.isArrayLiteralExpression(node.initializer)) calls = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(main);
  return checker.getResolvedSignature(calls!.elements[index] as ts.CallExpression)!;
}

// Without this, a fixture that stops compiling would turn every type into an error type and the `false` cases would
// pass for the wrong reason.
describe('the fixture program', () => {
  it('type-checks', () => {
    expect(ts.getPreEmitDiagnostics(program, main).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});

describe('isResultValued', () => {
  it('recognises taskscope and neverthrow-shaped Results, also when optional', () => {
    expect(isResultValued(checker, typeOf('port'))).toBe(true);
    expect(isResultValued(checker, typeOf('maybePort'))).toBe(true);
    expect(isResultValued(checker, typeOf('ntResult'))).toBe(true);
  });

  it('rejects promises of Results, any and plain values', () => {
    expect(isResultValued(checker, typeOf('pending'))).toBe(false);
    expect(isResultValued(checker, typeOf('untyped'))).toBe(false);
    expect(isResultValued(checker, checker.getNumberType())).toBe(false);
  });
});

describe('isResultThenable', () => {
  it('accepts a thenable that settles to a Result', () => {
    expect(isResultThenable(checker, typeOf('mail'))).toBe(true);
  });

  it('leaves a Promise of a Result to the promise rules', () => {
    expect(isResultThenable(checker, typeOf('pending'))).toBe(false);
    expect(isResultThenable(checker, typeOf('port'))).toBe(false);
  });
});

describe('mayReturnResult', () => {
  it('accepts callees declared to return a Result, a ResultAsync or a generic', () => {
    expect(mayReturnResult(checker, typeOf('parsePort'))).toBe(true);
    expect(mayReturnResult(checker, typeOf('sendMail'))).toBe(true);
    expect(mayReturnResult(checker, typeOf('retry'))).toBe(true);
  });

  it('counts a Promise of a Result only when the call is awaited', () => {
    expect(mayReturnResult(checker, typeOf('save'))).toBe(false);
    expect(mayReturnResult(checker, typeOf('save'), true)).toBe(true);
  });

  it('rejects callees that cannot give a Result, and any', () => {
    expect(mayReturnResult(checker, typeOf('touch'), true)).toBe(false);
    expect(mayReturnResult(checker, typeOf('count'))).toBe(false);
    expect(mayReturnResult(checker, typeOf('untyped'))).toBe(false);
  });
});

describe('returnsResult', () => {
  it('accepts functions returning a Result or a promise of one', () => {
    expect(returnsResult(checker, typeOf('parser'))).toBe(true);
    expect(returnsResult(checker, typeOf('saver'))).toBe(true);
  });

  it('rejects other functions and non-functions', () => {
    expect(returnsResult(checker, typeOf('counter'))).toBe(false);
    expect(returnsResult(checker, typeOf('port'))).toBe(false);
  });
});

describe('declaresResult', () => {
  it('accepts a signature declared to return a Result', () => {
    expect(declaresResult(checker, resolvedCall(0))).toBe(true);
  });

  it('rejects a generic return that only becomes a Result by instantiation', () => {
    expect(declaresResult(checker, resolvedCall(1))).toBe(false);
    expect(declaresResult(checker, resolvedCall(2))).toBe(false);
  });

  it('accepts a declared Promise of a Result only when awaited', () => {
    expect(declaresResult(checker, resolvedCall(3))).toBe(false);
    expect(declaresResult(checker, resolvedCall(3), true)).toBe(true);
  });
});

describe('canUnwrap', () => {
  it('accepts a Result whose every member has unwrap()', () => {
    expect(canUnwrap(checker, typeOf('port'))).toBe(true);
  });

  it('rejects an optional Result and one without unwrap()', () => {
    expect(canUnwrap(checker, typeOf('maybePort'))).toBe(false);
    expect(canUnwrap(checker, typeOf('ntResult'))).toBe(false);
  });
});
