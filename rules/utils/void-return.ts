import ts from './typescript.cjs';
import { cannotReject, declaredToNeverReject, elementTypes, expectsVoidReturn, isDomListenerRegistration, mayExpectVoidCallback, parameterTypeAt, returnsThenable } from '../facts.js';
import { isListenerRemoval } from '../facts/close.js';
import { declaredMethodType, methodTypeForParameter } from '../facts/declared-types.js';
import { isFunctionWithBody } from '../native/functions.js';
import { globalCalleeType } from '../native/global-values.js';
import { argumentsOf, calleeNameOf, isAsyncFunction, isCall, isFunctionExpression, isLogical, skipParentheses } from '../native/syntax.js';
import { localVariable } from '../native/variables.js';
import { parameterOf } from './no-floating-task-names.js';
import { isConstAssertion, isNeverThenable, returnsValue } from './no-floating-task-syntax.js';

type Call = ts.CallExpression | ts.NewExpression;

/** What the rule is told about a promise-returning function given where `void` is expected. */
export type VoidReturnReport =
  | { what: string; callee: string }
  | { what: string; attribute: string };

/** Inputs of {@link voidReturnChecker}. */
export interface VoidReturnCheck {
  file: ts.SourceFile;
  checker: ts.TypeChecker;
  /** Calls that own their callback's promise although the parameter says `void` (`Promise#finally`). */
  skipCall: (node: Call) => boolean;
  /** `node` is the argument (a spread one included) or the attribute's expression, without parentheses. */
  report: (node: ts.Node, data: VoidReturnReport) => void;
}

/** What {@link voidReturnChecker} gives back: the two checks, for the rule's walk to call. */
export interface VoidReturnChecker {
  /** Checks a call's or `new`'s arguments (not an `import(…)`'s). */
  call(node: Call): void;
  /** Checks a JSX attribute's value (`onClick={async () => …}`). */
  attribute(node: ts.JsxAttribute): void;
}

/**
 * Finds a promise-returning function passed where the parameter (or JSX attribute) expects a function returning
 * `void` — `items.forEach(async …)`, `setInterval(async …)`, `emitter.on('x', async …)`, `onClick={async …}` —
 * because whoever calls it drops the promise, and with it the rejection.
 *
 * A block body without `return value` cannot return a promise, so most callbacks are settled without asking the type
 * checker anything. Which bodies return a value is learnt when asked, per function: rejected, recording every
 * `return` during the rule's walk (as the ESTree version did with a listener), which marks the functions of every
 * `return` of the file, where only callbacks given as arguments are asked about.
 */
