import ts from './typescript.cjs';
import { fileIndex } from '../native/file-index.js';
import { enclosingFunction, isFunctionWithBody, type FunctionNode } from '../native/functions.js';
import { isAssignmentOperator, isPropertyName, parentOf, skipParentheses } from '../native/syntax.js';
import { declaredSymbol, fileDeclarations, isConst } from './propagate-abort-signal-bindings.js';

/** One place where a function is made an abort listener. */
export interface AbortRegistration {
  /** The registering call or assignment: `signal.addEventListener('abort', stop)`, `signal.onabort = stop`. */
  readonly node: ts.Node;
  /** What it listens to (`signal`, `req.signal`); `undefined` for a bare global `addEventListener('abort', …)`. */
  readonly target: ts.Node | undefined;
}

/** What the rule asks about abort listeners in one file. */
export interface Listeners {
  abortRegistrations(fn: FunctionNode): readonly AbortRegistration[];
  cancelledByHand(call: ts.CallExpression | ts.NewExpression, isCallersSignal: (target: ts.Node) => boolean): boolean;
  onlyRemovedParameters(fn: FunctionNode): ts.Identifier[];
}

/**
 * The registration when `listener` (a function, a reference to one, or any other expression such as
 * `controller.abort.bind(controller)`; without its parentheses) is in a listener's position. Syntax alone.
 */
export function registrationAt(listener: ts.Node): AbortRegistration | undefined {
  const parent = parentOf(listener);
  if (!parent) return undefined;
  // signal.onabort = () => …
  if (ts.isBinaryExpression(parent) && isAssignmentOperator(parent.operatorToken.kind)) {
    const left = skipParentheses(parent.left);
    const onabort = skipParentheses(parent.right) === listener && ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.name) && left.name.text === 'onabort';
    return onabort ? { node: parent, target: skipParentheses(left.expression) } : undefined;
  }
  if (!ts.isCallExpression(parent) || parent.expression.kind === ts.SyntaxKind.ImportKeyword) return undefined;
  const callee = skipParentheses(parent.expression);
  const member = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee : undefined;
  // signal[addEventListener](…) names its method by a variable, which counts as ESTree's computed property did
  const name = member ? (ts.isPropertyAccessExpression(member) ? member.name : skipParentheses(member.argumentExpression)) : callee;
  const [first, second] = parent.arguments;
  if (!ts.isIdentifier(name) || !second || skipParentheses(second) !== listener) return undefined;
  // addAbortListener(signal, () => …) from node:events
  if (name.text === 'addAbortListener') return { node: parent, target: first && skipParentheses(first) };
  // signal.addEventListener('abort', () => …)
  const event = first && skipParentheses(first);
  const abort = name.text === 'addEventListener' && event !== undefined && ts.isStringLiteral(event) && event.text === 'abort';
  return abort ? { node: parent, target: member && skipParentheses(member.expression) } : undefined;
}

/** The name a function is known by where it may be registered: a function declaration's, or a `const`'s. */
function nameOf(fn: FunctionNode): ts.Identifier | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name;
  const declaration = parentOf(fn);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || skipParentheses(declaration.initializer) !== fn) return undefined;
  return isConst(declaration) && ts.isIdentifier(declaration.name) ? declaration.name : undefined;
}

/** `signal.removeEventListener(…)`, `signal?.removeEventListener(…)`: the reference is the receiver of that call. */
function receivesRemoval(identifier: ts.Identifier): boolean {
  const member = parentOf(identifier);
  if (!member || !ts.isPropertyAccessExpression(member) || skipParentheses(member.expression) !== identifier) return false;
  const call = parentOf(member);
  return ts.isIdentifier(member.name) && member.name.text === 'removeEventListener' && call !== undefined && ts.isCallExpression(call) && skipParentheses(call.expression) === member;
}

/**
 * The names a parameter binds, at any depth (`({ op: { id, signal } })`), each with whether a default value is given
 * on its way (`signal = none`, `{ signal } = {}`): ESLint counts that default as a write of the name.
 */
function parameterBindings(name: ts.BindingName, defaulted: boolean, out: Array<{ name: ts.Identifier; defaulted: boolean }>): typeof out {
  if (ts.isIdentifier(name)) out.push({ name, defaulted });
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) parameterBindings(element.name, defaulted || element.initializer !== undefined, out);
  return out;
}

/**
 * The abort-listener questions of one file. `resolve` gives the variable an identifier refers to (see
 * `createResolver`), asked only where syntax leaves a candidate: the names that may refer to a variable are found by
 * their text first (ESLint's scope analysis had every reference at hand).
 */
