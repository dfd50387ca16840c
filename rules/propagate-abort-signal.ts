import { typeOrValueSpecifiersSchema, valueMatchesSomeSpecifier, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { AST_NODE_TYPES, ASTUtils, ESLintUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from './utils/typescript.cjs';
import { hasSignalProperty, isAbortSignal, isAnyOrUnknown, nonNullableType, parameterTypeAt, typeParts, type SignalSlot } from './facts.js';
import { ambientContextOf, DEFAULT_AMBIENT_CONTEXTS, readsAmbientContext, type AmbientContext } from './facts/ambient.js';
import { isDeclaredWhere, PLATFORM } from './facts/close.js';
import { declaredPropertyType, declaredValueType, memberReadConstant } from './facts/declared-types.js';
import { callbackMayReceiveSignal, callSignalSlot, canSkipTo, mayHandSignalAt, mayTakeSignal, runsWithoutSignal, signalCarrier, undeclaredSignalIndex } from './facts/signals.js';
import { calleeName } from './utils/ast.js';
import { callSignature, declaredParameterType, expectedCallbackSignature, type ExpectedCallback } from './utils/call-signature.js';
import { createRule } from './utils/create-rule.js';
import { globalCalleeType } from './utils/global-values.js';
import { addProperty, appendArguments, declareDestructured, declareParameter, isSpreadable, signalProperty } from './utils/propagate-abort-signal-fixes.js';
import { cannotHoldSignal, namesGlobalSignal } from './utils/propagate-abort-signal-annotations.js';
import { abortRegistrations, cancelledByHand, onlyRemovedParameters } from './utils/propagate-abort-signal-listeners.js';
import { createCarries, createPassesOnlyCallersSignal, createProvenance } from './utils/propagate-abort-signal-provenance.js';

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
type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;
type Fix = (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix;
type Variable = TSESLint.Scope.Variable;

/** The caller's signal as one function sees it. */
interface Source {
  /** What to pass: `signal`, `req.signal`, `init?.signal ?? undefined`. */
  text: string;
  /** What messages call it: `signal`, `req.signal`. */
  name: string;
  /** The signal may be `undefined` at run time (`signal?: AbortSignal`), so it cannot go into `AbortSignal.any`. */
  optional?: boolean;
  /** The binding `text` starts with; a suggestion is offered only where the call site sees this same binding. */
  variable?: Variable;
  /** For a signal the function is given but does not name (`group.go(async () => …)`): the fix that names it. */
  declare?: Fix;
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

const FUNCTIONS = new Set<string>([AST_NODE_TYPES.ArrowFunctionExpression, AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression]);
const isFunction = (node: TSESTree.Node): node is FunctionNode => FUNCTIONS.has(node.type);

/** A parameter written as a plain name, without a type, a default or `?`: its type is the one its context gives. */
function isBareParameter(parameter: TSESTree.Parameter): parameter is TSESTree.Identifier {
  return parameter.type === AST_NODE_TYPES.Identifier && !parameter.optional && parameter.typeAnnotation === undefined;
}
const hasThisParameter = (fn: FunctionNode): boolean => fn.params[0]?.type === AST_NODE_TYPES.Identifier && fn.params[0].name === 'this';
const isCall = (node: TSESTree.Node): node is TSESTree.CallExpression | TSESTree.NewExpression =>
  node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression;

// Types of values that hold no work: a property of one of these types read off a new object is all that is used of it.
const PLAIN_VALUES =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike |
  ts.TypeFlags.Null | ts.TypeFlags.Undefined;

export default createRule<[PropagateAbortSignalOptions], MessageIds>({
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
  create(context, [options]) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const sourceCode = context.sourceCode;
    const safeCalls = options.allowForKnownSafeCalls ?? [];
    const ambientContexts = options.ambientContexts ?? DEFAULT_AMBIENT_CONTEXTS;
    const typeOf = (node: TSESTree.Node): ts.Type => services.getTypeAtLocation(node);
    const tsNodeOf = (node: TSESTree.Node): ts.Node => services.esTreeNodeToTSNodeMap.get(node);
    const signals = new Set<Variable>();
    const carriers = new Set<Variable>();
    const provenance = createProvenance({ sourceCode, checker, tsNodeOf, typeOf, signals, carriers });
    const carries = createCarries({ sourceCode, checker, tsNodeOf, typeOf, signals, carriers }, provenance);
    const passesOnlyCallersSignal = createPassesOnlyCallersSignal(sourceCode, provenance);
    const isCallersSignal = (target: TSESTree.Node): boolean => provenance(target) === 'derived';
    const sources = new Map<FunctionNode, Source | null>();

    /**
     * The signal a parameter brings, registering its bindings for provenance. `expected`: the callback's contextual
     * signature when the callee's declared type alone gives it, so a plain `(signal) =>` is typed without resolving
     * the call it is passed to.
     */
    function parameterSource(fn: FunctionNode, parameter: TSESTree.Parameter, position: number, contextual: boolean, expected?: ExpectedCallback): Source | undefined {
      let node: TSESTree.Node = parameter.type === AST_NODE_TYPES.TSParameterProperty ? parameter.parameter : parameter;
      if (node.type === AST_NODE_TYPES.AssignmentPattern) node = node.left;
      const annotation = 'typeAnnotation' in node ? node.typeAnnotation?.typeAnnotation : undefined;
      if (annotation ? cannotHoldSignal(annotation) : !contextual) return undefined;
      const scope = sourceCode.scopeManager?.acquire(fn, true);
      const variableOf = (id: TSESTree.Identifier): Variable | undefined => scope?.set.get(id.name);
      // group.go((signal) => …) — a bare parameter has exactly the type the expected callback gives that position,
      // unless a generic callee's inference decides it (`item` in `goEach(items, (item, signal) => …)`)
      const declared = expected && isBareParameter(parameter) ? parameterTypeAt(checker, expected.signature, position) ?? null : undefined;
      // (signal?: AbortSignal) — the global AbortSignal, written the same way, is the same type at every parameter
      const shape = annotation && node.type === AST_NODE_TYPES.Identifier && parameter.type !== AST_NODE_TYPES.AssignmentPattern &&
        namesGlobalSignal(sourceCode, fn, annotation) ? (node.optional ? 'optional' : 'plain') : undefined;
      if (declared === null) return undefined;
      const type = (shape && globalSignalTypes(checker)[shape]) ?? (declared && expected && declaredParameterType(checker, expected, declared)) ?? typeOf(node);
      if (shape) globalSignalTypes(checker)[shape] = type;
      // (signal: AbortSignal), (signal?: AbortSignal), group.go(async (signal) => …)
      if (node.type === AST_NODE_TYPES.Identifier) {
        const variable = variableOf(node);
        if (!variable) return undefined;
        if (isAbortSignal(checker, type)) {
          signals.add(variable);
          return { text: node.name, name: node.name, variable, optional: isNullable(type) };
        }
        const carrier = signalCarrier(checker, type);
        if (!carrier) return undefined;
        carriers.add(variable);
        const optional = isNullable(type);
        const access = `${node.name}${optional ? '?.' : '.'}signal`;
        return { text: carrier.nullable ? `${access} ?? undefined` : access, name: `${node.name}.signal`, variable, optional: optional || carrier.optional, ...ambientOf(type) };
      }
      // ({ url, signal }: Job), ({ url, ...rest }: Job), ({ url }: Job)
      if (node.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
      const carrier = signalCarrier(checker, type);
      if (!carrier) return undefined;
      const nullish = carrier.nullable ? ' ?? undefined' : '';
      const ambient = ambientOf(type);
      for (const property of node.properties) {
        if (property.type === AST_NODE_TYPES.RestElement) {
          if (property.argument.type !== AST_NODE_TYPES.Identifier) return undefined;
          const variable = variableOf(property.argument);
          if (variable) carriers.add(variable);
          return { text: `${property.argument.name}.signal${nullish}`, name: `${property.argument.name}.signal`, variable, optional: carrier.optional, ...ambient };
        }
        if (property.computed || property.key.type !== AST_NODE_TYPES.Identifier || property.key.name !== 'signal') continue;
        const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
        if (value.type !== AST_NODE_TYPES.Identifier) return undefined;
        const variable = variableOf(value);
        if (variable) signals.add(variable);
        return { text: `${value.name}${nullish}`, name: value.name, variable, optional: carrier.optional, ...ambient };
      }
      return { text: `signal${nullish}`, name: 'signal', declare: declareDestructured(node), owner: fn, optional: carrier.optional, ...ambient };
    }

    /** `createRule({ create(context) {…} })`: what the callee's type says about a method of an object argument. */
    function methodMayReceiveSignal(fn: FunctionNode): boolean {
      const property = fn.parent;
      const object = property.parent;
      const call = object?.parent;
      if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) return true;
      if (object?.type !== AST_NODE_TYPES.ObjectExpression || !call || !isCall(call)) return true;
      const index = (call.arguments as TSESTree.Node[]).indexOf(object);
      return callbackMayReceiveSignal(checker, declaredCalleeType(call.callee) ?? typeOf(call.callee), index, call.type === AST_NODE_TYPES.NewExpression, property.key.name);
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

    /**
     * Whether a call inside an ambient context's run leaves the signal to the context: the callee is one of the
     * context's readers (`dispatchCustomEvent(name, payload)`, `model.stream(messages, { configurable })`), which take
     * the caller's config, signal included, from AsyncLocalStorage when the argument in the signal slot is left out or
     * does not set `signal`. An explicit `signal` is still checked (`{ signal: AbortSignal.timeout(ms) }` replaces the
     * caller's), and so is a value whose type has one.
     */
    function leftToAmbientContext(argument: TSESTree.Node | undefined, signature: ts.Signature, slot: SignalSlot, ambient: AmbientContext): boolean {
      if (argument?.type === AST_NODE_TYPES.ObjectExpression) {
        const named = argument.properties.some(
          (member) => member.type === AST_NODE_TYPES.Property && (member.computed || (member.key.type === AST_NODE_TYPES.Identifier ? member.key.name : member.key.type === AST_NODE_TYPES.Literal ? member.key.value : '') === 'signal'),
        );
        if (named) return false;
      } else if (argument && hasSignalProperty(checker, typeOf(argument))) return false;
      return readsAmbientContext(checker, signature, slot, ambient);
    }

    /** The signal a function has, computed once per function. */
    function sourceOf(fn: FunctionNode): Source | null {
      const known = sources.get(fn);
      if (known !== undefined) return known;
      // A callback's unannotated parameters are typed by the call it is passed to: ask the callee's declared type
      // whether that can be a signal before asking for the parameters' types, which resolves the whole call.
      const parent = fn.parent;
      const call = isCall(parent) ? parent : undefined;
      const index = call ? (call.arguments as TSESTree.Node[]).indexOf(fn) : -1;
      const calleeType = call && index !== -1 ? (declaredCalleeType(call.callee) ?? typeOf(call.callee)) : undefined;
      const contextual = call && calleeType ? callbackMayReceiveSignal(checker, calleeType, index, call.type === AST_NODE_TYPES.NewExpression) : methodMayReceiveSignal(fn);
      // A `this` parameter shifts the positions between the callback and its expected signature: resolve those.
      const expected =
        call && calleeType && contextual && !hasThisParameter(fn)
          ? expectedCallbackSignature(checker, tsNodeOf(call) as ts.CallExpression | ts.NewExpression, calleeType, index, fn.params.length)
          : undefined;
      // group.goEach(jobs, (job, signal) => …) — `signal`'s type is the one goEach declares, while `job`'s is inferred
      // from `jobs`, which resolves the whole call (its callback's body typed too). A parameter the callee types is
      // asked first, and one that inference types only when none of those is a signal: a task's own signal is its
      // source even when its item carries a signal as well.
      const inferred = (parameter: TSESTree.Parameter, position: number): boolean => {
        if (!expected?.generic || !isBareParameter(parameter)) return false;
        const declared = parameterTypeAt(checker, expected.signature, position);
        return declared !== undefined && declaredParameterType(checker, expected, declared) === undefined;
      };
      let found: Source | null = null;
      for (const [position, parameter] of fn.params.entries()) {
        if (!inferred(parameter, position)) found = found ?? parameterSource(fn, parameter, position, contextual, expected) ?? null;
      }
      for (const [position, parameter] of fn.params.entries()) {
        if (inferred(parameter, position)) found = found ?? parameterSource(fn, parameter, position, contextual, expected) ?? null;
      }
      // group.go(async () => …) — the group hands the task a signal it does not declare
      if (!found && fn.type !== AST_NODE_TYPES.FunctionDeclaration && call && calleeType && index !== -1 && contextual && undeclaredSignal(fn, call, calleeType, index, expected)) {
        const declare = declareParameter(sourceCode, fn);
        found = { text: 'signal', name: 'signal', ...(declare && { declare, owner: fn }) };
      }
      sources.set(fn, found);
      return found;
    }

    /**
     * {@link undeclaredSignalIndex}, answered from the expected callback signature when the callee's type gives it,
     * and ruled out by the callee's declared signatures (`it(name, async () => …)`) before the call is resolved.
     */
    function undeclaredSignal(fn: FunctionNode, call: TSESTree.CallExpression | TSESTree.NewExpression, calleeType: ts.Type, index: number, expected: ExpectedCallback | undefined): boolean {
      const parameter = expected?.signature.getParameters()[fn.params.length];
      const declared = expected && parameter && declaredParameterType(checker, expected, checker.getTypeOfSymbol(parameter));
      if (!expected || (parameter && !declared)) {
        if (!mayHandSignalAt(checker, calleeType, index, fn.params.length, call.type === AST_NODE_TYPES.NewExpression)) return false;
        return undeclaredSignalIndex(checker, tsNodeOf(fn) as ts.ArrowFunction | ts.FunctionExpression) !== undefined;
      }
      if (fn.params.some((parameter) => parameter.type === AST_NODE_TYPES.RestElement)) return false;
      return declared !== undefined && isAbortSignal(checker, declared);
    }

    /**
     * The nearest signal in scope of a node (its own function's, or a closure's), stopping at abort listeners: the
     * caller's signal is already aborted there, so passing it would cancel the clean-up at once.
     */
    function sourceFor(node: TSESTree.Node): Source | undefined {
      for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return sourceWithin(current);
      return undefined;
    }

    // Every call in a function has the same answer: computed once per function, not walked up again per call.
    const within = new Map<FunctionNode, Source | undefined>();

    /** {@link sourceFor} of the nodes directly inside `fn`: its own signal, or the nearest closure's. */
    function sourceWithin(fn: FunctionNode): Source | undefined {
      if (within.has(fn)) return within.get(fn);
      let found = sourceOf(fn) ?? undefined;
      if (!found && abortRegistrations(sourceCode, fn).length === 0) {
        for (let current: TSESTree.Node | undefined = fn.parent; current; current = current.parent) {
          if (isFunction(current)) {
            found = sourceWithin(current);
            break;
          }
        }
      }
      within.set(fn, found);
      return found;
    }

    /** The fixes that make `source.text` mean the caller's signal at `node`, or `undefined` when it would not. */
    function reach(source: Source, node: TSESTree.Node): Fix[] | undefined {
      const scope = sourceCode.getScope(node);
      if (source.declare && source.owner) {
        // A new `signal` parameter may shadow an outer `signal`, but only one the function does not already use.
        const [start, end] = source.owner.range;
        const outer = ASTUtils.findVariable(scope, 'signal');
        const used = outer?.references.some(({ identifier }) => identifier.range[0] >= start && identifier.range[1] <= end);
        const inside = outer?.defs.some((definition) => definition.name.range[0] >= start && definition.name.range[1] <= end);
        return used || inside ? undefined : [source.declare];
      }
      const root = /^[\w$]+/.exec(source.text)?.[0] ?? '';
      return source.variable && ASTUtils.findVariable(scope, root) === source.variable ? [] : undefined;
    }

    function suggest(source: Source, at: TSESTree.Node, messageId: MessageIds, fix: Fix | undefined, data: Record<string, string>): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const fixes = fix && reach(source, at);
      return fixes ? [{ messageId, data, fix: (fixer) => [...fixes.map((f) => f(fixer)), fix(fixer)] }] : [];
    }

    /**
     * Whether the caller's signal reaches the call some other way, so a missing signal in its slot is fine: another
     * argument carries it (`proxy(req)`, `send(url, init)`, `new Request(url, { ...options, method })`), or an abort
     * listener on it cancels the call's result by hand (`signal.addEventListener('abort', () => child.kill())`).
     */
    function reachedOtherwise(node: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
      return node.arguments.some(carries) || cancelledByHand(sourceCode, node, isCallersSignal) || runsWithoutSignal(checker, tsNodeOf(node));
    }

    /**
     * The type of a method callee from declarations alone (see {@link declaredValueType}): a `const` receiver counts
     * when every read of it is `receiver.member`, so no guard narrows it. `undefined` when the checker must answer.
     */
    function declaredCalleeType(callee: TSESTree.Node): ts.Type | undefined {
      // Promise.all(tasks), JSON.stringify(body), new URL(text): a global's declared type, learnt once per program
      const global = globalCalleeType(services, sourceCode, callee);
      if (global) return global;
      if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return undefined;
      const access = tsNodeOf(callee) as ts.PropertyAccessExpression;
      if (access.flags & ts.NodeFlags.OptionalChain) return undefined;
      const receiver = declaredValueType(checker, access.expression, (id) => memberReadConstant(checker, id), 0, globalCallee);
      return receiver && declaredPropertyType(checker, receiver, access.name);
    }

    /** `fetch` in `const response = await fetch(url, init)`: a global's declared type, for {@link declaredValueType}. */
    function globalCallee(expression: ts.Expression): ts.Type | undefined {
      const node = services.tsNodeToESTreeNodeMap.get(expression);
      return node && globalCalleeType(services, sourceCode, node);
    }

    /** A signal that is passed: reported when it is provably not the caller's (Go's `context.Background()`). */
    function checkPassed(value: TSESTree.Node, node: TSESTree.CallExpression | TSESTree.NewExpression, source: Source): void {
      if (provenance(value) !== 'detached' || runsWithoutSignal(checker, tsNodeOf(node))) return;
      const expression = sourceCode.getText(value);
      const data = { expression, signal: source.name, callee: calleeName(sourceCode, node) };
      // AbortSignal.any takes signals only: an optional caller's signal would need a guard the suggestion cannot guess.
      const fix: Fix | undefined = source.optional ? undefined : (fixer) => fixer.replaceText(value, `AbortSignal.any([${source.text}, ${expression}])`);
      context.report({ node: value, messageId: 'detachedSignal', data, suggest: suggest(source, value, 'combineSignals', fix, data) });
    }

    /** The options argument of a call whose options can hold a signal. */
    function checkOptions(argument: TSESTree.Node, node: TSESTree.CallExpression | TSESTree.NewExpression, source: Source): void {
      const data = { callee: calleeName(sourceCode, node), signal: source.name };
      const property = signalProperty(source.text);
      if (argument.type === AST_NODE_TYPES.ObjectExpression) {
        for (const member of argument.properties) {
          // { ...init, headers } — the spread object's type says whether it may hold a signal
          if (member.type === AST_NODE_TYPES.SpreadElement) {
            const spread = typeOf(member.argument);
            if (isAnyOrUnknown(spread) || hasSignalProperty(checker, spread)) return;
            continue;
          }
          const key = member.key;
          const named = key.type === AST_NODE_TYPES.Identifier && !member.computed ? key.name === 'signal' : key.type === AST_NODE_TYPES.Literal && key.value === 'signal';
          if (named) return checkPassed(member.value, node, source);
        }
        // fetch(url, { method: 'POST' })
        if (reachedOtherwise(node)) return;
        const suggestion = suggest(source, argument, 'addSignalProperty', addProperty(sourceCode, argument, property), data);
        context.report({ node: argument, messageId: 'missingSignalProperty', data, suggest: suggestion });
        return;
      }
      const type = typeOf(argument);
      if (isAnyOrUnknown(type)) return;
      if (hasSignalProperty(checker, type)) {
        // const init = { signal: AbortSignal.timeout(5_000) }; fetch(url, init)
        if (argument.type !== AST_NODE_TYPES.Identifier) return;
        const variable = ASTUtils.findVariable(sourceCode.getScope(argument), argument);
        const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
        const init = definition?.node.type === AST_NODE_TYPES.VariableDeclarator && definition.node.parent.kind === 'const' ? definition.node.init : null;
        if (init?.type !== AST_NODE_TYPES.ObjectExpression) return;
        const member = init.properties.find(
          (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'signal',
        );
        if (member) checkPassed(member.value, node, source);
        return;
      }
      // fetch(url, init) where init's type has no signal; readFile(path, 'utf8') cannot be rewritten safely
      if (reachedOtherwise(node)) return;
      const objectLike = typeParts(checker, nonNullableType(checker, type)).every((part) => (part.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive)) !== 0);
      const fix: Fix | undefined = objectLike && isSpreadable(argument) ? (fixer) => fixer.replaceText(argument, `{ ...${sourceCode.getText(argument)}, ${property} }`) : undefined;
      context.report({ node: argument, messageId: 'missingSignal', data, suggest: suggest(source, argument, 'passSignal', fix, data) });
    }

    /**
     * `new Request(baseUrl).url`: a platform object (declared in TypeScript's lib files or Node's types) made to read
     * one plain value (a string, a number, a boolean) and dropped. A signal given to a constructor is kept in the
     * object for later work, which a dropped one does not do; a property that is an object, a promise or an iterable
     * may be that work (`new Client(options).users.list()`), and a class of the project's own or a package's may start
     * work as it is constructed (`new Download(url).id`).
     */
    function readOnceAndDropped(node: TSESTree.NewExpression): boolean {
      const member = node.parent;
      if (member.type !== AST_NODE_TYPES.MemberExpression || member.object !== node) return false;
      const use = member.parent;
      if (use.type === AST_NODE_TYPES.CallExpression && use.callee === member) return false;
      if (!typeParts(checker, typeOf(member)).every((part) => (part.flags & PLAIN_VALUES) !== 0)) return false;
      const declarations = checker.getSymbolAtLocation(tsNodeOf(node.callee))?.getDeclarations() ?? [];
      return declarations.length > 0 && declarations.every((declaration) => PLATFORM.some((where) => isDeclaredWhere(declaration, where)));
    }

    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      if (node.arguments.some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)) return;
      const source = sourceFor(node);
      if (!source) return;
      if (node.type === AST_NODE_TYPES.NewExpression && readOnceAndDropped(node)) return;
      // fetchUser(id, signal), fetch(url, { signal }) — the caller's signal reaches the call (`reachedOtherwise`), so
      // only an argument that is provably not the caller's could still be reported: settled by syntax alone, before
      // the callee's type is asked for (which makes the checker type the receiver: `(await load(id)).save`).
      if (passesOnlyCallersSignal(node)) return;
      const construct = node.type === AST_NODE_TYPES.NewExpression;
      // (await fetch(url, { signal })).json(), response.json() — the receiver's declared type rules most methods out
      // without typing the receiver, which would resolve the call it came from
      const calleeType = declaredCalleeType(node.callee) ?? typeOf(node.callee);
      if (!mayTakeSignal(checker, calleeType, construct)) return;
      if (safeCalls.length > 0 && valueMatchesSomeSpecifier(node.callee, safeCalls, services.program, calleeType)) return;
      // The overload the call resolves to decides: `exec(command, callback)` takes no signal although
      // `exec(command, options, callback)` does.
      const signature = callSignature(checker, tsNodeOf(node) as ts.CallExpression | ts.NewExpression, calleeType);
      const slot = signature && callSignalSlot(checker, signature);
      if (!signature || !slot) return;
      const argument = node.arguments[slot.index];
      if (source.ambient && leftToAmbientContext(argument, signature, slot, source.ambient)) return;
      if (argument) {
        if (slot.kind === 'parameter') checkPassed(argument, node, source);
        else checkOptions(argument, node, source);
        return;
      }
      if (reachedOtherwise(node)) return;
      // fetch(url), sleep(ms), semaphore.acquire(), new ErrGroup()
      const count = node.arguments.length;
      const filler = Array.from({ length: slot.index - count }, () => 'undefined');
      const passed = slot.kind === 'parameter' ? source.text : `{ ${signalProperty(source.text)} }`;
      const fix = canSkipTo(checker, signature, count, slot.index) ? appendArguments(sourceCode, node, [...filler, passed]) : undefined;
      const data = { callee: calleeName(sourceCode, node), signal: source.name };
      context.report({ node, messageId: 'missingSignal', data, suggest: suggest(source, node, 'passSignal', fix, data) });
    }

    /** `request({ op: { id, signal } }) { … return () => signal?.removeEventListener('abort', abort); }` */
    function checkUnobserved(fn: FunctionNode): void {
      for (const variable of onlyRemovedParameters(sourceCode, fn)) {
        const name = variable.defs[0]?.name;
        if (name && isAbortSignal(checker, typeOf(name))) context.report({ node: name, messageId: 'unobservedSignal', data: { signal: variable.name } });
      }
    }

    const calls = { CallExpression: check, NewExpression: check };
    if (!options.reportUnobservedSignals) return calls;
    return { ...calls, ArrowFunctionExpression: checkUnobserved, FunctionDeclaration: checkUnobserved, FunctionExpression: checkUnobserved };
  },
});
