import ts from '../../rules/utils/typescript.cjs';
import { hasSignalProperty } from '../../rules/facts.js';
import { skipOuter } from '../../rules/facts/fanout.js';
import { DEFAULT_AMBIENT_CONTEXTS, readsAmbientContext, type AmbientContext } from '../../rules/facts/ambient.js';
import { callSignalSlot, holdsSignal, mayTakeSignal, platformAbortApi, runsWithoutSignal } from '../../rules/facts/signals.js';
import { callSignature } from '../../rules/utils/call-signature.js';

/**
 * What a call does with the AbortSignal it can take: passes one (maybe from a known expression), or none. A call that
 * passes none to one of an ambient context's readers (`dispatchCustomEvent(name, payload)`) names that context: inside
 * the context's run, the reader takes the signal from AsyncLocalStorage.
 */
export type SignalUse = { state: 'passed'; source?: ts.Expression } | { state: 'missing'; ambient?: AmbientContext };

/**
 * Whether a call whose callee can take an AbortSignal (by `callSignalSlot`, the rule's own fact) gets one: as the
 * signal argument, as a `signal` property of the options argument (also by spread, or through an options value whose
 * type has one), or in another argument that carries one (a `Request`-like value, a spread, options whose type has a
 * `signal`); or a call whose result is cancelled by hand ({@link cancelledByHand}), or one that runs only where a
 * signal is known to be missing (`runsWithoutSignal`, the rule's own fact: `if (!signal) return query(sql)`), which
 * count as passed, as in the rule. `undefined` when the callee cannot take a signal. A missing signal names the first of `ambientContexts` whose
 * reader the callee is (`readsAmbientContext`, the rule's own fact): its options slot is left out or sets no `signal`.
 *
 * @example signalUse(checker, callOf(`fetch(url)`)) // { state: 'missing' }
 */
export function signalUse(
  checker: ts.TypeChecker,
  call: ts.CallExpression | ts.NewExpression,
  calleeType: ts.Type,
  ambientContexts: readonly AmbientContext[] = DEFAULT_AMBIENT_CONTEXTS,
): SignalUse | undefined {
  if (!mayTakeSignal(checker, calleeType, ts.isNewExpression(call))) return undefined;
  // The callee's lone non-generic signature when it decides the call, as the rule asks: resolving the call checks every
  // argument, object literals and callbacks included (0.3 s of the collect phase on the 2,000-file bench project).
  const signature = callSignature(checker, call, calleeType);
  const slot = signature && callSignalSlot(checker, signature);
  if (!slot) return undefined;
  const args = call.arguments ?? [];
  const arg = args[slot.index];
  // send(url, init) where the signal slot is the first parameter but the caller's options travel in another one:
  // a spread, a `Request`-like value that holds a signal, or an options value whose type has one. The lint rule
  // (propagate-abort-signal) accepts the same, so the editor and the graph agree.
  const missing = (): SignalUse => {
    const carried = args.some(
      (other, index) =>
        index !== slot.index &&
        (ts.isSpreadElement(other) ||
          holdsSignal(checker, checker.getTypeAtLocation(other)) ||
          hasSignalProperty(checker, checker.getTypeAtLocation(other))),
    );
    if (carried || cancelledByHand(checker, call) || runsWithoutSignal(checker, call)) return { state: 'passed' };
    const ambient = ambientContexts.find((context) => readsAmbientContext(checker, signature, slot, context));
    return ambient ? { state: 'missing', ambient } : { state: 'missing' };
  };
  if (!arg) return missing();
  if (ts.isSpreadElement(arg)) return { state: 'passed' };
  const value = skipOuter(arg);
  if (slot.kind === 'parameter') {
    const absent = (ts.isIdentifier(value) && value.text === 'undefined') || ts.isVoidExpression(value);
    return absent ? missing() : { state: 'passed', source: value };
  }
  if (ts.isObjectLiteralExpression(value)) {
    for (const property of value.properties) {
      // { signal }
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'signal') return { state: 'passed', source: property.name };
      // { signal: controller.signal }
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'signal') {
        return { state: 'passed', source: property.initializer };
      }
      // { ...options } where options carries a signal
      if (ts.isSpreadAssignment(property) && hasSignalProperty(checker, checker.getTypeAtLocation(property.expression))) return { state: 'passed' };
    }
    return missing();
  }
  return hasSignalProperty(checker, checker.getTypeAtLocation(value)) ? { state: 'passed' } : missing();
}

/**
 * The expression that creates the signal an expression evaluates to, followed through `const` aliases, `x.signal`
 * and destructuring: a parameter declaration, `new AbortController()`, `AbortSignal.timeout(…)`/`any(…)`. The
 * analyzer keys its signal nodes by these places.
 */
export function signalOrigin(checker: ts.TypeChecker, expression: ts.Node, depth = 0): ts.Node | undefined {
  if (depth > 4) return undefined;
  const node = ts.isExpression(expression) ? skipOuter(expression) : expression;
  // AbortSignal.timeout(ms), AbortSignal.any([...])
  if (ts.isCallExpression(node)) {
    const callee = skipOuter(node.expression);
    if (ts.isPropertyAccessExpression(callee) && platformAbortApi(checker, callee.expression) === 'AbortSignal') return node;
    return undefined;
  }
  // new AbortController()
  if (ts.isNewExpression(node)) return platformAbortApi(checker, node.expression) === 'AbortController' ? node : undefined;
  // controller.signal, options.signal
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'signal') return signalOrigin(checker, node.expression, depth + 1);
  if (!ts.isIdentifier(node)) return undefined;
  let symbol = checker.getSymbolAtLocation(node);
  if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) symbol = checker.getShorthandAssignmentValueSymbol(node.parent);
  const declaration = symbol?.valueDeclaration;
  if (!declaration) return undefined;
  if (ts.isParameter(declaration)) return declaration;
  // function f({ signal }: Options)
  if (ts.isBindingElement(declaration)) {
    let owner: ts.Node = declaration;
    while (ts.isBindingElement(owner) || ts.isObjectBindingPattern(owner) || ts.isArrayBindingPattern(owner)) owner = owner.parent;
    return ts.isParameter(owner) ? owner : undefined;
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) return signalOrigin(checker, declaration.initializer, depth + 1);
  return undefined;
}

