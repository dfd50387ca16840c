import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { callSignature, declaredParameterType, declaredReturnType, expectedCallbackSignature, mentionsNoTypeParameter } from '../../rules/utils/call-signature.js';

// One in-memory program over the real lib files: each statement of main.ts is one call the tests ask about.
const SOURCE = `
  type Task = (signal: AbortSignal) => unknown;
  declare function run(task: Task): void;
  declare function runMaybe(task?: Task): void;
  declare function each<T>(items: T[], visit: (item: T, signal: AbortSignal) => unknown): void;
  declare function over(url: string): void;
  declare function over(url: string, signal: AbortSignal): void;
  declare function pick<T>(value: T): T;
  declare function get(url: string, init?: RequestInit): void;
  declare function either(task: Task | ((url: string) => unknown)): void;
  declare function twice(task: (signal: AbortSignal) => unknown, again: Task): void;
  declare const maybe: { get(url: string): void } | undefined;
  declare abstract class Job { constructor(signal: AbortSignal) }
  declare class Open { constructor(signal: AbortSignal) }
  declare class Sealed { private constructor(signal: AbortSignal) }
  declare const tasks: Task[];
  declare function goEach<T>(items: T[], visit: (item: T, signal: AbortSignal) => unknown): Promise<void>;
  declare function later<T>(value: T): Promise<T[]>;
  declare function boxed<T>(value: T): { value: string };
  get('/a', { signal: AbortSignal.timeout(1) });
  over('/b');
  pick('/c');
  get<string>('/d');
  maybe?.get('/e');
  new Job(AbortSignal.timeout(1));
  new Open(AbortSignal.timeout(1));
  new Sealed(AbortSignal.timeout(1));
  run((signal) => signal);
  runMaybe((signal) => signal);
  each(['/f'], (item, signal) => signal);
  either((signal) => signal);
  run((signal, extra) => extra);
  twice(...tasks, (signal) => signal);
  goEach(['/g'], (item, signal) => signal);
  later('/h');
  boxed('/i');
`;

const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2023, lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], noEmit: true };
const host = ts.createCompilerHost(options);
const realGetSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (name, language) => (name === '/main.ts' ? ts.createSourceFile(name, SOURCE, language, true) : realGetSourceFile(name, language));
const program = ts.createProgram(['/main.ts'], options, host);
const checker = program.getTypeChecker();
const main = program.getSourceFile('/main.ts')!;

/** The call or `new` of the statement whose text starts with `start`. */
function callAt(start: string): ts.CallExpression | ts.NewExpression {
  for (const statement of main.statements) {
    if (ts.isExpressionStatement(statement) && statement.getText().startsWith(start)) {
      const expression = statement.expression;
      if (ts.isCallExpression(expression) || ts.isNewExpression(expression)) return expression;
    }
  }
  throw new Error(`no call starting with ${start}`);
}

const calleeType = (call: ts.CallExpression | ts.NewExpression): ts.Type => checker.getTypeAtLocation(call.expression);
const lastArgument = (call: ts.CallExpression | ts.NewExpression): ts.Expression => call.arguments!.at(-1)!;

/** What TypeScript itself gives a callback argument: its contextual signature, through resolving the call. */
function contextualSignature(callback: ts.Expression): ts.Signature | undefined {
  const contextual = checker.getContextualType(callback);
  const signatures = contextual ? checker.getNonNullableType(contextual).getCallSignatures() : [];
  return signatures.length === 1 ? signatures[0] : undefined;
}

describe('callSignature', () => {
  it('gives the signature the checker resolves to, for a lone non-generic callee without resolving the call', () => {
    const call = callAt('get(');
    const signature = callSignature(checker, call, calleeType(call));
    expect(signature).toBe(calleeType(call).getCallSignatures()[0]);
    expect(signature).toBe(checker.getResolvedSignature(call));
  });

  it('gives the declared constructor of a class anyone may construct, as the checker resolves it', () => {
    const call = callAt('new Open(');
    const signature = callSignature(checker, call, calleeType(call));
    expect(signature).toBe(calleeType(call).getConstructSignatures()[0]);
    expect(signature).toBe(checker.getResolvedSignature(call));
  });

  it('resolves overloads, generics, explicit type arguments, optional calls, abstract classes and private constructors', () => {
    for (const start of ['over(', 'pick(', 'get<string>(', 'maybe?.get(', 'new Job(', 'new Sealed(']) {
      const call = callAt(start);
      expect(callSignature(checker, call, calleeType(call)), start).toBe(checker.getResolvedSignature(call));
    }
  });

  it('does not take the declared constructor of an abstract class or a private constructor, which `new` cannot call', () => {
    for (const start of ['new Job(', 'new Sealed(']) {
      const call = callAt(start);
      expect(callSignature(checker, call, calleeType(call)), start).not.toBe(calleeType(call).getConstructSignatures()[0]);
    }
  });

  it('resolves an overloaded call to the overload its arguments pick', () => {
    const call = callAt('over(');
    expect(callSignature(checker, call, calleeType(call))?.getParameters().map((p) => p.name)).toEqual(['url']);
  });
});

