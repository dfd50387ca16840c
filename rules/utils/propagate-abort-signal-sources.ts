/**
 * Where the caller's signal comes from in each function, for `propagate-abort-signal`: a parameter typed
 * `AbortSignal`, a parameter whose type carries a `signal`, the signal an ErrGroup hands its task (declared or not),
 * or a closure's. Asked per function and kept for the file; the callee's declared type is asked before a callback's
 * parameters are typed, which would resolve the whole call it is passed to.
 */
import ts from './typescript.cjs';
import { isAbortSignal, nonNullableType, parameterTypeAt } from '../facts.js';
import { ambientContextOf, type AmbientContext } from '../facts/ambient.js';
import { declaredPropertyType, declaredValueType, memberReadConstant } from '../facts/declared-types.js';
import { callbackMayReceiveSignal, mayHandSignalAt, signalCarrier, undeclaredSignalIndex } from '../facts/signals.js';
import { enclosingFunction, isMethodLike, type FunctionNode } from '../native/functions.js';
import { globalCalleeType } from '../native/global-values.js';
import type { TextEdit } from '../native/rule.js';
import { isFunctionExpression, parentOf, skipParentheses } from '../native/syntax.js';
import { declaredParameterType, expectedCallbackSignature, type ExpectedCallback } from './call-signature.js';
import { cannotHoldSignal, namesGlobalSignal } from './propagate-abort-signal-annotations.js';
import { declaredSymbol, type BindingSet } from './propagate-abort-signal-bindings.js';
import { declareDestructured, declareParameter } from './propagate-abort-signal-fixes.js';
import type { Listeners } from './propagate-abort-signal-listeners.js';
import { argumentIndex, isCallOrNew } from './propagate-abort-signal-syntax.js';

/** The caller's signal as one function sees it. */
export interface Source {
  /** What to pass: `signal`, `req.signal`, `init?.signal ?? undefined`. */
  text: string;
  /** What messages call it: `signal`, `req.signal`. */
  name: string;
  /** The signal may be `undefined` at run time (`signal?: AbortSignal`), so it cannot go into `AbortSignal.any`. */
  optional?: boolean;
  /** The binding `text` starts with; a suggestion is offered only where the call site sees this same binding. */
  variable?: ts.Symbol;
  /**
   * For a signal the function is given but does not name (`group.go(async () => …)`): the edits that name it, made
   * when a suggestion needs them; `undefined` when the parameter list cannot be found.
   */
  declare?: () => TextEdit[] | undefined;
  /** The function `declare` changes. */
  owner?: FunctionNode;
  /** The signal comes from a parameter of this ambient context's type (`config: RunnableConfig`). */
  ambient?: AmbientContext;
}

/**
 * The type of a parameter written `signal: AbortSignal` (`plain`) and `signal?: AbortSignal` (`optional`) where the name
 * is the global one (see {@link namesGlobalSignal}), per program: learnt from the first such parameter the checker
 * types, then reused. Why: typing a parameter resolves its written type afresh each time, and nearly every function
 * of an async code base has one of these two.
 */
const GLOBAL_SIGNAL_TYPES = new WeakMap<ts.TypeChecker, { plain?: ts.Type; optional?: ts.Type }>();

function globalSignalTypes(checker: ts.TypeChecker): { plain?: ts.Type; optional?: ts.Type } {
  let known = GLOBAL_SIGNAL_TYPES.get(checker);
  if (!known) GLOBAL_SIGNAL_TYPES.set(checker, (known = {}));
  return known;
}

// Answers per type, which is one object per program; the options' ambient contexts are one array per configuration.
const AMBIENT = new WeakMap<readonly AmbientContext[], WeakMap<ts.Type, { readonly ambient: AmbientContext | undefined }>>();
const NULLABLE = new WeakMap<ts.Type, boolean>();

/** A parameter's modifiers (`private`, `readonly`): ESTree's parameter property. Decorators are no modifiers. */
const hasModifiers = (parameter: ts.ParameterDeclaration): boolean => (ts.getModifiers(parameter)?.length ?? 0) > 0;

/** A parameter written as a plain name, without a type, a default or `?`: its type is the one its context gives. */
function isBareParameter(parameter: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(parameter.name) && !parameter.questionToken && !parameter.type && !parameter.initializer && !parameter.dotDotDotToken && !hasModifiers(parameter);
}
const hasThisParameter = (fn: FunctionNode): boolean => {
  const first = fn.parameters[0];
  return first !== undefined && ts.isIdentifier(first.name) && first.name.text === 'this';
};

