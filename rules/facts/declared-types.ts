/**
 * Types of values read from declarations alone, without resolving a call: what a rule can learn about
 * `(await fetch(url, init)).json` from `fetch`'s one declared signature, where the checker would check the call's
 * arguments first (an object literal against `RequestInit`, a template literal, the caller's parameters).
 *
 * Like `rules/facts.ts`, this module speaks only plain TypeScript compiler objects and numeric enum constants.
 */
import ts from '../utils/typescript.cjs';
import { parameterTypeAt } from '../facts.js';
import { fileIndex } from '../native/file-index.js';
import { declaredReturnType, mentionsNoTypeParameter } from '../utils/call-signature.js';

// Deep enough for `new URL(request.url).searchParams.get`; deeper chains are left to the checker.
const MAX_DEPTH = 4;

/**
 * The type of an expression when its declarations alone give it, exactly as the checker would: a call or `new` whose
 * callee has one non-generic signature gives that signature's return type (TypeScript picks it whatever the arguments
 * are, see `callSignature`), and so does one generic signature whose return type mentions none of its type parameters
 * (see `declaredReturnType`), `await` gives its operand's awaited type, and a property of such a value (`new
 * URL(text).searchParams`) its declared type. `constant(id)` gives the initialiser of a `const` whose value cannot be
 * narrowed where it is read (the caller decides that: say, every read is `id.member`); `undefined` skips identifiers.
 * A method callee of such a value (`group.goEach` where `const group = new ErrGroup(…)`) is typed the same way.
 * `callee(expression)` may give a callee's type the caller knows without the checker (a global function's, learnt once
 * per program); `undefined` there, or no `callee`, asks the checker.
 * `undefined` whenever the checker is needed: an optional chain, overloads, inferred return types, index signatures, a
 * property of a union, a `const` whose value is a union or a type parameter (a discriminant check such as
 * `if (reply.error)` narrows those where they are read), a parenthesized expression in a JavaScript file (a JSDoc cast
 * `/** @type {Base} *\/ (make())` gives it its type). A union value of a call is given as it is: nothing narrows it.
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
  if (ts.isParenthesizedExpression(node)) {
    return node.flags & ts.NodeFlags.JavaScriptFile ? undefined : declaredValueType(checker, node.expression, constant, depth + 1, callee);
  }
  if (ts.isAwaitExpression(node)) {
    const operand = declaredValueType(checker, node.expression, constant, depth + 1, callee);
    return operand && awaitedType(checker, operand);
  }
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    if (node.flags & ts.NodeFlags.OptionalChain) return undefined;
    // group.goEach(…) where `const group = new ErrGroup(…)`: the method's type from the receiver's declarations too
    const access = node.expression;
    const receiver = ts.isPropertyAccessExpression(access) && !(access.flags & ts.NodeFlags.OptionalChain) ? declaredValueType(checker, access.expression, constant, depth + 1, callee) : undefined;
    const method = receiver && declaredPropertyType(checker, receiver, (access as ts.PropertyAccessExpression).name);
    const calleeType = callee?.(access) ?? method ?? checker.getTypeAtLocation(access);
    return declaredReturnType(checker, node, calleeType);
  }
  if (ts.isIdentifier(node)) {
    const init = constant?.(node);
    const type = init && declaredValueType(checker, init, constant, depth + 1, callee);
    // `if (group.signal) group.go(…)` narrows `group: ErrGroup | NoGroup` by its discriminant where it is read
    return type && !(type.flags & (ts.TypeFlags.UnionOrIntersection | ts.TypeFlags.Instantiable)) ? type : undefined;
  }
  // A property of a call's value: nothing narrows it, so its declared type is the checker's.
  if (ts.isPropertyAccessExpression(node) && !(node.flags & ts.NodeFlags.OptionalChain) && isFreshValue(node.expression)) {
    const object = declaredValueType(checker, node.expression, constant, depth + 1, callee);
    return object && declaredPropertyType(checker, object, node.name);
  }
  return undefined;
}

/**
 * The type of a method callee `receiver.name` from declarations alone, where the receiver is a value
 * {@link declaredValueType} types and no guard can narrow: a call, `new` or `await` of one, or a `const` read only as
 * `name.member` ({@link memberReadConstant}). `permit.release` where `const permit = await slots.acquire(1, { signal })`
 * is typed without resolving `acquire(…)`, which would check its arguments. `undefined` when the checker must answer.
 *
 * @example declaredMethodType(checker, calleeOf(`response.json()`)) // () => Promise<any>, `fetch(…)` left unresolved
 */
