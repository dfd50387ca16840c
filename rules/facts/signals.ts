/**
 * Facts about AbortSignals that `propagate-abort-signal` needs beyond `rules/facts.ts` (which already answers "is this
 * an AbortSignal", "does this type have a `signal` property" and "where does this signature take one").
 *
 * Like `rules/facts.ts`, this module speaks only plain TypeScript compiler objects and numeric enum constants, so the
 * ts-morph analyzer can ask the same questions and get the same answers.
 */
import ts from '../utils/typescript.cjs';
import { hasSignalProperty, isAbortSignal, isAnyOrUnknown, isGeneric, nonNullableType, oncePer, parameterTypeAt, signalSlot, skipOuter, taskscopePrimitive, typeParts, type SignalSlot } from '../facts.js';

/** How a parameter carries its caller's signal in a `signal` property (`req: Request`, `options: { signal? }`). */
export interface SignalCarrier {
  /** The `signal` property may be `null` (`RequestInit`), so it needs `?? undefined` before going where `null` may not. */
  nullable: boolean;
  /** The `signal` property may be missing or `undefined` (`signal?: AbortSignal`), so it cannot go into `AbortSignal.any`. */
  optional: boolean;
}

// Where the platform declares its abort APIs: TypeScript's lib files and @types/node. A user's own `AbortSignal` class
// is not the platform's, and must not be mistaken for it.
const PLATFORM_FILE = /(?:(?:^|[\\/])lib\.[\w.]+\.d\.ts|[\\/]@types[\\/]node[\\/].*\.d\.ts)$/;

function declaredByPlatform(symbol: ts.Symbol | undefined): boolean {
  const declarations = symbol?.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((declaration) => PLATFORM_FILE.test(declaration.getSourceFile().fileName));
}

/** Whether a type has a callable member of this name. */
function hasMethod(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  const property = type.getProperty(name);
  return property !== undefined && checker.getTypeOfSymbol(property).getCallSignatures().length > 0;
}

/**
 * Whether a parameter of this type hands its function a caller's signal in a `signal` property: a `Request`, an
 * options object with `signal?: AbortSignal`, a job record. Not a signal's *owner*: an `AbortController` (anything
 * with an `abort()` method) or an `ErrGroup` makes its own signal rather than carrying a caller's, so a function that
 * receives one has not been given a deadline.
 *
 * @example signalCarrier(checker, typeOf(`req`)) // { nullable: false, optional: false } for a fetch `Request`
 */
export function signalCarrier(checker: ts.TypeChecker, type: ts.Type): SignalCarrier | undefined {
  // One answer per type (types are one object per program): `req: Request` is asked about in every handler.
  return signalCarriers(checker, type);
}

const signalCarriers = oncePer(findSignalCarrier);

function findSignalCarrier(checker: ts.TypeChecker, type: ts.Type): SignalCarrier | undefined {
  if (!hasSignalProperty(checker, type)) return undefined;
  const parts = typeParts(checker, nonNullableType(checker, type));
  if (parts.some((part) => hasMethod(checker, part, 'abort')) || taskscopePrimitive(checker, type) === 'ErrGroup') return undefined;
  const signals = parts.flatMap((part) => part.getProperty('signal') ?? []);
  const flags = (signal: ts.Symbol): ts.TypeFlags[] => typeParts(checker, checker.getTypeOfSymbol(signal)).map((t) => t.flags);
  return {
    nullable: signals.some((signal) => flags(signal).some((f) => (f & ts.TypeFlags.Null) !== 0)),
    optional:
      signals.length < parts.length ||
      signals.some((signal) => (signal.flags & ts.SymbolFlags.Optional) !== 0 || flags(signal).some((f) => (f & ts.TypeFlags.Undefined) !== 0)),
  };
}

/**
 * Where a call through this signature should receive its caller's signal: {@link signalSlot}, except listener options.
 * `addEventListener(type, listener, { signal })` takes a signal only to remove the listener; a listener is not work
 * that runs on after the caller gives up, and an abort listener on the caller's own signal must not be removed by it.
 *
 * @example callSignalSlot(checker, signatureOf(`fetch(url)`)) // { index: 1, kind: 'options' }
 */
