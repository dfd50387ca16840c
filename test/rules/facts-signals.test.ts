import ts from 'typescript';
import { inMemoryProgram } from './in-memory-program.js';
import { describe, expect, it } from 'vitest';
import { callbackMayReceiveSignal, callSignalSlot, canSkipTo, holdsSignal, mayHandSignalAt, mayTakeSignal, platformAbortApi, signalCarrier, undeclaredSignalIndex } from '../../rules/facts/signals.js';

// One in-memory program: the real lib files and @types/node, a stand-in for taskscope's ErrGroup, and the code below.
const SOURCES: Record<string, string> = {
  '/app/node_modules/taskscope/dist/runtime/index.d.ts': `
    export declare class ErrGroup { constructor(options?: { signal?: AbortSignal; limit?: number }); readonly signal: AbortSignal; go(task: (signal: AbortSignal) => unknown): void; }
  `,
  '/app/main.ts': `
    import { ErrGroup } from './node_modules/taskscope/dist/runtime/index.js';
    import { setTimeout as delay } from 'node:timers/promises';
    interface Job { url: string; signal: AbortSignal }
    declare const request: Request;
    declare const init: RequestInit;
    declare const job: Job;
    declare const maybeJob: Job | undefined;
    declare const controller: AbortController;
    declare const group: ErrGroup;
    declare const plain: { url: string };
    declare const target: EventTarget;
    declare function overloaded(url: string): void;
    declare function overloaded(url: string, options: { signal?: AbortSignal }): void;
    declare function required(url: string, retries: number, signal?: AbortSignal): void;
    declare function runTask(task: (signal: AbortSignal) => unknown): void;
    declare function eachUrl(visit: (url: string, signal: AbortSignal) => unknown): void;
    declare function register(handler: { handle(req: Request): void; describe(verbose: boolean): string }): void;
    declare function mapAll<T>(items: T[], visit: (item: T) => unknown): void;
    declare const numbers: number[];
    interface TestContext { readonly signal: AbortSignal; readonly name: string }
    declare function test<Extra extends object>(name: string, fn: (context: TestContext & Extra) => unknown): void;
    declare function withValue<T>(value: T, fn: (value: T) => void): void;
    declare function withDefined<T>(fn: (value: NonNullable<T>) => void): void;
    declare function withLabel<T>(fn: (value: string | T) => void): void;
    declare function withCallback<F extends (...args: never[]) => unknown>(fn: F & { label?: string }): void;
    runTask(async () => {});
    eachUrl((url) => url);
    [1].map((n) => n);
    runTask(async (...rest) => rest);
    export const groupClass = ErrGroup;
    export const globalSignal = AbortSignal;
    export const globalController = AbortController;
    export function shadowed(): void {
      class AbortSignal {}
      const local = AbortSignal;
      void local;
    }
    export { delay };
  `,
};

