/**
 * The facts about async code that the lint rules and the analyzer share: which types are promises, which are taskscope
 * primitives, which methods close a resource, which signatures take an AbortSignal.
 *
 * Why one module: the editor (ESLint) and CI (the ts-morph analyzer) must never disagree about what a promise or a
 * close is. So this file speaks only plain TypeScript compiler objects (`ts.TypeChecker`, `ts.Type`, `ts.Node`,
 * `ts.Signature`) and numeric enum constants. It must not import typescript-eslint or ts-morph: ts-morph bundles its
 * own TypeScript instance, and its checker objects must work here too, so nothing below compares against this
 * module's own `ts` objects except flag and kind numbers, which are stable across instances of one major version.
 */
import ts from './utils/typescript.cjs';

/** How a caller tunes what counts as a promise. */
export interface PromiseFacts {
  /**
   * Also count any thenable (an object with a `then(onFulfilled, …)` method), not only `Promise` and its subclasses.
   * @default false
   */
  checkThenables?: boolean;
  /**
   * Types the caller declared safe to leave floating (the rules' `allowForKnownSafePromises`). Asked for the whole
   * type first, then for each union member, so a union with one unsafe member still counts.
   * @default () => false
   */
  isKnownSafe?: (type: ts.Type) => boolean;
}

/** The taskscope primitives the rules recognise by declaration. */
export type TaskscopePrimitive = 'ErrGroup' | 'Semaphore' | 'Permit' | 'Result';

/** Where a signature takes an AbortSignal: directly (`fn(signal)`) or in an options object (`fn(url, { signal })`). */
export interface SignalSlot {
  /** Zero-based index of the parameter. */
  index: number;
  /** `parameter`: the parameter is an AbortSignal; `options`: the parameter's type has a `signal` property. */
  kind: 'parameter' | 'options';
}

/**
 * Flattens unions and intersections and replaces type parameters by their constraint.
 *
 * @example typeParts(checker, `T | Promise<void>`) // [constraint of T…, Promise<void>]
 */
export function typeParts(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  // Most types are neither unions nor generic: no walk, no `seen` set.
  if (!(type.flags & (ts.TypeFlags.UnionOrIntersection | ts.TypeFlags.InstantiableNonPrimitive))) return [type];
  const parts: ts.Type[] = [];
  addParts(checker, type, parts, new Set());
  return parts;
}

// A module-level function rather than a closure in `typeParts`: it is called for almost every type a rule looks at,
// and a closure per call (named, so tsx's keepNames wraps it in `__name`) cost more than the walk itself.
function addParts(checker: ts.TypeChecker, t: ts.Type, parts: ts.Type[], seen: Set<ts.Type>): void {
  if (seen.has(t)) return;
  seen.add(t);
  if (t.flags & ts.TypeFlags.InstantiableNonPrimitive) {
    const constraint = checker.getBaseConstraintOfType(t);
    if (constraint && constraint !== t) addParts(checker, constraint, parts, seen);
    return;
  }
  if (t.isUnion() || t.isIntersection()) {
    for (const member of t.types) addParts(checker, member, parts, seen);
    return;
  }
  parts.push(t);
}

/**
 * Whether a type has a callable `then` whose first parameter takes a function: the thenable contract that `await`
 * and `Promise.resolve` honour. A `then: number` field or `then(label: string)` is not a thenable.
 */
export function isThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  return thenables(checker, type);
}

const thenables = oncePer((checker: ts.TypeChecker, type: ts.Type): boolean => {
  const then = type.getProperty('then');
  return (
    then !== undefined &&
    checker.getTypeOfSymbol(then).getCallSignatures().some((signature) => {
      const first = signature.getParameters()[0];
      if (!first) return false;
      const firstType = nonNullableType(checker, checker.getTypeOfSymbol(first));
      return typeParts(checker, firstType).some((part) => part.getCallSignatures().length > 0);
    })
  );
});

/**
 * A fact computed once per checker object it is asked about (a type or a signature). Types and signatures are
 * interned per checker, one object per type in a program, so an answer keyed on the object holds for the whole
 * program: `Promise<void>`, `Response` or `fetch`'s signature are asked about at thousands of call sites. The
 * WeakMap is a per-program cache that every rule and the analyzer share, and it dies with the program.
 */
export function oncePer<K extends object, V>(compute: (checker: ts.TypeChecker, key: K) => V): (checker: ts.TypeChecker, key: K) => V {
  const answers = new WeakMap<K, { readonly value: V }>();
  return (checker, key) => {
    let known = answers.get(key);
    if (known === undefined) {
      known = { value: compute(checker, key) };
      answers.set(key, known);
    }
    return known.value;
  };
}

/** {@link mayReturnPromise} per callee type, by `<construct><checkThenables>` (`00`…`11`). */
const MAY_RETURN_PROMISE = new WeakMap<ts.Type, Map<string, boolean>>();

// TypeScript's own library files, wherever the compiler instance keeps them (ts-morph serves them from memory).
// Rejected: `program.isSourceFileDefaultLibrary`, which needs the program, and `hasNoDefaultLib`, which TS 6's lib
// files no longer set.
export const DEFAULT_LIB_FILE = /(?:^|[\\/])lib\.[\w.]+\.d\.ts$/;

/** Whether a symbol is declared in a default library file (`lib.*.d.ts`), where the real `Promise` lives. */
export function isFromDefaultLib(symbol: ts.Symbol): boolean {
  const declarations = symbol.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((declaration) => DEFAULT_LIB_FILE.test(declaration.getSourceFile().fileName));
}

/** Whether a type is the built-in `Promise` or a class or interface that extends it (transitively). */
export function isBuiltinPromise(checker: ts.TypeChecker, type: ts.Type): boolean {
  return builtinPromises(checker, type);
}

const builtinPromises = oncePer((checker: ts.TypeChecker, type: ts.Type) => extendsBuiltinPromise(checker, type, new Set()));