export function callSignalSlot(checker: ts.TypeChecker, signature: ts.Signature): SignalSlot | undefined {
  // Signatures, like types, are one object per declaration (or instantiation) in a program: `fetch`'s is asked about
  // at every `fetch(…)`.
  return callSignalSlots(checker, signature);
}

const callSignalSlots = oncePer(findCallSignalSlot);

function findCallSignalSlot(checker: ts.TypeChecker, signature: ts.Signature): SignalSlot | undefined {
  const slot = signalSlot(checker, signature);
  if (!slot || slot.kind === 'parameter') return slot;
  const parameter = signature.getParameters()[slot.index];
  if (!parameter) return undefined;
  const optionsType = nonNullableType(checker, checker.getTypeOfSymbol(parameter));
  const listenerOptions = typeParts(checker, optionsType).some((part) =>
    (part.getProperty('signal')?.getDeclarations() ?? []).some((declaration) => {
      const owner = declaration.parent;
      return (
        owner.kind === ts.SyntaxKind.InterfaceDeclaration &&
        (owner as ts.InterfaceDeclaration).name.text === 'AddEventListenerOptions' &&
        PLATFORM_FILE.test(owner.getSourceFile().fileName)
      );
    }),
  );
  return listenerOptions ? undefined : slot;
}

/**
 * Whether any signature of a callee (any overload, any union member) can take a signal: the cheap test that comes
 * before resolving which overload a call picks.
 */
export function mayTakeSignal(checker: ts.TypeChecker, calleeType: ts.Type, construct = false): boolean {
  return typeParts(checker, calleeType).some((part) =>
    (construct ? part.getConstructSignatures() : part.getCallSignatures()).some((signature) => callSignalSlot(checker, signature) !== undefined),
  );
}

/**
 * Whether the arguments from `from` up to (not including) `to` may be left out, so a suggestion can pass `undefined`
 * for each of them and put a signal at `to`: every one is an optional parameter (`?`, or with a default).
 *
 * @example canSkipTo(checker, signatureOf(`setTimeout(1000)`), 1, 2) // true: `value?` may be `undefined`
 */
export function canSkipTo(checker: ts.TypeChecker, signature: ts.Signature, from: number, to: number): boolean {
  const parameters = signature.getParameters();
  for (let index = from; index < to; index++) {
    const declaration = parameters[index]?.valueDeclaration;
    if (!declaration || !ts.isParameter(declaration) || declaration.dotDotDotToken || !checker.isOptionalParameter(declaration)) return false;
  }
  return true;
}

/**
 * The index of the AbortSignal parameter a callback is given but does not declare, when it is the next one: an
 * `ErrGroup` task written `async () => …` is still handed the group's signal. `undefined` when the caller passes no
 * signal there, or when the signal would come after other undeclared parameters (a suggestion could not name it
 * without inventing those).
 *
 * @example undeclaredSignalIndex(checker, nodeOf(`group.go(async () => …)`)) // 0
 */
export function undeclaredSignalIndex(checker: ts.TypeChecker, callback: ts.ArrowFunction | ts.FunctionExpression): number | undefined {
  const declared = callback.parameters.length;
  if (callback.parameters.some((parameter) => parameter.dotDotDotToken)) return undefined;
  const contextual = checker.getContextualType(callback);
  if (!contextual) return undefined;
  const signatures = typeParts(checker, nonNullableType(checker, contextual)).flatMap((part) => part.getCallSignatures());
  const given = signatures.some((signature) => {
    const parameter = signature.getParameters()[declared];
    return parameter !== undefined && isAbortSignal(checker, checker.getTypeOfSymbol(parameter));
  });
  return given ? declared : undefined;
}

