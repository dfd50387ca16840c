import ts from 'typescript';
import { inMemoryProgram } from './in-memory-program.js';
import { describe, expect, it } from 'vitest';
import {
  awaitsCallbackResult,
  cannotReject,
  closesResource,
  declaresPromiseProperty,
  expectsVoidReturn,
  isGeneric,
  isKnownSafeCallee,
  mayBecomePromise,
  isPromiseArray,
  isPromiseLike,
  isResultLike,
  isThenable,
  mayBeNullish,
  mayReturnPromise,
  parameterTypeAt,
  returnsArrayAlways,
  returnedParameters,
  signalSlot,
  taskscopePrimitive,
  truthiness,
} from '../../rules/facts.js';

// One in-memory program for every fact: the sources below plus the real lib files and @types/node. The files under
// /app/runtime/ and /app/node_modules/taskscope/ stand in for taskscope's own declarations.
const SOURCES: Record<string, string> = {
  '/app/runtime/result.ts': `
    export class Ok<T> { constructor(readonly value: T) {} isOk(): true { return true; } isErr(): false { return false; } }
    export class Err<E> { constructor(readonly error: E) {} isOk(): false { return false; } isErr(): true { return true; } }
    export type Result<T, E> = Ok<T> | Err<E>;
  `,
  '/app/node_modules/taskscope/dist/runtime/index.d.ts': `
    export declare class ErrGroup { go(task: (signal: AbortSignal) => unknown): void; wait(): Promise<void>; }
    export interface Permit { release(): void; }
    export declare class Semaphore { acquire(): Promise<Permit>; }
  `,
  '/app/main.ts': `
    import type { Result } from './runtime/result.js';
    import type { ErrGroup, Permit, Semaphore } from './node_modules/taskscope/dist/runtime/index.js';
    import type { FileHandle } from 'node:fs/promises';
    import { test } from 'node:test';
    class OwnPromise<T> extends Promise<T> {}
    class Result2 { isOk(): boolean { return true; } }
    class Server { close(): void {} }
    interface Thenable { then(onFulfilled: (value: number) => void): Thenable; }
    interface NotThenable { then(label: string): void; }
    declare function withSignal(url: string, signal?: AbortSignal): Promise<void>;
    declare function withOptions(url: string, options: { retries?: number; signal?: AbortSignal }): Promise<void>;
    declare function withoutSignal(url: string): Promise<void>;
    declare function rest(first: string, ...callbacks: Array<() => void>): void;
    declare function identity<T>(value: T): T;
    declare function repeat<T>(value: T, times: number): T[];
    declare function settledPair(): readonly [number, Promise<void>];
    declare function listOrOne<T>(value: T): T[] | Promise<T>;
    declare const promise: Promise<number>;
    declare const ownPromise: OwnPromise<number>;
    declare const promiseLike: PromiseLike<number>;
    declare const thenable: Thenable;
    declare const notThenable: NotThenable;
    declare const maybePromise: Promise<void> | undefined;
    declare const promises: Array<Promise<string>>;
    declare const tuple: [number, Promise<void>];
    declare const numbers: number[];
    declare const result: Result<number, Error>;
    declare const neverthrowLike: { isOk(): boolean; isErr(): boolean; value: number };
    declare const ownResult: Result2;
    declare const group: ErrGroup;
    declare const semaphore: Semaphore;
    declare const permit: Permit;
    declare const writer: WritableStreamDefaultWriter<string>;
    declare const reader: ReadableStreamDefaultReader<string>;
    declare const file: FileHandle;
    declare const ownServer: Server;
    declare const voidCallback: () => void;
    declare const asyncCallback: () => Promise<void>;
    declare const eitherCallback: (() => void) | (() => Promise<void>);
    declare const anyCallback: () => any;
    declare const alwaysFalse: false;
    declare const someText: string;
    declare const anObject: { a: 1 };
    declare const maybeObject: { a: 1 } | null;
    declare const nonEmpty: 'x';
    declare function tag<T>(value: T, name: string): T;
    declare function retry<T>(value: T, make: () => T): T;
    declare function either<T>(a: T, b: T): T;
    declare function merge<T, U>(target: T, source: U): T & U;
    declare function mergeMade<T, U>(target: T, make: () => U): T & U;
    declare function mergeAll<T, U>(target: T, ...sources: U[]): T & U;
    declare function withResolvers<T>(): { promise: Promise<T>; resolve(value: T): void };
    declare function lookup<V>(key: string): V | undefined;
    declare const deferredMap: Map<string, { promise: Promise<void> }>;
    declare function report(error: unknown): void;
    async function catchesAll(url: string, retries = 3) {
      let attempt = 0;
      try {
        while (attempt++ < retries) await fetch(url);
        return true;
      } catch (error) {
        const message = String(error);
        report(message);
      } finally {
        attempt = 0;
      }
      return false;
    }
    async function rethrows() { try { await fetch('/'); } catch (error) { report(error); throw error; } }
    async function awaitsInCatch() { try { await fetch('/'); } catch { await fetch('/fallback'); } }
    async function returnsUnawaited() { try { return fetch('/'); } catch { return undefined; } }
    async function returnsAwaited() { try { return await fetch('/'); } catch { return undefined; } }
    async function startsOutside() { const response = await fetch('/'); try { report(response); } catch {} }
    async function destructuresError() { try { await fetch('/'); } catch ({ message }) { report(message); } }
    function notAsync() { try { return fetch('/'); } catch { return undefined; } }
    let closing = false;
    let timer: number | null = 1;
    async function guardsBeforeTry() { timer = null; if (closing) { timer = null; return; } try { await fetch('/'); } catch { report(timer); } }
    async function exitsInFinally() { try { await fetch('/'); } finally { process.exit(process.exitCode ?? 1); } }
    async function callsBeforeTry() { report(closing); try { await fetch('/'); } catch {} }
    async function returnsEarlyWithValue() { if (closing) return fetch('/'); try { await fetch('/'); } catch {} }
    async function finallyWithoutExit() { try { await fetch('/'); } finally { report('done'); } }
    async function awaitsBeforeExit() { try { await fetch('/'); } finally { await fetch('/flush'); process.exit(1); } }
    declare function fail(message: string): never;
    async function failsInFinally() { try { await fetch('/'); } finally { fail('stopped'); } }
    export { test };
  `,
};

