import ts from './typescript.cjs';
import { taskscopePrimitive } from '../facts.js';
import { holdsSignal, platformAbortApi } from '../facts/signals.js';
import { fileIndex } from '../native/file-index.js';
import { enclosingFunction, isFunctionWithBody } from '../native/functions.js';
import { argumentsOf, isLiteral, isLogical, isPropertyName, skipParentheses } from '../native/syntax.js';
import { fileDeclarations, isConst, isInitialisedName, variableDeclarationOf, type BindingSet } from './propagate-abort-signal-bindings.js';
import { registrationAt, type AbortRegistration, type Listeners } from './propagate-abort-signal-listeners.js';
import { isCallOrNew, isChainRoot, isSignalKey, namesSignal, propertyValue } from './propagate-abort-signal-syntax.js';

/**
 * Where a passed signal comes from, as far as one function's code shows: `derived` from the caller's signal (it aborts
 * when the caller's does), `detached` (provably not: `AbortSignal.timeout(ms)`, an unwired local `AbortController`),
 * or `unknown` (anything else: a field, a helper's result, a module-level controller). Only `detached` is reported.
 */
export type Provenance = 'derived' | 'detached' | 'unknown';

/** What provenance tracking needs from the rule. */
export interface ProvenanceContext {
  readonly checker: ts.TypeChecker;
  readonly file: ts.SourceFile;
  /** The variable of the file an identifier refers to (see `createResolver`). */
  readonly resolve: (reference: ts.Identifier) => ts.Symbol | undefined;
  readonly listeners: Listeners;
  /** Bindings that hold a caller's signal (`signal: AbortSignal` parameters, destructured `{ signal }`). */
  readonly signals: BindingSet;
  /** Bindings whose `signal` property is a caller's signal (`req: Request`, `options: { signal? }`). */
  readonly carriers: BindingSet;
}

/** What {@link createCarries} and {@link createPassesOnlyCallersSignal} need besides provenance. */
export type ArgumentContext = Pick<ProvenanceContext, 'checker' | 'file' | 'resolve' | 'signals' | 'carriers'>;

/** Follows bindings: which one a name refers to, and the `const` that gives it its value. */
interface Bindings {
  /**
   * The binding an identifier refers to, when it may matter: one of the caller's signals or carriers, or a name some
   * variable declaration with an initial value binds. Other names are left unresolved (`undefined`), as no answer
   * depends on them.
   */
  of(identifier: ts.Identifier): ts.Symbol | undefined;
  /** The declaration of a binding when it is its one declaration in the file, a `const` with an initial value. */
  constDeclaration(symbol: ts.Symbol): ts.VariableDeclaration | undefined;
}

function bindingsOf(context: ArgumentContext): Bindings {
  const { file, resolve, signals, carriers } = context;
  return {
    of: (identifier) => (signals.mayHold(identifier.text) || carriers.mayHold(identifier.text) || isInitialisedName(file, identifier.text) ? resolve(identifier) : undefined),
    constDeclaration(symbol) {
      const [declaration, ...more] = fileDeclarations(symbol, file);
      const variable = declaration && more.length === 0 ? variableDeclarationOf(declaration) : undefined;
      return variable && isConst(variable) && variable.initializer ? variable : undefined;
    },
  };
}

// Deep enough for `const s = AbortSignal.any([signal, t])` passed through one or two `const`s; deeper chains are
// `unknown`, which is never reported. Rejected: unbounded following, which cycles on `c.signal.addEventListener(…
// c.abort())`. Depth counts ESTree's nodes, as the rule always has: an optional chain (`a?.b`) is one level of its
// own, parentheses are none.
const MAX_DEPTH = 6;

/** Combines branches (`a ?? b`, `AbortSignal.any([a, b])`): one derived branch is enough; detached only if all are. */
function combine(verdicts: readonly Provenance[]): Provenance {
  if (verdicts.includes('derived')) return 'derived';
  return verdicts.length > 0 && verdicts.every((v) => v === 'detached') ? 'detached' : 'unknown';
}