export function declaredMethodType(checker: ts.TypeChecker, callee: ts.Node): ts.Type | undefined {
  return declaredMember(checker, callee)?.type;
}

/**
 * {@link declaredMethodType} with the member's symbol, the one the checker gives the name for a receiver of that type
 * (the analyzer resolves a call to the project function it runs through it).
 */
export function declaredMember(checker: ts.TypeChecker, callee: ts.Node): { readonly type: ts.Type; readonly symbol: ts.Symbol } | undefined {
  if (!ts.isPropertyAccessExpression(callee) || callee.flags & ts.NodeFlags.OptionalChain || !ts.isIdentifier(callee.name)) return undefined;
  const receiver = declaredTypeOf(checker, callee.expression);
  const type = receiver && declaredPropertyType(checker, receiver, callee.name);
  const symbol = type && checker.getApparentType(receiver).getProperty(callee.name.text);
  return symbol ? { type, symbol } : undefined;
}

/**
 * {@link declaredValueType} with `const` values read only as members ({@link memberReadConstant}): the type of an
 * expression (a method's receiver, an `await`, a `new`) from declarations alone. `undefined` when the checker must
 * answer.
 */
export function declaredTypeOf(checker: ts.TypeChecker, node: ts.Expression): ts.Type | undefined {
  return declaredValueType(checker, node, (id) => memberReadConstant(checker, id));
}

/**
 * {@link declaredTypeOf} when the declarations decide the type, else the checker's answer: what a caller that needs a
 * type either way asks (`slots` in `slots.acquire()`, `group` in `group.go(task)`).
 */
export function receiverTypeOf(checker: ts.TypeChecker, node: ts.Expression): ts.Type {
  return declaredTypeOf(checker, node) ?? checker.getTypeAtLocation(node);
}

/**
 * The type of property `name` on a value of `type` (not a union or a type parameter), from the property's declaration;
 * `undefined` when the type has no such property (an index signature, `any`) or the name is a `#private` one.
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

/**
 * The initialiser of the `const` an identifier reads, when no guard can narrow that `const` where it is read: it is
 * declared without a type annotation, and every mention of its name in the function (or file) around it is
 * `name.member`, and no such read is a method call whose value a condition may test (`if (item.isFile())`: a
 * `this is File` method narrows `item`). A read as `name.member` still narrows a union by a discriminant
 * (`if (reply.error)`): {@link declaredValueType} answers nothing for a `const` whose value is a union. Read off the
 * TypeScript tree, so the rules and the analyzer's collectors share it. A name also used any other way there (an
 * argument, a condition, a shorthand property, `typeof name`, another variable of the same name), or read in another
 * file (a script's top-level `const`), gives `undefined`: the checker answers.
 *
 * @example memberReadConstant(checker, idOf(`response` in `response.json()`)) // `await fetch(url, { signal })`
 */
export function memberReadConstant(checker: ts.TypeChecker, id: ts.Identifier): ts.Expression | undefined {
  let known = BY_READ.get(id);
  if (!known) BY_READ.set(id, (known = { init: findMemberReadConstant(checker, id) }));
  return known.init;
}

// Per read: every rule and the collector ask about the same receivers, and resolving a name walks its scopes.
const BY_READ = new WeakMap<ts.Identifier, { readonly init: ts.Expression | undefined }>();
// Per declaration: the answer needs a walk of the function around it, and a receiver is read many times.
const MEMBER_READ = new WeakMap<ts.VariableDeclaration, { readonly init: ts.Expression | undefined }>();