const { checker, main } = inMemoryProgram(SOURCES, { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'] });

/** The declared type of `declare const <name>` in main.ts. */
function typeOf(name: string): ts.Type {
  return checker.getTypeAtLocation(declarationName(name));
}

function declarationName(name: string): ts.Node {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name?.getText() === name) found = node.name;
    if (ts.isImportSpecifier(node) && node.name.text === name) found = node.name;
    ts.forEachChild(node, visit);
  };
  visit(main);
  if (!found) throw new Error(`no declaration of ${name} in main.ts`);
  return found;
}

function signatureOf(name: string): ts.Signature {
  return typeOf(name).getCallSignatures()[0]!;
}

describe('isPromiseLike', () => {
  it('counts Promise and its subclasses', () => {
    expect(isPromiseLike(checker, typeOf('promise'))).toBe(true);
    expect(isPromiseLike(checker, typeOf('ownPromise'))).toBe(true);
  });

  it('counts a union when any member is a promise', () => {
    expect(isPromiseLike(checker, typeOf('maybePromise'))).toBe(true);
  });

  it('counts PromiseLike and other thenables only with checkThenables', () => {
    expect(isPromiseLike(checker, typeOf('promiseLike'))).toBe(false);
    expect(isPromiseLike(checker, typeOf('thenable'))).toBe(false);
    expect(isPromiseLike(checker, typeOf('promiseLike'), { checkThenables: true })).toBe(true);
    expect(isPromiseLike(checker, typeOf('thenable'), { checkThenables: true })).toBe(true);
  });

  it('leaves out types the caller declares safe', () => {
    const isKnownSafe = (type: ts.Type): boolean => type.getSymbol()?.getName() === 'OwnPromise';
    expect(isPromiseLike(checker, typeOf('ownPromise'), { isKnownSafe })).toBe(false);
    expect(isPromiseLike(checker, typeOf('promise'), { isKnownSafe })).toBe(true);
  });
});

describe('isThenable', () => {
  it('requires a then method whose first parameter takes a function', () => {
    expect(isThenable(checker, typeOf('thenable'))).toBe(true);
    expect(isThenable(checker, typeOf('notThenable'))).toBe(false);
    expect(isThenable(checker, typeOf('numbers'))).toBe(false);
  });
});

describe('isPromiseArray', () => {
  it('counts arrays and tuples holding a promise', () => {
    expect(isPromiseArray(checker, typeOf('promises'))).toBe(true);
    expect(isPromiseArray(checker, typeOf('tuple'))).toBe(true);
    expect(isPromiseArray(checker, typeOf('numbers'))).toBe(false);
    expect(isPromiseArray(checker, typeOf('promise'))).toBe(false);
  });
});