/** What finding a function's signal needs from the rule. */
export interface SourcesContext {
  readonly checker: ts.TypeChecker;
  readonly file: ts.SourceFile;
  /** Filled with each signal parameter found (`signal: AbortSignal`, destructured `{ signal }`), for provenance. */
  readonly signals: BindingSet;
  /** Filled with each parameter found to carry a signal (`req: Request`, `options: { signal? }`), for provenance. */
  readonly carriers: BindingSet;
  /** Abort listeners: inside one, an enclosing function's signal is not used, as it is already aborted there. */
  readonly listeners: Listeners;
  /** The option `ambientContexts`: a parameter of one of these types marks its signal {@link Source.ambient}. */
  readonly ambientContexts: readonly AmbientContext[];
}

/** Where the signals of one file's functions come from. */
export interface Sources {
  /** The nearest signal in scope of a node (its own function's, or a closure's); `undefined` when none is. */
  readonly sourceFor: (node: ts.Node) => Source | undefined;
  /** A callee's type from declarations alone; `undefined` when the checker must answer. */
  readonly declaredCalleeType: (callee: ts.Expression) => ts.Type | undefined;
}

/**
 * Finds the caller's signal of each function in one file, registering its bindings in `signals` and `carriers` as it
 * goes. Answers are kept per function, so each is computed once per file.
 */