function findMemberReadConstant(checker: ts.TypeChecker, id: ts.Identifier): ts.Expression | undefined {
  // ids.slice(…), signal.aborted: most receivers are parameters or imports, which the file's text alone rules out
  // (`const ids` appears nowhere), before the checker resolves the name (a scope walk per read)
  if (!mayDeclareConstant(id.getSourceFile(), id.text)) return undefined;
  const declaration = checker.getSymbolAtLocation(id)?.valueDeclaration;
  // a script's top-level `const` read in another file: the walk below sees only the declaring file's reads
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.getSourceFile() !== id.getSourceFile()) return undefined;
  let known = MEMBER_READ.get(declaration);
  if (!known) MEMBER_READ.set(declaration, (known = { init: readOnlyAsMembers(declaration) ? declaration.initializer : undefined }));
  return known.init;
}

/**
 * Whether a file's text may declare `const name = …` (or `const name: T = …`, which the caller rejects later): only
 * then can a read of `name` in it be such a `const`. A declaration this misses (`const a = 1, name = 2`, a name with
 * non-ASCII letters) only costs a question to the checker.
 */
function mayDeclareConstant(file: ts.SourceFile, name: string): boolean {
  let names = CONST_NAMES.get(file);
  if (!names) CONST_NAMES.set(file, (names = new Set([...file.text.matchAll(CONST_DECLARATION)].map((match) => match[1]!))));
  return names.has(name);
}

// `const name` with no identifier character before `const`: one scan of a file's text gives every such name.
const CONST_DECLARATION = /(?<![\w$])const\s+([A-Za-z_$][\w$]*)/g;
// Per file: a file's receivers repeat the same few names.
const CONST_NAMES = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

function readOnlyAsMembers(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  const name = declaration.name;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || !ts.isIdentifier(name) || declaration.type || !declaration.initializer) return false;
  let scope: ts.Node = list;
  while (scope.parent && !ts.isFunctionLike(scope)) scope = scope.parent;
  // every other mention of the name inside the function (or file) around it, from the file's shared index
  return fileIndex(declaration.getSourceFile())
    .identifiersNamed(name.text)
    .every((node) => {
      if (node === name || node.pos < scope.pos || node.end > scope.end) return true;
      const parent = node.parent;
      // response.json (a read of the value), other.response (a member name, no read of it)
      return ts.isPropertyAccessExpression(parent) && (parent.name === node || (parent.expression === node && !mayNarrow(parent)));
    });
}

/**
 * Whether a read `name.method` may narrow `name`: it is called, and the call's value goes where TypeScript narrows by
 * it (a `this is T` method): a condition (`if`, loops, `?:`, `case`), an operand of `!` or of a binary operator
 * (`&&`, `||`, `??`, `=== true`), an argument (an assertion function, `assert(item.isFile())`), or a `const` (an
 * aliased condition, `const isFile = item.isFile(); if (isFile) …`). Decided by syntax alone, so it counts calls of
 * any method there: the caller then asks the checker, which costs time and never changes an answer.
 */
function mayNarrow(access: ts.PropertyAccessExpression): boolean {
  const call = access.parent;
  if (!ts.isCallExpression(call) || call.expression !== access) return false;
  let value: ts.Node = call;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent) || ts.isSatisfiesExpression(value.parent) || ts.isNonNullExpression(value.parent)) {
    value = value.parent;
  }
  const parent = value.parent;
  if (ts.isPrefixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(parent)) return parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken && parent.operatorToken.kind !== ts.SyntaxKind.CommaToken;
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) return parent.expression !== value;
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent) || ts.isCaseClause(parent)) return true;
  if (ts.isForStatement(parent)) return parent.condition === value;
  if (ts.isConditionalExpression(parent)) return parent.condition === value;
  return ts.isVariableDeclaration(parent);
}

