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

/**
 * The type a call has by its callee's declarations alone: the lone non-generic signature's return type (see
 * {@link declaredSignature}), or the return type of a lone generic signature that mentions none of its type
 * parameters (`goEach<T>(items: Iterable<T>, fn: (item: T, signal: AbortSignal) => unknown): Promise<void>` gives
 * `Promise<void>` whatever `T` is inferred to be). `undefined` when the call must be resolved to know: overloads,
 * a return type that depends on inference (`map<U>(…): U[]`, `this`), an optional call, `super(…)`.
 *
 * Why: resolving a generic call infers its type arguments, which types every argument and a callback's body.
 *
 * @example declaredReturnType(checker, callOf(`group.goEach(ids, (id, signal) => load(id, signal))`), typeOf(`group.goEach`)) // Promise<void>
 */
export function declaredReturnType(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, calleeType: ts.Type): ts.Type | undefined {
  if (call.flags & ts.NodeFlags.OptionalChain) return undefined;
  const sole = declaredSignature(call, calleeType);
  if (sole) return sole.getReturnType();
  if (!ts.isCallExpression(call) || call.typeArguments || call.expression.kind === ts.SyntaxKind.SuperKeyword) return undefined;
  if (calleeType.flags & (ts.TypeFlags.UnionOrIntersection | ts.TypeFlags.Instantiable)) return undefined;
  const [only, ...more] = calleeType.getCallSignatures();
  if (!only || more.length > 0) return undefined;
  const returned = only.getReturnType();
  return mentionsNoTypeParameter(checker, returned) ? returned : undefined;
}

// Deep enough for `Promise<Map<string, Result<User, Error>>>`; deeper type arguments count as mentioning one.
const MAX_TYPE_DEPTH = 4;

/**
 * Whether a type surely mentions no type parameter, so that instantiating a generic signature leaves it as it is:
 * primitives, literals, non-generic classes and interfaces (`AbortSignal`), and references whose type arguments are
 * such types (`Promise<void>`). Conservative: anything instantiable (`T`, `keyof T`, `T extends U ? …`, template
 * literal types) and every anonymous object type (a function or object literal type, which may hide a `T` in a
 * member) count as mentioning one.
 *
 * @example mentionsNoTypeParameter(checker, typeOf(`Promise<void>`)) // true
 */
export function mentionsNoTypeParameter(checker: ts.TypeChecker, type: ts.Type, depth = 0): boolean {
  if (type.flags & ts.TypeFlags.Instantiable || depth > MAX_TYPE_DEPTH) return false;
  if (type.flags & ts.TypeFlags.UnionOrIntersection) return (type as ts.UnionOrIntersectionType).types.every((member) => mentionsNoTypeParameter(checker, member, depth + 1));
  if (!(type.flags & ts.TypeFlags.Object)) return true;
  const flags = (type as ts.ObjectType).objectFlags;
  if (flags & ts.ObjectFlags.Reference) return checker.getTypeArguments(type as ts.TypeReference).every((argument) => mentionsNoTypeParameter(checker, argument, depth + 1));
  return (flags & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface)) !== 0;
}

const CLOSED = ts.ModifierFlags.Abstract | ts.ModifierFlags.Private | ts.ModifierFlags.Protected;

/**
 * A lone non-generic construct signature that `new` may call from anywhere: declared by a constructor (or a construct
 * signature type) that is not abstract, private or protected, in a class that is not abstract. `undefined` for
 * anything else: a class without a constructor of its own (its implicit one has no declaration to check), and
 * declarations we cannot see.
 */
function openConstructor(calleeType: ts.Type): ts.Signature | undefined {
  const only = soleSignature(calleeType.getConstructSignatures());
  const declaration = only?.getDeclaration() as ts.Declaration | undefined;
  if (!only || !declaration) return undefined;
  const owners = [declaration, ...(ts.isConstructorDeclaration(declaration) ? [declaration.parent] : [])];
  const symbolDeclarations = calleeType.getSymbol()?.getDeclarations() ?? [];
  return [...owners, ...symbolDeclarations].some((node) => ts.getCombinedModifierFlags(node) & CLOSED) ? undefined : only;
}

/** The callback signature a callee declares for one of its arguments: see {@link expectedCallbackSignature}. */
export interface ExpectedCallback {
  /** As declared: for a generic callee, its type parameters are still in (`(item: T, signal: AbortSignal) => unknown`). */
  readonly signature: ts.Signature;
  /** Whether the callee is generic, so that a parameter type mentioning its type parameters is decided by inference. */
  readonly generic: boolean;
}

/**
 * The signature TypeScript gives a callback passed at argument `index` of a call, when the callee's declared type
 * alone decides it: the callee has one signature (so the call resolves to it), nothing before `index` is spread, and
 * the parameter there is one non-generic function type (`GroupTask`, also when optional) with at least the
 * callback's `parameterCount` parameters (with fewer, TypeScript gives the callback no contextual signature). Its
 * parameters are then the callback's contextual parameter types, with no need to resolve the call (which would type
 * the callback and its body). A generic callee (`goEach<T>(items: Iterable<T>, fn: (item: T, signal: AbortSignal) =>
 * unknown)`) counts too, flagged `generic`: there only the parameter types that mention none of its type parameters
 * are final (`signal`'s, not `item`'s; see {@link declaredParameterType}). `undefined` whenever overloads or unions
 * might change the answer: ask the checker then.
 *
 * @example expectedCallbackSignature(checker, callOf(`group.go((signal) => …)`), typeOf(`group.go`), 0, 1) // (signal: AbortSignal) => unknown
 */
export function expectedCallbackSignature(
  checker: ts.TypeChecker,
  call: ts.CallExpression | ts.NewExpression,
  calleeType: ts.Type,
  index: number,
  parameterCount: number,
): ExpectedCallback | undefined {
  if (call.typeArguments || call.arguments?.slice(0, index).some(ts.isSpreadElement)) return undefined;
  const signatures = ts.isNewExpression(call) ? calleeType.getConstructSignatures() : calleeType.getCallSignatures();
  const [signature, ...more] = signatures;
  // `new` may resolve to an error signature (an abstract class, a private constructor): see `callSignature`.
  if (!signature || more.length > 0 || (ts.isNewExpression(call) && !openConstructor(calleeType))) return undefined;
  const expected = parameterTypeAt(checker, signature, index);
  if (!expected) return undefined;
  const callback = nonNullableType(checker, expected);
  if (!(callback.flags & ts.TypeFlags.Object)) return undefined;
  const expectedSignature = soleSignature(callback.getCallSignatures());
  if (!expectedSignature || expectedSignature.getParameters().length < parameterCount) return undefined;
  return { signature: expectedSignature, generic: (signature.getTypeParameters()?.length ?? 0) > 0 };
}

/**
 * `type`, the type an expected callback declares for one of its parameters, when it is final: always for a
 * non-generic callee, and for a generic one when it mentions none of the callee's type parameters (see
 * {@link mentionsNoTypeParameter}). `undefined` when inference decides it: ask the checker about the parameter then.
 */
export function declaredParameterType(checker: ts.TypeChecker, expected: ExpectedCallback, type: ts.Type): ts.Type | undefined {
  return !expected.generic || mentionsNoTypeParameter(checker, type) ? type : undefined;
}