function extendsBuiltinPromise(checker: ts.TypeChecker, t: ts.Type, seen: Set<ts.Type>): boolean {
  const target = (t as ts.TypeReference).target ?? t;
  if (seen.has(target)) return false;
  seen.add(target);
  const symbol = target.getSymbol();
  if (symbol?.getName() === 'Promise' && isFromDefaultLib(symbol)) return true;
  if (!(target.flags & ts.TypeFlags.Object) || !((target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) {
    return false;
  }
  return (checker.getBaseTypes(target) ?? []).some((base) => extendsBuiltinPromise(checker, base, seen));
}

/**
 * Whether a value of this type is a promise whose rejection someone must handle.
 *
 * By default only `Promise` and its subclasses count (as typescript-eslint's `no-floating-promises` does), because a
 * `PromiseLike` from a library may settle without ever rejecting; with `checkThenables` every thenable counts.
 * Unions count when any member does (`Promise<void> | undefined`), intersections when any part does.
 *
 * @example isPromiseLike(checker, typeOf(`fetch(url)`)) // true
 */
export function isPromiseLike(checker: ts.TypeChecker, type: ts.Type, facts: PromiseFacts = {}): boolean {
  if (facts.isKnownSafe?.(type)) return false;
  if (type.isUnion()) return type.types.some((member) => isPromiseLike(checker, member, facts));
  return typeParts(checker, type).some((part) =>
    facts.checkThenables ? isThenable(checker, part) : isBuiltinPromise(checker, part),
  );
}

/** What a value of this type is in a condition, when TypeScript knows it for every member of the type. */
export function truthiness(checker: ts.TypeChecker, type: ts.Type): 'truthy' | 'falsy' | 'unknown' {
  const verdicts = new Set(
    typeParts(checker, type).map((part): 'truthy' | 'falsy' | 'unknown' => {
      const flags = part.flags;
      if (flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return 'falsy';
      if (flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(part) === 'true' ? 'truthy' : 'falsy';
      if (part.isStringLiteral()) return part.value === '' ? 'falsy' : 'truthy';
      if (part.isNumberLiteral()) return part.value === 0 || Number.isNaN(part.value) ? 'falsy' : 'truthy';
      if (flags & ts.TypeFlags.BigIntLiteral) return (part as ts.BigIntLiteralType).value.base10Value === '0' ? 'falsy' : 'truthy';
      if (flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive | ts.TypeFlags.ESSymbolLike)) return 'truthy';
      return 'unknown';
    }),
  );
  return verdicts.size === 1 ? [...verdicts][0]! : 'unknown';
}

/** Whether a value of this type may be `null` or `undefined` (so `value ?? fallback` may evaluate the fallback). */
export function mayBeNullish(checker: ts.TypeChecker, type: ts.Type): boolean {
  const nullish = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown;
  return typeParts(checker, type).some((part) => (part.flags & nullish) !== 0);
}

/**
 * Whether a type is or contains a type parameter or other generic type: through unions, intersections and type
 * arguments (`U[]`, `Promise<T>`), `depth` levels deep.
 */
export function isGeneric(type: ts.Type, checker?: ts.TypeChecker, depth = 2): boolean {
  if (type.flags & ts.TypeFlags.Instantiable) return true;
  if (type.isUnion() || type.isIntersection()) return type.types.some((member) => isGeneric(member, checker, depth));
  if (!checker || depth === 0 || !(type.flags & ts.TypeFlags.Object) || !((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference)) {
    return false;
  }
  return checker.getTypeArguments(type as ts.TypeReference).some((argument) => isGeneric(argument, checker, depth - 1));
}

/**
 * Whether a call may instantiate this declared return type into a promise or an array of promises: a type parameter
 * (`T`), a union or intersection with one, or an array or tuple of one (`U[]` from `map`). A generic container such as
 * `Map<K, V>` cannot become a promise, so it does not count.
 */
export function mayBecomePromise(checker: ts.TypeChecker, type: ts.Type, depth = 1): boolean {
  if (type.flags & ts.TypeFlags.Instantiable) return true;
  if (type.isUnion() || type.isIntersection()) return type.types.some((member) => mayBecomePromise(checker, member, depth));
  if (depth === 0 || !(checker.isArrayType(type) || checker.isTupleType(type))) return false;
  return checker.getTypeArguments(type as ts.TypeReference).some((element) => mayBecomePromise(checker, element, depth - 1));
}

/**
 * Whether calling something of this type may give a promise or an array of promises, judged from its declared
 * signatures alone: a promise (array) return type, or a generic one that the call may instantiate with a promise.
 * Cheap, and a guard: resolving some calls makes TypeScript 6 recurse without end (typescript-eslint's
 * `no-floating-promises` test "wrapNode"), while a callee's own type is always safe to ask for.
 */
export function mayReturnPromise(checker: ts.TypeChecker, calleeType: ts.Type, facts: PromiseFacts = {}, construct = false): boolean {
  // `isKnownSafe` is left out below, so the answer depends on the callee type, `construct` and `checkThenables` only.
  const key = `${construct ? 1 : 0}${facts.checkThenables ? 1 : 0}`;
  let answers = MAY_RETURN_PROMISE.get(calleeType);
  const known = answers?.get(key);
  if (known !== undefined) return known;
  const unfiltered: PromiseFacts = { checkThenables: facts.checkThenables ?? false };
  const answer = typeParts(checker, calleeType).some((part) =>
    (construct ? part.getConstructSignatures() : part.getCallSignatures()).some((signature) => {
      const returned = signature.getReturnType();
      return mayBecomePromise(checker, returned) || isAnyOrUnknown(returned) || isPromiseLike(checker, returned, unfiltered) || isPromiseArray(checker, returned, unfiltered);
    }),
  );
  if (!answers) MAY_RETURN_PROMISE.set(calleeType, (answers = new Map<string, boolean>()));
  answers.set(key, answer);
  return answer;
}

/**
 * Whether every call signature of a callee returns a promise whatever its type arguments: its declared return type is
 * a `Promise<…>` reference (or a union with one and no type variable), not a type parameter. Then a call of it is
 * promise-like without asking the checker to resolve the call. Instantiating a signature keeps a `Promise` reference
 * a `Promise` reference, and a union without type variables keeps it as a member (instantiation reduces literals
 * only), so the answer is the one {@link isPromiseLike} gives on the resolved call; a call that matches no overload
 * still gets one of these signatures from the checker. Anything else (a returned type parameter, an overload
 * returning something else) answers `false`: ask the checker.
 *
 * Why: `Promise.all(ids.map(async (id) => …))` costs the checker a mapped tuple type per call and a check of the
 * callback's whole body, ~0.7 ms a call (0.6 s of the analyzer's collect phase on the 2,000-file bench project),
 * where the rules never ask about an awaited call.
 *
 * @example returnsPromiseAlways(checker, typeOf(`Promise.all`)) // true
 */
export function returnsPromiseAlways(checker: ts.TypeChecker, calleeType: ts.Type): boolean {
  if (calleeType.flags & (ts.TypeFlags.UnionOrIntersection | ts.TypeFlags.InstantiableNonPrimitive)) return false;
  const signatures = calleeType.getCallSignatures();
  return signatures.length > 0 && signatures.every((signature) => declaresPromise(checker, signature.getReturnType()));
}

/**
 * Whether every call signature of a callee returns an array or a tuple, whatever its type arguments (`map`'s `U[]`,
 * `slice`'s `T[]`): a call of it is never promise-like, though it may hold promises, so whether it starts a task needs
 * no resolved call. Resolving `ids.map(async (id) => …)` types the callback's body.
 *
 * @example returnsArrayAlways(checker, typeOf(`ids.map`)) // true: `ids.map(load)` is an array, never itself a promise
 */
export function returnsArrayAlways(checker: ts.TypeChecker, calleeType: ts.Type): boolean {
  if (calleeType.flags & (ts.TypeFlags.UnionOrIntersection | ts.TypeFlags.InstantiableNonPrimitive)) return false;
  const signatures = calleeType.getCallSignatures();
  return signatures.length > 0 && signatures.every((signature) => {
    const returned = signature.getReturnType();
    return checker.isArrayType(returned) || checker.isTupleType(returned);
  });
}

/**
 * A reference to `Promise` or a subclass (an object type, never a type parameter), or a union with one as a member
 * (see {@link returnsPromiseAlways}).
 */
function declaresPromise(checker: ts.TypeChecker, type: ts.Type): boolean {
  const isPromiseReference = (member: ts.Type): boolean => (member.flags & ts.TypeFlags.Object) !== 0 && isBuiltinPromise(checker, member);
  // `Promise<T> | U` with U instantiated to `any` is `any`: a union counts only when no member is a type variable.
  if (type.isUnion()) return type.types.some(isPromiseReference) && !type.types.some((member) => (member.flags & ts.TypeFlags.Instantiable) !== 0);
  return isPromiseReference(type);
}

/**
 * Whether a type is an array or tuple holding at least one promise (by {@link isPromiseLike}), such as the result of
 * `urls.map(fetch)`. A union counts when any member does (`number[] | Promise<void>[]`).
 */
export function isPromiseArray(checker: ts.TypeChecker, type: ts.Type, facts: PromiseFacts = {}): boolean {
  return typeParts(checker, type).some((part) => {
    if (!checker.isArrayType(part) && !checker.isTupleType(part)) return false;
    return checker.getTypeArguments(part as ts.TypeReference).some((element) => isPromiseLike(checker, element, facts));
  });
}

/** Whether a type is `any` or `unknown`, which may hold a promise without saying so. */
export function isAnyOrUnknown(type: ts.Type): boolean {
  return (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

/**
 * Whether a function type, given where a callback is expected, wants nothing back: at least one call signature
 * returns `void`, and no signature returns something a promise would satisfy (a thenable, `any`, `unknown`).
 * Overloads and union members are all consulted, so `(() => void) | (() => Promise<void>)` does not expect `void`.
 */
export function expectsVoidReturn(checker: ts.TypeChecker, types: readonly ts.Type[]): boolean {
  let sawVoid = false;
  for (const type of types) {
    for (const part of typeParts(checker, nonNullableType(checker, type))) {
      for (const signature of part.getCallSignatures()) {
        const returned = signature.getReturnType();
        if (typeParts(checker, returned).some((r) => isAnyOrUnknown(r) || isThenable(checker, r))) return false;
        if (returned.flags & ts.TypeFlags.Void) sawVoid = true;
      }
    }
  }
  return sawVoid;
}

/**
 * Whether any declared signature of a callee (any overload, any union member) wants a function returning `void` at
 * argument `index`: `forEach`, `on`, `setTimeout`, a Promise executor. The callee's declared type alone decides, so
 * it comes before typing the argument or resolving the call; the argument's contextual type is one of these
 * parameter types, instantiated. A generic callback type (`map`'s `(value: T) => U`) is inferred from the argument,
 * so it expects whatever the argument returns; only explicit type arguments can make it `void` (`useCallback<() =>
 * void>`), and the caller must answer `true` for those without asking.
 *
 * @example mayExpectVoidCallback(checker, typeOf(`items.forEach`), 0) // true
 * @example mayExpectVoidCallback(checker, typeOf(`group.go`), 0) // false: `(signal: AbortSignal) => unknown`
 */
export function mayExpectVoidCallback(checker: ts.TypeChecker, calleeType: ts.Type, index: number, construct = false): boolean {
  // Types are interned per checker, so the answer for one callee type holds in every file: `fetch`, `map`, `push`
  // are asked about thousands of times.
  const key = `${construct ? 'new' : 'call'}:${index}`;
  let answers = EXPECTS_VOID.get(calleeType);
  const known = answers?.get(key);
  if (known !== undefined) return known;
  const answer = typeParts(checker, calleeType).some((part) =>
    (construct ? part.getConstructSignatures() : part.getCallSignatures()).some((signature) => {
      const type = parameterTypeAt(checker, signature, index);
      return (
        type !== undefined &&
        typeParts(checker, nonNullableType(checker, type)).some((expected) =>
          expected.getCallSignatures().some((s) => (s.getReturnType().flags & ts.TypeFlags.Void) !== 0),
        )
      );
    }),
  );
  if (!answers) EXPECTS_VOID.set(calleeType, (answers = new Map<string, boolean>()));
  answers.set(key, answer);
  return answer;
}

/** {@link mayExpectVoidCallback} per callee type, by `call:<index>` or `new:<index>`. */
const EXPECTS_VOID = new WeakMap<ts.Type, Map<string, boolean>>();

/**
 * The type a signature expects for its argument at `index`, looking into rest parameters (`...fns: Array<() => void>`
 * gives `() => void` for every index from the rest on; a rest tuple gives its element). `undefined` past the end.
 */
export function parameterTypeAt(checker: ts.TypeChecker, signature: ts.Signature, index: number): ts.Type | undefined {
  const parameters = signature.getParameters();
  const last = parameters[parameters.length - 1];
  const isRest = (last?.valueDeclaration as ts.ParameterDeclaration | undefined)?.dotDotDotToken !== undefined;
  if (!last || !isRest || index < parameters.length - 1) {
    const parameter = parameters[index];
    return parameter ? checker.getTypeOfSymbol(parameter) : undefined;
  }
  const rest = checker.getTypeOfSymbol(last);
  if (checker.isArrayType(rest)) return checker.getTypeArguments(rest as ts.TypeReference)[0];
  if (checker.isTupleType(rest)) return checker.getTypeArguments(rest as ts.TypeReference)[index - (parameters.length - 1)];
  return undefined;
}

/** The element types of an array or tuple type (`[]` for anything else), as a spread argument passes them. */
export function elementTypes(checker: ts.TypeChecker, type: ts.Type): readonly ts.Type[] {
  return typeParts(checker, type).flatMap((part) =>
    checker.isArrayType(part) || checker.isTupleType(part) ? checker.getTypeArguments(part as ts.TypeReference) : [],
  );
}

// Array methods that hand back elements the array held, and nothing else.
const isArrayRemovalCallee = libMethods(new Map([['Array', new Set(['pop', 'shift', 'splice'])]]));

/**
 * Whether a callee is the built-in `Array#pop`, `Array#shift` or `Array#splice` (declared in TypeScript's lib files):
 * they hand back elements the array held, so a promise among them was made, and owned or not, where it was stored,
 * and dropping the result makes no new promise.
 *
 * @example isArrayRemoval(checker, calleeOf(`this.pending.splice(0, done.length)`)) // true
 */
export function isArrayRemoval(checker: ts.TypeChecker, callee: ts.Node): boolean {
  return isArrayRemovalCallee(checker, callee);
}

/**
 * A matcher for lib methods: whether a callee is one of `methods` (method names by the lib interface that declares
 * them), by declaration in TypeScript's lib files. It rules a call out by name first, so most calls never ask the
 * checker for a symbol.
 */
function libMethods(methods: ReadonlyMap<string, ReadonlySet<string>>): (checker: ts.TypeChecker, callee: ts.Node) => boolean {
  const names = new Set([...methods.values()].flatMap((set) => [...set]));
  return (checker, callee) => {
    if (!ts.isPropertyAccessExpression(callee) || !names.has(callee.name.text)) return false;
    const method = callee.name.text;
    const symbol = checker.getSymbolAtLocation(callee.name);
    const declarations = symbol?.getDeclarations() ?? [];
    return (
      symbol !== undefined && declarations.length > 0 && isFromDefaultLib(symbol) &&
      declarations.every((declaration) => ts.isInterfaceDeclaration(declaration.parent) && methods.get(declaration.parent.name.text)?.has(method) === true)
    );
  };
}

// Methods of the built-in collections that give back an element the collection holds, by where they are declared.
const isCollectionLookupCallee = libMethods(new Map([
  ['Map', new Set(['get'])],
  ['ReadonlyMap', new Set(['get'])],
  ['WeakMap', new Set(['get'])],
  ['Array', new Set(['at', 'find', 'findLast'])],
  ['ReadonlyArray', new Set(['at', 'find', 'findLast'])],
]));

/**
 * Whether a callee is a built-in collection's lookup (declared in TypeScript's lib files): `Map#get`, `WeakMap#get`,
 * `Array#at`, `Array#find`, `Array#findLast`. It starts nothing: a promise it gives back was made, and is owned or
 * not, where it was stored (`this.inflight.get(name)` for a memoised task), so it is no new task and no fan-out.
 *
 * @example isCollectionLookup(checker, calleeOf(`this.#queues.get(domain)`)) // true for a Map<string, Promise<Queue>>
 */
export function isCollectionLookup(checker: ts.TypeChecker, callee: ts.Node): boolean {
  return isCollectionLookupCallee(checker, callee);
}

/**
 * Whether a callee is the DOM's `addEventListener` (declared in TypeScript's lib files), which ignores what a listener
 * returns. Its typed overload declares the listener as returning `any`, which would otherwise hide that an async
 * listener's rejection is lost.
 */
export function isDomListenerRegistration(checker: ts.TypeChecker, callee: ts.Node): boolean {
  const symbol = checker.getSymbolAtLocation(callee);
  return symbol?.getName() === 'addEventListener' && isFromDefaultLib(symbol);
}

/**
 * Whether a signature awaits what its callback returns, so an async callback is owned: `Promise#finally` (its
 * `onfinally` result is awaited before the chain settles), declared on the built-in `Promise`.
 */
export function awaitsCallbackResult(checker: ts.TypeChecker, signature: ts.Signature): boolean {
  const declaration = signature.getDeclaration() as ts.Declaration | undefined;
  const owner = declaration?.parent;
  if (!declaration || !owner || owner.kind !== ts.SyntaxKind.InterfaceDeclaration) return false;
  const name = (declaration as ts.NamedDeclaration).name;
  const ownerSymbol = checker.getSymbolAtLocation((owner as ts.InterfaceDeclaration).name);
  return (
    name !== undefined && name.kind === ts.SyntaxKind.Identifier && (name).text === 'finally' &&
    ownerSymbol?.getName() === 'Promise' && isFromDefaultLib(ownerSymbol)
  );
}

/** Whether some call signature of a function type returns a thenable (an async function, or `() => fetch(url)`). */
export function returnsThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  let known = RETURNS_THENABLE.get(type);
  if (known === undefined) {
    known = typeParts(checker, type).some((part) =>
      part.getCallSignatures().some((signature) =>
        typeParts(checker, signature.getReturnType()).some((r) => isThenable(checker, r)),
      ),
    );
    RETURNS_THENABLE.set(type, known);
  }
  return known;
}

// Per type (one object per program): a parameter typed with a union of 170 AST node types is passed at hundreds of
// calls in one rule file, and each part's call signatures were looked up again at every one.
const RETURNS_THENABLE = new WeakMap<ts.Type, boolean>();

/**
 * `nonNullableType(checker, type)`, computed once per union type. Why: the checker recomputes it at every call
 * (filtering the union by its members' type facts), and the rules ask it of the same few parameter types (`map`'s
 * callback, `RequestInit | undefined`) at thousands of calls. Only unions: any other type is answered at once, and
 * keeping an answer for every type asked about held 40–60 MB more at the analyzer's peak on the 2,000-file bench
 * project (weak entries for types the checker created on the fly), for no CPU saved.
 *
 * @example nonNullableType(checker, typeOf(`signal` in `(signal?: AbortSignal) => …`)) // AbortSignal
 */
export function nonNullableType(checker: ts.TypeChecker, type: ts.Type): ts.Type {
  if (!(type.flags & ts.TypeFlags.Union)) return checker.getNonNullableType(type);
  let known = NON_NULLABLE.get(type);
  if (!known) NON_NULLABLE.set(type, (known = checker.getNonNullableType(type)));
  return known;
}

const NON_NULLABLE = new WeakMap<ts.Type, ts.Type>();

/**
 * Whether calling (with `construct`, constructing) something of this type gives a new object whose `key` property is
 * a promise, judged from the declared signatures: `withResolvers<T>(): { promise: Promise<T>; … }` or
 * `new Deferred<T>()`. A signature whose declared result is a type parameter (`Map#get`'s `V | undefined`, also on a
 * `Map<string, Deferred>`) hands back an object kept elsewhere, so it does not count.
 *
 * @example declaresPromiseProperty(checker, typeOf(`withResolvers`), 'promise') // true
 */
export function declaresPromiseProperty(checker: ts.TypeChecker, calleeType: ts.Type, key: string, facts: PromiseFacts = {}, construct = false): boolean {
  return typeParts(checker, calleeType).some((part) =>
    (construct ? part.getConstructSignatures() : part.getCallSignatures()).some((signature) => {
      // Declared, not instantiated: `Map<string, Deferred>#get` returns `Deferred | undefined` only once instantiated.
      const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
      const returned = (declaration && checker.getSignatureFromDeclaration(declaration))?.getReturnType() ?? signature.getReturnType();
      if (isGeneric(returned)) return false;
      return typeParts(checker, returned).some((object) => {
        const property = object.getProperty(key);
        return property !== undefined && isPromiseLike(checker, checker.getTypeOfSymbol(property), facts);
      });
    }),
  );
}

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function skipOuter(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/**
 * A variable, or a property path from one, from `this` or from `super` (`this.pending`, `job!.done`,
 * `(this as Queue).items`): a value kept somewhere, not one a call just made. Not an optional chain.
 */
export function isKeptReference(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return true;
  if (!(ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) || node.flags & ts.NodeFlags.OptionalChain) return false;
  const object = skipOuter(node.expression);
  return object.kind === ts.SyntaxKind.ThisKeyword || object.kind === ts.SyntaxKind.SuperKeyword || isKeptReference(object);
}

/**
 * The arguments a call gives back by its signature (`identity(work)`, `Object.defineProperties(work, extra)`,
 * `Object.assign(work, extra)`, see {@link returnedParameters}), when every one is a kept value ({@link isKeptReference}):
 * the call's value is one of them, owned (or not) where it lives, never a new task. `undefined` otherwise, also for
 * `Object.assign(deferred().promise, extra)`, whose promise nobody else holds. The rules and the analyzer ask this
 * alike: a statement that only hands a kept promise back is neither a floating promise nor a spawn.
 *
 * @example passedThroughArguments(checker, callOf(`Object.assign(work, extra)`)) // [work, extra]
 */
export function passedThroughArguments(checker: ts.TypeChecker, call: ts.CallExpression): readonly ts.Expression[] | undefined {
  const signature = checker.getResolvedSignature(call);
  const indexes = signature && returnedParameters(checker, signature);
  if (!indexes || call.arguments.slice(0, Math.max(...indexes)).some(ts.isSpreadElement)) return undefined;
  const passed = indexes.map((index) => call.arguments[index]);
  return passed.every((argument) => argument !== undefined && isKeptReference(argument)) ? (passed as ts.Expression[]) : undefined;
}

/**
 * The indexes of the parameters one of whose values a call of this signature gives back, judged from its declaration:
 * the declared return type is a type parameter `T`, or an intersection of type parameters `T & U`; each of them is the
 * declared type of exactly one parameter (not a rest one), and no other parameter mentions it (a factory `() => T` could
 * make a new value). So `Object.defineProperties<T>(o: T, …): T` and `identity<T>(value: T): T` give back their
 * argument, an existing value rather than a new one, because a value of an unconstrained generic type can only come
 * from that argument (short of a cast). `Object.assign<T, U>(target: T, source: U): T & U` gives back one of its two
 * arguments (`target`, mutated), or else an object built from them, which is no promise whatever its type says: either
 * way the call makes no new promise. `undefined` for anything else.
 *
 * @example returnedParameters(checker, resolved(`Object.defineProperties(work, extra)`)) // [0]
 * @example returnedParameters(checker, resolved(`Object.assign(work, extra)`)) // [0, 1]
 */
export function returnedParameters(checker: ts.TypeChecker, signature: ts.Signature): readonly number[] | undefined {
  const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
  const declared = declaration ? checker.getSignatureFromDeclaration(declaration) : undefined;
  const returned = declared?.getReturnType();
  if (!declared || !returned) return undefined;
  const members = returned.isIntersection() ? returned.types : [returned];
  if (!members.every((member) => member.flags & ts.TypeFlags.TypeParameter)) return undefined;
  const found = new Map<ts.Type, number>();
  for (const [index, parameter] of declared.getParameters().entries()) {
    const type = checker.getTypeOfSymbol(parameter);
    const rest = (parameter.valueDeclaration as ts.ParameterDeclaration | undefined)?.dotDotDotToken !== undefined;
    if (members.includes(type) && !rest && !found.has(type)) found.set(type, index);
    else if (members.some((member) => mentionsType(checker, type, member, 3))) return undefined;
  }
  return found.size === members.length ? [...found.values()].sort((a, b) => a - b) : undefined;
}

/** Whether `type` is `target` or holds it: in a union, a type argument, a signature's return or an object's property. */
function mentionsType(checker: ts.TypeChecker, type: ts.Type, target: ts.Type, depth: number): boolean {
  if (type === target) return true;
  if (depth === 0) return false;
  if (type.isUnion() || type.isIntersection()) return type.types.some((member) => mentionsType(checker, member, target, depth));
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  const object = type as ts.ObjectType;
  if (object.objectFlags & ts.ObjectFlags.Reference && checker.getTypeArguments(type as ts.TypeReference).some((a) => mentionsType(checker, a, target, depth - 1))) {
    return true;
  }
  if (!(object.objectFlags & (ts.ObjectFlags.Anonymous | ts.ObjectFlags.Mapped))) return false;
  const signatures = [...type.getCallSignatures(), ...type.getConstructSignatures()];
  if (signatures.some((s) => mentionsType(checker, s.getReturnType(), target, depth - 1))) return true;
  return type.getProperties().some((p) => mentionsType(checker, checker.getTypeOfSymbol(p), target, depth - 1));
}

// Nodes that start a new function body: what happens inside them happens when they are called, not here.
const FUNCTION_BOUNDARIES = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
]);
const FUNCTIONS_WITH_BODY = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
]);

/**
 * Whether an async function's promise can never reject, by the shape of its body: everything it does runs inside one
 * `try` whose `catch` takes the error and neither throws, awaits nor returns a promise (nor does its `finally`). The
 * body may declare variables before the `try` (`const id = req.id`, `const { id, body } = req` with `req` typed never
 * to be missing; see {@link cannotThrow}) and `return` a literal after it, as long as nothing there can throw:
 *
 * ```ts
 * (async () => {
 *   try { await write(chunk); } catch (error) { report(error); }
 * })();
 * ```
 *
 * Rejected alternative: asking whether a call inside the `catch` (`report(error)`) can throw. Nothing says so by
 * type, and treating every call as throwing would leave no function that cannot reject: the `catch` is taken as the
 * function's error handling, as `.catch(report)` is for a promise. Before the `try` the body may also assign what
 * cannot throw (`this.timer = null`) and leave early without a value (`if (this.closing) return;`); a `try` without
 * a `catch` counts when its `finally` ends the process with `process.exit` (see {@link endsProcess}). A `return promise` inside the `try`
 * escapes it (the promise settles after the `try` has exited), so it disqualifies unless awaited (`return await promise`). A
 * generator, a function without a body and one with destructured or computed parameter defaults never count.
 *
 * @example cannotReject(checker, declarationOf(`this.flush`)) // true for async flush() { try {…} catch {} }
 */
export function cannotReject(checker: ts.TypeChecker, fn: ts.Node): boolean {
  if (!FUNCTIONS_WITH_BODY.has(fn.kind)) return false;
  const declaration = fn as ts.FunctionLikeDeclaration;
  const body = declaration.body;
  if (!body || declaration.asteriskToken || declaration.getSourceFile().isDeclarationFile) return false;
  const modifiers = (declaration as { modifiers?: readonly ts.ModifierLike[] }).modifiers ?? [];
  if (!modifiers.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return returnsOnlyHandled(checker, declaration);
  if (body.kind !== ts.SyntaxKind.Block) return false;
  const parametersSafe = declaration.parameters.every(
    (p) => p.name.kind === ts.SyntaxKind.Identifier && (!p.initializer || cannotThrow(checker, p.initializer)),
  );
  if (!parametersSafe) return false;
  const statements = (body as ts.Block).statements;
  const tryIndex = statements.findIndex((s) => s.kind === ts.SyntaxKind.TryStatement);
  // async (err, connection) => { if (err) reject(err); else resolve(connection); } — only settles the promise around it
  if (tryIndex === -1) return statements.length > 0 && statements.every((s) => onlySettles(checker, s));
  const before = statements.slice(0, tryIndex);
  const after = statements.slice(tryIndex + 1);
  const declaresSafely = (s: ts.Statement): boolean =>
    s.kind === ts.SyntaxKind.VariableStatement &&
    !((s as ts.VariableStatement).declarationList.flags & ts.NodeFlags.Using) &&
    (s as ts.VariableStatement).declarationList.declarations.every((d) =>
      d.name.kind === ts.SyntaxKind.Identifier
        ? !d.initializer || cannotThrow(checker, d.initializer)
        : d.initializer !== undefined && destructuresSafely(checker, d.name, d.initializer),
    );
  const returnsSafely = (s: ts.Statement): boolean =>
    s.kind === ts.SyntaxKind.EmptyStatement ||
    (s.kind === ts.SyntaxKind.ReturnStatement && (!(s as ts.ReturnStatement).expression || cannotThrow(checker, (s as ts.ReturnStatement).expression!)));
  // this.timer = null; — an assignment of a value that cannot throw to a name or to a property of a value that is
  // never missing (a setter is taken not to throw, as a getter is by `cannotThrow`)
  const assignsSafely = (s: ts.Statement): boolean => {
    if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
    const { left, right } = s.expression;
    return (ts.isIdentifier(left) || (ts.isPropertyAccessExpression(left) && cannotThrow(checker, left))) && cannotThrow(checker, right);
  };
  // if (this.closing) return; — leaves early with no value, which fulfils the function's promise
  const leavesSafely = (s: ts.Statement): boolean => {
    if (!ts.isIfStatement(s) || s.elseStatement || !cannotThrow(checker, s.expression)) return false;
    const then = ts.isBlock(s.thenStatement) ? s.thenStatement.statements : [s.thenStatement];
    const last = then[then.length - 1];
    return last !== undefined && ts.isReturnStatement(last) && !last.expression && then.slice(0, -1).every(assignsSafely);
  };
  if (!before.every((s) => declaresSafely(s) || assignsSafely(s) || leavesSafely(s)) || !after.every(returnsSafely)) return false;
  const statement = statements[tryIndex] as ts.TryStatement;
  const handler = statement.catchClause;
  const returnsNoPromise = (node: ts.ReturnStatement): boolean => {
    const returned = node.expression;
    if (!returned || returned.kind === ts.SyntaxKind.AwaitExpression) return true;
    return !typeParts(checker, checker.getTypeAtLocation(returned)).some((part) => isAnyOrUnknown(part) || isThenable(checker, part));
  };
  const settles = (block: ts.Block, handling: boolean): boolean => {
    let ok = true;
    const visit = (node: ts.Node): void => {
      if (!ok || FUNCTION_BOUNDARIES.has(node.kind)) return;
      if (node.kind === ts.SyntaxKind.ReturnStatement && !returnsNoPromise(node as ts.ReturnStatement)) ok = false;
      else if (handling && REJECTING_IN_HANDLER.has(node.kind)) ok = false;
      else if (handling && node.kind === ts.SyntaxKind.ForOfStatement && (node as ts.ForOfStatement).awaitModifier) ok = false;
      else if (handling && node.kind === ts.SyntaxKind.VariableDeclarationList && node.flags & ts.NodeFlags.Using) ok = false;
      else node.forEachChild(visit);
    };
    visit(block);
    return ok;
  };
  // try { await this.current; } finally { process.exit(code); } — a `finally` that ends the process lets no error out
  if (!handler && statement.finallyBlock && endsProcess(checker, statement.finallyBlock)) return settles(statement.tryBlock, false) && settles(statement.finallyBlock, true);
  if (!handler || (handler.variableDeclaration && handler.variableDeclaration.name.kind !== ts.SyntaxKind.Identifier)) return false;
  return settles(statement.tryBlock, false) && settles(handler.block, true) && (!statement.finallyBlock || settles(statement.finallyBlock, true));
}

/**
 * Whether a function that is not `async` returns only promises that cannot reject, and at least one: every `return`
 * (or the arrow's expression) is a chain that ends in a rejection handler (`running.then(noop).catch(noop)`,
 * `work.then(onDone, onError)`), `Promise.resolve()` of nothing or of a value that is not a thenable, or a conditional
 * of those (`running ? running.catch(noop) : Promise.resolve()`, `running?.catch(noop) ?? Promise.resolve()`). The
 * handler counts as handling, as it does for a statement (`p.catch(report);`): the promise the caller gets back has
 * nothing left to lose. A `return;` gives no promise. Answered once per function.
 *
 * @example cannotReject(checker, declarationOf(`this.stop`)) // true for stop() { return this.#running?.catch(noop) ?? Promise.resolve(); }
 */
function returnsOnlyHandled(checker: ts.TypeChecker, fn: ts.FunctionLikeDeclaration): boolean {
  let known = HANDLED_RETURNS.get(fn);
  if (known === undefined) {
    const promises = returnedValues(fn).filter((value) => value !== undefined);
    known = promises.length > 0 && promises.every((value) => isHandledPromise(checker, value));
    HANDLED_RETURNS.set(fn, known);
  }
  return known;
}

/**
 * What a function's `return` statements hand back, in source order, nested functions and classes left out: each
 * `return`'s expression, `undefined` for a bare `return;`. An arrow's expression body is its one value. Empty for a
 * function without a body or without a `return`.
 *
 * @example returnedValues(declarationOf(`stop`)) // [`running.catch(noop)`, undefined] for `if (r) return r.catch(noop); return;`
 */
export function returnedValues(fn: ts.FunctionLikeDeclaration): Array<ts.Expression | undefined> {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const values: Array<ts.Expression | undefined> = [];
  const visit = (node: ts.Node): void => {
    if (FUNCTION_BOUNDARIES.has(node.kind)) return;
    if (ts.isReturnStatement(node)) values.push(node.expression);
    else node.forEachChild(visit);
  };
  body.forEachChild(visit);
  return values;
}

const HANDLED_RETURNS = new WeakMap<ts.Node, boolean>();

/**
 * A promise that cannot reject, by its shape: see {@link returnsOnlyHandled}. `orNothing`: the left of a `??`, where
 * an optional chain that gives `undefined` hands over to the right (`this.#running?.catch(noop) ?? Promise.resolve()`).
 */
function isHandledPromise(checker: ts.TypeChecker, expression: ts.Expression, orNothing = false): boolean {
  const value = skipOuter(expression);
  if (ts.isConditionalExpression(value)) return isHandledPromise(checker, value.whenTrue) && isHandledPromise(checker, value.whenFalse);
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
    return isHandledPromise(checker, value.left, true) && isHandledPromise(checker, value.right);
  }
  if (!ts.isCallExpression(value) || (value.questionDotToken && !orNothing)) return false;
  const callee = skipOuter(value.expression);
  if (!ts.isPropertyAccessExpression(callee) || (callee.questionDotToken && !orNothing)) return false;
  const method = callee.name.text;
  const [first] = value.arguments;
  if (value.arguments.some((argument) => ts.isSpreadElement(argument))) return false;
  // Promise.resolve(), Promise.resolve(value) of a value that is no thenable
  if (method === 'resolve') {
    const receiver = checker.getTypeAtLocation(callee.expression).getSymbol();
    if (receiver?.getName() !== 'PromiseConstructor' || !isFromDefaultLib(receiver)) return false;
    return !first || !typeParts(checker, checker.getTypeAtLocation(first)).some((part) => isAnyOrUnknown(part) || isThenable(checker, part));
  }
  // work.catch(onError), work.then(onDone, onError) on a thenable
  const handles = (method === 'catch' && value.arguments.length >= 1) || (method === 'then' && value.arguments.length >= 2);
  return handles && typeParts(checker, checker.getTypeAtLocation(callee.expression)).some((part) => isThenable(checker, part));
}

/**
 * Whether every function a value of this type can be is declared by a function that cannot reject (see
 * {@link cannotReject}): `onTarget` where `const onTarget = async (target) => { try { … } catch (error) { … } }`, a
 * method passed as `this.onMessage`, or what a factory returns (`connectHandler(self)` returning such a function).
 * Known by the declarations of the type's call signatures, so a function only typed by an annotation
 * (`const onTarget: Listener = …`) has no body to look into and does not count.
 *
 * @example declaredToNeverReject(checker, typeOf(`onTarget`)) // true for the arrow above
 */
export function declaredToNeverReject(checker: ts.TypeChecker, type: ts.Type): boolean {
  const signatures = type.getCallSignatures();
  return signatures.length > 0 && signatures.every((signature) => {
    const declaration = signature.getDeclaration() as ts.Node | undefined;
    return declaration !== undefined && cannotReject(checker, declaration);
  });
}

/**
 * Whether `new Promise(executor)` can only fulfil: it is the built-in constructor, and its inline executor declares no
 * `reject` (one plain parameter at most, no `arguments`), has no `throw` of its own unless it is async, and uses
 * `resolve` only by calling it, or by handing it to a call as a callback, never with a value that may be a promise
 * (which `resolve` would adopt, rejection and all). What the executor's own callbacks do later cannot reject the
 * promise, and neither can anything an async executor throws or awaits: the constructor only sees the executor's own
 * promise, and drops it (a lost failure of its own, which no-floating-task reports at the executor):
 *
 * ```ts
 * const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
 * const tick = new Promise<void>((resolve) => after(ms, resolve)); // after(ms: number, callback: () => void)
 * const drained = new Promise<void>(async (resolve) => { while (pending.length > 0) await pending.shift(); resolve(); });
 * ```
 *
 * A call in the executor is taken not to throw, as a call in a `catch` is for {@link cannotReject}: such an executor
 * registers a listener or a timer, and a throw there is a bug in the registration, not a failure of the work.
 * Rejected alternative: counting every call as throwing, which would leave no executor that only fulfils. A callback
 * parameter typed to pass `any` or `unknown` (`emitter.once('data', resolve)`, the DOM's `setTimeout(handler: TimerHandler)` without `@types/node`)
 * might pass a promise, so handing `resolve` to it does not count.
 *
 * @example onlyFulfils(checker, node) // true for new Promise<void>((resolve) => after(ms, resolve))
 */
export function onlyFulfils(checker: ts.TypeChecker, node: ts.NewExpression): boolean {
  const executor = node.arguments?.[0];
  if (node.arguments?.length !== 1 || !executor || (executor.kind !== ts.SyntaxKind.ArrowFunction && executor.kind !== ts.SyntaxKind.FunctionExpression)) return false;
  const fn = executor as ts.ArrowFunction | ts.FunctionExpression;
  if (fn.parameters.length > 1 || (fn as ts.FunctionExpression).asteriskToken) return false;
  // An async executor never throws to the constructor: whatever it throws or awaits rejects the promise the executor
  // itself returns, which the constructor drops (no-floating-task's `voidReturnArgument` reports that one).
  const async = (fn.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (!isBuiltinPromiseConstruction(checker, node)) return false;
  const parameter = fn.parameters[0];
  if (parameter && (parameter.name.kind !== ts.SyntaxKind.Identifier || parameter.initializer || parameter.dotDotDotToken)) return false;
  const resolve = parameter && checker.getSymbolAtLocation(parameter.name);
  const name = parameter && (parameter.name as ts.Identifier).text;
  let ok = true;
  const visit = (current: ts.Node, nested: boolean): void => {
    if (!ok) return;
    if (current.kind === ts.SyntaxKind.ThrowStatement && !nested && !async) ok = false;
    else if (ts.isIdentifier(current) && current.text === 'arguments') ok = false;
    else if (ts.isIdentifier(current) && current.text === name && current !== parameter?.name && checker.getSymbolAtLocation(current) === resolve) {
      ok = resolvesWithValues(checker, current);
    } else current.forEachChild((child) => visit(child, nested || FUNCTION_BOUNDARIES.has(child.kind)));
  };
  visit(fn.body, false);
  return ok;
}

/** Whether this use of `resolve` can only fulfil: `resolve()`, `resolve(value)`, or `after(ms, resolve)`. */
function resolvesWithValues(checker: ts.TypeChecker, use: ts.Identifier): boolean {
  const call = use.parent;
  if (!ts.isCallExpression(call)) return false;
  const maybePromise = (type: ts.Type): boolean => typeParts(checker, type).some((part) => isAnyOrUnknown(part) || isThenable(checker, part));
  // resolve(value)
  if (call.expression === use) {
    return call.arguments.every((argument) => !ts.isSpreadElement(argument) && !maybePromise(checker.getTypeAtLocation(argument)));
  }
  // after(ms, resolve) — the callback parameter says what resolve will be called with
  const index = call.arguments.indexOf(use);
  const signature = checker.getResolvedSignature(call);
  const expected = signature && index >= 0 && !call.arguments.slice(0, index).some(ts.isSpreadElement) ? parameterTypeAt(checker, signature, index) : undefined;
  const callbacks = expected?.getCallSignatures() ?? [];
  return callbacks.length > 0 && callbacks.every((callback) =>
    callback.getParameters().every((p) => {
      const type = checker.getTypeOfSymbol(p);
      const rest = (p.valueDeclaration as ts.ParameterDeclaration | undefined)?.dotDotDotToken !== undefined;
      return rest ? (checker.isArrayType(type) || checker.isTupleType(type)) && !elementTypes(checker, type).some(maybePromise) : !maybePromise(type);
    }),
  );
}

// In a `catch` or `finally`, these end the function with a rejection (an `await` rejects when its promise does).
const REJECTING_IN_HANDLER = new Set<ts.SyntaxKind>([ts.SyntaxKind.ThrowStatement, ts.SyntaxKind.AwaitExpression, ts.SyntaxKind.YieldExpression]);

/**
 * Whether a block always ends the process: its last statement is Node's `process.exit(code)` or `process.abort()`
 * (recognised by declaration in `@types/node`), so no error thrown before the block (a `finally`'s) gets out of the
 * function. Asked only of a `try … finally` without a `catch`. Rejected: any call typed to return `never`, which a
 * helper that throws (`fail(message): never`) is too.
 */
function endsProcess(checker: ts.TypeChecker, block: ts.Block): boolean {
  const last = block.statements[block.statements.length - 1];
  if (!last || !ts.isExpressionStatement(last) || !ts.isCallExpression(last.expression)) return false;
  const declaration = checker.getResolvedSignature(last.expression)?.getDeclaration();
  if (!declaration?.name || !ts.isIdentifier(declaration.name) || (declaration.name.text !== 'exit' && declaration.name.text !== 'abort')) return false;
  const owner = declaration.parent;
  return ts.isInterfaceDeclaration(owner) && owner.name.text === 'Process' && NODE_TYPES.test(declaration.getSourceFile().fileName);
}

/**
 * Whether evaluating an expression cannot throw: literals, names, `this`, functions, `===`/`!`/`typeof` of them, and
 * property reads (`req.id`, `job?.payload`) of a value that cannot be `null` or `undefined` by its type. A getter that
 * throws is taken not to, as a call in a `catch` is by {@link cannotReject}.
 */
function cannotThrow(checker: ts.TypeChecker, node: ts.Expression): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      return true;
    case ts.SyntaxKind.ParenthesizedExpression:
      return cannotThrow(checker, (node as ts.ParenthesizedExpression).expression);
    case ts.SyntaxKind.PrefixUnaryExpression:
      return (node as ts.PrefixUnaryExpression).operator === ts.SyntaxKind.ExclamationToken && cannotThrow(checker, (node as ts.PrefixUnaryExpression).operand);
    case ts.SyntaxKind.TypeOfExpression:
      return cannotThrow(checker, (node as ts.TypeOfExpression).expression);
    case ts.SyntaxKind.BinaryExpression: {
      const { left, operatorToken, right } = node as ts.BinaryExpression;
      const strict = operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken;
      return strict && cannotThrow(checker, left) && cannotThrow(checker, right);
    }
    // req.id; job?.payload stops at a missing job instead of throwing
    case ts.SyntaxKind.PropertyAccessExpression: {
      const { expression, questionDotToken } = node as ts.PropertyAccessExpression;
      return cannotThrow(checker, expression) && (questionDotToken !== undefined || !mayBeNullish(checker, checker.getTypeAtLocation(expression)));
    }
    default:
      return false;
  }
}

/**
 * Whether a statement only settles the promise being made around it, and cannot throw: calls of the `resolve` or
 * `reject` an enclosing `new Promise(executor)` gave (they never throw), with arguments that cannot throw, under `if`s
 * whose tests cannot throw, and a plain `return`. The shape of a callback adapter: `pool.getConnection(async (err,
 * connection) => { if (err) reject(err); else resolve(connection); })`.
 */
function onlySettles(checker: ts.TypeChecker, statement: ts.Statement): boolean {
  if (ts.isBlock(statement)) return statement.statements.every((s) => onlySettles(checker, s));
  if (ts.isIfStatement(statement)) {
    return cannotThrow(checker, statement.expression) && onlySettles(checker, statement.thenStatement) && (!statement.elseStatement || onlySettles(checker, statement.elseStatement));
  }
  if (ts.isReturnStatement(statement)) return !statement.expression || (ts.isCallExpression(statement.expression) && settles(checker, statement.expression));
  return ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) && settles(checker, statement.expression);
}

