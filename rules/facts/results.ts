/**
 * Facts about `Result` values that `rules/facts.ts` does not cover: which calls may give one, which thenables settle to
 * one, and which can be unwrapped. What a Result is stays decided by `taskscopePrimitive` (by declaration, or by shape:
 * callable `isOk()` and `isErr()`), so the rules and the analyzer keep one definition.
 *
 * Like `rules/facts.ts`, this speaks plain TypeScript compiler objects only (no typescript-eslint, no ts-morph).
 */
import ts from '../utils/typescript.cjs';
import { isBuiltinPromise, isGeneric, isThenable, nonNullableType, taskscopePrimitive, typeParts } from '../facts.js';
import { awaitedType } from './declared-types.js';

/**
 * Whether a value of this type is a Result: ours, neverthrow's or any `isOk()`/`isErr()` union, also when it may be
 * `null` or `undefined` (`repo?.save(user)` gives `Result<User, DbError> | undefined`).
 *
 * @example isResultValued(checker, typeOf(`parsePort(text)`)) // true
 */
export function isResultValued(checker: ts.TypeChecker, type: ts.Type): boolean {
  return taskscopePrimitive(checker, type) === 'Result';
}

/**
 * Whether a type is a thenable other than a `Promise` that settles to a Result, such as neverthrow's `ResultAsync`.
 * Such a value never rejects (its failure is the `Err` inside), so no promise rule sees it dropped; a `Promise` of a
 * Result is left out on purpose, because dropping one is a floating promise first.
 *
 * @example isResultThenable(checker, typeOf(`sendWelcome(user)`)) // true for a ResultAsync<void, MailError>
 */
export function isResultThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = typeParts(checker, nonNullableType(checker, type));
  // The cheap test first: a builtin `Promise` is settled by its declaration, without instantiating its `then`.
  if (!parts.some((part) => !isBuiltinPromise(checker, part) && isThenable(checker, part))) return false;
  const settled = awaitedType(checker, type);
  return settled !== undefined && settled !== type && isResultValued(checker, settled);
}

/**
 * Whether calling something of this type may give a Result (or, with `awaited`, a promise or thenable of one), judged
 * from its declared signatures alone: a Result return type, or a generic one (`this`, `T`) that the call may
 * instantiate with a Result. A cheap filter before asking for a call's own type, which means resolving the call.
 * A callee typed `any` has no signatures and gives `false`: an `any` value is never known to be a Result.
 *
 * @example mayReturnResult(checker, typeOf(`repo.save`), true) // true for (user: User) => Promise<Result<User, DbError>>
 */
export function mayReturnResult(checker: ts.TypeChecker, calleeType: ts.Type, awaited = false): boolean {
  // Types are interned per checker: `console.log`, `expect` and the like are asked about at every call statement.
  let answers = MAY_RETURN_RESULT.get(calleeType);
  const known = answers?.[awaited ? 1 : 0];
  if (known !== undefined) return known;
  const answer = typeParts(checker, calleeType).some((part) =>
    part.getCallSignatures().some((signature) => {
      const returned = signature.getReturnType();
      if (isGeneric(returned, checker) || isResultValued(checker, returned) || isResultThenable(checker, returned)) return true;
      if (!awaited) return false;
      const settled = awaitedType(checker, returned);
      return settled !== undefined && (isGeneric(settled, checker) || isResultValued(checker, settled));
    }),
  );
  if (!answers) MAY_RETURN_RESULT.set(calleeType, (answers = [undefined, undefined]));
  answers[awaited ? 1 : 0] = answer;
  return answer;
}

/** {@link mayReturnResult} per callee type: `[plain, awaited]`. */
const MAY_RETURN_RESULT = new WeakMap<ts.Type, [boolean | undefined, boolean | undefined]>();

/**
 * Whether a function type returns a Result, or a promise or thenable of one, from some call signature: the callback
 * given to `retry(() => parsePort(text))` or to `.then((saved) => saved.map(f))`.
 */
export function returnsResult(checker: ts.TypeChecker, type: ts.Type): boolean {
  return typeParts(checker, type).some((part) =>
    part.getCallSignatures().some((signature) => {
      const returned = signature.getReturnType();
      if (isResultValued(checker, returned) || isResultThenable(checker, returned)) return true;
      const settled = awaitedType(checker, returned);
      return settled !== undefined && settled !== returned && isResultValued(checker, settled);
    }),
  );
}

