import { AST_NODE_TYPES, ASTUtils, type ParserServicesWithTypeInformation, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from './typescript.cjs';
import { cannotReject, declaredToNeverReject, elementTypes, expectsVoidReturn, isDomListenerRegistration, mayExpectVoidCallback, parameterTypeAt, returnsThenable } from '../facts.js';
import { isListenerRemoval } from '../facts/close.js';
import { declaredMethodType, methodTypeForParameter } from '../facts/declared-types.js';
import { isNeverThenable } from './ast.js';
import { globalCalleeType } from './global-values.js';

type Call = TSESTree.CallExpression | TSESTree.NewExpression;
type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;

/** What the rule is told about a promise-returning function given where `void` is expected. */
export type VoidReturnReport =
  | { what: string; callee: string }
  | { what: string; attribute: string };

/** Inputs of {@link checkVoidReturnCallbacks}. */
export interface VoidReturnCheck {
  services: ParserServicesWithTypeInformation;
  sourceCode: Readonly<TSESLint.SourceCode>;
  checker: ts.TypeChecker;
  /** Calls that own their callback's promise although the parameter says `void` (`Promise#finally`). */
  skipCall: (node: Call) => boolean;
  report: (node: TSESTree.Node, data: VoidReturnReport) => void;
  /** Names the callee in the message (`forEach(...)`). */
  calleeName: (node: Call) => string;
}

/**
 * Listeners that find a promise-returning function passed where the parameter (or JSX attribute) expects a function
 * returning `void` — `items.forEach(async …)`, `setInterval(async …)`, `emitter.on('x', async …)`,
 * `onClick={async …}` — because whoever calls it drops the promise, and with it the rejection.
 *
 * Checked on `:exit`, once the callback's body has been walked: a block body without `return value` cannot return a
 * promise, so most callbacks are settled without asking the type checker anything.
 */
export function checkVoidReturnCallbacks(check: VoidReturnCheck): TSESLint.RuleListener {
  const { services, checker } = check;
  const valueReturning = new WeakSet<TSESTree.Node>();
  const typeOf = (node: TSESTree.Node): ts.Type => services.getTypeAtLocation(node);

  /**
   * Whether a callback surely returns no promise by its syntax alone: a generator, or a function that is not `async`
   * and has a block body without `return value`, or a concise body that is never a thenable (`(item) => item.id ===
   * id`, see {@link isNeverThenable}). The same answer {@link returnsPromise} gives for these, without any type, so
   * the callee's type need not be asked for them either.
   */
  function returnsNoPromise(node: TSESTree.Node): boolean {
    if (node.type !== AST_NODE_TYPES.ArrowFunctionExpression && node.type !== AST_NODE_TYPES.FunctionExpression) return false;
    if (node.generator) return true;
    if (node.async) return false;
    return node.body.type === AST_NODE_TYPES.BlockStatement ? !valueReturning.has(node) : isNeverThenable(node.body);
  }

  function returnsPromise(node: TSESTree.Node): boolean {
    switch (node.type) {
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
        if (node.generator) return false;
        // async () => { try { … } catch (error) { report(error); } } — its promise never rejects, so dropping it loses nothing
        if (node.async) return !cannotReject(checker, services.esTreeNodeToTSNodeMap.get(node));
        if (node.body.type === AST_NODE_TYPES.BlockStatement ? !valueReturning.has(node) : isNeverThenable(node.body)) return false;
        return returnsThenable(checker, typeOf(node));
      case AST_NODE_TYPES.SpreadElement:
        return elementTypes(checker, typeOf(node.argument)).some((element) => returnsThenable(checker, element));
      default: {
        if (!CANDIDATES.has(node.type)) return false;
        const type = typeOf(node);
        // browser.on('targetcreated', onTarget) where onTarget catches everything it does, by its declaration
        return returnsThenable(checker, type) && !declaredToNeverReject(checker, type);
      }
    }
  }

  /** The parameter types that argument `index` may meet: the chosen overload's, and every other overload's. */
  function expectedTypes(call: Call, index: number, argument: TSESTree.CallExpressionArgument): ts.Type[] {
    const tsCall = services.esTreeNodeToTSNodeMap.get(call);
    if (argument.type === AST_NODE_TYPES.SpreadElement) {
      const signature = checker.getResolvedSignature(tsCall);
      const type = signature && parameterTypeAt(checker, signature, index);
      return type ? [type] : [];
    }
    const types: ts.Type[] = [];
    const contextual = checker.getContextualType(services.esTreeNodeToTSNodeMap.get(argument) as ts.Expression);
    if (contextual) types.push(contextual);
    // Overloads: `it(name, fn: () => void)` next to `it(name, fn: () => Promise<void>)` accepts an async callback,
    // although TypeScript resolves the call to the first one. Generic overloads only count through the resolved call.
    if (call.arguments.slice(0, index).some((a) => a.type === AST_NODE_TYPES.SpreadElement)) return types;
    const calleeType = typeOf(call.callee);
    const signatures = call.type === AST_NODE_TYPES.NewExpression ? calleeType.getConstructSignatures() : calleeType.getCallSignatures();
    if (signatures.length < 2) return types;
    for (const signature of signatures) {
      if (signature.getTypeParameters()?.length) continue;
      const type = parameterTypeAt(checker, signature, index);
      if (type) types.push(type);
    }
    return types;
  }

  const what = (node: TSESTree.Node): string =>
    (node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionExpression) && node.async
      ? 'Async function'
      : 'Function returning a promise';

  /**
   * Whether any declared signature of the callee wants a `void`-returning function at `index` (`forEach`, `on`,
   * `setTimeout`, a Promise executor). Asked before the argument's own type for function expressions: the callee's
   * type is cheap and always safe, while typing some callbacks makes TypeScript 6 recurse without end (see
   * `mayReturnPromise` in facts). A generic callback type (`map`'s `(value: T) => U`) is inferred from the argument,
   * so it expects whatever the argument returns; only explicit type arguments can make it `void` (`useCallback<() => void>`).
   */
  function mayExpectVoid(call: Call, index: number): boolean {
    if (call.typeArguments || call.arguments.slice(0, index + 1).some((a) => a.type === AST_NODE_TYPES.SpreadElement)) return true;
    // Promise.all(ids.map(load)), Response.json(found): a global callee's declared type, without typing it here;
    // expect(await load()).toBe(user): a method of a call's value, read off the declarations (`load()` left untyped)
    // group.go(task) where `const group = new ErrGroup(…)`: a method of a value its declarations type
    const tsCallee = services.esTreeNodeToTSNodeMap.get(call.callee);
    const calleeType =
      globalCalleeType(services, check.sourceCode, call.callee) ??
      declaredMethodType(checker, tsCallee) ??
      (call.type === AST_NODE_TYPES.CallExpression ? methodTypeForParameter(checker, tsCallee, index) : undefined) ??
      typeOf(call.callee);
    return mayExpectVoidCallback(checker, calleeType, index, call.type === AST_NODE_TYPES.NewExpression);
  }

  /** `el.addEventListener('click', listener)`: the listener's result is ignored whatever its declared type says. */
  function isListenerArgument(call: Call, index: number): boolean {
    const callee = call.callee;
    return (
      index === 1 &&
      callee.type === AST_NODE_TYPES.MemberExpression &&
      !callee.computed &&
      callee.property.name === 'addEventListener' &&
      isDomListenerRegistration(checker, services.esTreeNodeToTSNodeMap.get(callee.property))
    );
  }

  /**
   * Whether an argument is a reference to a parameter declared with a type (`signal: AbortSignal`, `id: string`):
   * its type is the annotation's, and typing it costs next to nothing, unlike the callee's type when nobody else needs
   * it (an imported function's, which resolves the import). Not a parameter declared with a wide union
   * (`node: TSESTree.Node`, 170 members): the checker narrows such a reference by the flow analysis of every `if`
   * before it, which costs more than any callee (only which question comes first depends on this, not the answer).
   */
  function isTypedParameter(argument: TSESTree.Node): boolean {
    if (argument.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = ASTUtils.findVariable(check.sourceCode.getScope(argument), argument);
    const [definition, ...more] = variable?.defs ?? [];
    if (definition?.type !== TSESLint.Scope.DefinitionType.Parameter || more.length > 0 || definition.name.type !== AST_NODE_TYPES.Identifier ||
      definition.name.typeAnnotation === undefined || !isFunction(definition.name.parent)) {
      return false;
    }
    // The declared type, kept by the checker per parameter: no flow analysis.
    const declared = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(definition.name));
    return !declared.isUnion() || declared.types.length <= NARROW_UNION;
  }

  /**
   * Whether an argument's type costs next to nothing to ask for: a typed parameter (see {@link isTypedParameter}), or
   * a type assertion `value as Entry`, whose type TypeScript reads off the written type without typing `value`
   * (`as const` excepted).
   */
  function isCheaplyTyped(argument: TSESTree.Node): boolean {
    if (argument.type === AST_NODE_TYPES.TSAsExpression || argument.type === AST_NODE_TYPES.TSTypeAssertion) return !isConstAssertion(argument.typeAnnotation);
    return isTypedParameter(argument);
  }

  function checkCall(call: Call): void {
    // fetchUser(id, signal), ok(value as User) — every argument that could be a function is cheap to type and returns no
    // promise: the same answer as below (such an argument is never reported), without typing the callee
    // items.forEach((item) => { total += item.size; }) — and callbacks that return no promise by their syntax
    // JSON.stringify(item), Response.json(found): not for a global callee, whose declared type is known without typing
    // it (see `mayExpectVoid`), so asking it first is the cheaper way to the same answer
    const argumentsFirst = !call.typeArguments && globalCalleeType(services, check.sourceCode, call.callee) === undefined;
    if (argumentsFirst && call.arguments.every((argument) => !CANDIDATES.has(argument.type) || returnsNoPromise(argument) || (isCheaplyTyped(argument) && !returnsPromise(argument)))) return;
    let skipped: boolean | undefined;
    for (const [index, argument] of call.arguments.entries()) {
      if (!CANDIDATES.has(argument.type) || returnsNoPromise(argument)) continue;
      // ok(value as User), ok(<User>value): the same two questions as below, the one without a lookup first. Not for a
      // typed parameter (an identifier): where this loop runs, the callee is typed anyway, and its answer is usually
      // known already.
      if (argument.type !== AST_NODE_TYPES.Identifier && isCheaplyTyped(argument) && !returnsPromise(argument)) continue;
      const listener = isListenerArgument(call, index);
      // The callee's declared type first: the other rules ask for it anyway (so it is usually known already), and it
      // rules out most arguments (`fetchUser(id, signal)`), while an argument's type may be asked for nowhere else.
      // Rejected: asking a variable argument's type first as the cheaper single question; it is one more question
      // for almost every call, where the callee's answer is shared.
      if ((!listener && !mayExpectVoid(call, index)) || !returnsPromise(argument)) continue;
      if (!listener && !expectsVoidReturn(checker, expectedTypes(call, index, argument))) continue;
      // window.removeEventListener('visibilitychange', onChange) — taken off, never called (asked only here, before a report)
      skipped ??= isListenerRemoval(checker, services.esTreeNodeToTSNodeMap.get(call.callee)) || check.skipCall(call);
      if (skipped) return;
      check.report(argument, { what: what(argument), callee: check.calleeName(call) });
    }
  }

  return {
    ReturnStatement(node): void {
      if (!node.argument) return;
      for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
        if (isFunction(current)) {
          valueReturning.add(current);
          return;
        }
      }
    },
    'CallExpression:exit': checkCall,
    'NewExpression:exit': checkCall,
    'JSXAttribute:exit'(node: TSESTree.JSXAttribute): void {
      if (node.value?.type !== AST_NODE_TYPES.JSXExpressionContainer) return;
      const expression = node.value.expression;
      if (expression.type === AST_NODE_TYPES.JSXEmptyExpression || !returnsPromise(expression)) return;
      const contextual = checker.getContextualType(services.esTreeNodeToTSNodeMap.get(expression) as ts.Expression);
      if (!contextual || !expectsVoidReturn(checker, [contextual])) return;
      const name = node.name.type === AST_NODE_TYPES.JSXIdentifier ? node.name.name : `${node.name.namespace.name}:${node.name.name.name}`;
      check.report(expression, { what: what(expression), attribute: name });
    },
  };
}

// The most members of a parameter's declared union that still count as cheap to narrow: `signal?: AbortSignal` has two.
const NARROW_UNION = 4;

// Argument shapes that can be a function. Literals, objects, arithmetic and the like are skipped without a type lookup.
const CANDIDATES = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.SpreadElement,
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.ChainExpression,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.LogicalExpression,
  AST_NODE_TYPES.TSAsExpression,
  AST_NODE_TYPES.TSNonNullExpression,
  AST_NODE_TYPES.TSSatisfiesExpression,
]);

/** `as const` (and `<const>value`), whose type is the value's own, narrowed: not readable off the written type. */
function isConstAssertion(annotation: TSESTree.TypeNode): boolean {
  return annotation.type === AST_NODE_TYPES.TSTypeReference && annotation.typeName.type === AST_NODE_TYPES.Identifier && annotation.typeName.name === 'const';
}

function isFunction(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionDeclaration
  );
}