describe('expectedCallbackSignature', () => {
  it('gives the contextual signature of a callback from the callee type alone, also for an optional parameter', () => {
    for (const start of ['run((signal) =>', 'runMaybe(']) {
      const call = callAt(start);
      const expected = expectedCallbackSignature(checker, call, calleeType(call), 0, 1);
      expect(expected, start).toBeDefined();
      expect(expected?.signature, start).toBe(contextualSignature(lastArgument(call)));
      expect(expected?.generic, start).toBe(false);
    }
  });

  it('gives a generic callee’s callback the parameter types that mention none of its type parameters, as the checker types them', () => {
    const call = callAt('each(');
    const expected = expectedCallbackSignature(checker, call, calleeType(call), 1, 2)!;
    expect(expected.generic).toBe(true);
    const [item, signal] = expected.signature.getParameters().map((parameter) => checker.getTypeOfSymbol(parameter));
    const [itemNode, signalNode] = (lastArgument(call) as ts.ArrowFunction).parameters;
    expect(declaredParameterType(checker, expected, signal!)).toBe(checker.getTypeAtLocation(signalNode!));
    expect(declaredParameterType(checker, expected, item!)).toBeUndefined();
    expect(checker.typeToString(checker.getTypeAtLocation(itemNode!))).toBe('string');
  });

  it('leaves union callback types to the checker', () => {
    const either = callAt('either(');
    expect(expectedCallbackSignature(checker, either, calleeType(either), 0, 1)).toBeUndefined();
  });

  it('leaves a callback with more parameters than the expected one to the checker, which gives it no contextual signature', () => {
    const call = callAt('run((signal, extra)');
    expect(expectedCallbackSignature(checker, call, calleeType(call), 0, 2)).toBeUndefined();
    const [signal] = (lastArgument(call) as ts.ArrowFunction).parameters;
    expect(checker.typeToString(checker.getTypeAtLocation(signal!))).toBe('any');
  });

  it('leaves positions after a spread argument to the checker', () => {
    const call = callAt('twice(');
    expect(expectedCallbackSignature(checker, call, calleeType(call), 1, 1)).toBeUndefined();
  });
});

describe('declaredReturnType', () => {
  it('gives the type the checker gives the call, without resolving it, for a lone signature whose return type inference cannot change', () => {
    for (const start of ['get(', 'new Open(', 'goEach(']) {
      const call = callAt(start);
      const declared = declaredReturnType(checker, call, calleeType(call));
      expect(declared, start).toBeDefined();
      expect(declared, start).toBe(checker.getTypeAtLocation(call));
    }
  });

  it('leaves overloads, inferred and anonymous return types, explicit type arguments, optional calls and closed constructors to the checker', () => {
    // `boxed<T>(…): { value: string }`: an anonymous type may hide a type parameter in a member, so it counts as one
    for (const start of ['over(', 'pick(', 'later(', 'boxed(', 'get<string>(', 'maybe?.get(', 'new Job(', 'new Sealed(']) {
      const call = callAt(start);
      expect(declaredReturnType(checker, call, calleeType(call)), start).toBeUndefined();
    }
  });
});

describe('mentionsNoTypeParameter', () => {
  const returned = (start: string): ts.Type => calleeType(callAt(start)).getCallSignatures()[0]!.getReturnType();
  it('says so for primitives, non-generic interfaces and references to them, and not for what may hide a type parameter', () => {
    expect(mentionsNoTypeParameter(checker, returned('goEach('))).toBe(true);
    expect(mentionsNoTypeParameter(checker, returned('boxed('))).toBe(false);
    expect(mentionsNoTypeParameter(checker, returned('later('))).toBe(false);
    expect(mentionsNoTypeParameter(checker, returned('pick('))).toBe(false);
    expect(mentionsNoTypeParameter(checker, checker.getTypeAtLocation(callAt('new Open(')))).toBe(true);
  });
});
