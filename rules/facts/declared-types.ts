/**
 * Types of values read from declarations alone, without resolving a call: what a rule can learn about
 * `(await fetch(url, init)).json` from `fetch`'s one declared signature, where the checker would check the call's
 * arguments first (an object literal against `RequestInit`, a template literal, the caller's parameters).
 *
 * Like `rules/facts.ts`, this module speaks only plain TypeScript compiler objects and numeric enum constants.
 */
import ts from '../utils/typescript.cjs';
import { declaredReturnType } from '../utils/call-signature.js';

// Deep enough for `new URL(request.url).searchParams.get`; deeper chains are left to the checker.
const MAX_DEPTH = 4;

/**
 * The type of an expression when its declarations alone give it, exactly as the checker would: a call or `new` whose
 * callee has one non-generic signature gives that signature's return type (TypeScript picks it whatever the arguments
 * are, see `callSignature`), and so does one generic signature whose return type mentions none of its type parameters
 * (see `declaredReturnType`), `await` gives its operand's awaited type, and a property of such a value (`new
 * URL(text).searchParams`) its declared type. `constant(id)` gives the initialiser of a `const` whose value cannot be
 * narrowed where it is read (the caller decides that: say, every read is `id.member`); `undefined` skips identifiers.
 * `callee(expression)` may give a callee's type the caller knows without the checker (a global function's, learnt once
 * per program); `undefined` there, or no `callee`, asks the checker.
 * `undefined` whenever the checker is needed: an optional chain, overloads, inferred return types, unions, index signatures.
 *
 * @example declaredValueType(checker, nodeOf(`await fetch(url, { signal })`)) // Response, fetch(…) left unresolved
 */
export function declaredValueType(
  checker: ts.TypeChecker,
  node: ts.Expression,
  constant?: (id: ts.Identifier) => ts.Expression | undefined,
  depth = 0,
  callee?: (expression: ts.Expression) => ts.Type | undefined,
): ts.Type | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isParenthesizedExpression(node)) return declaredValueType(checker, node.expression, constant, depth + 1, callee);
  if (ts.isAwaitExpression(node)) {
    const operand = declaredValueType(checker, node.expression, constant, depth + 1, callee);
    return operand && awaitedType(checker, operand);
  }
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    if (node.flags & ts.NodeFlags.OptionalChain) return undefined;
    return declaredReturnType(checker, node, callee?.(node.expression) ?? checker.getTypeAtLocation(node.expression));
  }
  if (ts.isIdentifier(node)) {
    const init = constant?.(node);
    return init && declaredValueType(checker, init, constant, depth + 1, callee);
  }
  // A property of a call's value: nothing narrows it, so its declared type is the checker's.
  if (ts.isPropertyAccessExpression(node) && !(node.flags & ts.NodeFlags.OptionalChain) && isFreshValue(node.expression)) {
    const object = declaredValueType(checker, node.expression, constant, depth + 1, callee);
    return object && declaredPropertyType(checker, object, node.name);
  }
  return undefined;
}

/**
 * The type of property `name` on a value of `type` (not a union or a type parameter), from the property's declaration;
 * `undefined` when the type has no such property (an index signature, `any`) or the name is private.
 */
export function declaredPropertyType(checker: ts.TypeChecker, type: ts.Type, name: ts.MemberName): ts.Type | undefined {
  if (!ts.isIdentifier(name) || type.flags & (ts.TypeFlags.Union | ts.TypeFlags.Intersection | ts.TypeFlags.Instantiable | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  let byName = PROPERTY_TYPES.get(type);
  if (!byName) PROPERTY_TYPES.set(type, (byName = new Map<string, { readonly type: ts.Type | undefined }>()));
  const known = byName.get(name.text);
  if (known) return known.type;
  const property = checker.getApparentType(type).getProperty(name.text);
  const found = property && checker.getTypeOfSymbol(property);
  byName.set(name.text, { type: found });
  return found;
}

// `response.json`, `Promise.all`, `group.wait`: the same few properties of the same types, thousands of times per
// program. A type is one object per program and its declared properties do not change, so the answer is kept per type.
const PROPERTY_TYPES = new WeakMap<ts.Type, Map<string, { readonly type: ts.Type | undefined }>>();

// The checker recomputes an awaited type at every call (`getAwaitedType(Promise<Response>)` asks whether `Response` is
// assignable to each primitive, to rule out a thenable), and the same `Promise<Response>` comes back at every
// `(await fetch(…)).json()` in the program: kept per type, which is one object per program, as the answer is.
const AWAITED = new WeakMap<ts.Type, { readonly type: ts.Type | undefined }>();

/**
 * `checker.getAwaitedType(type)`, computed once per type.
 *
 * @example awaitedType(checker, typeOf(`fetch(url)`)) // Response
 */
export function awaitedType(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
  let known = AWAITED.get(type);
  if (!known) AWAITED.set(type, (known = { type: checker.getAwaitedType(type) }));
  return known.type;
}

/** Whether an expression makes a new value (a call, `new`, `await`), as opposed to reading one a guard may narrow. */
function isFreshValue(node: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node);
}
