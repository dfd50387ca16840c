/**
 * Ambient contexts: a run context that a library keeps in AsyncLocalStorage and that its own functions read back when
 * a call leaves it out, signal included. It is the AsyncLocalStorage analogue of Go's `ctx`: propagated, just not by
 * argument. LangChain's `RunnableConfig` is the one taskscope knows by default.
 *
 * Like `../facts.ts`, this speaks only plain TypeScript compiler objects and enum numbers, so the analyzer asks the
 * same questions as `propagate-abort-signal` and gets the same answers. Declarations are matched by package or file
 * with `isDeclaredWhere`, the shared matcher behind `no-double-close`'s `resources`. Rejected: typescript-eslint's
 * `valueMatchesSomeSpecifier`, the matcher of `allowForKnownSafeCalls`, which needs an ESTree node and a name for every
 * specifier, so it can serve neither the analyzer nor "any function of this package".
 */
import ts from '../utils/typescript.cjs';
import { parameterTypeAt, type SignalSlot } from '../facts.js';
import { isDeclaredWhere } from './close.js';

/**
 * A type by name and where it is declared, in the shape of typescript-eslint's `TypeOrValueSpecifier` (the same JSON
 * schema validates it): a bare name matches a declaration anywhere.
 *
 * @example { from: 'package', name: 'RunnableConfig', package: '@langchain/core' }
 */
export type ContextTypeSpecifier =
  | string
  | { from: 'file'; name: string | string[]; path?: string }
  | { from: 'lib'; name: string | string[] }
  | { from: 'package'; name: string | string[]; package: string };

/**
 * Where declarations come from, without a name: every declaration of a package (`@scope/name` and its `@types`
 * package, any subpath of it on disk), or of the project's own files (a path suffix such as `src/context.ts`).
 */
export type DeclarationSpecifier = { from: 'package'; package: string } | { from: 'file'; path?: string };

/**
 * A context that a library keeps in AsyncLocalStorage while it runs user code, and that its functions take back from
 * there when a call leaves it out. Inside such a run, a function that is handed the context (a graph node, a tool)
 * does not drop its signal by calling one of those functions without it.
 */
export interface AmbientContext {
  /** The context's types. A type that extends one of them (an interface's `extends`, a type parameter's constraint) counts too. */
  types: ContextTypeSpecifier[];
  /**
   * Where the functions that take the context back from AsyncLocalStorage are declared. A call counts only when it
   * resolves to a declaration there and its signal slot is a parameter of one of `types`.
   */
  readers: DeclarationSpecifier[];
}

/**
 * LangChain's run config, the default of `propagate-abort-signal`'s `ambientContexts`. Checked in the installed
 * sources (`@langchain/core` 0.3.78, `@langchain/langgraph` 0.4.9, `@langchain/openai` 0.6.9):
 * - `@langchain/core` `dist/runnables/config.js` `ensureConfig(config)` starts from
 *   `AsyncLocalStorageProviderSingleton.getRunnableConfig()` (the config of the run the code is in, `signal`
 *   included) and overlays only the keys the explicit config defines; `Runnable.invoke`/`stream`/`batch`
 *   (`dist/runnables/base.js`, also `_getOptionsList`, `_callWithConfig`), `StructuredTool.call`
 *   (`dist/tools/index.js`), `BaseRetriever.invoke` (`dist/retrievers/index.js`) and `dispatchCustomEvent`
 *   (`dist/callbacks/dispatch/index.js`) resolve their config with it; chat models copy the resolved signal into
 *   their call options (`dist/language_models/chat_models.js`, `_separateRunnableConfigFromCallOptionsCompat`).
 * - `@langchain/langgraph` `dist/pregel/utils/config.js`: `ensureLangGraphConfig(...configs)` (what `Pregel.stream`
 *   and `invoke` use, `dist/pregel/index.js` `_streamIterator`) does the same; `getCurrentTaskInput`, `getStore`,
 *   `getWriter` and `getConfig` read `getRunnableConfig()` when no config is passed; `RunnableCallable`
 *   (`dist/utils.js`) runs nodes with `ensureLangGraphConfig`. Its `LangGraphRunnableConfig` extends `RunnableConfig`.
 * - `@langchain/openai` `dist/chat_models.js`: `ChatOpenAI.stream`/`invoke` hand their options to `Runnable`'s
 *   (`super.stream(input, this._combineCallOptions(options))`).
 * Other `@langchain/*` integrations are not listed until their sources are read: a project that uses one adds it to
 * `readers` (the rule's doc shows how).
 */
export const LANGCHAIN_CONTEXT: AmbientContext = {
  types: [{ from: 'package', name: 'RunnableConfig', package: '@langchain/core' }],
  readers: [
    { from: 'package', package: '@langchain/core' },
    { from: 'package', package: '@langchain/langgraph' },
    { from: 'package', package: '@langchain/openai' },
  ],
};

/**
 * A context's name in the analyzer's graph data: the names of its types (`RunnableConfig`), so a function handed the
 * context and a call that reads it back can be matched without the compiler objects.
 */
export function contextName(context: AmbientContext): string {
  return context.types.map((specifier) => (typeof specifier === 'string' ? specifier : [specifier.name].flat().join(' | '))).join(' | ');
}