const { checker, main } = inMemoryProgram(SOURCES, { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'] });

/** Every node of main.ts that satisfies a test, in source order. */
function nodes<T extends ts.Node>(test: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  const visit = (node: ts.Node): void => {
    if (test(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(main);
  return found;
}

/** The name node of `declare const <name>` / `declare function <name>` / an import specifier in main.ts. */
function nameOf(name: string): ts.Node {
  const [found] = nodes((node): node is ts.Identifier =>
    ts.isIdentifier(node) &&
    node.text === name &&
    (ts.isVariableDeclaration(node.parent) || ts.isFunctionDeclaration(node.parent) || ts.isImportSpecifier(node.parent)),
  );
  if (!found) throw new Error(`no declaration of ${name} in main.ts`);
  return found;
}

const typeOf = (name: string): ts.Type => checker.getTypeAtLocation(nameOf(name));
const signatures = (name: string): readonly ts.Signature[] => typeOf(name).getCallSignatures();
const callbacks = nodes((node): node is ts.ArrowFunction => ts.isArrowFunction(node));
/** The identifier a `const <name> = <identifier>` initialises from. */
const initializerOf = (name: string): ts.Node => (nameOf(name).parent as ts.VariableDeclaration).initializer!;

describe('signalCarrier', () => {
  it('finds the signal a request, an options object or a job carries', () => {
    expect(signalCarrier(checker, typeOf('request'))).toEqual({ nullable: false, optional: false });
    expect(signalCarrier(checker, typeOf('job'))).toEqual({ nullable: false, optional: false });
    expect(signalCarrier(checker, typeOf('maybeJob'))).toEqual({ nullable: false, optional: false });
  });

  it('notes a signal that may be null or missing', () => {
    expect(signalCarrier(checker, typeOf('init'))).toEqual({ nullable: true, optional: true });
  });

  it('does not count owners of a signal or types without one', () => {
    expect(signalCarrier(checker, typeOf('controller'))).toBeUndefined();
    expect(signalCarrier(checker, typeOf('group'))).toBeUndefined();
    expect(signalCarrier(checker, typeOf('plain'))).toBeUndefined();
  });
});

describe('holdsSignal', () => {
  it('is true only when the signal property is required', () => {
    expect(holdsSignal(checker, typeOf('request'))).toBe(true);
    expect(holdsSignal(checker, typeOf('group'))).toBe(true);
    expect(holdsSignal(checker, typeOf('init'))).toBe(false);
    expect(holdsSignal(checker, typeOf('plain'))).toBe(false);
  });
});

describe('callSignalSlot', () => {
  it('finds the options slot of an overload and of timers/promises setTimeout', () => {
    expect(callSignalSlot(checker, signatures('overloaded')[1]!)).toEqual({ index: 1, kind: 'options' });
    expect(callSignalSlot(checker, signatures('delay')[0]!)).toEqual({ index: 2, kind: 'options' });
    expect(callSignalSlot(checker, signatures('required')[0]!)).toEqual({ index: 2, kind: 'parameter' });
  });

  it('leaves out listener options, whose signal only removes the listener', () => {
    const addEventListener = checker.getTypeOfSymbol(typeOf('target').getProperty('addEventListener')!);
    expect(addEventListener.getCallSignatures().map((signature) => callSignalSlot(checker, signature))).toEqual([undefined]);
  });
});

describe('mayTakeSignal', () => {
  it('is true when any overload takes a signal', () => {
    expect(mayTakeSignal(checker, typeOf('overloaded'))).toBe(true);
    expect(callSignalSlot(checker, signatures('overloaded')[0]!)).toBeUndefined();
  });

  it('looks at construct signatures for new', () => {
    const groupClass = checker.getTypeAtLocation(initializerOf('groupClass'));
    expect(mayTakeSignal(checker, groupClass, true)).toBe(true);
    expect(mayTakeSignal(checker, groupClass)).toBe(false);
    expect(mayTakeSignal(checker, checker.getTypeAtLocation(initializerOf('globalSignal')), true)).toBe(false);
  });
});

describe('canSkipTo', () => {
  it('allows optional parameters in between', () => {
    expect(canSkipTo(checker, signatures('delay')[0]!, 1, 2)).toBe(true);
    expect(canSkipTo(checker, signatures('delay')[0]!, 0, 2)).toBe(true);
  });

  it('refuses a required parameter in between', () => {
    expect(canSkipTo(checker, signatures('required')[0]!, 1, 2)).toBe(false);
  });
});

describe('undeclaredSignalIndex', () => {
  it('finds the signal a callback is given but does not declare', () => {
    expect(undeclaredSignalIndex(checker, callbacks[0]!)).toBe(0);
    expect(undeclaredSignalIndex(checker, callbacks[1]!)).toBe(1);
  });

  it('is undefined when the caller gives no signal, or after a rest parameter', () => {
    expect(undeclaredSignalIndex(checker, callbacks[2]!)).toBeUndefined();
    expect(undeclaredSignalIndex(checker, callbacks[3]!)).toBeUndefined();
  });
});

describe('platformAbortApi', () => {
  it('names the global AbortSignal and AbortController', () => {
    expect(platformAbortApi(checker, initializerOf('globalSignal'))).toBe('AbortSignal');
    expect(platformAbortApi(checker, initializerOf('globalController'))).toBe('AbortController');
  });

  it('does not mistake a local class of the same name', () => {
    expect(platformAbortApi(checker, initializerOf('local'))).toBeUndefined();
  });
});

describe('callbackMayReceiveSignal', () => {
  it('is true when the expected callback receives a signal, a carrier or a bare type parameter', () => {
    expect(callbackMayReceiveSignal(checker, typeOf('runTask'), 0)).toBe(true);
    expect(callbackMayReceiveSignal(checker, typeOf('eachUrl'), 0)).toBe(true);
    expect(callbackMayReceiveSignal(checker, typeOf('mapAll'), 1)).toBe(true);
  });

  it('is false for callbacks that receive neither', () => {
    const map = checker.getTypeOfSymbol(typeOf('numbers').getProperty('map')!);
    expect(callbackMayReceiveSignal(checker, map, 0)).toBe(false);
    expect(callbackMayReceiveSignal(checker, typeOf('runTask'), 1)).toBe(false);
  });

  it('looks into a method of an object argument', () => {
    expect(callbackMayReceiveSignal(checker, typeOf('register'), 0, false, 'handle')).toBe(true);
    expect(callbackMayReceiveSignal(checker, typeOf('register'), 0, false, 'describe')).toBe(false);
  });
});

describe('mayHandSignalAt', () => {
  it('is true when the expected callback has a signal at that position', () => {
    expect(mayHandSignalAt(checker, typeOf('runTask'), 0, 0)).toBe(true);
    expect(mayHandSignalAt(checker, typeOf('eachUrl'), 0, 1)).toBe(true);
  });

  it('is true when a type parameter may become a signal or a signal-taking callback', () => {
    expect(mayHandSignalAt(checker, typeOf('withValue'), 1, 0)).toBe(true);
    expect(mayHandSignalAt(checker, typeOf('withDefined'), 0, 0)).toBe(true);
    expect(mayHandSignalAt(checker, typeOf('withCallback'), 0, 0)).toBe(true);
  });

  it('is false when no instantiation can put a bare signal there', () => {
    expect(mayHandSignalAt(checker, typeOf('test'), 1, 0)).toBe(false);
    expect(mayHandSignalAt(checker, typeOf('withLabel'), 0, 0)).toBe(false);
    expect(mayHandSignalAt(checker, typeOf('eachUrl'), 0, 0)).toBe(false);
    expect(mayHandSignalAt(checker, typeOf('runTask'), 0, 1)).toBe(false);
    expect(mayHandSignalAt(checker, checker.getTypeOfSymbol(typeOf('numbers').getProperty('map')!), 0, 0)).toBe(false);
    // new ErrGroup(options): the argument is no callback at all
    expect(mayHandSignalAt(checker, checker.getTypeAtLocation(initializerOf('groupClass')), 0, 0, true)).toBe(false);
  });
});
