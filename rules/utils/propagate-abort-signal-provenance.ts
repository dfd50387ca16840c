import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { taskscopePrimitive } from '../facts.js';
import { holdsSignal, platformAbortApi } from '../facts/signals.js';
import { abortRegistrations, registrationAt, type AbortRegistration } from './propagate-abort-signal-listeners.js';

/**
 * Where a passed signal comes from, as far as one function's code shows: `derived` from the caller's signal (it aborts
 * when the caller's does), `detached` (provably not: `AbortSignal.timeout(ms)`, an unwired local `AbortController`),
 * or `unknown` (anything else: a field, a helper's result, a module-level controller). Only `detached` is reported.
 */
export type Provenance = 'derived' | 'detached' | 'unknown';

/** What provenance tracking needs from the rule. */
export interface ProvenanceContext {
  sourceCode: Readonly<TSESLint.SourceCode>;
  checker: ts.TypeChecker;
  tsNodeOf: (node: TSESTree.Node) => ts.Node;
  typeOf: (node: TSESTree.Node) => ts.Type;
  /** Bindings that hold a caller's signal (`signal: AbortSignal` parameters, destructured `{ signal }`). */
  signals: ReadonlySet<TSESLint.Scope.Variable>;
  /** Bindings whose `signal` property is a caller's signal (`req: Request`, `options: { signal? }`). */
  carriers: ReadonlySet<TSESLint.Scope.Variable>;
}

// Deep enough for `const s = AbortSignal.any([signal, t])` passed through one or two `const`s; deeper chains are
// `unknown`, which is never reported. Rejected: unbounded following, which cycles on `c.signal.addEventListener(…
// c.abort())`.
const MAX_DEPTH = 6;

/** Combines branches (`a ?? b`, `AbortSignal.any([a, b])`): one derived branch is enough; detached only if all are. */
function combine(verdicts: readonly Provenance[]): Provenance {
  if (verdicts.includes('derived')) return 'derived';
  return verdicts.length > 0 && verdicts.every((v) => v === 'detached') ? 'detached' : 'unknown';
}

/** Whether a variable is a `const` initialised once, and its declarator. */
function constDeclarator(variable: TSESLint.Scope.Variable): TSESTree.VariableDeclarator | undefined {
  const [definition, ...more] = variable.defs;
  if (!definition || more.length > 0 || definition.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  return definition.node.parent.kind === 'const' && definition.node.init ? definition.node : undefined;
}

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

const isFunction = (node: TSESTree.Node): node is FunctionNode =>
  node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.FunctionExpression;

/** The function a node is in, or `undefined` at module level. */
function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return current;
  return undefined;
}