/**
 * Which platform abort API an identifier names: the global `AbortSignal` (for `AbortSignal.timeout(ms)`,
 * `AbortSignal.any([...])`) or `AbortController`, declared in TypeScript's lib files or @types/node — not a local
 * binding that happens to share the name.
 */
export function platformAbortApi(checker: ts.TypeChecker, identifier: ts.Node): 'AbortSignal' | 'AbortController' | undefined {
  if (!ts.isIdentifier(identifier)) return undefined;
  const name = identifier.text;
  if (name !== 'AbortSignal' && name !== 'AbortController') return undefined;
  return declaredByPlatform(checker.getSymbolAtLocation(identifier)) ? name : undefined;
}

/**
 * Whether every value of this type holds a signal in a required `signal` property (a `Request`, an `ErrGroup`), so
 * passing the value passes that signal along: `fetch(request)` needs no `{ signal }` of its own.
 */
export function holdsSignal(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = typeParts(checker, nonNullableType(checker, type));
  return (
    parts.length > 0 &&
    parts.every((part) => {
      const signal = part.getProperty('signal');
      return signal !== undefined && !(signal.flags & ts.SymbolFlags.Optional) && isAbortSignal(checker, checker.getTypeOfSymbol(signal));
    })
  );
}

/**
 * Whether a callback passed at argument `index` of a callee (or as method `property` of an object literal passed
 * there) may be handed a signal, judged from the callee's declared signatures alone: some parameter of the expected
 * callback type is an AbortSignal, carries one, or is a bare type parameter (a `T` the call may instantiate with a
 * `Job`). A cheap guard: a callback's contextual parameter types make the checker resolve the whole call, generic
 * inference included, while the callee's own type is usually known already.
 *
 * @example callbackMayReceiveSignal(checker, typeOf(`group.go`), 0) // true: `(signal: AbortSignal) => unknown`
 * @example callbackMayReceiveSignal(checker, typeOf(`urls.map`), 0) // false: `(value: string, index: number, …)`
 */
export function callbackMayReceiveSignal(checker: ts.TypeChecker, calleeType: ts.Type, index: number, construct = false, property?: string): boolean {
  const open = (type: ts.Type): boolean => isAnyOrUnknown(type) ? false : isGeneric(type);
  const receives = (type: ts.Type): boolean =>
    typeParts(checker, nonNullableType(checker, type)).some((callback) =>
      callback.getCallSignatures().some((signature) =>
        signature.getParameters().some((parameter) => {
          const parameterType = checker.getTypeOfSymbol(parameter);
          return open(parameterType) || isAbortSignal(checker, parameterType) || signalCarrier(checker, parameterType) !== undefined;
        }),
      ),
    );
  return typeParts(checker, calleeType).some((part) =>
    (construct ? part.getConstructSignatures() : part.getCallSignatures()).some((signature) => {
      const expected = parameterTypeAt(checker, signature, index);
      if (!expected || isAnyOrUnknown(expected)) return false;
      if (open(expected)) return true;
      if (property === undefined) return receives(expected);
      return typeParts(checker, nonNullableType(checker, expected)).some((owner) => {
        const member = owner.getProperty(property);
        return member !== undefined && receives(checker.getTypeOfSymbol(member));
      });
    }),
  );
}

/**
 * Whether no instantiation of a parameter type can be an AbortSignal to {@link isAbortSignal} (which wants every
 * union and intersection part to be one): some part is concrete and not an AbortSignal, and cannot vanish. A union
 * keeps every member it is instantiated with; an intersection may absorb an empty object type (`T & {}`, what
 * `NonNullable<T>` gives), so only members with properties or primitives count there. Type parameters, conditional
 * and other instantiable types, `any` and `unknown` may become anything.
 */