/** Follows a passed signal back to where it is made. */
export function createProvenance(context: ProvenanceContext): (expression: ts.Node) => Provenance {
  const { checker, file, resolve, listeners, signals, carriers } = context;
  const bindings = bindingsOf(context);
  const isPlatform = (node: ts.Node, api: 'AbortSignal' | 'AbortController'): boolean => platformAbortApi(checker, skipParentheses(node)) === api;

  function of(node: ts.Node, depth: number, chained = false): Provenance {
    if (depth > MAX_DEPTH) return 'unknown';
    const inner = skipParentheses(node);
    // options?.signal — ESTree wraps the optional chain in a node of its own
    if (!chained && isChainRoot(inner)) return of(inner, depth + 1, true);
    if (ts.isAsExpression(inner) || ts.isNonNullExpression(inner) || ts.isSatisfiesExpression(inner)) return of(inner.expression, depth + 1);
    // signal ?? AbortSignal.timeout(5_000)
    if (isLogical(inner)) return combine([of(inner.left, depth + 1), of(inner.right, depth + 1)]);
    if (ts.isConditionalExpression(inner)) return combine([of(inner.whenTrue, depth + 1), of(inner.whenFalse, depth + 1)]);
    if (ts.isIdentifier(inner)) return identifier(inner, depth);
    // req.signal, controller.signal, group.signal
    if (ts.isPropertyAccessExpression(inner)) return ts.isIdentifier(inner.name) && inner.name.text === 'signal' ? carrier(inner.expression, depth + 1) : 'unknown';
    if (ts.isCallExpression(inner) && isCallOrNew(inner)) return call(inner, depth);
    return 'unknown';
  }

  function identifier(node: ts.Identifier, depth: number): Provenance {
    const symbol = bindings.of(node);
    if (!symbol) return 'unknown';
    if (signals.has(symbol)) return 'derived';
    const declaration = bindings.constDeclaration(symbol);
    if (!declaration?.initializer) return 'unknown';
    // const timeout = AbortSignal.timeout(5_000)
    if (ts.isIdentifier(declaration.name)) return of(declaration.initializer, depth + 1);
    // const { signal } = req; also `const { a: { signal } } = req`, which ESTree's rule read as the same
    const element = fileDeclarations(symbol, file)[0];
    const key = element && ts.isBindingElement(element) && ts.isObjectBindingPattern(element.parent) && !element.initializer && !element.dotDotDotToken
      ? (element.propertyName ?? element.name)
      : undefined;
    const fromSignalKey = key !== undefined && ts.isIdentifier(key) && key.text === 'signal';
    return fromSignalKey ? carrier(declaration.initializer, depth + 1) : 'unknown';
  }

  // AbortSignal.timeout(ms) is never the caller's; AbortSignal.any([...]) is when one of its inputs is.
  function call(node: ts.CallExpression, depth: number): Provenance {
    const callee = skipParentheses(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !isPlatform(callee.expression, 'AbortSignal')) return 'unknown';
    const method = ts.isIdentifier(callee.name) ? callee.name.text : '';
    if (method === 'timeout') return 'detached';
    const list = node.arguments[0] && skipParentheses(node.arguments[0]);
    if (method !== 'any' || !list || !ts.isArrayLiteralExpression(list)) return 'unknown';
    return combine(list.elements.map((element) => (ts.isSpreadElement(element) || ts.isOmittedExpression(element) ? 'unknown' : of(element, depth + 1))));
  }

  /** Where the `signal` of `object.signal` comes from. */
  function carrier(node: ts.Node, depth: number): Provenance {
    if (depth > MAX_DEPTH) return 'unknown';
    const object = skipParentheses(node);
    // new AbortController().signal
    if (ts.isNewExpression(object)) return isPlatform(object.expression, 'AbortController') ? 'detached' : 'unknown';
    if (!ts.isIdentifier(object)) return 'unknown';
    const symbol = bindings.of(object);
    if (!symbol) return 'unknown';
    if (carriers.has(symbol)) return 'derived';
    const declaration = bindings.constDeclaration(symbol);
    const init = declaration?.initializer && skipParentheses(declaration.initializer);
    if (!declaration || !init || !ts.isNewExpression(init)) return 'unknown';
    if (isPlatform(init.expression, 'AbortController')) return controller(symbol, declaration, init, depth);
    // const group = new ErrGroup({ signal }) — the group's signal aborts with its parent
    if (taskscopePrimitive(checker, checker.getTypeAtLocation(init)) === 'ErrGroup') {
      const options = argumentsOf(init)[0];
      const object = options && skipParentheses(options);
      const signal = object && ts.isObjectLiteralExpression(object) ? object.properties.find(isSignalKey) : undefined;
      // A group made without a parent is reported at its constructor, so its signal is not reported a second time.
      return signal ? of(propertyValue(signal), depth + 1) : 'unknown';
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
  function controller(symbol: ts.Symbol, declaration: ts.VariableDeclaration, init: ts.NewExpression, depth: number): Provenance {
    const home = enclosingFunction(init);
    if (!home) return 'unknown';
    const listensToCallers = (registration: AbortRegistration | undefined): boolean =>
      registration?.target !== undefined && of(registration.target, depth + 1) === 'derived';
    const name = declaration.name as ts.Identifier;
    let escapes = false;
    for (const reference of fileIndex(file).identifiersNamed(name.text)) {
      // the declaration's own name is ESLint's initialising reference, which the rule skipped
      if (reference === name || isPropertyName(reference) || resolve(reference) !== symbol) continue;
      let member: ts.Node = reference;
      while (ts.isParenthesizedExpression(member.parent)) member = member.parent;
      const parent = member.parent;
      // controller.abort, controller['abort'], controller?.abort
      if (!(ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) || parent.expression !== member) {
        escapes = true;
        continue;
      }
      if (!ts.isPropertyAccessExpression(parent) || !ts.isIdentifier(parent.name) || parent.name.text !== 'abort') continue;
      // controller.abort(…) in a listener, or controller.abort.bind(controller) as one
      for (let current: ts.Node | undefined = parent; current && current !== home; current = current.parent) {
        if (ts.isParenthesizedExpression(current)) continue;
        const wired = isFunctionWithBody(current) ? listeners.abortRegistrations(current).some(listensToCallers) : listensToCallers(registrationAt(current));
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
export function createCarries(context: ArgumentContext, provenance: (expression: ts.Node) => Provenance): (argument: ts.Node) => boolean {
  const { checker, carriers } = context;
  const bindings = bindingsOf(context);
  function carries(node: ts.Node, depth: number): boolean {
    let value = skipParentheses(node);
    // `init!`, not the `!` that ends an optional chain (`init?.options!`), which ESTree keeps inside its chain node
    while (ts.isAsExpression(value) || ts.isSatisfiesExpression(value) || (ts.isNonNullExpression(value) && !isChainRoot(value))) value = skipParentheses(value.expression);
    if (depth > MAX_DEPTH || isLiteral(value) || ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return false;
    if (ts.isObjectLiteralExpression(value)) {
      return value.properties.some((member) =>
        ts.isSpreadAssignment(member) ? carries(member.expression, depth + 1) : isSignalKey(member) && provenance(propertyValue(member)) === 'derived',
      );
    }
    if (ts.isIdentifier(value)) {
      const symbol = bindings.of(value);
      if (symbol && carriers.has(symbol)) return true;
      // const init = { ...options, method: 'GET' }
      const init = symbol && bindings.constDeclaration(symbol)?.initializer;
      if (init && ts.isObjectLiteralExpression(skipParentheses(init))) return carries(init, depth + 1);
    }
    return provenance(value) === 'derived' || holdsSignal(checker, checker.getTypeAtLocation(value));
  }
  return (argument) => carries(argument, 0);
}

/**
 * Whether a call's arguments settle by syntax alone that the rule has nothing to report: one argument is the caller's
 * signal, or an object literal whose `signal` is (`fetchUser(id, signal)`, `fetch(url, { signal })`), so the signal
 * reaches the call whatever the callee takes; and no argument may be a signal that is provably not the caller's
 * (`AbortSignal.timeout(ms)`, `{ signal: controller.signal }`, or a variable initialised with an object literal, which
 * might hold one), the only thing still reported then. `false` whenever unsure, so the rule asks the callee's type as
 * before.
 *
 * Why: the callee's type of `(await load(id)).save(…)` makes the checker type the receiver, the rule's main cost, while
 * most calls in a function that has a signal already pass it.
 */
export function createPassesOnlyCallersSignal(
  context: ArgumentContext,
  provenance: (expression: ts.Node) => Provenance,
): (call: ts.CallExpression | ts.NewExpression) => boolean {
  const { file } = context;
  const bindings = bindingsOf(context);
  const derived = (value: ts.Node): boolean => provenance(value) === 'derived';
  const detached = (value: ts.Node): boolean => provenance(value) === 'detached';
  // As `createCarries` counts them: `{ signal }` and `{ signal: req.signal }`, not `{ 'signal': … }`.
  const passes = (argument: ts.Node): boolean => {
    const value = skipParentheses(argument);
    return derived(value) || (ts.isObjectLiteralExpression(value) && value.properties.some((member) => isSignalKey(member) && derived(propertyValue(member))));
  };
  function mayBeDetached(argument: ts.Node): boolean {
    const value = skipParentheses(argument);
    if (detached(value)) return true;
    if (ts.isObjectLiteralExpression(value)) return value.properties.some((member) => namesSignal(member) && detached(propertyValue(member)));
    if (!ts.isIdentifier(value)) return false;
    // fetch(url, init) with `const init = { signal: AbortSignal.timeout(5_000) }`
    const symbol = bindings.of(value);
    return (symbol ? fileDeclarations(symbol, file) : []).some((declaration) => {
      const init = variableDeclarationOf(declaration)?.initializer;
      return init !== undefined && ts.isObjectLiteralExpression(skipParentheses(init));
    });
  }
  return (call) => argumentsOf(call).some(passes) && !argumentsOf(call).some(mayBeDetached);
}
