import { typeOrValueSpecifiersSchema, valueMatchesSomeSpecifier, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import ts from './utils/typescript.cjs';
import { hasSignalProperty, isAbortSignal, isAnyOrUnknown, nonNullableType, typeParts, type SignalSlot } from './facts.js';
import { DEFAULT_AMBIENT_CONTEXTS, readsAmbientContext, type AmbientContext } from './facts/ambient.js';
import { isDeclaredWhere, PLATFORM } from './facts/close.js';
import { callSignalSlot, canSkipTo, mayTakeSignal, runsWithoutSignal } from './facts/signals.js';
import { fileIndex } from './native/file-index.js';
import { functionStart, isFunctionWithBody, type FunctionNode } from './native/functions.js';
import { createNativeRule, type NativeSuggestion, type TextEdit } from './native/rule.js';
import { argumentsOf, calleeNameOf, isPropertyName, parentOf, skipParentheses, textOf } from './native/syntax.js';
import { callSignature } from './utils/call-signature.js';
import { addProperty, appendArguments, isSpreadable, signalProperty } from './utils/propagate-abort-signal-fixes.js';
import { createListeners } from './utils/propagate-abort-signal-listeners.js';
import { createCarries, createPassesOnlyCallersSignal, createProvenance } from './utils/propagate-abort-signal-provenance.js';
import { BindingSet, createResolver, fileDeclarations, isConst, variableDeclarationOf } from './utils/propagate-abort-signal-bindings.js';
import { createSources, type Source } from './utils/propagate-abort-signal-sources.js';
import { isCallOrNew, isSignalKey, namesSignal, propertyValue } from './utils/propagate-abort-signal-syntax.js';

/** Options of `propagate-abort-signal`. */
export interface PropagateAbortSignalOptions {
  /** Functions that may be called without the caller's signal (a best-effort audit log, a cleanup call). @default [] */
  allowForKnownSafeCalls?: TypeOrValueSpecifier[];
  /**
   * Also report a signal a function receives but only ever passes to `removeEventListener`: nothing listens to it, so
   * an abort is ignored. Off by default: new in this version, and rare. @default false
   */
  reportUnobservedSignals?: boolean;
  /**
   * Run contexts a library keeps in AsyncLocalStorage and reads back, signal included, when a call leaves them out:
   * a function handed one (a graph node or tool given LangChain's `RunnableConfig`) may call that library's readers
   * without passing its signal. Each entry names the context's types and where its readers are declared; setting the
   * option replaces the default. @default [LangChain's `RunnableConfig`, read by `@langchain/core`, `@langchain/langgraph` and `@langchain/openai`]
   */
  ambientContexts?: AmbientContext[];
}

type MessageIds = 'missingSignal' | 'unobservedSignal' | 'missingSignalProperty' | 'detachedSignal' | 'passSignal' | 'addSignalProperty' | 'combineSignals';

// Types of values that hold no work: a property of one of these types read off a new object is all that is used of it.
const PLAIN_VALUES =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike |
  ts.TypeFlags.Null | ts.TypeFlags.Undefined;

/**
 * The node an unobserved parameter is reported at: the name, as ESTree has it. A parameter's name there spans its
 * `?` and its written type (`signal?: AbortSignal`), which TypeScript's parameter node spans too when nothing comes
 * before the name; after a modifier or a decorator (`private signal: AbortSignal`) no node of TypeScript's has that
 * range, so one is made for the report. Rejected: reporting the bare name, which would move the report's end.
 */
function reportedName(file: ts.SourceFile, name: ts.Identifier): ts.Node {
  const parameter = name.parent;
  if (!ts.isParameter(parameter) || parameter.dotDotDotToken) return name;
  if (!parameter.modifiers?.length) return parameter;
  const end = parameter.type?.end ?? parameter.questionToken?.end ?? name.end;
  return ts.setTextRange(ts.factory.createIdentifier(name.text), { pos: name.getStart(file), end });
}

/**
 * `propagate-abort-signal`: a caller's AbortSignal must reach every call that can take one, as Go passes a `ctx`
 * down; a signal made here instead (`AbortSignal.timeout(ms)`, an unlinked controller) is reported too. See
 * `docs/rules/propagate-abort-signal.md`.
 *
 * @example
 * // eslint.config.mjs
 * rules: { 'taskscope/propagate-abort-signal': ['error', { allowForKnownSafeCalls: [{ from: 'file', name: 'audit' }] }] }
 */
export default createNativeRule<[PropagateAbortSignalOptions], MessageIds>({
  name: 'propagate-abort-signal',
  meta: {
    type: 'suggestion',
    docs: {
      description: "Require a caller's AbortSignal to reach every call that can take one, as Go passes a `ctx` down.",
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      missingSignal: '`{{callee}}` can be cancelled but is not given `{{signal}}`, so it runs on after the caller gives up. Pass `{{signal}}` to it.',
      missingSignalProperty:
        'Options for `{{callee}}` leave out `signal`, so it runs on after the caller gives up. Add `signal: {{signal}}`.',
      detachedSignal:
        '`{{expression}}` is not linked to `{{signal}}`, so `{{callee}}` runs on after the caller gives up. Combine them with `AbortSignal.any([{{signal}}, …])`.',
      unobservedSignal:
        '`{{signal}}` is only ever passed to `removeEventListener`, so nothing stops when it aborts. Add the `abort` listener that this removal expects.',
      passSignal: 'Pass `{{signal}}`.',
      addSignalProperty: 'Add `signal: {{signal}}`.',
      combineSignals: 'Use `AbortSignal.any([{{signal}}, {{expression}}])`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowForKnownSafeCalls: { ...typeOrValueSpecifiersSchema, description: "Functions that may be called without the caller's signal." },
          reportUnobservedSignals: { type: 'boolean', description: 'Also report a received signal that is only ever passed to `removeEventListener`.' },
          ambientContexts: {
            type: 'array',
            description: 'Run contexts a library keeps in AsyncLocalStorage and reads back when a call leaves them out.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['types', 'readers'],
              properties: {
                types: { ...typeOrValueSpecifiersSchema, description: "The context's types (a type extending one counts too)." },
                readers: {
                  type: 'array',
                  description: 'Where the functions that read the context back from AsyncLocalStorage are declared.',
                  items: {
                    oneOf: [
                      { type: 'object', additionalProperties: false, required: ['from', 'package'], properties: { from: { type: 'string', enum: ['package'] }, package: { type: 'string' } } },
                      { type: 'object', additionalProperties: false, required: ['from'], properties: { from: { type: 'string', enum: ['file'] }, path: { type: 'string' } } },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
  defaultOptions: [{ allowForKnownSafeCalls: [], reportUnobservedSignals: false, ambientContexts: [...DEFAULT_AMBIENT_CONTEXTS] }],
  check({ file, program, checker, options: [options], report }) {
    const safeCalls = options.allowForKnownSafeCalls ?? [];
    const ambientContexts = options.ambientContexts ?? DEFAULT_AMBIENT_CONTEXTS;
    const typeOf = (node: ts.Node): ts.Type => checker.getTypeAtLocation(node);
    const signals = new BindingSet();
    const carriers = new BindingSet();
    const resolve = createResolver(checker, file);
    const listeners = createListeners(checker, file, resolve);
    const provenance = createProvenance({ checker, file, resolve, listeners, signals, carriers });
    const carries = createCarries({ checker, file, resolve, signals, carriers }, provenance);
    const passesOnlyCallersSignal = createPassesOnlyCallersSignal({ checker, file, resolve, signals, carriers }, provenance);
    const isCallersSignal = (target: ts.Node): boolean => provenance(target) === 'derived';
    const { sourceFor, declaredCalleeType } = createSources({ checker, file, signals, carriers, listeners, ambientContexts });

    /**
     * Whether a call inside an ambient context's run leaves the signal to the context: the callee is one of the
     * context's readers (`dispatchCustomEvent(name, payload)`, `model.stream(messages, { configurable })`), which take
     * the caller's config, signal included, from AsyncLocalStorage when the argument in the signal slot is left out or
     * does not set `signal`. An explicit `signal` is still checked (`{ signal: AbortSignal.timeout(ms) }` replaces the
     * caller's), and so is a value whose type has one.
     */
    function leftToAmbientContext(argument: ts.Expression | undefined, signature: ts.Signature, slot: SignalSlot, ambient: AmbientContext): boolean {
      if (argument && ts.isObjectLiteralExpression(argument)) {
        // any computed key might be `signal`
        const named = argument.properties.some(
          (member) => !ts.isSpreadAssignment(member) && (ts.isComputedPropertyName(member.name) || ((ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) && member.name.text === 'signal')),
        );
        if (named) return false;
      } else if (argument && hasSignalProperty(checker, typeOf(argument))) return false;
      return readsAmbientContext(checker, signature, slot, ambient);
    }

    /**
     * Whether `signal` at `node` names a variable of this file that `owner` already uses or declares: a new `signal`
     * parameter of `owner` would shadow it there. Asked only for a suggestion: the file's `signal`s are resolved.
     */
    function shadowsUsedSignal(owner: FunctionNode, node: ts.Node): boolean {
      const outer = checker.resolveName('signal', node, ts.SymbolFlags.Value, false);
      if (!outer || fileDeclarations(outer, file).length === 0) return false;
      const start = functionStart(file, owner);
      return fileIndex(file).identifiersNamed('signal').some(
        (identifier) => identifier.getStart(file) >= start && identifier.end <= owner.end && !isPropertyName(identifier) && resolve(identifier) === outer,
      );
    }

    /** The edits that make `source.text` mean the caller's signal at `node`, or `undefined` when it would not. */
    function reach(source: Source, node: ts.Node): TextEdit[] | undefined {
      // A new `signal` parameter may shadow an outer `signal`, but only one the function does not already use.
      if (source.declare && source.owner) return shadowsUsedSignal(source.owner, node) ? undefined : source.declare();
      const root = /^[\w$]+/.exec(source.text)?.[0] ?? '';
      return source.variable && checker.resolveName(root, node, ts.SymbolFlags.Value, false) === source.variable ? [] : undefined;
    }

    function suggest(source: Source, at: ts.Node, messageId: MessageIds, edits: TextEdit[] | undefined, data: Record<string, string>): Array<NativeSuggestion<MessageIds>> {
      const reached = edits && reach(source, at);
      return reached ? [{ messageId, data, edits: [...reached, ...edits] }] : [];
    }

    /**
     * Whether the caller's signal reaches the call some other way, so a missing signal in its slot is fine: another
     * argument carries it (`proxy(req)`, `send(url, init)`, `new Request(url, { ...options, method })`), or an abort
     * listener on it cancels the call's result by hand (`signal.addEventListener('abort', () => child.kill())`).
     */
    function reachedOtherwise(node: ts.CallExpression | ts.NewExpression): boolean {
      return argumentsOf(node).some(carries) || listeners.cancelledByHand(node, isCallersSignal) || runsWithoutSignal(checker, node);
    }

    /**
     * Whether `allowForKnownSafeCalls` names the callee. `valueMatchesSomeSpecifier` takes an ESTree node and reads only
     * its name (an identifier's, or a string literal's value), so it is given one with that name. Rejected: matching
     * the names here, which would leave out its check of a package's declaration files.
     */
    function isSafeCall(callee: ts.Expression, calleeType: ts.Type): boolean {
      const name = ts.isIdentifier(callee) ? { type: 'Identifier', name: callee.text } : ts.isStringLiteral(callee) ? { type: 'Literal', value: callee.text } : undefined;
      return name !== undefined && valueMatchesSomeSpecifier(name as unknown as Parameters<typeof valueMatchesSomeSpecifier>[0], safeCalls, program, calleeType);
    }

    /** A signal that is passed: reported when it is provably not the caller's (Go's `context.Background()`). */
    function checkPassed(value: ts.Node, node: ts.CallExpression | ts.NewExpression, source: Source): void {
      if (provenance(value) !== 'detached' || runsWithoutSignal(checker, node)) return;
      const expression = textOf(file, value);
      const data = { expression, signal: source.name, callee: calleeNameOf(file, node) };
      // AbortSignal.any takes signals only: an optional caller's signal would need a guard the suggestion cannot guess.
      // `{ signal }` is a shorthand property: the combined signal becomes its value, `{ signal: AbortSignal.any(…) }`.
      const shorthand = ts.isShorthandPropertyAssignment(value.parent) && value.parent.name === value ? `${expression}: ` : '';
      const edits: TextEdit[] | undefined = source.optional ? undefined : [{ range: [value.getStart(file), value.end], text: `${shorthand}AbortSignal.any([${source.text}, ${expression}])` }];
      report({ node: value, messageId: 'detachedSignal', data, suggest: suggest(source, value, 'combineSignals', edits, data) });
    }

    /** The options argument of a call whose options can hold a signal. */
    function checkOptions(argument: ts.Expression, node: ts.CallExpression | ts.NewExpression, source: Source): void {
      const data = { callee: calleeNameOf(file, node), signal: source.name };
      const property = signalProperty(source.text);
      if (ts.isObjectLiteralExpression(argument)) {
        for (const member of argument.properties) {
          // { ...init, headers } — the spread object's type says whether it may hold a signal
          if (ts.isSpreadAssignment(member)) {
            const spread = typeOf(skipParentheses(member.expression));
            if (isAnyOrUnknown(spread) || hasSignalProperty(checker, spread)) return;
            continue;
          }
          // { signal: AbortSignal.timeout(5_000) }, { 'signal': s }
          if (namesSignal(member)) return checkPassed(propertyValue(member), node, source);
        }
        // fetch(url, { method: 'POST' })
        if (reachedOtherwise(node)) return;
        const suggestion = suggest(source, argument, 'addSignalProperty', addProperty(file, argument, property), data);
        report({ node: argument, messageId: 'missingSignalProperty', data, suggest: suggestion });
        return;
      }
      const type = typeOf(argument);
      if (isAnyOrUnknown(type)) return;
      if (hasSignalProperty(checker, type)) {
        // const init = { signal: AbortSignal.timeout(5_000) }; fetch(url, init)
        if (!ts.isIdentifier(argument)) return;
        const symbol = resolve(argument);
        const declarations = symbol ? fileDeclarations(symbol, file) : [];
        const declaration = declarations.length === 1 && declarations[0] ? variableDeclarationOf(declarations[0]) : undefined;
        const init = declaration && isConst(declaration) && declaration.initializer ? skipParentheses(declaration.initializer) : undefined;
        if (!init || !ts.isObjectLiteralExpression(init)) return;
        const member = init.properties.find(isSignalKey);
        if (member) checkPassed(propertyValue(member), node, source);
        return;
      }
      // fetch(url, init) where init's type has no signal; readFile(path, 'utf8') cannot be rewritten safely
      if (reachedOtherwise(node)) return;
      const objectLike = typeParts(checker, nonNullableType(checker, type)).every((part) => (part.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive)) !== 0);
      const edits: TextEdit[] | undefined = objectLike && isSpreadable(argument)
        ? [{ range: [argument.getStart(file), argument.end], text: `{ ...${textOf(file, argument)}, ${property} }` }]
        : undefined;
      report({ node: argument, messageId: 'missingSignal', data, suggest: suggest(source, argument, 'passSignal', edits, data) });
    }

    /**
     * `new Request(baseUrl).url`: a platform object (declared in TypeScript's lib files or Node's types) made to read
     * one plain value (a string, a number, a boolean) and dropped. A signal given to a constructor is kept in the
     * object for later work, which a dropped one does not do; a property that is an object, a promise or an iterable
     * may be that work (`new Client(options).users.list()`), and a class of the project's own or a package's may start
     * work as it is constructed (`new Download(url).id`).
     */
    function readOnceAndDropped(node: ts.NewExpression): boolean {
      const member = parentOf(node);
      if (!member || !(ts.isPropertyAccessExpression(member) || ts.isElementAccessExpression(member)) || skipParentheses(member.expression) !== node) return false;
      const use = parentOf(member);
      if (use && ts.isCallExpression(use) && skipParentheses(use.expression) === member) return false;
      if (!typeParts(checker, typeOf(member)).every((part) => (part.flags & PLAIN_VALUES) !== 0)) return false;
      const declarations = checker.getSymbolAtLocation(skipParentheses(node.expression))?.getDeclarations() ?? [];
      return declarations.length > 0 && declarations.every((declaration) => PLATFORM.some((where) => isDeclaredWhere(declaration, where)));
    }

    function check(node: ts.CallExpression | ts.NewExpression): void {
      if (argumentsOf(node).some(ts.isSpreadElement)) return;
      const source = sourceFor(node);
      if (!source) return;
      if (ts.isNewExpression(node) && readOnceAndDropped(node)) return;
      // fetchUser(id, signal), fetch(url, { signal }) — the caller's signal reaches the call (`reachedOtherwise`), so
      // only an argument that is provably not the caller's could still be reported: settled by syntax alone, before
      // the callee's type is asked for (which makes the checker type the receiver: `(await load(id)).save`).
      if (passesOnlyCallersSignal(node)) return;
      const construct = ts.isNewExpression(node);
      // (await fetch(url, { signal })).json(), response.json() — the receiver's declared type rules most methods out
      // without typing the receiver, which would resolve the call it came from
      const callee = skipParentheses(node.expression);
      const calleeType = declaredCalleeType(callee) ?? typeOf(callee);
      if (!mayTakeSignal(checker, calleeType, construct)) return;
      if (safeCalls.length > 0 && isSafeCall(callee, calleeType)) return;
      // The overload the call resolves to decides: `exec(command, callback)` takes no signal although
      // `exec(command, options, callback)` does.
      const signature = callSignature(checker, node, calleeType);
      const slot = signature && callSignalSlot(checker, signature);
      if (!signature || !slot) return;
      const given = argumentsOf(node)[slot.index];
      const argument = given && skipParentheses(given);
      if (source.ambient && leftToAmbientContext(argument, signature, slot, source.ambient)) return;
      if (argument) {
        if (slot.kind === 'parameter') checkPassed(argument, node, source);
        else checkOptions(argument, node, source);
        return;
      }
      if (reachedOtherwise(node)) return;
      // fetch(url), sleep(ms), semaphore.acquire(), new ErrGroup()
      const count = argumentsOf(node).length;
      const filler = Array.from({ length: slot.index - count }, () => 'undefined');
      const passed = slot.kind === 'parameter' ? source.text : `{ ${signalProperty(source.text)} }`;
      const edits = canSkipTo(checker, signature, count, slot.index) ? appendArguments(file, node, [...filler, passed]) : undefined;
      const data = { callee: calleeNameOf(file, node), signal: source.name };
      report({ node, messageId: 'missingSignal', data, suggest: suggest(source, node, 'passSignal', edits, data) });
    }

    /** `request({ op: { id, signal } }) { … return () => signal?.removeEventListener('abort', abort); }` */
    function checkUnobserved(fn: FunctionNode): void {
      for (const name of listeners.onlyRemovedParameters(fn)) {
        if (isAbortSignal(checker, typeOf(name))) report({ node: reportedName(file, name), messageId: 'unobservedSignal', data: { signal: name.text } });
      }
    }

    const unobserved = options.reportUnobservedSignals ?? false;
    for (const node of fileIndex(file).nodes) {
      if (isCallOrNew(node)) check(node);
      else if (unobserved && isFunctionWithBody(node)) checkUnobserved(node);
    }
  },
});