/** Follows a passed signal back to where it is made. */
export function createProvenance(context: ProvenanceContext): (expression: TSESTree.Node) => Provenance {
  const { sourceCode, checker, tsNodeOf, typeOf, signals, carriers } = context;
  const variableOf = (identifier: TSESTree.Identifier): TSESLint.Scope.Variable | null =>
    ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  const isPlatform = (node: TSESTree.Node, api: 'AbortSignal' | 'AbortController'): boolean =>
    node.type === AST_NODE_TYPES.Identifier && platformAbortApi(checker, tsNodeOf(node)) === api;

  function of(node: TSESTree.Node, depth: number): Provenance {
    if (depth > MAX_DEPTH) return 'unknown';
    switch (node.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.ChainExpression:
        return of(node.expression, depth + 1);
      // signal ?? AbortSignal.timeout(5_000)
      case AST_NODE_TYPES.LogicalExpression:
        return combine([of(node.left, depth + 1), of(node.right, depth + 1)]);
      case AST_NODE_TYPES.ConditionalExpression:
        return combine([of(node.consequent, depth + 1), of(node.alternate, depth + 1)]);
      case AST_NODE_TYPES.Identifier:
        return identifier(node, depth);
      // req.signal, controller.signal, group.signal
      case AST_NODE_TYPES.MemberExpression:
        return !node.computed && node.property.type === AST_NODE_TYPES.Identifier && node.property.name === 'signal'
          ? carrier(node.object, depth + 1)
          : 'unknown';
      case AST_NODE_TYPES.CallExpression:
        return call(node, depth);
      default:
        return 'unknown';
    }
  }

  function identifier(node: TSESTree.Identifier, depth: number): Provenance {
    const variable = variableOf(node);
    if (!variable) return 'unknown';
    if (signals.has(variable)) return 'derived';
    const declarator = constDeclarator(variable);
    if (!declarator?.init) return 'unknown';
    // const timeout = AbortSignal.timeout(5_000)
    if (declarator.id.type === AST_NODE_TYPES.Identifier) return of(declarator.init, depth + 1);
    // const { signal } = req
    const property = variable.defs[0]?.name.parent;
    const fromSignalKey =
      property?.type === AST_NODE_TYPES.Property &&
      !property.computed &&
      property.key.type === AST_NODE_TYPES.Identifier &&
      property.key.name === 'signal';
    return fromSignalKey ? carrier(declarator.init, depth + 1) : 'unknown';
  }

  // AbortSignal.timeout(ms) is never the caller's; AbortSignal.any([...]) is when one of its inputs is.
  function call(node: TSESTree.CallExpression, depth: number): Provenance {
    const callee = node.callee;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || !isPlatform(callee.object, 'AbortSignal')) return 'unknown';
    const method = callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : '';
    if (method === 'timeout') return 'detached';
    const [list] = node.arguments;
    if (method !== 'any' || list?.type !== AST_NODE_TYPES.ArrayExpression) return 'unknown';
    return combine(list.elements.map((element) => (element && element.type !== AST_NODE_TYPES.SpreadElement ? of(element, depth + 1) : 'unknown')));
  }

  /** Where the `signal` of `object.signal` comes from. */
  function carrier(object: TSESTree.Node, depth: number): Provenance {
    if (depth > MAX_DEPTH) return 'unknown';
    // new AbortController().signal
    if (object.type === AST_NODE_TYPES.NewExpression) return isPlatform(object.callee, 'AbortController') ? 'detached' : 'unknown';
    if (object.type !== AST_NODE_TYPES.Identifier) return 'unknown';
    const variable = variableOf(object);
    if (!variable) return 'unknown';
    if (carriers.has(variable)) return 'derived';
    const init = constDeclarator(variable)?.init;
    if (init?.type !== AST_NODE_TYPES.NewExpression) return 'unknown';
    if (isPlatform(init.callee, 'AbortController')) return controller(variable, init, depth);
    // const group = new ErrGroup({ signal }) — the group's signal aborts with its parent
    if (taskscopePrimitive(checker, typeOf(init)) === 'ErrGroup') {
      const [options] = init.arguments;
      const signal =
        options?.type === AST_NODE_TYPES.ObjectExpression
          ? options.properties.find(
              (p): p is TSESTree.Property =>
                p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'signal',
            )
          : undefined;
      // A group made without a parent is reported at its constructor, so its signal is not reported a second time.
      return signal ? of(signal.value, depth + 1) : 'unknown';
    }
    return 'unknown';
  }

  /**
   * A local controller is the caller's when its `abort` is called by an abort listener on the caller's signal: inline
   * (`signal.addEventListener('abort', () => controller.abort(signal.reason))`, `signal.onabort = …`,
   * `addAbortListener(signal, …)`, `options?.signal?.addEventListener(…)`), through a named listener
   * (`const stop = () => controller.abort(); signal.addEventListener('abort', stop)`, the form that can be removed
   * again), or bound (`signal.addEventListener('abort', controller.abort.bind(controller))`). A listener that only
   * reads the controller (`() => log(controller.signal.aborted)`) does not link it. It is `unknown` when the controller
   * escapes (passed to a helper, returned, stored), which may wire it elsewhere, and at module level, where it is a
   * process-wide shutdown switch rather than a fresh `context.Background()`.
   */
  function controller(variable: TSESLint.Scope.Variable, init: TSESTree.NewExpression, depth: number): Provenance {
    const home = enclosingFunction(init);
    if (!home) return 'unknown';
    const listensToCallers = (registration: AbortRegistration | undefined): boolean =>
      registration?.target !== undefined && of(registration.target, depth + 1) === 'derived';
    let escapes = false;
    for (const reference of variable.references) {
      if (reference.init) continue;
      const id = reference.identifier;
      const parent = id.parent;
      if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== id) {
        escapes = true;
        continue;
      }
      if (parent.computed || parent.property.type !== AST_NODE_TYPES.Identifier || parent.property.name !== 'abort') continue;
      // controller.abort(…) in a listener, or controller.abort.bind(controller) as one
      for (let current: TSESTree.Node | undefined = parent; current && current !== home; current = current.parent) {
        const wired = isFunction(current) ? abortRegistrations(sourceCode, current).some(listensToCallers) : listensToCallers(registrationAt(current));
        if (wired) return 'derived';
      }
    }
    return escapes ? 'unknown' : 'detached';
  }

  return (expression) => of(expression, 0);
}

/**
 * Whether an argument hands the caller's signal on by itself, wherever the callee takes it: the signal or one derived
 * from it (`signal`, `req.signal`, `AbortSignal.any([signal, …])`), a binding that carries it (`init`, also cast:
 * `init as Init`), an object literal that does (`{ ...init, method }`, `{ signal }`, or a `const` holding one), or a
 * value whose type always holds a signal (a `Request`). A callee with several options parameters (`send(input, init,
 * defaults)`) merges them, so the caller's options in any of them reach it.
 */