/** Whether an expression makes a new value (a call, `new`, `await`), as opposed to reading one a guard may narrow. */
function isFreshValue(node: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node);
}

// Deep enough for `expect(actual).not.toBe`, `expect.soft(actual).resolves.not.toBe`; deeper chains go to the checker.
const MAX_CHAIN = 3;

/**
 * The declared type of method `callee.name` on the value of a call chain, `expect(actual).toBe` or
 * `expect(actual).not.toBe`, read from declarations without resolving the call, which would type `actual` (often an
 * awaited call of its own, or a flow-narrowed union): the signature the call must pick (see {@link chosenSignature}),
 * its declared return type, then property by property down the chain, each an interface or class (`Assertion<T>`),
 * whose members are the same whatever its type arguments are. A member's type may still mention the callee's type
 * parameters (`T`): callers read only the parts that mention none, through {@link methodTypeForReturns} and
 * {@link methodTypeForParameter}. `undefined` for any other shape: a receiver that is not a call (`items.map`,
 * narrowed where it is read), a mapped or conditional type (`Promisify<Assertion<T>>` behind `.resolves`), an
 * optional chain, overloads that depend on the arguments.
 */
function openMethodType(checker: ts.TypeChecker, callee: ts.Node): ts.Type | undefined {
  if (!ts.isPropertyAccessExpression(callee) || callee.flags & ts.NodeFlags.OptionalChain || !ts.isIdentifier(callee.name)) return undefined;
  const receiver = openValueType(checker, callee.expression, 0);
  return receiver && memberType(checker, receiver, callee.name.text);
}

/** The declared type of a call chain's value when it is an interface or class: see {@link openMethodType}. */
function openValueType(checker: ts.TypeChecker, node: ts.Expression, depth: number): ts.Type | undefined {
  if (depth > MAX_CHAIN || node.flags & ts.NodeFlags.OptionalChain) return undefined;
  if (ts.isParenthesizedExpression(node)) return openValueType(checker, node.expression, depth + 1);
  if (ts.isCallExpression(node)) {
    if (node.typeArguments || node.expression.kind === ts.SyntaxKind.SuperKeyword) return undefined;
    const receiver = ts.isPropertyAccessExpression(node.expression) ? openMethodType(checker, node.expression) : undefined;
    const calleeType = receiver ?? (ts.isPropertyAccessExpression(node.expression) && isFreshValue(node.expression.expression) ? undefined : checker.getTypeAtLocation(node.expression));
    const signature = calleeType && chosenSignature(checker, calleeType, node);
    const returned = signature?.getReturnType();
    return returned && isDeclaredShape(returned) ? returned : undefined;
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name) && isFreshValue(node.expression)) {
    const object = openValueType(checker, node.expression, depth + 1);
    const property = object && memberType(checker, object, node.name.text);
    return property && isDeclaredShape(property) ? property : undefined;
  }
  return undefined;
}

/** An interface or class type, or a reference to one (`Assertion<T>`): its members do not depend on its type arguments. */
function isDeclaredShape(type: ts.Type): boolean {
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  const flags = (type as ts.ObjectType).objectFlags;
  if (flags & ts.ObjectFlags.Reference) return (((type as ts.TypeReference).target.objectFlags ?? 0) & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface)) !== 0;
  return (flags & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface)) !== 0;
}

/** A declared member's type, not a private one and not one an index signature gives. */
function memberType(checker: ts.TypeChecker, type: ts.Type, name: string): ts.Type | undefined {
  const property = type.getProperty(name);
  const declaration = property?.valueDeclaration;
  if (!property || (declaration && ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))) return undefined;
  return checker.getTypeOfSymbol(property);
}

/**
 * The signature a call picks by its callee's declared type alone: the lone one (generic or not), or the first overload
 * when it accepts any arguments the call passes (`expect`'s `<T>(actual: T, message?: string)` before
 * `(val: any, message?: string)`): no spread or rest, an argument count it takes, a parameter typed `any`, `unknown`
 * or a type parameter of its own without a constraint at every argument, and no type parameter shared between two
 * parameters. TypeScript takes the first overload that applies, and such a one always does.
 */