export function createSources(context: SourcesContext): Sources {
  const { checker, file, signals, carriers, listeners, ambientContexts } = context;
  const typeOf = (node: ts.Node): ts.Type => checker.getTypeAtLocation(node);

  const sources = new Map<FunctionNode, Source | null>();

  /**
   * The signal a parameter brings, registering its bindings for provenance. `expected`: the callback's contextual
   * signature when the callee's declared type alone gives it, so a plain `(signal) =>` is typed without resolving
   * the call it is passed to.
   */
  function parameterSource(fn: FunctionNode, parameter: ts.ParameterDeclaration, position: number, contextual: boolean, expected?: ExpectedCallback): Source | undefined {
    const annotation = parameter.type;
    if (annotation ? cannotHoldSignal(annotation) : !contextual) return undefined;
    const name = parameter.name;
    // (...rest), ([first, second]): no signal, whatever their type
    if (parameter.dotDotDotToken || ts.isArrayBindingPattern(name)) return undefined;
    // group.go((signal) => …) — a bare parameter has exactly the type the expected callback gives that position,
    // unless a generic callee's inference decides it (`item` in `goEach(items, (item, signal) => …)`)
    const declared = expected && isBareParameter(parameter) ? parameterTypeAt(checker, expected.signature, position) ?? null : undefined;
    if (declared === null) return undefined;
    // (signal?: AbortSignal) — the global AbortSignal, written the same way, is the same type at every parameter
    // (also with a default, but only on a parameter property, as the ESTree rule had it)
    const shape = annotation && ts.isIdentifier(name) && !(parameter.initializer && !hasModifiers(parameter)) &&
      namesGlobalSignal(checker, file, fn, annotation) ? (parameter.questionToken ? 'optional' : 'plain') : undefined;
    const type = (shape && globalSignalTypes(checker)[shape]) ?? (declared && expected && declaredParameterType(checker, expected, declared)) ?? typeOf(name);
    if (shape) globalSignalTypes(checker)[shape] = type;
    // (signal: AbortSignal), (signal?: AbortSignal), group.go(async (signal) => …)
    if (ts.isIdentifier(name)) {
      // `this` is no variable
      const variable = name.text === 'this' ? undefined : declaredSymbol(checker, name);
      if (!variable) return undefined;
      if (isAbortSignal(checker, type)) {
        signals.add(variable, name);
        return { text: name.text, name: name.text, variable, optional: isNullable(type) };
      }
      const carrier = signalCarrier(checker, type);
      if (!carrier) return undefined;
      carriers.add(variable, name);
      const optional = isNullable(type);
      const access = `${name.text}${optional ? '?.' : '.'}signal`;
      return { text: carrier.nullable ? `${access} ?? undefined` : access, name: `${name.text}.signal`, variable, optional: optional || carrier.optional, ...ambientOf(type) };
    }
    // ({ url, signal }: Job), ({ url, ...rest }: Job), ({ url }: Job)
    const carrier = signalCarrier(checker, type);
    if (!carrier) return undefined;
    const nullish = carrier.nullable ? ' ?? undefined' : '';
    const ambient = ambientOf(type);
    for (const element of name.elements) {
      if (element.dotDotDotToken) {
        if (!ts.isIdentifier(element.name)) return undefined;
        const variable = checker.getSymbolAtLocation(element.name);
        if (variable) carriers.add(variable, element.name);
        return { text: `${element.name.text}.signal${nullish}`, name: `${element.name.text}.signal`, variable, optional: carrier.optional, ...ambient };
      }
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key) || key.text !== 'signal') continue;
      if (!ts.isIdentifier(element.name)) return undefined;
      const variable = checker.getSymbolAtLocation(element.name);
      if (variable) signals.add(variable, element.name);
      return { text: `${element.name.text}${nullish}`, name: element.name.text, variable, optional: carrier.optional, ...ambient };
    }
    return { text: `signal${nullish}`, name: 'signal', declare: () => declareDestructured(file, name), owner: fn, optional: carrier.optional, ...ambient };
  }

  /** The callee's type from its declarations when they give it (see {@link declaredCalleeType}), else the checker's. */
  function calleeTypeOf(call: ts.CallExpression | ts.NewExpression): ts.Type {
    const callee = skipParentheses(call.expression);
    return declaredCalleeType(callee) ?? typeOf(callee);
  }

  /** `createRule({ create(context) {…} })`: what the callee's type says about a method of an object argument. */
  function methodMayReceiveSignal(fn: FunctionNode): boolean {
    // a method, an accessor, or a function as a property's value; a class member is no property
    const property = isMethodLike(fn) ? fn : parentOf(fn);
    if (!property || !(ts.isPropertyAssignment(property) || ts.isMethodDeclaration(property) || ts.isGetAccessor(property) || ts.isSetAccessor(property))) return true;
    if (!ts.isIdentifier(property.name)) return true;
    const object = property.parent;
    const call = ts.isObjectLiteralExpression(object) ? parentOf(object) : undefined;
    if (!call || !isCallOrNew(call)) return true;
    return callbackMayReceiveSignal(checker, calleeTypeOf(call), argumentIndex(call, object), ts.isNewExpression(call), property.name.text);
  }

  /** `{ ambient }` when a signal-carrying parameter of this type is an ambient context (`config: RunnableConfig`). */
  function ambientOf(type: ts.Type): { ambient?: AmbientContext } {
    if (ambientContexts.length === 0) return {};
    let byType = AMBIENT.get(ambientContexts);
    if (!byType) AMBIENT.set(ambientContexts, (byType = new WeakMap()));
    let known = byType.get(type);
    if (!known) byType.set(type, (known = { ambient: ambientContextOf(checker, type, ambientContexts) }));
    return known.ambient ? { ambient: known.ambient } : {};
  }

  /** Whether a parameter's type admits `undefined` or `null` (`signal?: AbortSignal`), once per type. */
  function isNullable(type: ts.Type): boolean {
    let known = NULLABLE.get(type);
    if (known === undefined) NULLABLE.set(type, (known = nonNullableType(checker, type) !== type));
    return known;
  }

  /** The signal a function has, computed once per function. */
  function sourceOf(fn: FunctionNode): Source | null {
    const known = sources.get(fn);
    if (known !== undefined) return known;
    // A callback's unannotated parameters are typed by the call it is passed to: ask the callee's declared type
    // whether that can be a signal before asking for the parameters' types, which resolves the whole call.
    const parent = parentOf(fn);
    const call = parent && isCallOrNew(parent) ? parent : undefined;
    const index = call ? argumentIndex(call, fn) : -1;
    const calleeType = call && index !== -1 ? calleeTypeOf(call) : undefined;
    const contextual = call && calleeType ? callbackMayReceiveSignal(checker, calleeType, index, ts.isNewExpression(call)) : methodMayReceiveSignal(fn);
    // A `this` parameter shifts the positions between the callback and its expected signature: resolve those.
    const expected = call && calleeType && contextual && !hasThisParameter(fn) ? expectedCallbackSignature(checker, call, calleeType, index, fn.parameters.length) : undefined;
    // group.goEach(jobs, (job, signal) => …) — `signal`'s type is the one goEach declares, while `job`'s is inferred
    // from `jobs`, which resolves the whole call (its callback's body typed too). A parameter the callee types is
    // asked first, and one that inference types only when none of those is a signal: a task's own signal is its
    // source even when its item carries a signal as well.
    const inferred = (parameter: ts.ParameterDeclaration, position: number): boolean => {
      if (!expected?.generic || !isBareParameter(parameter)) return false;
      const declared = parameterTypeAt(checker, expected.signature, position);
      return declared !== undefined && declaredParameterType(checker, expected, declared) === undefined;
    };
    let found: Source | null = null;
    for (const [position, parameter] of fn.parameters.entries()) {
      if (!inferred(parameter, position)) found = found ?? parameterSource(fn, parameter, position, contextual, expected) ?? null;
    }
    for (const [position, parameter] of fn.parameters.entries()) {
      if (inferred(parameter, position)) found = found ?? parameterSource(fn, parameter, position, contextual, expected) ?? null;
    }
    // group.go(async () => …) — the group hands the task a signal it does not declare
    if (!found && isFunctionExpression(fn) && call && calleeType && index !== -1 && contextual && undeclaredSignal(fn, call, calleeType, index, expected)) {
      found = { text: 'signal', name: 'signal', declare: () => declareParameter(file, fn), owner: fn };
    }
    sources.set(fn, found);
    return found;
  }

  /**
   * {@link undeclaredSignalIndex}, answered from the expected callback signature when the callee's type gives it,
   * and ruled out by the callee's declared signatures (`it(name, async () => …)`) before the call is resolved.
   */
  function undeclaredSignal(
    fn: ts.ArrowFunction | ts.FunctionExpression,
    call: ts.CallExpression | ts.NewExpression,
    calleeType: ts.Type,
    index: number,
    expected: ExpectedCallback | undefined,
  ): boolean {
    const parameter = expected?.signature.getParameters()[fn.parameters.length];
    const declared = expected && parameter && declaredParameterType(checker, expected, checker.getTypeOfSymbol(parameter));
    if (!expected || (parameter && !declared)) {
      if (!mayHandSignalAt(checker, calleeType, index, fn.parameters.length, ts.isNewExpression(call))) return false;
      return undeclaredSignalIndex(checker, fn) !== undefined;
    }
    if (fn.parameters.some((each) => each.dotDotDotToken)) return false;
    return declared !== undefined && isAbortSignal(checker, declared);
  }

  // Every call in a function has the same answer: computed once per function, not walked up again per call.
  const within = new Map<FunctionNode, Source | undefined>();

  /**
   * The nearest signal in scope of the nodes directly inside `fn`: its own, or the nearest closure's, stopping at
   * abort listeners: the caller's signal is already aborted there, so passing it would cancel the clean-up at once.
   */
  function sourceWithin(fn: FunctionNode): Source | undefined {
    if (within.has(fn)) return within.get(fn);
    let found = sourceOf(fn) ?? undefined;
    if (!found && listeners.abortRegistrations(fn).length === 0) {
      const outer = enclosingFunction(fn);
      if (outer) found = sourceWithin(outer);
    }
    within.set(fn, found);
    return found;
  }

  /**
   * The type of a method callee from declarations alone (see {@link declaredValueType}): a `const` receiver counts
   * when every read of it is `receiver.member`, so no guard narrows it. `undefined` when the checker must answer.
   */
  function declaredCalleeType(callee: ts.Expression): ts.Type | undefined {
    // Promise.all(tasks), JSON.stringify(body), new URL(text): a global's declared type, learnt once per program
    const global = globalCalleeType(checker, file, callee);
    if (global) return global;
    if (!ts.isPropertyAccessExpression(callee) || callee.flags & ts.NodeFlags.OptionalChain) return undefined;
    // `fetch` in `const response = await fetch(url, init)`: a global's declared type, for declaredValueType
    const receiver = declaredValueType(checker, callee.expression, (id) => memberReadConstant(checker, id), 0, (node) => globalCalleeType(checker, file, node));
    return receiver && declaredPropertyType(checker, receiver, callee.name);
  }

  /** The nearest signal in scope of a node (its own function's, or a closure's): see {@link sourceWithin}. */
  function sourceFor(node: ts.Node): Source | undefined {
    const fn = enclosingFunction(node);
    return fn && sourceWithin(fn);
  }

  return { sourceFor, declaredCalleeType };
}