/** Whether a call is `resolve(…)` or `reject(…)` of an enclosing built-in `new Promise(executor)`, with safe arguments. */
function settles(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  if (!ts.isIdentifier(call.expression) || !call.arguments.every((argument) => !ts.isSpreadElement(argument) && cannotThrow(checker, argument))) return false;
  const parameter = checker.getSymbolAtLocation(call.expression)?.valueDeclaration;
  const executor = parameter && ts.isParameter(parameter) ? parameter.parent : undefined;
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) || executor.parameters.indexOf(parameter as ts.ParameterDeclaration) > 1) return false;
  const construct = executor.parent;
  return ts.isNewExpression(construct) && construct.arguments?.[0] === executor && isBuiltinPromiseConstruction(checker, construct);
}

/** Whether `new X(…)` calls the built-in `Promise` constructor (TypeScript's lib `PromiseConstructor`). */
function isBuiltinPromiseConstruction(checker: ts.TypeChecker, node: ts.NewExpression): boolean {
  const owner = checker.getResolvedSignature(node)?.getDeclaration()?.parent;
  return owner !== undefined && ts.isInterfaceDeclaration(owner) && owner.name.text === 'PromiseConstructor' && DEFAULT_LIB_FILE.test(owner.getSourceFile().fileName);
}