function chosenSignature(checker: ts.TypeChecker, calleeType: ts.Type, call: ts.CallExpression): ts.Signature | undefined {
  if (calleeType.flags & (ts.TypeFlags.UnionOrIntersection | ts.TypeFlags.Instantiable)) return undefined;
  const [first, ...more] = calleeType.getCallSignatures();
  if (!first || more.length === 0) return first;
  // The parameters' symbols leave out a `this` parameter, which takes no argument; the declaration's list has it.
  const parameters = first.getParameters();
  const declarations = parameters.map((parameter) => parameter.valueDeclaration);
  if (!declarations.every((declaration) => declaration && ts.isParameter(declaration) && !declaration.dotDotDotToken) || call.arguments.some(ts.isSpreadElement)) return undefined;
  const required = (declarations as ts.ParameterDeclaration[]).filter((parameter) => !parameter.questionToken && !parameter.initializer).length;
  if (call.arguments.length < required || call.arguments.length > parameters.length) return undefined;
  const own = new Set<ts.Type>(first.getTypeParameters() ?? []);
  const used = new Set<ts.Type>();
  const fits = parameters.every((parameter, index) => {
    const type = checker.getTypeOfSymbol(parameter);
    if (own.has(type)) {
      if (used.has(type) || isConstrained(type)) return false;
      used.add(type);
      return true;
    }
    return index < call.arguments.length ? (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 : mentionsNoTypeParameter(checker, nonOptional(checker, type));
  });
  return fits ? first : undefined;
}

/**
 * Whether a type parameter is declared with `extends`. Read off the declaration: `TypeParameter#getConstraint` gives
 * the base constraint, which is nothing for `E extends T` when `T` has none.
 */
function isConstrained(type: ts.Type): boolean {
  return type.getSymbol()?.declarations?.some((declaration) => ts.isTypeParameterDeclaration(declaration) && declaration.constraint !== undefined) ?? true;
}

/** An optional parameter's type without the `undefined` that `?` adds. */
function nonOptional(checker: ts.TypeChecker, type: ts.Type): ts.Type {
  return checker.getNonNullableType(type);
}

/**
 * {@link openMethodType} when its call signatures' return types mention none of the callee's type parameters, so that
 * they are what the checker would give: enough to ask whether the call may return a promise or a Result.
 *
 * @example methodTypeForReturns(checker, nodeOf(`expect(await load()).toBe`)) // <E>(expected: E) => void, load() left untyped
 */
export function methodTypeForReturns(checker: ts.TypeChecker, callee: ts.Node): ts.Type | undefined {
  const type = openMethodType(checker, callee);
  const signatures = type?.getCallSignatures() ?? [];
  return signatures.length > 0 && signatures.every((signature) => mentionsNoTypeParameter(checker, signature.getReturnType())) ? type : undefined;
}

/**
 * {@link openMethodType} when every call signature's parameter at `index` is final: a type that mentions no type
 * parameter, or an unconstrained type parameter of the signature's own (`toBe<E>(expected: E)`), which stays one
 * whatever the receiver's type arguments are. Enough to ask whether the argument there may be a `void` callback.
 */
export function methodTypeForParameter(checker: ts.TypeChecker, callee: ts.Node, index: number): ts.Type | undefined {
  const type = openMethodType(checker, callee);
  const signatures = type?.getCallSignatures() ?? [];
  const final = (signature: ts.Signature): boolean => {
    const parameter = parameterTypeAt(checker, signature, index);
    if (!parameter) return true;
    if (signature.getTypeParameters()?.includes(parameter)) return !isConstrained(parameter);
    return mentionsNoTypeParameter(checker, parameter);
  };
  return signatures.length > 0 && signatures.every(final) ? type : undefined;
}