describe('taskscopePrimitive', () => {
  it('recognises the primitives by where they are declared', () => {
    expect(taskscopePrimitive(checker, typeOf('group'))).toBe('ErrGroup');
    expect(taskscopePrimitive(checker, typeOf('semaphore'))).toBe('Semaphore');
    expect(taskscopePrimitive(checker, typeOf('permit'))).toBe('Permit');
    expect(taskscopePrimitive(checker, typeOf('result'))).toBe('Result');
  });

  it('recognises any isOk/isErr type as a Result by shape', () => {
    expect(isResultLike(checker, typeOf('neverthrowLike'))).toBe(true);
    expect(taskscopePrimitive(checker, typeOf('neverthrowLike'))).toBe('Result');
  });

  it('does not mistake a user type for a primitive', () => {
    expect(taskscopePrimitive(checker, typeOf('ownResult'))).toBeUndefined();
    expect(taskscopePrimitive(checker, typeOf('promise'))).toBeUndefined();
  });
});

describe('closesResource', () => {
  it('knows the close-like methods of streams, file handles and permits', () => {
    expect(closesResource(checker, typeOf('writer'), 'close')).toBe(true);
    expect(closesResource(checker, typeOf('reader'), 'releaseLock')).toBe(true);
    expect(closesResource(checker, typeOf('file'), 'close')).toBe(true);
    expect(closesResource(checker, typeOf('permit'), 'release')).toBe(true);
  });

  it('rejects other methods and look-alike user types', () => {
    expect(closesResource(checker, typeOf('writer'), 'write')).toBe(false);
    expect(closesResource(checker, typeOf('ownServer'), 'close')).toBe(false);
  });

  it('accepts extra type and method pairs', () => {
    expect(closesResource(checker, typeOf('ownServer'), 'close', [{ type: 'Server', method: 'close' }])).toBe(true);
  });
});

describe('signalSlot', () => {
  it('finds an AbortSignal parameter', () => {
    expect(signalSlot(checker, signatureOf('withSignal'))).toEqual({ index: 1, kind: 'parameter' });
  });

  it('finds an options object with a signal property', () => {
    expect(signalSlot(checker, signatureOf('withOptions'))).toEqual({ index: 1, kind: 'options' });
    const fetchSignature = checker.getTypeOfSymbol(checker.getSymbolsInScope(main, ts.SymbolFlags.Function).find((s) => s.getName() === 'fetch')!).getCallSignatures()[0]!;
    expect(signalSlot(checker, fetchSignature)).toEqual({ index: 1, kind: 'options' });
  });

  it('returns undefined when the signature cannot take a signal', () => {
    expect(signalSlot(checker, signatureOf('withoutSignal'))).toBeUndefined();
  });
});

describe('isKnownSafeCallee', () => {
  it('trusts node:test registrations through an import', () => {
    expect(isKnownSafeCallee(checker, declarationName('test'))).toBe(true);
    expect(isKnownSafeCallee(checker, declarationName('withSignal'))).toBe(false);
  });
});

describe('expectsVoidReturn', () => {
  it('is true only when no signature accepts a returned promise', () => {
    expect(expectsVoidReturn(checker, [typeOf('voidCallback')])).toBe(true);
    expect(expectsVoidReturn(checker, [typeOf('asyncCallback')])).toBe(false);
    expect(expectsVoidReturn(checker, [typeOf('eitherCallback')])).toBe(false);
    expect(expectsVoidReturn(checker, [typeOf('anyCallback')])).toBe(false);
    expect(expectsVoidReturn(checker, [typeOf('voidCallback'), typeOf('asyncCallback')])).toBe(false);
  });
});

describe('parameterTypeAt', () => {
  it('looks into rest parameters', () => {
    const signature = signatureOf('rest');
    expect(checker.typeToString(parameterTypeAt(checker, signature, 0)!)).toBe('string');
    expect(checker.typeToString(parameterTypeAt(checker, signature, 3)!)).toBe('() => void');
    expect(parameterTypeAt(checker, signatureOf('withoutSignal'), 1)).toBeUndefined();
  });
});

describe('mayReturnPromise', () => {
  it('judges a callee by its declared return type, keeping generic ones', () => {
    expect(mayReturnPromise(checker, typeOf('withSignal'))).toBe(true);
    expect(mayReturnPromise(checker, typeOf('identity'))).toBe(true);
    expect(mayReturnPromise(checker, typeOf('rest'))).toBe(false);
  });
});

describe('returnsArrayAlways', () => {
  it('holds for callees that return an array or a tuple whatever their type arguments, never for a possible promise', () => {
    const map = checker.getTypeOfSymbol(typeOf('numbers').getProperty('map')!);
    expect(returnsArrayAlways(checker, map)).toBe(true);
    expect(returnsArrayAlways(checker, typeOf('repeat'))).toBe(true);
    expect(returnsArrayAlways(checker, typeOf('settledPair'))).toBe(true);
    expect(returnsArrayAlways(checker, typeOf('listOrOne'))).toBe(false);
    expect(returnsArrayAlways(checker, typeOf('identity'))).toBe(false);
    expect(returnsArrayAlways(checker, typeOf('withSignal'))).toBe(false);
    expect(returnsArrayAlways(checker, typeOf('numbers'))).toBe(false);
  });
});