/**
 * Whether destructuring `value` into `pattern` cannot throw: an object pattern of plain names (`const { id, buf } = req`,
 * a rest element, renames, defaults that cannot throw), taken from a value that cannot throw and is never `null` or
 * `undefined`. An array pattern iterates, which may throw, and a nested or computed one is not followed.
 */
function destructuresSafely(checker: ts.TypeChecker, pattern: ts.BindingName, value: ts.Expression): boolean {
  if (!ts.isObjectBindingPattern(pattern) || !cannotThrow(checker, value) || mayBeNullish(checker, checker.getTypeAtLocation(value))) return false;
  return pattern.elements.every(
    (element) =>
      ts.isIdentifier(element.name) &&
      (!element.propertyName || ts.isIdentifier(element.propertyName)) &&
      (!element.initializer || cannotThrow(checker, element.initializer)),
  );
}

// A taskscope primitive is recognised by where it is declared, never by name alone: a user's own `Result` class is
// not ours. Installed: any file under node_modules/taskscope/. In this repository (and the rules' fixtures, which
// map `taskscope/runtime` to the sources): the runtime's own files.
const TASKSCOPE_FILE = /[\\/]node_modules[\\/]taskscope[\\/]|(?:^|[\\/])runtime[\\/](?:err-group|semaphore|result)(?:\.d)?\.[cm]?[jt]s$/;
const PRIMITIVE_NAMES: Readonly<Record<string, TaskscopePrimitive>> = {
  ErrGroup: 'ErrGroup',
  Semaphore: 'Semaphore',
  Permit: 'Permit',
  SemaphorePermit: 'Permit',
  Result: 'Result',
  Ok: 'Result',
  Err: 'Result',
};

