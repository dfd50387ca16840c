import ts from './typescript.cjs';
import { nonNullableType, parameterTypeAt } from '../facts.js';

/**
 * The one signature of a callee that can resolve to nothing else: exactly one signature of the kind the call uses,
 * without type parameters. `undefined` when the call must be resolved to know (overloads, generics, `any`, a union
 * without common signatures, an optional `a?.b` whose type includes `undefined`).
 */
function soleSignature(signatures: readonly ts.Signature[]): ts.Signature | undefined {
  const [only, ...more] = signatures;
  return only && more.length === 0 && !only.getTypeParameters()?.length ? only : undefined;
}

/**
 * The signature a call resolves to, without resolving it when the callee's type already says.
 *
 * Why: `checker.getResolvedSignature` checks every argument against the parameters (a callback's body included), the
 * most expensive question a rule asks about a call, while TypeScript picks a lone non-generic signature whatever the
 * arguments are (`resolveCall` returns it even when they do not fit). So for `fetchUser(id, signal)` and
 * `new ErrGroup({ signal })` the callee's type answers. Not for a constructor that is abstract, private or protected
 * (`new` resolves to an error signature there), explicit type arguments (an error on a non-generic signature) or
 * `super(…)`: those are resolved. Rejected: a per-call cache of resolved signatures, which the checker keeps already;
 * the cost is the first resolution, not the repeats.
 *
 * @example callSignature(checker, callOf(`fetch(url)`), typeOf(`fetch`)) // fetch's one declared signature, unresolved
 */
export function callSignature(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, calleeType: ts.Type): ts.Signature | undefined {
  return declaredSignature(call, calleeType) ?? checker.getResolvedSignature(call);
}

/**
 * The part of {@link callSignature} that needs no checker: the one signature the callee's type says the call must
 * resolve to, or `undefined` when the call has to be resolved to know.
 */
export function declaredSignature(call: ts.CallExpression | ts.NewExpression, calleeType: ts.Type): ts.Signature | undefined {
  if (call.typeArguments || call.expression.kind === ts.SyntaxKind.SuperKeyword) return undefined;
  return ts.isCallExpression(call) ? soleSignature(calleeType.getCallSignatures()) : openConstructor(calleeType);
}

const CLOSED = ts.ModifierFlags.Abstract | ts.ModifierFlags.Private | ts.ModifierFlags.Protected;

/**
 * A lone non-generic construct signature that `new` may call from anywhere: declared by a constructor (or a class
 * without one, or a construct signature type) that is not abstract, private or protected, in a class that is not
 * abstract. `undefined` for anything else, declarations we cannot see included.
 */
function openConstructor(calleeType: ts.Type): ts.Signature | undefined {
  const only = soleSignature(calleeType.getConstructSignatures());
  const declaration = only?.getDeclaration() as ts.Declaration | undefined;
  if (!only || !declaration) return undefined;
  const owners = [declaration, ...(ts.isConstructorDeclaration(declaration) ? [declaration.parent] : [])];
  const symbolDeclarations = calleeType.getSymbol()?.getDeclarations() ?? [];
  return [...owners, ...symbolDeclarations].some((node) => ts.getCombinedModifierFlags(node) & CLOSED) ? undefined : only;
}

/**
 * The signature TypeScript gives a callback passed at argument `index` of a call, when the callee's declared type
 * alone decides it: the callee has one non-generic signature (so the call resolves to it), nothing before `index` is
 * spread, and the parameter there is one non-generic function type (`GroupTask`, also when optional) with at least
 * the callback's `parameterCount` parameters (with fewer, TypeScript gives the callback no contextual signature). Its
 * parameters are then the callback's contextual parameter types, with no need to resolve the call (which would type
 * the callback and its body). `undefined` whenever inference, overloads or unions might change the answer: ask the
 * checker then.
 *
 * @example expectedCallbackSignature(checker, callOf(`group.go((signal) => …)`), typeOf(`group.go`), 0, 1) // (signal: AbortSignal) => unknown
 */
export function expectedCallbackSignature(
  checker: ts.TypeChecker,
  call: ts.CallExpression | ts.NewExpression,
  calleeType: ts.Type,
  index: number,
  parameterCount: number,
): ts.Signature | undefined {
  if (call.typeArguments || call.arguments?.slice(0, index).some(ts.isSpreadElement)) return undefined;
  const signature = soleSignature(ts.isNewExpression(call) ? calleeType.getConstructSignatures() : calleeType.getCallSignatures());
  // `new` may resolve to an error signature (an abstract class, a private constructor): see `callSignature`.
  if (!signature || (ts.isNewExpression(call) && !openConstructor(calleeType))) return undefined;
  const expected = parameterTypeAt(checker, signature, index);
  if (!expected) return undefined;
  const callback = nonNullableType(checker, expected);
  if (!(callback.flags & ts.TypeFlags.Object)) return undefined;
  const expectedSignature = soleSignature(callback.getCallSignatures());
  return expectedSignature && expectedSignature.getParameters().length >= parameterCount ? expectedSignature : undefined;
}
