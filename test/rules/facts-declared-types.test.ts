import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { declaredMethodType, declaredPropertyType, declaredTypeOf, memberReadConstant, methodTypeForParameter, methodTypeForReturns } from '../../rules/facts/declared-types.js';
import { inMemoryProgram } from './in-memory-program.js';

const SOURCE = `
  export interface Reply { readonly status: number; json(): Promise<unknown>; }
  declare const reply: Reply;
  reply.status;
  reply.json;
  reply.status;
`;

describe('declaredPropertyType', () => {
  it('answers each property of a type for itself, the same on every ask', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const accesses = main.statements.filter(ts.isExpressionStatement).map((statement) => statement.expression as ts.PropertyAccessExpression);
    const reply = checker.getTypeAtLocation(accesses[0]!.expression);
    const [status, json, statusAgain] = accesses.map((access) => declaredPropertyType(checker, reply, access.name));
    expect(checker.typeToString(status!)).toBe('number');
    expect(checker.typeToString(json!)).toBe('() => Promise<unknown>');
    expect(statusAgain).toBe(status);
  });

  it('gives nothing for a property the type does not declare', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': `${SOURCE}\n  (reply as any).missing;` }, { lib: ['lib.es2023.d.ts'], types: [] });
    const reply = checker.getTypeAtLocation((main.statements.find(ts.isExpressionStatement)!.expression as ts.PropertyAccessExpression).expression);
    expect(declaredPropertyType(checker, reply, ts.factory.createIdentifier('missing'))).toBeUndefined();
    expect(declaredPropertyType(checker, reply, ts.factory.createIdentifier('missing'))).toBeUndefined();
  });
});

describe('memberReadConstant', () => {
  const source = `
    interface Reply { readonly ok: boolean; json(): Promise<unknown> }
    declare function load(): Promise<Reply>;
    declare function report(value: unknown): void;
    declare const other: { response: number };
    export async function membersOnly() { const response = await load(); other.response; return response.json; }
    export async function guarded() { const response = await load(); if (!response) return; return response.json; }
    export async function passed() { const response = await load(); report(response); return response.json; }
    export async function shorthand() { const response = await load(); report({ response }); return response.json; }
    export async function annotated() { const response: Reply = await load(); return response.json; }
    export async function mutable() { let response = await load(); return response.json; }
    export async function nested() { const response = await load(); return () => response.json; }
    export async function dollar() { const $response = await load(); return $response.json; }
    export async function second() { const first = 1, reply = await load(); return reply.json + first; }
  `;
  const { checker, main } = inMemoryProgram({ '/app/main.ts': source }, { lib: ['lib.es2023.d.ts'], types: [] });
  /** The receiver of the \`response.json\` that function \`name\` returns. */
  const receiver = (name: string): ts.Identifier => {
    const fn = main.statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === name)!;
    let found: ts.Identifier | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === 'json' && ts.isIdentifier(node.expression) && !found) found = node.expression;
      ts.forEachChild(node, visit);
    };
    visit(fn);
    return found!;
  };

  it('gives the initialiser of a const that every mention reads a member of, the same on every ask', () => {
    expect(memberReadConstant(checker, receiver('membersOnly'))?.getText()).toBe('await load()');
    expect(memberReadConstant(checker, receiver('membersOnly'))).toBe(memberReadConstant(checker, receiver('membersOnly')));
    // a closure reads the same value: nothing between declaration and read can narrow a const read as a member
    expect(memberReadConstant(checker, receiver('nested'))?.getText()).toBe('await load()');
    expect(memberReadConstant(checker, receiver('dollar'))?.getText()).toBe('await load()');
  });

  it('leaves to the checker a const its file\'s text does not show as `const name` (the second of a list)', () => {
    expect(memberReadConstant(checker, receiver('second'))).toBeUndefined();
  });

  it('gives nothing where a guard may narrow the value, or its type is not the initialiser\'s', () => {
    for (const name of ['guarded', 'passed', 'shorthand', 'annotated', 'mutable']) expect(memberReadConstant(checker, receiver(name)), name).toBeUndefined();
  });
});