function declaredInTaskscope(symbol: ts.Symbol | undefined): boolean {
  return (symbol?.getDeclarations() ?? []).some((d) => TASKSCOPE_FILE.test(d.getSourceFile().fileName));
}

/**
 * Which taskscope primitive a type is, if any: `ErrGroup`, `Semaphore`, `Permit` or `Result` (also `Ok`/`Err`).
 * Recognised by declaration (a class, interface or alias declared in the taskscope package or its `runtime/`
 * sources); a `Result` is also recognised structurally by {@link isResultLike}, so neverthrow's counts too.
 * A union such as `Result<T, E> | undefined` is the primitive of its members when they all agree.
 */
export function taskscopePrimitive(checker: ts.TypeChecker, type: ts.Type): TaskscopePrimitive | undefined {
  // Asked of nearly every value type several rules look at.
  return primitives(checker, type);
}

const primitives = oncePer(findTaskscopePrimitive);

function findTaskscopePrimitive(checker: ts.TypeChecker, type: ts.Type): TaskscopePrimitive | undefined {
  const kinds = new Set<TaskscopePrimitive>();
  for (const part of typeParts(checker, nonNullableType(checker, type))) {
    const named = [part.aliasSymbol, part.getSymbol()].find(
      (symbol) => symbol !== undefined && PRIMITIVE_NAMES[symbol.getName()] !== undefined && declaredInTaskscope(symbol),
    );
    const kind = named ? PRIMITIVE_NAMES[named.getName()] : isResultLike(checker, part) ? 'Result' : undefined;
    if (!kind) return undefined;
    kinds.add(kind);
  }
  if (type.aliasSymbol && declaredInTaskscope(type.aliasSymbol)) {
    const kind = PRIMITIVE_NAMES[type.aliasSymbol.getName()];
    if (kind) return kind;
  }
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** Whether a type is a Result by shape: it has callable `isOk()` and `isErr()` methods (ours, neverthrow's, …). */
export function isResultLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  return hasCallable(checker, type, 'isOk') && hasCallable(checker, type, 'isErr');
}

function hasCallable(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  const property = type.getProperty(name);
  return property !== undefined && checker.getTypeOfSymbol(property).getCallSignatures().length > 0;
}

interface ClosePair {
  /** The receiver's type name, matched on the type or any of its base types. */
  type: string;
  method: string;
  /** Where the type must be declared, so a user's own `Server#close` is not mistaken for Node's. */
  from: RegExp;
}

// The methods that give a resource back. Each pair names the declaring type, not the variable: `writer.close()` on a
// `WritableStreamDefaultWriter` counts wherever the writer came from.
const WEB_STREAMS = /(?:(?:^|[\\/])lib\.[\w.]+\.d\.ts|[\\/]@types[\\/]node[\\/].*\.d\.ts)$/;
const NODE_TYPES = /[\\/]@types[\\/]node[\\/].*\.d\.ts$/;
const CLOSE_PAIRS: readonly ClosePair[] = [
  { type: 'ReadableStreamDefaultController', method: 'close', from: WEB_STREAMS },
  { type: 'WritableStreamDefaultWriter', method: 'close', from: WEB_STREAMS },
  { type: 'ReadableStreamDefaultReader', method: 'releaseLock', from: WEB_STREAMS },
  { type: 'FileHandle', method: 'close', from: NODE_TYPES },
  { type: 'Server', method: 'close', from: NODE_TYPES },
  { type: 'Permit', method: 'release', from: TASKSCOPE_FILE },
  { type: 'SemaphorePermit', method: 'release', from: TASKSCOPE_FILE },
];

/**
 * The names of a type, of the members of a union, and of all their base classes and interfaces, each with its
 * declarations. What "is a `FileHandle`" or "is our `Permit`" is decided on: a name and where it is declared.
 */
export function namedDeclarations(checker: ts.TypeChecker, type: ts.Type): Array<{ name: string; declarations: readonly ts.Declaration[] }> {
  const out: Array<{ name: string; declarations: readonly ts.Declaration[] }> = [];
  const seen = new Set<ts.Type>();
  const visit = (t: ts.Type): void => {
    const target = (t as ts.TypeReference).target ?? t;
    if (seen.has(target)) return;
    seen.add(target);
    for (const symbol of [t.aliasSymbol, target.getSymbol()]) {
      if (symbol) out.push({ name: symbol.getName(), declarations: symbol.getDeclarations() ?? [] });
    }
    if (target.flags & ts.TypeFlags.Object && (target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface) {
      for (const base of checker.getBaseTypes(target) ?? []) visit(base);
    }
  };
  for (const part of typeParts(checker, nonNullableType(checker, type))) visit(part);
  return out;
}

/** {@link namedDeclarations} with the declaring files' names in place of the declarations. */
function namesWithBases(checker: ts.TypeChecker, type: ts.Type): Array<{ name: string; files: string[] }> {
  return namedDeclarations(checker, type).map(({ name, declarations }) => ({
    name,
    files: declarations.map((d) => d.getSourceFile().fileName),
  }));
}

/**
 * Whether calling `method` on a receiver of this type closes (gives back) a resource: a stream controller's or
 * writer's `close`, a reader's `releaseLock`, `FileHandle#close`, `http`/`net` `Server#close`, `Permit#release`.
 * `extra` adds type+method pairs (a rule's option), matched by type name only.
 *
 * @example closesResource(checker, typeOf(`writer`), 'close') // true for a WritableStreamDefaultWriter
 */
export function closesResource(
  checker: ts.TypeChecker,
  receiverType: ts.Type,
  method: string,
  extra: ReadonlyArray<{ type: string; method: string }> = [],
): boolean {
  const names = namesWithBases(checker, receiverType);
  return (
    CLOSE_PAIRS.some((pair) => pair.method === method && names.some((n) => n.name === pair.type && n.files.some((f) => pair.from.test(f)))) ||
    extra.some((pair) => pair.method === method && names.some((n) => n.name === pair.type))
  );
}

/**
 * Whether a type is the DOM/Node `AbortSignal` (also when optional: `AbortSignal | undefined`, and a type parameter's
 * member constrained to one: `Options['signal']` read off `options: Partial<Options>`).
 */
export function isAbortSignal(checker: ts.TypeChecker, type: ts.Type): boolean {
  return abortSignals(checker, type);
}

const NULLISH = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;

// The parts first, then without `null` and `undefined`: made non-nullable first, `Options['signal'] | undefined`
// becomes `Options['signal'] & {}`, whose `{}` is no AbortSignal.
const abortSignals = oncePer((checker: ts.TypeChecker, type: ts.Type): boolean => {
  const parts = typeParts(checker, type).filter((part) => !(part.flags & NULLISH));
  return parts.length > 0 && parts.every((part) => part.getSymbol()?.getName() === 'AbortSignal');
});

/**
 * Whether a type carries a signal: it has a `signal` property typed AbortSignal. With `optionalOnly`, only an optional
 * one (`signal?: AbortSignal`), the mark of an options object a caller fills in, as opposed to a `Request` whose
 * `readonly signal` belongs to it.
 */
export function hasSignalProperty(checker: ts.TypeChecker, type: ts.Type, optionalOnly = false): boolean {
  return typeParts(checker, nonNullableType(checker, type)).some((part) => {
    const signal = part.getProperty('signal');
    if (!signal || (optionalOnly && !(signal.flags & ts.SymbolFlags.Optional))) return false;
    return isAbortSignal(checker, checker.getTypeOfSymbol(signal));
  });
}

/**
 * Where a signature accepts an AbortSignal, decided by the parameter types alone (never by the callee's name): a
 * parameter typed `AbortSignal`, or an options-object parameter whose type has `signal?: AbortSignal` (`fetch`'s
 * `RequestInit`, `timers/promises` `setTimeout`'s options, your own helpers).
 *
 * @example signalSlot(checker, signatureOf(`fetch(url)`)) // { index: 1, kind: 'options' }
 */
export function signalSlot(checker: ts.TypeChecker, signature: ts.Signature): SignalSlot | undefined {
  const parameters = signature.getParameters();
  for (const [index, parameter] of parameters.entries()) {
    const type = checker.getTypeOfSymbol(parameter);
    if (isAbortSignal(checker, type)) return { index, kind: 'parameter' };
    if (hasSignalProperty(checker, type, true)) return { index, kind: 'options' };
  }
  return undefined;
}

// Test runners own the promises their registration functions return: `node:test`'s `test()` and `it()` resolve when
// the runner has run the test, and awaiting them inside a file would serialise suites by hand.
const RUNNER_MODULES = new Set(['node:test', 'test']);

/**
 * Whether a call's promise is owned by someone else, so leaving it floating is correct: functions declared in the
 * `node:test` module (`test`, `it`, `describe`, hooks). Decided by the callee's declaration, not its name, and
 * through imports (`import { it } from 'node:test'`).
 */
export function isKnownSafeCallee(checker: ts.TypeChecker, callee: ts.Node): boolean {
  let symbol = checker.getSymbolAtLocation(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return (symbol?.getDeclarations() ?? []).some((declaration) => {
    for (let node: ts.Node | undefined = declaration; node; node = node.parent) {
      if (node.kind !== ts.SyntaxKind.ModuleDeclaration) continue;
      const name = (node as ts.ModuleDeclaration).name;
      if (name.kind === ts.SyntaxKind.StringLiteral && RUNNER_MODULES.has((name).text)) {
        return NODE_TYPES.test(node.getSourceFile().fileName);
      }
    }
    return false;
  });
}

/**
 * Whether a call hands its outcome to a Node-style callback it is given: an argument that is a function on every
 * path, for a parameter declared as one (see {@link isNodeCallbackType}). An API that returns a promise and also takes
 * such a callback (ioredis's commands, `standard-as-callback`'s `asCallback(promise, callback)`) attaches the callback
 * to its promise, so a rejection reaches the callback as its error and is handled there. Without a callback (an
 * optional one passed on as `undefined`) nothing handles it, and the call is left to the rules.
 *
 * @example deliversToCallback(checker, callOf(`client.cluster('SLOTS', (err, slots) => done(err, slots))`)) // true
 */
export function deliversToCallback(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const signature = checker.getResolvedSignature(call);
  if (!signature) return false;
  for (const [index, argument] of call.arguments.entries()) {
    if (ts.isSpreadElement(argument)) return false;
    const expected = parameterTypeAt(checker, signature, index);
    if (expected && isNodeCallbackType(checker, expected) && isSurelyFunction(checker, argument)) return true;
  }
  return false;
}

/**
 * Whether a parameter type is a Node-style callback, `(err?: Error | null, result?: T) => void`: every call signature
 * takes first an error that may be absent (an optional parameter, or one typed with `null` or `undefined`), and
 * otherwise is an `Error` (an object with `name` and `message`). A function that takes a plain error (`onError(err:
 * Error)`) is an error listener, which a promise need not report to, so it does not count.
 */
function isNodeCallbackType(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = typeParts(checker, nonNullableType(checker, type));
  if (parts.length === 0 || parts.some((part) => part.getCallSignatures().length === 0)) return false;
  // Over every signature together: `((err: null, value: T) => void) | ((err: Error) => void)` is one too.
  let mayBeAbsent = false;
  let takesError = false;
  for (const signature of parts.flatMap((part) => part.getCallSignatures())) {
    const first = signature.getParameters()[0];
    const declaration = first?.valueDeclaration;
    if (!first || !declaration || !ts.isParameter(declaration) || declaration.dotDotDotToken) return false;
    if (declaration.questionToken) mayBeAbsent = true;
    const errorType = checker.getTypeOfSymbol(first);
    for (const part of errorType.isUnion() ? errorType.types : [errorType]) {
      if (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) mayBeAbsent = true;
      else if (checker.getPropertyOfType(part, 'message') !== undefined && checker.getPropertyOfType(part, 'name') !== undefined) takesError = true;
      else return false;
    }
  }
  return mayBeAbsent && takesError;
}

/**
 * Whether an argument is a function whatever path led here: a function expression, or a value whose type (narrowed
 * at this point) is callable in every part, with no `undefined` or `null`. An optional parameter passed on as is
 * (`callback?: Callback`) may be absent; without `strictNullChecks` its type does not say so, so its declaration does.
 */
function isSurelyFunction(checker: ts.TypeChecker, argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return true;
  const type = checker.getTypeAtLocation(value);
  if (typeParts(checker, type).some((part) => part.getCallSignatures().length === 0)) return false;
  if (!ts.isIdentifier(value)) return true;
  // `callback?: F` is typed `F | undefined` with strictNullChecks, and then the narrowed type above is the answer; a
  // declared type without `undefined` means the check is off, and nothing but the declaration tells.
  const symbol = checker.getSymbolAtLocation(value);
  const declaration = symbol?.valueDeclaration;
  if (!symbol || !declaration || !ts.isParameter(declaration) || !declaration.questionToken) return true;
  return typeParts(checker, checker.getTypeOfSymbol(symbol)).some((part) => (part.flags & ts.TypeFlags.Undefined) !== 0);
}

const KEPT_RETURNS = new WeakMap<ts.Node, boolean>();

/**
 * Whether a call gives back a promise kept elsewhere, by its callee's body: every `return` of the called function
 * (its body in the program; not `async`, whose promise is always new, nor a generator) hands back a kept value — a
 * property path from `this` (`return this.promise`), a variable declared outside the function (a closure's or the
 * module's), or `Promise.resolve` of one typed as the built-in `Promise`, which gives that very promise back. The call
 * makes no new promise: the one it returns was made, and is owned or not, where it was stored (graphile-worker's
 * `worker.release()` returns `Promise.resolve(promise)` of the worker's own). One `return` of anything else (a
 * call's result, a parameter, a local) and the call counts as making a promise.
 *
 * @example returnsKeptPromise(checker, callOf(`worker.release()`)) // true for release = () => Promise.resolve(promise)
 */
export function returnsKeptPromise(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration() as ts.Node | undefined;
  if (!declaration || !FUNCTIONS_WITH_BODY.has(declaration.kind)) return false;
  const fn = declaration as ts.FunctionLikeDeclaration;
  const known = KEPT_RETURNS.get(fn);
  if (known !== undefined) return known;
  const modifiers = (fn as { modifiers?: readonly ts.ModifierLike[] }).modifiers ?? [];
  let kept = fn.body !== undefined && !fn.asteriskToken && !fn.getSourceFile().isDeclarationFile && !modifiers.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (kept) {
    const values = returnedValues(fn);
    kept = values.length > 0 && values.every((value) => value !== undefined && isKeptValue(checker, value, fn));
  }
  KEPT_RETURNS.set(fn, kept);
  return kept;
}

/** Whether a returned value is kept outside `fn`: see {@link returnsKeptPromise}. */
function isKeptValue(checker: ts.TypeChecker, expression: ts.Expression, fn: ts.Node): boolean {
  const value = skipOuter(expression);
  // Promise.resolve(promise): the built-in promise itself
  if (ts.isCallExpression(value)) {
    const callee = skipOuter(value.expression);
    const [argument] = value.arguments;
    if (value.arguments.length !== 1 || !argument || ts.isSpreadElement(argument) || !ts.isPropertyAccessExpression(callee) || callee.name.text !== 'resolve') return false;
    const builtin = (type: ts.Type, name: string): boolean => {
      const symbol = type.getSymbol();
      return symbol?.getName() === name && isFromDefaultLib(symbol);
    };
    // `Promise<void> & { worker?: Worker }`: a promise with a property added is the promise still
    const given = checker.getTypeAtLocation(argument);
    const isPromise = given.isIntersection() ? given.types.some((part) => builtin(part, 'Promise')) : builtin(given, 'Promise');
    return builtin(checker.getTypeAtLocation(callee.expression), 'PromiseConstructor') && isPromise && isKeptValue(checker, argument, fn);
  }
  if (!isKeptReference(value)) return false;
  let root = value;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
  if (root.kind === ts.SyntaxKind.ThisKeyword || root.kind === ts.SyntaxKind.SuperKeyword) return true;
  const declaration = ts.isIdentifier(root) ? checker.getSymbolAtLocation(root)?.valueDeclaration : undefined;
  return declaration !== undefined && !(declaration.pos >= fn.pos && declaration.end <= fn.end && declaration.getSourceFile() === fn.getSourceFile());
}