/**
 * Whether a resolved call signature makes a new Result by its declaration: the declared return type is a Result, a
 * thenable of one or (with `awaited`) a promise of one, before any type argument is filled in. `false` for a return
 * type that is a Result only through a type parameter: `Object.defineProperty<T>(o: T): T` or a Vitest matcher's
 * `toBeOk(): T` give back a Result that already existed. A signature with no declaration counts as declaring one.
 *
 * @example declaresResult(checker, resolved(`Result.all(checks)`)) // true
 * @example declaresResult(checker, resolved(`cache.get(key)`)) // false for a Map<string, Result<…>>
 */
export function declaresResult(checker: ts.TypeChecker, signature: ts.Signature, awaited = false): boolean {
  const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (!declaration) return true;
  const returned = checker.getSignatureFromDeclaration(declaration)?.getReturnType();
  if (!returned) return true;
  if (isResultValued(checker, returned) || isResultThenable(checker, returned)) return true;
  const settled = awaited ? awaitedType(checker, returned) : undefined;
  return settled !== undefined && settled !== returned && isResultValued(checker, settled);
}

/**
 * Whether every member of a type has an `unwrap()` callable with no arguments (taskscope's `Result` has; neverthrow's
 * has only `_unsafeUnwrap()`), so appending `.unwrap()` type-checks. A type that may be `null` or `undefined` has not.
 *
 * @example canUnwrap(checker, typeOf(`parsePort(text)`)) // true for taskscope's Result
 */
export function canUnwrap(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (nonNullableType(checker, type) !== type) return false;
  const parts = typeParts(checker, type);
  return (
    parts.length > 0 &&
    parts.every((part) => {
      const unwrap = part.getProperty('unwrap');
      return unwrap !== undefined && checker.getTypeOfSymbol(unwrap).getCallSignatures().some((s) => s.getParameters().length === 0);
    })
  );
}

/**
 * The types of a Result's errors: the `error` property of each variant that has one (taskscope's and neverthrow's
 * `Err`), through a thenable that settles to a Result (`ResultAsync`). `undefined` when no variant shows one (an `Ok`
 * alone, or a Result that spells its error otherwise, such as ts-results' `val`): nothing is then known of its errors.
 *
 * @example resultErrorTypes(checker, typeOf(`notifyAdmins(form)`)) // [never] for a ResultAsync<true, never>
 */
export function resultErrorTypes(checker: ts.TypeChecker, type: ts.Type): ts.Type[] | undefined {
  const settled = isResultValued(checker, type) ? type : awaitedType(checker, type);
  if (settled === undefined) return undefined;
  const errors: ts.Type[] = [];
  for (const part of typeParts(checker, nonNullableType(checker, settled))) {
    const error = part.getProperty('error');
    if (error !== undefined) errors.push(checker.getTypeOfSymbol(error));
  }
  return errors.length > 0 ? errors : undefined;
}

const NO_ERROR = ts.TypeFlags.Never;
const EMPTY_ERROR = ts.TypeFlags.Never | ts.TypeFlags.Void | ts.TypeFlags.Undefined;

/**
 * Whether a Result cannot be an `Err`: every error it shows is typed `never` (`ResultAsync<true, never>`, what
 * `.orElse(() => okAsync(undefined))` gives). Dropping one loses nothing.
 *
 * @example cannotFail(checker, typeOf(`notifyAdmins(form)`)) // true for a ResultAsync<true, never>
 */
export function cannotFail(checker: ts.TypeChecker, type: ts.Type): boolean {
  return resultErrorTypes(checker, type)?.every((error) => (error.flags & NO_ERROR) !== 0) ?? false;
}

/**
 * Whether every error a Result shows carries nothing: typed `never`, `void` or `undefined`. Alone this proves nothing
 * (`err()` is an `Err<never, void>`, a failure without a payload); see where `no-ignored-result` uses it.
 *
 * @example carriesNoError(checker, typeOf(`parsed.mapErr((error) => log(error))`)) // true: a Result<User, void>
 */
export function carriesNoError(checker: ts.TypeChecker, type: ts.Type): boolean {
  return resultErrorTypes(checker, type)?.every(isEmptyError) ?? false;
}

/** Whether an error type carries nothing: `never`, `void` or `undefined`. @example isEmptyError(voidType) // true */
export function isEmptyError(error: ts.Type): boolean {
  return (error.flags & EMPTY_ERROR) !== 0;
}