describe('declaredMethodType and declaredTypeOf', () => {
  const source = `
    interface Permit { release(): void }
    declare class Slots { acquire(weight: number, options?: { signal?: AbortSignal }): Promise<Permit> }
    declare class Group { constructor(options?: { limit?: number }); go(task: (signal: AbortSignal) => unknown): void }
    const slots = new Slots();
    export async function run(signal: AbortSignal, flag: boolean) {
      const permit = await slots.acquire(1, { signal });
      permit.release;
      const group = new Group({ limit: 2 });
      group.go;
      (await slots.acquire(2)).release;
      const other = await slots.acquire(3);
      const maybe = flag ? other : undefined;
      maybe?.release;
      const either = flag ? other : new Group();
      either.release;
    }
  `;
  const { checker, main } = inMemoryProgram({ '/app/main.ts': source }, { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: [] });
  const run = main.statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === 'run')!;
  const accesses = run.body!.statements.filter(ts.isExpressionStatement).map((statement) => statement.expression);
  const [permitRelease, groupGo, freshRelease, optionalRelease, unionRelease] = accesses;

  it('types a method of a const made by an awaited call, by `new`, or of a call\'s value, as the checker does', () => {
    // the same type objects the checker gives, asked first without it
    const declared = [permitRelease, groupGo, freshRelease].map((access) => declaredMethodType(checker, access!));
    expect(declared.map((type) => type && checker.typeToString(type))).toEqual(['() => void', '(task: (signal: AbortSignal) => unknown) => void', '() => void']);
    expect(declared).toEqual([permitRelease, groupGo, freshRelease].map((access) => checker.getTypeAtLocation(access!)));
  });

  it('types the receiver of such a method from the initialiser it reads', () => {
    const receiver = declaredTypeOf(checker, (permitRelease as ts.PropertyAccessExpression).expression);
    expect(receiver && checker.typeToString(receiver)).toBe('Permit');
  });

  it('leaves optional chains and union-typed receivers to the checker', () => {
    expect(declaredMethodType(checker, optionalRelease!)).toBeUndefined();
    expect(declaredMethodType(checker, unionRelease!)).toBeUndefined();
  });
});

describe('narrowed const receivers', () => {
  const source = `
    class Worker { isBatch(): this is BatchWorker { return false; } run(): void {} }
    class BatchWorker extends Worker { override run(): Promise<void> { return Promise.resolve(); } }
    interface Idle { busy?: undefined; run(): void }
    interface Busy { busy: true; run(): Promise<void> }
    declare function hire(): Worker;
    declare function pick(): Idle | Busy;
    export async function dispatch(): Promise<void> {
      const worker = hire();
      if (worker.isBatch()) worker.run;
      const other = hire();
      const batch = other.isBatch();
      if (batch) other.run;
      const slot = pick();
      if (slot.busy) slot.run;
      const plain = hire();
      plain.run();
      plain.run;
      const asserted = hire();
      assert(asserted.isBatch());
      asserted.run;
      const compared = hire();
      if (compared.isBatch() === true) compared.run;
    }
    declare function assert(condition: unknown): asserts condition;
  `;
  const { checker, main } = inMemoryProgram({ '/app/main.ts': source }, { lib: ['lib.es2023.d.ts'], types: [] });
  const dispatch = main.statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === 'dispatch')!;
  /** The receiver of the last `<name>.run` in `dispatch`. */
  const receiver = (name: string): ts.Identifier => {
    let found: ts.Identifier | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === 'run' && ts.isIdentifier(node.expression) && node.expression.text === name) found = node.expression;
      ts.forEachChild(node, visit);
    };
    visit(dispatch);
    return found!;
  };

  it('leaves to the checker a const a `this is` method may narrow, tested directly or through a const', () => {
    expect(memberReadConstant(checker, receiver('worker'))).toBeUndefined();
    expect(memberReadConstant(checker, receiver('other'))).toBeUndefined();
    // through an assertion function, and a comparison with a boolean
    expect(checker.typeToString(checker.getTypeAtLocation(receiver('asserted')))).toBe('BatchWorker');
    expect(memberReadConstant(checker, receiver('asserted'))).toBeUndefined();
    expect(checker.typeToString(checker.getTypeAtLocation(receiver('compared')))).toBe('BatchWorker');
    expect(memberReadConstant(checker, receiver('compared'))).toBeUndefined();
    // a method call whose value no condition tests narrows nothing
    expect(memberReadConstant(checker, receiver('plain'))?.getText()).toBe('hire()');
  });

  it('leaves a parenthesized expression in a JavaScript file to the checker: a JSDoc cast may type it', () => {
    const js = `
      class Base { go() {} }
      class Sub extends Base { go() { return Promise.resolve(); } }
      /** @returns {Sub} */
      function make() { return new Sub(); }
      export function start() { /** @type {Base} */ (make()).go; (make()).go; }
    `;
    const { checker: jsChecker, main: jsMain } = inMemoryProgram({ '/app/main.js': js }, { lib: ['lib.es2023.d.ts'], types: [], roots: ['/app/main.js'], allowJs: true });
    const start = jsMain.statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === 'start')!;
    const [cast, plain] = start.body!.statements.map((statement) => (statement as ts.ExpressionStatement).expression);
    expect(jsChecker.typeToString(jsChecker.getTypeAtLocation(cast!))).toBe('() => void');
    expect(declaredMethodType(jsChecker, cast!)).toBeUndefined();
    expect(declaredMethodType(jsChecker, plain!)).toBeUndefined();
  });

  it('types no const whose value is a union, which a discriminant check narrows where it is read', () => {
    expect(memberReadConstant(checker, receiver('slot'))?.getText()).toBe('pick()');
    expect(declaredTypeOf(checker, receiver('slot'))).toBeUndefined();
    expect(declaredTypeOf(checker, receiver('plain'))).toBe(checker.getTypeAtLocation(receiver('plain')));
  });
});