export function createListeners(checker: ts.TypeChecker, file: ts.SourceFile, resolve: (reference: ts.Identifier) => ts.Symbol | undefined): Listeners {
  // Per file, keyed by this file's nodes: a WeakMap over a program's nodes would keep answers as long as the program.
  const registrations = new Map<FunctionNode, readonly AbortRegistration[]>();

  /** The identifiers of the file with `name`'s text that refer to `symbol`, keeping only those `keep` accepts first. */
  const referencesTo = (symbol: ts.Symbol, name: string, keep: (identifier: ts.Identifier) => boolean): ts.Identifier[] =>
    fileIndex(file).identifiersNamed(name).filter((identifier) => !isPropertyName(identifier) && keep(identifier) && resolve(identifier) === symbol);

  /**
   * Where a function is registered as an abort listener: inline (`signal.addEventListener('abort', () => …)`,
   * `signal.onabort = …`, `addAbortListener(signal, …)`), or by the name of a `const` or a function declaration
   * (`const stop = () => …; signal.addEventListener('abort', stop)`, the form that can be removed again). Registrations
   * are found by syntax: `'abort'` is the event's name on every EventTarget that has one.
   */
  function abortRegistrations(fn: FunctionNode): readonly AbortRegistration[] {
    const known = registrations.get(fn);
    if (known) return known;
    const inline = registrationAt(fn);
    let found: AbortRegistration[] = inline ? [inline] : [];
    const name = inline ? undefined : nameOf(fn);
    // Only a name in a listener's position is resolved: most functions are registered nowhere.
    const listening = name ? fileIndex(file).identifiersNamed(name.text).filter((identifier) => registrationAt(identifier) !== undefined) : [];
    const symbol = name && listening.length > 0 ? declaredSymbol(checker, name) : undefined;
    if (symbol) found = listening.filter((identifier) => resolve(identifier) === symbol).flatMap((identifier) => registrationAt(identifier) ?? []);
    registrations.set(fn, found);
    return found;
  }

  /**
   * Whether the caller cancels a call's result by hand, so the call needs no signal of its own: the result is bound to
   * a name (`const child = spawn(…)`, `child = spawn(…)`), and an abort listener on the caller's signal, registered in
   * the same function as the call, uses that name (`signal.addEventListener('abort', () => child.kill('SIGINT'))`).
   * A graceful stop by hand is often the point: `spawn`'s own `signal` would kill the process outright. Not when the
   * result is awaited first (`const feed = await openFeed(url)`): the call itself ran without the signal.
   *
   * @param isCallersSignal whether a listened-to expression is the caller's signal (or derived from it).
   */
  function cancelledByHand(call: ts.CallExpression | ts.NewExpression, isCallersSignal: (target: ts.Node) => boolean): boolean {
    let result: ts.Node = call;
    while (ts.isParenthesizedExpression(result.parent) || ts.isAsExpression(result.parent) || ts.isNonNullExpression(result.parent) || ts.isSatisfiesExpression(result.parent)) {
      result = result.parent;
    }
    const parent = result.parent;
    let name: ts.Identifier | undefined;
    if (ts.isVariableDeclaration(parent) && parent.initializer === result && ts.isIdentifier(parent.name)) name = parent.name;
    else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === result) {
      const left = skipParentheses(parent.left);
      if (ts.isIdentifier(left)) name = left;
    }
    const symbol = name && resolve(name);
    if (!name || !symbol || fileDeclarations(symbol, file).length === 0) return false;
    const home = enclosingFunction(call);
    // A use can be wired only from inside a function other than `home`: the others are not resolved.
    const inListener = (identifier: ts.Identifier): boolean => {
      for (let current = identifier.parent; current && current !== home; current = current.parent) if (isFunctionWithBody(current)) return true;
      return false;
    };
    return referencesTo(symbol, name.text, inListener).some((identifier) => {
      for (let current: ts.Node | undefined = identifier.parent; current && current !== home; current = current.parent) {
        if (!isFunctionWithBody(current)) continue;
        const wired = abortRegistrations(current).some(
          (registration) => registration.target !== undefined && enclosingFunction(registration.node) === home && isCallersSignal(registration.target),
        );
        if (wired) return true;
      }
      return false;
    });
  }

  /**
   * A function's parameter bindings (parameters, and names destructured from them at any depth:
   * `({ op: { id, signal } })`) that are used, and used only as the receiver of `removeEventListener`: a listener is
   * taken off a signal that nothing here ever listens to, the mark of a forgotten `addEventListener` (tRPC #7431).
   * Found by syntax first, so only a name that is such a receiver somewhere in the function is resolved, and the
   * caller asks the types only of the few found. Names starting with `_` are skipped, and so are names given a default
   * value, which is a use of its own.
   */
  function onlyRemovedParameters(fn: FunctionNode): ts.Identifier[] {
    const found: ts.Identifier[] = [];
    const inside = (identifier: ts.Identifier): boolean => identifier.pos >= fn.parameters.pos && identifier.end <= fn.end;
    for (const parameter of fn.parameters) {
      for (const { name, defaulted } of parameterBindings(parameter.name, parameter.initializer !== undefined, [])) {
        // `this` is no variable; a default value is a write of the name, which is no removal
        if (name.text === 'this' || name.text.startsWith('_') || defaulted) continue;
        const uses = fileIndex(file).identifiersNamed(name.text).filter((identifier) => identifier !== name && inside(identifier) && !isPropertyName(identifier));
        if (!uses.some(receivesRemoval)) continue;
        const symbol = declaredSymbol(checker, name);
        const references = uses.filter((identifier) => resolve(identifier) === symbol);
        if (symbol && references.length > 0 && references.every(receivesRemoval)) found.push(name);
      }
    }
    return found;
  }

  return { abortRegistrations, cancelledByHand, onlyRemovedParameters };
}