export function voidReturnChecker(check: VoidReturnCheck): VoidReturnChecker {
  const { file, checker } = check;
  const valueReturning = new Map<ts.Node, boolean>();
  const typeOf = (node: ts.Node): ts.Type => checker.getTypeAtLocation(node);

  function returnsValueOnce(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
    let known = valueReturning.get(fn);
    if (known === undefined) valueReturning.set(fn, (known = returnsValue(fn)));
    return known;
  }

  /**
   * Whether a callback surely returns no promise by its syntax alone: a generator, or a function that is not `async`
   * and has a block body without `return value`, or a concise body that is never a thenable (`(item) => item.id ===
   * id`, see {@link isNeverThenable}). The same answer {@link returnsPromise} gives for these, without any type, so
   * the callee's type need not be asked for them either.
   */
  function returnsNoPromise(node: ts.Node): boolean {
    if (!isFunctionExpression(node)) return false;
    if (ts.isFunctionExpression(node) && node.asteriskToken) return true;
    if (isAsyncFunction(node)) return false;
    return ts.isBlock(node.body) ? !returnsValueOnce(node) : isNeverThenable(node.body);
  }

  function returnsPromise(node: ts.Node): boolean {
    if (isFunctionExpression(node)) {
      if (ts.isFunctionExpression(node) && node.asteriskToken) return false;
      // async () => { try { … } catch (error) { report(error); } } — its promise never rejects, so dropping it loses nothing
      if (isAsyncFunction(node)) return !cannotReject(checker, node);
      if (ts.isBlock(node.body) ? !returnsValueOnce(node) : isNeverThenable(node.body)) return false;
      if (!returnsThenable(checker, typeOf(node))) return false;
      // () => this.drainAndExit() — hands on the promise of a function declared so that it cannot reject
      const body = ts.isBlock(node.body) ? undefined : skipParentheses(node.body);
      return !(body && isCall(body) && declaredToNeverReject(checker, typeOf(skipParentheses(body.expression))));
    }
    if (ts.isSpreadElement(node)) return elementTypes(checker, typeOf(skipParentheses(node.expression))).some((element) => returnsThenable(checker, element));
    if (!isCandidate(node)) return false;
    const type = typeOf(node);
    // browser.on('targetcreated', onTarget) where onTarget catches everything it does, by its declaration
    return returnsThenable(checker, type) && !declaredToNeverReject(checker, type);
  }

  /** The parameter types that argument `index` may meet: the chosen overload's, and every other overload's. */
  function expectedTypes(call: Call, index: number, argument: ts.Expression): ts.Type[] {
    if (ts.isSpreadElement(argument)) {
      const signature = checker.getResolvedSignature(call);
      const type = signature && parameterTypeAt(checker, signature, index);
      return type ? [type] : [];
    }
    const types: ts.Type[] = [];
    const contextual = checker.getContextualType(argument);
    if (contextual) types.push(contextual);
    // Overloads: `it(name, fn: () => void)` next to `it(name, fn: () => Promise<void>)` accepts an async callback,
    // although TypeScript resolves the call to the first one. Generic overloads only count through the resolved call.
    if (argumentsOf(call).slice(0, index).some(ts.isSpreadElement)) return types;
    const calleeType = typeOf(skipParentheses(call.expression));
    const signatures = ts.isNewExpression(call) ? calleeType.getConstructSignatures() : calleeType.getCallSignatures();
    if (signatures.length < 2) return types;
    for (const signature of signatures) {
      if (signature.getTypeParameters()?.length) continue;
      const type = parameterTypeAt(checker, signature, index);
      if (type) types.push(type);
    }
    return types;
  }

  const what = (node: ts.Node): string => (isFunctionExpression(node) && isAsyncFunction(node) ? 'Async function' : 'Function returning a promise');

  /**
   * Whether any declared signature of the callee wants a `void`-returning function at `index` (`forEach`, `on`,
   * `setTimeout`, a Promise executor). Asked before the argument's own type for function expressions: the callee's
   * type is cheap and always safe, while typing some callbacks makes TypeScript 6 recurse without end (see
   * `mayReturnPromise` in facts). A generic callback type (`map`'s `(value: T) => U`) is inferred from the argument,
   * so it expects whatever the argument returns; only explicit type arguments can make it `void` (`useCallback<() => void>`).
   */
  function mayExpectVoid(call: Call, index: number): boolean {
    if (call.typeArguments || argumentsOf(call).slice(0, index + 1).some(ts.isSpreadElement)) return true;
    // Promise.all(ids.map(load)), Response.json(found): a global callee's declared type, without typing it here;
    // expect(await load()).toBe(user): a method of a call's value, read off the declarations (`load()` left untyped)
    // group.go(task) where `const group = new ErrGroup(…)`: a method of a value its declarations type
    const callee = skipParentheses(call.expression);
    const calleeType =
      globalCalleeType(checker, file, callee) ??
      declaredMethodType(checker, callee) ??
      (ts.isCallExpression(call) ? methodTypeForParameter(checker, callee, index) : undefined) ??
      typeOf(callee);
    return mayExpectVoidCallback(checker, calleeType, index, ts.isNewExpression(call));
  }

  /** `el.addEventListener('click', listener)`: the listener's result is ignored whatever its declared type says. */
  function isListenerArgument(call: Call, index: number): boolean {
    const callee = skipParentheses(call.expression);
    return index === 1 && ts.isPropertyAccessExpression(callee) && callee.name.text === 'addEventListener' && isDomListenerRegistration(checker, callee.name);
  }

  /**
   * Whether an argument is a reference to a parameter declared with a type (`signal: AbortSignal`, `id: string`):
   * its type is the annotation's, and typing it costs next to nothing, unlike the callee's type when nobody else needs
   * it (an imported function's, which resolves the import). Not a parameter declared with a wide union
   * (`node: TSESTree.Node`, 170 members): the checker narrows such a reference by the flow analysis of every `if`
   * before it, which costs more than any callee (only which question comes first depends on this, not the answer).
   * Not a destructured, rest, defaulted or `private x` parameter, nor one of a function without a body: ESTree's
   * identifier parameters of a function, as the ESTree version asked of ESLint's scope analysis.
   */
  function isTypedParameter(argument: ts.Node): boolean {
    if (!ts.isIdentifier(argument)) return false;
    // The file's declarations of the name mostly say which parameter it is, if any, without the checker.
    const named = parameterOf(file, argument);
    const variable = named === 'ask' ? localVariable(checker, file, argument) : undefined;
    const parameter = named === 'ask' ? (variable?.symbol.declarations?.length === 1 ? variable.declaration : undefined) : named;
    if (!parameter || !ts.isParameter(parameter) || !ts.isIdentifier(parameter.name) || !parameter.type) return false;
    if (parameter.initializer || parameter.dotDotDotToken || ts.getModifiers(parameter)?.length || !isFunctionWithBody(parameter.parent)) return false;
    // The declared type, kept by the checker per parameter: no flow analysis.
    const declared = checker.getTypeAtLocation(parameter.name);
    return !declared.isUnion() || declared.types.length <= NARROW_UNION;
  }

  /**
   * Whether an argument's type costs next to nothing to ask for: a typed parameter (see {@link isTypedParameter}), or
   * a type assertion `value as Entry`, whose type TypeScript reads off the written type without typing `value`
   * (`as const` excepted).
   */
  function isCheaplyTyped(argument: ts.Node): boolean {
    if (ts.isAsExpression(argument) || ts.isTypeAssertionExpression(argument)) return !isConstAssertion(argument.type);
    return isTypedParameter(argument);
  }

  function checkCall(call: Call): void {
    const callee = skipParentheses(call.expression);
    // ESTree has no parentheses: `f((callback))` passes `callback`, which is what is asked about and reported.
    const given = argumentsOf(call).map((argument) => skipParentheses(argument));
    // fetchUser(id, signal), ok(value as User) — every argument that could be a function is cheap to type and returns no
    // promise: the same answer as below (such an argument is never reported), without typing the callee
    // items.forEach((item) => { total += item.size; }) — and callbacks that return no promise by their syntax
    // JSON.stringify(item), Response.json(found): not for a global callee, whose declared type is known without typing
    // it (see `mayExpectVoid`), so asking it first is the cheaper way to the same answer
    const argumentsFirst = !call.typeArguments && globalCalleeType(checker, file, callee) === undefined;
    if (argumentsFirst && given.every((argument) => !isCandidate(argument) || returnsNoPromise(argument) || (isCheaplyTyped(argument) && !returnsPromise(argument)))) return;
    let skipped: boolean | undefined;
    for (const [index, argument] of given.entries()) {
      if (!isCandidate(argument) || returnsNoPromise(argument)) continue;
      // ok(value as User), ok(<User>value): the same two questions as below, the one without a lookup first. Not for a
      // typed parameter (an identifier): where this loop runs, the callee is typed anyway, and its answer is usually
      // known already.
      if (!ts.isIdentifier(argument) && isCheaplyTyped(argument) && !returnsPromise(argument)) continue;
      const listener = isListenerArgument(call, index);
      // The callee's declared type first: the other rules ask for it anyway (so it is usually known already), and it
      // rules out most arguments (`fetchUser(id, signal)`), while an argument's type may be asked for nowhere else.
      // Rejected: asking a variable argument's type first as the cheaper single question; it is one more question
      // for almost every call, where the callee's answer is shared.
      if ((!listener && !mayExpectVoid(call, index)) || !returnsPromise(argument)) continue;
      if (!listener && !expectsVoidReturn(checker, expectedTypes(call, index, argument))) continue;
      // window.removeEventListener('visibilitychange', onChange) — taken off, never called (asked only here, before a report)
      skipped ??= isListenerRemoval(checker, callee) || check.skipCall(call);
      if (skipped) return;
      check.report(argument, { what: what(argument), callee: calleeNameOf(file, call) });
    }
  }

  return {
    call: checkCall,
    // <button onClick={async () => { await save(); }}>
    attribute(node) {
      const initializer = node.initializer;
      if (!initializer || !ts.isJsxExpression(initializer) || !initializer.expression) return;
      const expression = skipParentheses(initializer.expression);
      if (!returnsPromise(expression)) return;
      const contextual = checker.getContextualType(expression);
      if (!contextual || !expectsVoidReturn(checker, [contextual])) return;
      const name = ts.isIdentifier(node.name) ? node.name.text : `${node.name.namespace.text}:${node.name.name.text}`;
      check.report(expression, { what: what(expression), attribute: name });
    },
  };
}

// The most members of a parameter's declared union that still count as cheap to narrow: `signal?: AbortSignal` has two.
const NARROW_UNION = 4;

/**
 * Argument shapes that can be a function, as ESTree's node types: functions, spreads, names, members, calls (not
 * `import(…)`; an optional chain is one of these), conditionals, `&&`/`||`/`??`, `as`, `!` and `satisfies`. Literals, objects,
 * arithmetic and the like are skipped without a type lookup.
 */
function isCandidate(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.SpreadElement:
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.PropertyAccessExpression:
    case ts.SyntaxKind.ElementAccessExpression:
    case ts.SyntaxKind.ConditionalExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.SatisfiesExpression:
      return true;
    case ts.SyntaxKind.CallExpression:
      return isCall(node);
    default:
      return isLogical(node);
  }
}