function surelyNotSignal(type: ts.Type): boolean {
  if (type.flags & (ts.TypeFlags.Instantiable | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  if (type.isUnion()) return type.types.some(surelyNotSignal);
  if (type.isIntersection()) {
    return type.types.some((member) => surelyNotSignal(member) && (!(member.flags & ts.TypeFlags.Object) || member.getProperties().length > 0));
  }
  if (type.flags & ts.TypeFlags.Object) return type.getSymbol()?.getName() !== 'AbortSignal';
  return true;
}

/**
 * Whether a callback passed at argument `index` of a callee may be handed an AbortSignal as its parameter at
 * `position` (the one after those it declares), judged from the callee's declared signatures alone: `false` when no
 * signature's callback type has a parameter there that is, or may be instantiated to, an AbortSignal. A cheap guard
 * before {@link undeclaredSignalIndex}, which asks for the callback's contextual type and so resolves the whole call:
 * vitest's `it(name, async () => …)` hands its callback a test context, never a bare signal, and says so in its type.
 *
 * @example mayHandSignalAt(checker, typeOf(`group.go`), 0, 0) // true: `(signal: AbortSignal) => unknown`
 * @example mayHandSignalAt(checker, typeOf(`it`), 1, 0) // false: the callback gets `TestContext & ExtraContext`
 */
export function mayHandSignalAt(checker: ts.TypeChecker, calleeType: ts.Type, index: number, position: number, construct = false): boolean {
  return typeParts(checker, calleeType).some((part) =>
    (construct ? part.getConstructSignatures() : part.getCallSignatures()).some((signature) => {
      const expected = parameterTypeAt(checker, signature, index);
      if (!expected) return false;
      const callbacks = nonNullableType(checker, expected);
      const members = callbacks.isUnion() ? callbacks.types : [callbacks];
      return members.some((callback) => {
        const open = (type: ts.Type): boolean => (type.flags & (ts.TypeFlags.Instantiable | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
        // A type parameter may be instantiated with any callback, alone or in `F & Extra`.
        if (open(callback) || (callback.isIntersection() && callback.types.some(open))) return true;
        return callback.getCallSignatures().some((expectedSignature) => {
          const parameter = expectedSignature.getParameters()[position];
          return parameter !== undefined && !surelyNotSignal(nonNullableType(checker, checker.getTypeOfSymbol(parameter)));
        });
      });
    }),
  );
}

/**
 * Whether a call runs only where a signal is known to be missing: in the branch of a test that finds one missing
 * (`if (!signal) return query(sql);`, `signal ? query(sql, { signal }) : query(sql)`, `signal || query(sql)`), or after a
 * test that left on the other branch (`if (signal) return query(sql, { signal });` then `query(sql)`). A test is on a
 * signal when the value it tests is typed `AbortSignal` (possibly optional): `signal`, `options?.signal`,
 * `typeof signal === 'undefined'`, `signal == null`. There is no signal to pass there, and a deadline of the call's own
 * (`AbortSignal.timeout(ms)`) replaces none. A test outside the call's function counts only when what it tests cannot
 * change before a callback runs (a parameter, or a `const`: `const { signal } = options || {}`), and no function in
 * between takes a signal of its own (a test around it is about another signal). The lint rule and the
 * analyzer ask this alike, so a call the rule leaves alone is no dropped signal in the graph.
 *
 * @example runsWithoutSignal(checker, callOf(`if (!signal) return query(sql);`)) // true
 */
export function runsWithoutSignal(checker: ts.TypeChecker, call: ts.Node): boolean {
  let outside = false;
  for (let child = call, parent = call.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(child)) {
      // a function with a signal of its own: a test around it is about another signal
      if (child.parameters.some((parameter) => receivesSignal(checker, checker.getTypeAtLocation(parameter)))) return false;
      outside = true;
    }
    if (ts.isIfStatement(parent) || ts.isConditionalExpression(parent)) {
      const [test, whenTrue, whenFalse] = ts.isIfStatement(parent)
        ? [parent.expression, parent.thenStatement, parent.elseStatement]
        : [parent.condition, parent.whenTrue, parent.whenFalse];
      if (child === whenTrue && impliesMissing(checker, test, true, outside)) return true;
      if (child === whenFalse && impliesMissing(checker, test, false, outside)) return true;
    } else if (ts.isBinaryExpression(parent) && child === parent.right) {
      const operator = parent.operatorToken.kind;
      if (operator === ts.SyntaxKind.BarBarToken && impliesMissing(checker, parent.left, false, outside)) return true;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken && impliesMissing(checker, parent.left, true, outside)) return true;
    } else if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseOrDefaultClause(parent)) {
      for (const statement of parent.statements) {
        if (statement === child) break;
        if (ts.isIfStatement(statement) && leavesBlock(statement.thenStatement) && impliesMissing(checker, statement.expression, false, outside)) return true;
      }
    }
  }
  return false;
}

/** Whether a parameter of this type hands a function a signal: an `AbortSignal`, or an object with a `signal`. */
function receivesSignal(checker: ts.TypeChecker, type: ts.Type): boolean {
  return isAbortSignal(checker, type) || hasSignalProperty(checker, type);
}

/**
 * Whether `test` being truthy (`truthy`), or falsy, means a signal is missing. `stable`: only a test of a parameter or
 * a `const` counts (the call runs in a callback, maybe after the tested value changed).
 */
function impliesMissing(checker: ts.TypeChecker, expression: ts.Expression, truthy: boolean, stable: boolean): boolean {
  const test = skipOuter(expression);
  if (ts.isPrefixUnaryExpression(test)) return test.operator === ts.SyntaxKind.ExclamationToken && impliesMissing(checker, test.operand, !truthy, stable);
  const isSignal = (value: ts.Expression): boolean => (!stable || isStableBinding(checker, value)) && isAbortSignal(checker, checker.getTypeAtLocation(value));
  if (ts.isBinaryExpression(test)) {
    const operator = test.operatorToken.kind;
    // a && b is truthy when both are and falsy when either is; a || b the other way round
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
      return (operator === ts.SyntaxKind.AmpersandAmpersandToken) === truthy
        ? impliesMissing(checker, test.left, truthy, stable) || impliesMissing(checker, test.right, truthy, stable)
        : impliesMissing(checker, test.left, truthy, stable) && impliesMissing(checker, test.right, truthy, stable);
    }
    // signal == null, signal === undefined, typeof signal === 'undefined', and their negations
    const missing = operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsEqualsToken;
    if (!missing && operator !== ts.SyntaxKind.ExclamationEqualsToken && operator !== ts.SyntaxKind.ExclamationEqualsEqualsToken) return false;
    const compared = nullishComparison(test.left, test.right) ?? nullishComparison(test.right, test.left);
    return compared !== undefined && missing === truthy && isSignal(compared);
  }
  // signal, options?.signal: falsy means missing
  return !truthy && (ts.isIdentifier(test) || ts.isPropertyAccessExpression(test)) && isSignal(test);
}

/** Whether an expression names a parameter or a `const` (destructured or not), whose value no later code changes. */
function isStableBinding(checker: ts.TypeChecker, expression: ts.Expression): boolean {
  if (!ts.isIdentifier(expression)) return false;
  let declaration: ts.Node | undefined = checker.getSymbolAtLocation(expression)?.valueDeclaration;
  while (declaration && (ts.isBindingElement(declaration) || ts.isObjectBindingPattern(declaration) || ts.isArrayBindingPattern(declaration))) declaration = declaration.parent;
  if (!declaration) return false;
  if (ts.isParameter(declaration)) return true;
  return ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** `value` in `value == null`, `value === undefined` or `typeof value === 'undefined'`, with `other` the other side. */
function nullishComparison(value: ts.Expression, other: ts.Expression): ts.Expression | undefined {
  const right = skipOuter(other);
  const left = skipOuter(value);
  if (right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(right) && right.text === 'undefined')) return left;
  if (ts.isTypeOfExpression(left) && ts.isStringLiteralLike(right) && right.text === 'undefined') return left.expression;
  return undefined;
}

/** Whether a branch always leaves the block it is in: `return`, `throw`, `break` or `continue`, last in it. */
function leavesBlock(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isBreakOrContinueStatement(last));
}