describe('isGeneric', () => {
  it('finds type parameters inside type arguments', () => {
    const returned = signatureOf('identity').getReturnType();
    expect(isGeneric(returned)).toBe(true);
    expect(isGeneric(typeOf('promises'), checker)).toBe(false);
  });
});

describe('mayBecomePromise', () => {
  it('keeps type parameters and arrays of them, not other generic containers', () => {
    expect(mayBecomePromise(checker, signatureOf('identity').getReturnType())).toBe(true);
    expect(mayBecomePromise(checker, typeOf('numbers'))).toBe(false);
    expect(mayBecomePromise(checker, typeOf('promise'))).toBe(false);
  });
});

describe('awaitsCallbackResult', () => {
  it('is true for Promise#finally only', () => {
    const promiseType = typeOf('promise');
    const signatureOfMethod = (name: string): ts.Signature =>
      checker.getTypeOfSymbol(promiseType.getProperty(name)!).getCallSignatures()[0]!;
    expect(awaitsCallbackResult(checker, signatureOfMethod('finally'))).toBe(true);
    expect(awaitsCallbackResult(checker, signatureOfMethod('then'))).toBe(false);
  });
});

describe('truthiness', () => {
  it('knows literal and object types, and gives up on the rest', () => {
    expect(truthiness(checker, typeOf('alwaysFalse'))).toBe('falsy');
    expect(truthiness(checker, typeOf('nonEmpty'))).toBe('truthy');
    expect(truthiness(checker, typeOf('anObject'))).toBe('truthy');
    expect(truthiness(checker, typeOf('someText'))).toBe('unknown');
    expect(truthiness(checker, typeOf('maybeObject'))).toBe('unknown');
  });

  it('tells whether a value may be nullish', () => {
    expect(mayBeNullish(checker, typeOf('maybeObject'))).toBe(true);
    expect(mayBeNullish(checker, typeOf('anObject'))).toBe(false);
  });
});

describe('returnedParameters', () => {
  it('finds the one parameter whose type parameter is the declared return type', () => {
    expect(returnedParameters(checker, signatureOf('identity'))).toEqual([0]);
    expect(returnedParameters(checker, signatureOf('tag'))).toEqual([0]);
  });

  it('finds every parameter of an intersection of type parameters (`Object.assign`)', () => {
    expect(returnedParameters(checker, signatureOf('merge'))).toEqual([0, 1]);
  });

  it('gives nothing when another parameter could make the value or the return is not a bare type parameter', () => {
    for (const name of ['retry', 'either', 'withSignal', 'mergeMade', 'mergeAll']) {
      expect(returnedParameters(checker, signatureOf(name)), name).toBeUndefined();
    }
  });
});

describe('cannotReject', () => {
  it('is true for an async function whose body is a try whose catch neither throws nor awaits', () => {
    expect(cannotReject(checker, declarationName('catchesAll').parent)).toBe(true);
  });

  it('is false when the catch rethrows or awaits, a promise escapes the try, or work runs outside it', () => {
    for (const name of ['rethrows', 'awaitsInCatch', 'returnsUnawaited', 'startsOutside', 'destructuresError', 'notAsync']) {
      expect(cannotReject(checker, declarationName(name).parent), name).toBe(false);
    }
    expect(cannotReject(checker, declarationName('returnsAwaited').parent)).toBe(true);
  });

  it('is true when the body clears fields and leaves early before the try, or a finally without catch ends the process', () => {
    for (const name of ['guardsBeforeTry', 'exitsInFinally']) expect(cannotReject(checker, declarationName(name).parent), name).toBe(true);
  });

  it('is false for a call or a valued return before the try, and a finally that may not end the process, awaits first or throws', () => {
    for (const name of ['callsBeforeTry', 'returnsEarlyWithValue', 'finallyWithoutExit', 'awaitsBeforeExit', 'failsInFinally']) {
      expect(cannotReject(checker, declarationName(name).parent), name).toBe(false);
    }
  });
});

describe('declaresPromiseProperty', () => {
  it('is true for a factory whose own result has a promise under that key', () => {
    expect(declaresPromiseProperty(checker, typeOf('withResolvers'), 'promise')).toBe(true);
    expect(declaresPromiseProperty(checker, typeOf('withResolvers'), 'resolve')).toBe(false);
  });

  it('is false for a result declared as a type parameter, which someone else keeps, even once instantiated', () => {
    expect(declaresPromiseProperty(checker, typeOf('lookup'), 'promise')).toBe(false);
    const get = checker.getTypeOfSymbol(typeOf('deferredMap').getProperty('get')!);
    expect(declaresPromiseProperty(checker, get, 'promise')).toBe(false);
  });
});