export function createCarries(context: ProvenanceContext, provenance: (expression: TSESTree.Node) => Provenance): (argument: TSESTree.Node) => boolean {
  const { sourceCode, checker, typeOf, carriers } = context;
  function carries(node: TSESTree.Node, depth: number): boolean {
    let value = node;
    while (value.type === AST_NODE_TYPES.TSAsExpression || value.type === AST_NODE_TYPES.TSNonNullExpression || value.type === AST_NODE_TYPES.TSSatisfiesExpression) value = value.expression;
    if (depth > MAX_DEPTH || value.type === AST_NODE_TYPES.Literal || value.type === AST_NODE_TYPES.ArrowFunctionExpression || value.type === AST_NODE_TYPES.FunctionExpression) return false;
    if (value.type === AST_NODE_TYPES.ObjectExpression) {
      return value.properties.some((member) =>
        member.type === AST_NODE_TYPES.SpreadElement
          ? carries(member.argument, depth + 1)
          : !member.computed && member.key.type === AST_NODE_TYPES.Identifier && member.key.name === 'signal' && provenance(member.value) === 'derived',
      );
    }
    if (value.type === AST_NODE_TYPES.Identifier) {
      const variable = ASTUtils.findVariable(sourceCode.getScope(value), value);
      if (variable && carriers.has(variable)) return true;
      // const init = { ...options, method: 'GET' }
      const init = variable && constDeclarator(variable)?.init;
      if (init?.type === AST_NODE_TYPES.ObjectExpression) return carries(init, depth + 1);
    }
    return provenance(value) === 'derived' || holdsSignal(checker, typeOf(value));
  }
  return (argument) => carries(argument, 0);
}

/** Whether an object literal has a `signal` property (`{ signal }`, `{ 'signal': s }`) whose value passes `test`. */
function signalMember(object: TSESTree.ObjectExpression, test: (value: TSESTree.Node) => boolean): boolean {
  return object.properties.some((member) => {
    if (member.type !== AST_NODE_TYPES.Property) return false;
    const key = member.key;
    const named = key.type === AST_NODE_TYPES.Identifier && !member.computed ? key.name === 'signal' : key.type === AST_NODE_TYPES.Literal && key.value === 'signal';
    return named && test(member.value);
  });
}

/**
 * Whether a call's arguments settle by syntax alone that the rule has nothing to report: one argument is the caller's
 * signal, or an object literal whose `signal` is (`fetchUser(id, signal)`, `fetch(url, { signal })`), so the signal
 * reaches the call whatever the callee takes; and no argument may be a signal that is provably not the caller's
 * (`AbortSignal.timeout(ms)`, `{ signal: controller.signal }`, or a `const` object that might hold one), the only
 * thing still reported then. `false` whenever unsure, so the rule asks the callee's type as before.
 *
 * Why: the callee's type of `(await load(id)).save(…)` makes the checker type the receiver, the rule's main cost, while
 * most calls in a function that has a signal already pass it.
 */
export function createPassesOnlyCallersSignal(
  sourceCode: Readonly<TSESLint.SourceCode>,
  provenance: (expression: TSESTree.Node) => Provenance,
): (call: TSESTree.CallExpression | TSESTree.NewExpression) => boolean {
  const derived = (value: TSESTree.Node): boolean => provenance(value) === 'derived';
  const detached = (value: TSESTree.Node): boolean => provenance(value) === 'detached';
  // As `createCarries` counts them: `{ signal }` and `{ signal: req.signal }`, not `{ 'signal': … }`.
  const passes = (argument: TSESTree.Node): boolean =>
    derived(argument) ||
    (argument.type === AST_NODE_TYPES.ObjectExpression &&
      argument.properties.some(
        (member) => member.type === AST_NODE_TYPES.Property && !member.computed && member.key.type === AST_NODE_TYPES.Identifier && member.key.name === 'signal' && derived(member.value),
      ));
  function mayBeDetached(argument: TSESTree.Node): boolean {
    if (detached(argument)) return true;
    if (argument.type === AST_NODE_TYPES.ObjectExpression) return signalMember(argument, detached);
    if (argument.type !== AST_NODE_TYPES.Identifier) return false;
    // fetch(url, init) with `const init = { signal: AbortSignal.timeout(5_000) }`
    const variable = ASTUtils.findVariable(sourceCode.getScope(argument), argument);
    return (variable?.defs ?? []).some((definition) => definition.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.init?.type === AST_NODE_TYPES.ObjectExpression);
  }
  return (call) => call.arguments.some(passes) && !call.arguments.some(mayBeDetached);
}