/** The ambient contexts taskscope knows when none are configured. */
export const DEFAULT_AMBIENT_CONTEXTS: readonly AmbientContext[] = [LANGCHAIN_CONTEXT];

// Mapped types of TypeScript's lib that keep every key of the type they map, and so its meaning as a context.
const KEY_PRESERVING = new Set(['Partial', 'Required', 'Readonly']);

function isDeclaredInLib(symbol: ts.Symbol | undefined): boolean {
  const declarations = symbol?.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((declaration) => isDeclaredWhere(declaration, { from: 'lib' }));
}

/** Whether a symbol (a type's, or its alias's) is one a specifier names, declared where it says. */
function symbolMatches(symbol: ts.Symbol | undefined, specifier: ContextTypeSpecifier): boolean {
  if (!symbol) return false;
  const name = symbol.getName();
  if (typeof specifier === 'string') return name === specifier;
  if (!(typeof specifier.name === 'string' ? [specifier.name] : specifier.name).includes(name)) return false;
  return (symbol.getDeclarations() ?? []).some((declaration) => isDeclaredWhere(declaration, specifier));
}

/**
 * Whether a type is one of a context's types: every member of a union (`RunnableConfig | undefined` without the
 * `undefined`), some member of an intersection, a type parameter's constraint, or an interface or class one of whose
 * base types is (`LangGraphRunnableConfig extends RunnableConfig`, `ChatOpenAICallOptions` through an intersection
 * alias), and `Partial`/`Required`/`Readonly` of one, or an array of one in a union (one config per input). Not structural: every object type whose properties are all optional is assignable to `RunnableConfig`.
 */
function isContextType(checker: ts.TypeChecker, type: ts.Type, context: AmbientContext, seen: Set<ts.Type>): boolean {
  // `seen` holds the types on the path from the first one (a base type may refer back), not every type visited: a
  // union may hold one type twice (`Partial<C> | Partial<C>[]`).
  if (seen.has(type)) return false;
  seen.add(type);
  const answer = isContextTypeStep(checker, type, context, seen);
  seen.delete(type);
  return answer;
}

function isContextTypeStep(checker: ts.TypeChecker, type: ts.Type, context: AmbientContext, seen: Set<ts.Type>): boolean {
  if (type.flags & ts.TypeFlags.InstantiableNonPrimitive) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint !== undefined && constraint !== type && isContextType(checker, constraint, context, seen);
  }
  if (type.isUnion()) {
    const members = type.types.filter((member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
    // batch(inputs, options?: Partial<CallOptions> | Partial<CallOptions>[]): one config, or one per input
    const one = (member: ts.Type): ts.Type => (checker.isArrayType(member) ? (checker.getTypeArguments(member as ts.TypeReference)[0] ?? member) : member);
    return members.length > 0 && members.every((member) => isContextType(checker, one(member), context, seen));
  }
  if (type.isIntersection()) return type.types.some((member) => isContextType(checker, member, context, seen));
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  // options?: Partial<CallOptions>, as LangChain's `Runnable` declares its config: the same keys, made optional
  const [keysOf] = type.aliasTypeArguments ?? [];
  if (keysOf && KEY_PRESERVING.has(type.aliasSymbol?.getName() ?? '') && isDeclaredInLib(type.aliasSymbol)) return isContextType(checker, keysOf, context, seen);
  const target = (type as ts.TypeReference).target ?? type;
  if (context.types.some((specifier) => symbolMatches(type.aliasSymbol, specifier) || symbolMatches(target.getSymbol(), specifier))) return true;
  if (!((target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) return false;
  return (checker.getBaseTypes(target) ?? []).some((base) => isContextType(checker, base, context, seen));
}

/**
 * The ambient context a parameter of this type is handed, if any: the first of `contexts` that the type is one of
 * (see `AmbientContext.types`). A function with such a parameter runs inside the library's run (a graph node, a
 * tool), where the library keeps the context in AsyncLocalStorage.
 *
 * @example ambientContextOf(checker, typeOf(`config`), DEFAULT_AMBIENT_CONTEXTS) // LANGCHAIN_CONTEXT for `config: RunnableConfig`
 */
export function ambientContextOf(checker: ts.TypeChecker, type: ts.Type, contexts: readonly AmbientContext[]): AmbientContext | undefined {
  return contexts.find((context) => isContextType(checker, type, context, new Set()));
}

/**
 * Whether a call through this signature takes the context back from AsyncLocalStorage when its options leave the
 * signal out: the signature is declared where `context.readers` says, and its signal slot is an options parameter of
 * one of the context's types. A helper of the project's own with a `config?: RunnableConfig` parameter is not a
 * reader: it may read `config?.signal`, and nothing in it consults AsyncLocalStorage.
 *
 * @example readsAmbientContext(checker, signatureOf(`dispatchCustomEvent(name, payload)`), { index: 2, kind: 'options' }, LANGCHAIN_CONTEXT) // true
 */
export function readsAmbientContext(checker: ts.TypeChecker, signature: ts.Signature, slot: SignalSlot, context: AmbientContext): boolean {
  if (slot.kind !== 'options') return false;
  const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (!declaration || !context.readers.some((reader) => isDeclaredWhere(declaration, reader))) return false;
  const parameter = parameterTypeAt(checker, signature, slot.index);
  return parameter !== undefined && isContextType(checker, parameter, context, new Set());
}