// A vitest-like `expect`: a generic first overload that takes any argument, an `Assertion<T>` interface.
const ASSERTIONS = `
  interface Assertion<T> {
    toBe<E>(expected: E): void;
    toSatisfy<E extends T>(check: E): void;
    not: Assertion<T>;
    resolves: Promisify<Assertion<T>>;
    value(): T;
    flush(): Promise<void>;
    each(visit: (value: T) => void): void;
  }
  type Promisify<O> = { [K in keyof O]: O[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : O[K] };
  interface ExpectStatic { <T>(actual: T, message?: string): Assertion<T>; (value: any, message?: string): unknown }
  declare const expect: ExpectStatic;
  declare function pinned(actual: string, message: string): Assertion<string>;
  declare function pinned(actual: number): Assertion<number>;
  declare function load(): Promise<number>;
  declare function bounded<T extends string>(actual: T): Assertion<T>;
  declare function bounded(actual: number): Assertion<number>;
  declare const maybe: Assertion<number> | undefined;
  interface Pending { toBe(expected: unknown): Promise<void> }
  declare function bound<T>(this: unknown, actual: T): Assertion<T>;
  declare function bound(actual: number, message: number): Pending;
`;

describe('methodTypeForReturns and methodTypeForParameter', () => {
  const statements = [
    'expect(1).toBe',
    'expect(await load()).not.toBe',
    'expect(1, "why").toBe',
    'expect(1).resolves.toBe',
    'expect(1).value',
    'expect(1).flush',
    'pinned(1).toBe',
    'maybe?.toBe',
    'expect(1).each',
    'expect(1).toSatisfy',
    'bounded(1).toBe',
    'bound(1, 2).toBe',
  ];
  const { checker, main } = inMemoryProgram({ '/app/main.ts': `${ASSERTIONS}\nexport async function f() {\n${statements.join(';\n')};\n}` }, { lib: ['lib.es2023.d.ts'], types: [] });
  const body = main.statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === 'f')!.body!.statements;
  const callee = (text: string): ts.Expression => (body[statements.indexOf(text)] as ts.ExpressionStatement).expression;
  const show = (type: ts.Type | undefined): string | undefined => type && checker.typeToString(type);

  it('reads a method of a call chain off the declarations, as the checker types it where the return type is final', () => {
    expect(show(methodTypeForReturns(checker, callee('expect(1).toBe')))).toBe('<E>(expected: E) => void');
    expect(show(methodTypeForReturns(checker, callee('expect(await load()).not.toBe')))).toBe('<E>(expected: E) => void');
    expect(show(methodTypeForReturns(checker, callee('expect(1).flush')))).toBe(show(checker.getTypeAtLocation(callee('expect(1).flush'))));
  });

  it('leaves to the checker a return type that mentions a type parameter, a mapped type, arguments an overload may refuse, and optional chains', () => {
    // `bound(1, 2)`: the first overload's `this` parameter takes no argument, so two arguments pick the second
    for (const text of ['expect(1).value', 'expect(1).resolves.toBe', 'expect(1, "why").toBe', 'pinned(1).toBe', 'bounded(1).toBe', 'bound(1, 2).toBe', 'maybe?.toBe']) {
      expect(methodTypeForReturns(checker, callee(text)), text).toBeUndefined();
    }
  });

  it('gives a parameter that is the method’s own unconstrained type parameter, not one constrained by the receiver’s or a callback over it', () => {
    expect(show(methodTypeForParameter(checker, callee('expect(1).toBe'), 0))).toBe('<E>(expected: E) => void');
    expect(methodTypeForParameter(checker, callee('expect(1).toSatisfy'), 0)).toBeUndefined();
    expect(methodTypeForParameter(checker, callee('expect(1).each'), 0)).toBeUndefined();
  });
});
