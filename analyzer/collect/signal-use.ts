import ts from 'typescript';
import { hasSignalProperty } from '../../rules/facts.js';
import { skipOuter } from '../../rules/facts/fanout.js';
import { callSignalSlot, holdsSignal, mayTakeSignal, platformAbortApi } from '../../rules/facts/signals.js';

/** What a call does with the AbortSignal it can take: passes one (maybe from a known expression), or none. */
export type SignalUse = { state: 'passed'; source?: ts.Expression } | { state: 'missing' };

/**
 * Whether a call whose callee can take an AbortSignal (by `callSignalSlot`, the rule's own fact) gets one: as the
 * signal argument, as a `signal` property of the options argument (also by spread, or through an options value whose
 * type has one), or in another argument that carries one (a `Request`-like value, a spread, options whose type has a
 * `signal`). `undefined` when the callee cannot take a signal.
 *
 * @example signalUse(checker, callOf(`fetch(url)`)) // { state: 'missing' }
 */
export function signalUse(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, calleeType: ts.Type): SignalUse | undefined {
  if (!mayTakeSignal(checker, calleeType, ts.isNewExpression(call))) return undefined;
  const signature = checker.getResolvedSignature(call);
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
    return carried ? { state: 'passed' } : { state: 'missing' };
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
