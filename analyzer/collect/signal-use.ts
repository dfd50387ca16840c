import ts from '../../rules/utils/typescript.cjs';
import { hasSignalProperty } from '../../rules/facts.js';
import { skipOuter } from '../../rules/facts/fanout.js';
import { DEFAULT_AMBIENT_CONTEXTS, readsAmbientContext, type AmbientContext } from '../../rules/facts/ambient.js';
import { callSignalSlot, holdsSignal, mayTakeSignal, platformAbortApi, runsWithoutSignal } from '../../rules/facts/signals.js';
import { argumentsOf } from '../../rules/native/syntax.js';
import { callSignature } from '../../rules/utils/call-signature.js';
import { createResolver } from '../../rules/utils/propagate-abort-signal-bindings.js';
import { createListeners, type Listeners } from '../../rules/utils/propagate-abort-signal-listeners.js';

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
  const args = argumentsOf(call);
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

/**
 * Per program (checker), the file last asked about and the rule's abort-listener questions on it (they keep answers
 * per function). Keyed by the checker, which they hold: a module-level slot would keep the program alive after the
 * analysis.
 */
const LISTENING = new WeakMap<ts.TypeChecker, { readonly file: ts.SourceFile; readonly listeners: Listeners }>();

/**
 * Whether the caller cancels a call's result by hand, so the call needs no signal of its own: the rule's own
 * `cancelledByHand` (rules/utils/propagate-abort-signal-listeners.ts), one fact for the editor and the graph. The
 * result is bound to a name (`const request = download(url)`), and an abort listener on a caller's signal, registered
 * in the same function as the call, uses that name (`signal.addEventListener('abort', () => request.cancel())`).
 *
 * What counts as the caller's signal is the graph's own notion of a received signal: one whose {@link signalOrigin}
 * is a parameter (`signal`, `options.signal`, `{ signal }`). The rule counts any signal derived from one a function
 * receives, which follows more shapes (`AbortSignal.any([signal, t])`).
 */
export function cancelledByHand(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): boolean {
  const file = call.getSourceFile();
  let listening = LISTENING.get(checker);
  if (listening?.file !== file) LISTENING.set(checker, (listening = { file, listeners: createListeners(checker, file, createResolver(checker, file)) }));
  return listening.listeners.cancelledByHand(call, (target) => {
    const origin = signalOrigin(checker, target);
    return origin !== undefined && ts.isParameter(origin);
  });
}