type FunctionNode = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration;

const isFunctionNode = (node: ts.Node): node is FunctionNode => ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node);

/** The function a node is in, or `undefined` at module level. */
function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return current;
  return undefined;
}

/** The expression a listener registration listens to, when `listener` is in a listener's position. */
interface Registration {
  node: ts.Node;
  target: ts.Expression | undefined;
}

/** The registration when `listener` is in a listener's position (the rule's `registrationAt`, on the TS AST). */
function registrationAt(listener: ts.Node): Registration | undefined {
  let at = listener;
  while (ts.isParenthesizedExpression(at.parent)) at = at.parent;
  const parent = at.parent;
  // signal.onabort = () => …
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === at) {
    return ts.isPropertyAccessExpression(parent.left) && parent.left.name.text === 'onabort' ? { node: parent, target: parent.left.expression } : undefined;
  }
  if (!ts.isCallExpression(parent) || parent.arguments[1] !== at) return undefined;
  const member = ts.isPropertyAccessExpression(parent.expression) ? parent.expression : undefined;
  const name = member ? member.name.text : ts.isIdentifier(parent.expression) ? parent.expression.text : undefined;
  const [first] = parent.arguments;
  // addAbortListener(signal, () => …) from node:events
  if (name === 'addAbortListener') return { node: parent, target: first };
  // signal.addEventListener('abort', () => …), signal?.addEventListener(…)
  const abort = name === 'addEventListener' && first !== undefined && ts.isStringLiteralLike(first) && first.text === 'abort';
  return abort ? { node: parent, target: member?.expression } : undefined;
}

/** The identifiers in `root` that refer to `symbol` (found by name first, so the checker is asked about few). */
function referencesIn(checker: ts.TypeChecker, root: ts.Node, symbol: ts.Symbol): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === symbol.name && checker.getSymbolAtLocation(node) === symbol) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** Where a function is registered as an abort listener: inline, or by the name of a `const` or a function declaration. */
function abortRegistrations(checker: ts.TypeChecker, fn: FunctionNode): Registration[] {
  const inline = registrationAt(fn);
  if (inline) return [inline];
  const declarator = ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn && (ts.getCombinedNodeFlags(fn.parent) & ts.NodeFlags.Const) !== 0 ? fn.parent : undefined;
  const name = ts.isFunctionDeclaration(fn) ? fn.name : declarator && ts.isIdentifier(declarator.name) ? declarator.name : undefined;
  const symbol = name && checker.getSymbolAtLocation(name);
  if (!symbol) return [];
  return referencesIn(checker, fn.getSourceFile(), symbol).flatMap((identifier) => registrationAt(identifier) ?? []);
}

/**
 * The analyzer's twin of the rule's `cancelledByHand` (rules/utils/propagate-abort-signal-listeners.ts), on the TS
 * AST: the call's result is bound to a name (`const request = download(url)`, `request = download(url)`), and an
 * abort listener on a caller's signal, registered in the same function as the call, uses that name
 * (`signal.addEventListener('abort', () => request.cancel())`). Not when the result is awaited first. The rule's
 * "caller's signal" is any signal derived from one a function receives; here it is one whose {@link signalOrigin} is a
 * parameter (`signal`, `options.signal`, `{ signal }`), the graph's own notion of a received signal.
 *
 * Why a twin: the rule used to find references through ESLint's scope manager. Since session 11 it runs on the TS AST
 * too, with a per-file binding index (rules/utils/propagate-abort-signal-bindings.ts) that asks the checker only where
 * syntax cannot decide, and the two differ only in what counts as the caller's signal; one shared fact is the next
 * step. Until then `test/analyzer/collect/signal-use.test.ts` runs the same sources through both and asserts they agree.
 */
export function cancelledByHand(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): boolean {
  let result: ts.Node = call;
  while (ts.isParenthesizedExpression(result.parent) || ts.isAsExpression(result.parent) || ts.isNonNullExpression(result.parent) || ts.isSatisfiesExpression(result.parent)) {
    result = result.parent;
  }
  const parent = result.parent;
  let name: ts.Identifier | undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === result && ts.isIdentifier(parent.name)) name = parent.name;
  else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === result && ts.isIdentifier(parent.left)) name = parent.left;
  const symbol = name && checker.getSymbolAtLocation(name);
  if (!symbol) return false;
  const home = enclosingFunction(call);
  const isCallersSignal = (target: ts.Expression): boolean => {
    const origin = signalOrigin(checker, target);
    return origin !== undefined && ts.isParameter(origin);
  };
  return referencesIn(checker, call.getSourceFile(), symbol).some((identifier) => {
    for (let current: ts.Node | undefined = identifier.parent; current && current !== home; current = current.parent) {
      if (!isFunctionNode(current)) continue;
      const wired = abortRegistrations(checker, current).some(
        (registration) => registration.target !== undefined && enclosingFunction(registration.node) === home && isCallersSignal(registration.target),
      );
      if (wired) return true;
    }
    return false;
  });
}
