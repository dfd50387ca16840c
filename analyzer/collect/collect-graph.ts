import ts from '../../rules/utils/typescript.cjs';
import { DEFAULT_LIB_FILE, deliversToCallback, isAbortSignal, isCollectionLookup, returnsKeptPromise, isBuiltinPromise, isPromiseLike, mayReturnPromise, passedThroughArguments, returnsArrayAlways, returnsPromiseAlways, taskscopePrimitive } from '../../rules/facts.js';
import {
  awaitsEveryPass,
  boundingCall,
  callbackBound,
  collectedWork,
  endsIteration,
  errGroupLimit,
  isElementMethodCall,
  isPromiseCombinator,
  isReleaseMethod,
  isSettledPromise,
  iteratedCollection,
  iterationBound,
  parksSettlementIn,
  returnsOnlyExisting,
  skipOuter,
  spawnBound,
  waitsForEvent,
  type CallbackBound,
  type FanOutBound as BoundFact,
} from '../../rules/facts/fanout.js';
import { declaredMember, declaredValueType, receiverTypeOf } from '../../rules/facts/declared-types.js';
import { ambientContextOf, contextName, DEFAULT_AMBIENT_CONTEXTS, type AmbientContext } from '../../rules/facts/ambient.js';
import { platformAbortApi, signalCarrier } from '../../rules/facts/signals.js';
import { nodeId } from '../graph/ids.js';
import type { FanOutBound, GraphEdge, GraphNode, Location, Multiplicity, Ownership, SignalSource } from '../graph/types.js';
import { bindingOf, callLabel, functionLabel, locationOf, outer, shortText } from './describe.js';
import type { LoadedProject } from './load-project.js';
import { ownershipOf } from './ownership.js';
import { signalOrigin, signalUse, type SignalUse } from './signal-use.js';

/** The nodes and edges of a project, before the graph analyses add findings. */
export interface CollectedGraph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

/** Options of {@link collectGraph}. */
export interface CollectOptions {
  /**
   * The ambient contexts whose readers take a signal from AsyncLocalStorage: `propagate-abort-signal`'s option of the
   * same name, so the graph and the rule agree. @default LangChain's `RunnableConfig` (`DEFAULT_AMBIENT_CONTEXTS`)
   */
  readonly ambientContexts?: readonly AmbientContext[];
}

type FunctionLike = ts.FunctionLikeDeclaration;

interface FunctionRecord {
  readonly node: FunctionLike;
  readonly location: Location;
  readonly label: string;
  readonly async: boolean;
  readonly exported: boolean;
  /** Whether it holds a group, semaphore or signal, which keeps it in the graph even if it starts nothing. */
  holds: boolean;
  /** Whether it starts async work itself when it runs (not in a function it only returns or stores). */
  spawns: boolean;
  readonly calls: Set<FunctionLike>;
  /** The calls made when it runs (not from a function it only returns or stores): they decide whether it starts work. */
  readonly runCalls: Set<FunctionLike>;
}

interface SpawnRecord {
  readonly id: string;
  readonly location: Location;
  readonly label: string;
  readonly via: 'call' | 'group' | 'constructor';
  readonly owned: Ownership | undefined;
  readonly parent: FunctionRecord | undefined;
  readonly callee: FunctionLike | undefined;
  readonly signal: 'passed' | 'missing' | undefined;
  /** With a missing signal: the ambient context whose reader the callee is (see `SpawnNode.ambient`). */
  readonly ambient: string | undefined;
  /**
   * `Promise.reject(e)`, `events.throw(e)`, `once(worker, 'exit')`, `queue.add(args)`: a settled promise, a finished
   * iteration, an event wait or a parked request, no work of its own (see `SpawnNode.startsWork`).
   */
  readonly settled: boolean;
}

interface FanOutRecord {
  readonly id: string;
  readonly location: Location;
  readonly label: string;
  readonly input: string;
  /** `passes`: one task per pass of a `while` or `do` loop, whose input is its condition, not a collection. */
  readonly over: 'elements' | 'passes';
  readonly multiplicity: Multiplicity;
  readonly parent: FunctionRecord;
  readonly spawn: SpawnRecord | undefined;
  readonly callee: FunctionLike | undefined;
}

const GROUP_METHODS = new Set(['go', 'goBlocking', 'tryGo']);
const CONTINUATIONS = new Set(['then', 'catch', 'finally']);
const LIMITED_BY: Record<Extract<CallbackBound, { kind: 'limited' }>['by'], FanOutBound> = {
  semaphore: 'semaphore',
  limiter: 'limiter',
  errgroup: 'limit',
};

/**
 * Walks every file once with the raw compiler API and builds the task graph's nodes and edges: functions, spawn sites
 * with their owners, fan-outs with their multiplicity, ErrGroups, Semaphores and AbortSignal sources; calls resolved
 * through the type checker across modules, spawns, owned-by, signal flow, acquire/release and group use.
 *
 * Types are asked for only where they matter (a call's callee, a `new`, a per-element call, a signal argument), and
 * every question about them goes through the facts the lint rules use, so the graph and the editor agree on what a
 * promise, a bound or a signal is. Rejected: ts-morph's node wrappers, which cost ~2.5× on large projects.
 *
 * @example const { nodes, edges } = collectGraph(loadProject({ project: 'tsconfig.json' }));
 */
export function collectGraph(project: LoadedProject, onFile?: (done: number, total: number) => void, options: CollectOptions = {}): CollectedGraph {
  const collector = new Collector(project, options.ambientContexts ?? DEFAULT_AMBIENT_CONTEXTS);
  project.files.forEach((file, index) => {
    collector.walkFile(file);
    onFile?.(index + 1, project.files.length);
  });
  return collector.finish();
}

class Collector {
  readonly #project: LoadedProject;
  readonly #checker: ts.TypeChecker;
  readonly #analyzed: Set<ts.SourceFile>;
  readonly #functions = new Map<FunctionLike, FunctionRecord>();
  readonly #spawns: SpawnRecord[] = [];
  readonly #fanOuts: FanOutRecord[] = [];
  readonly #nodes: GraphNode[] = [];
  readonly #edges: GraphEdge[] = [];
  /** Edges that name a function by declaration, resolved to ids once every file is walked. */
  readonly #pending: Array<{ from: string | FunctionRecord; to: FunctionLike | ts.Node; kind: GraphEdge['kind'] }> = [];
  #file = '';
  #exported = new Set<ts.Node>();
  /** `#deferred`'s answers per callee and argument position. */
  readonly #deferrals = new Map<FunctionLike, Map<number, boolean>>();
  readonly #ambientContexts: readonly AmbientContext[];

  constructor(project: LoadedProject, ambientContexts: readonly AmbientContext[]) {
    this.#ambientContexts = ambientContexts;
    this.#project = project;
    this.#checker = project.checker;
    this.#analyzed = new Set(project.files);
  }

  walkFile(sourceFile: ts.SourceFile): void {
    this.#file = this.#project.relativePath(sourceFile);
    this.#exported = this.#exportedDeclarations(sourceFile);
    const visit = (node: ts.Node, fn: FunctionRecord | undefined): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const own = this.#isOwnFunction(node, fn) ? this.#addFunction(node) : fn;
        ts.forEachChild(node, (child) => visit(child, own));
        return;
      }
      if (ts.isCallExpression(node)) this.#call(node, fn);
      else if (ts.isNewExpression(node)) this.#construct(node, fn);
      ts.forEachChild(node, (child) => visit(child, fn));
    };
    visit(sourceFile, undefined);
  }

  /** The function-like declarations the file exports (through `export { f }` and `export default` too), and exported classes' methods. */
  #exportedDeclarations(sourceFile: ts.SourceFile): Set<ts.Node> {
    const exported = new Set<ts.Node>();
    const moduleSymbol = this.#checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) return exported;
    for (let symbol of this.#checker.getExportsOfModule(moduleSymbol)) {
      if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.#checker.getAliasedSymbol(symbol);
      for (const declaration of symbol.getDeclarations() ?? []) {
        exported.add(declaration);
        if (ts.isClassLike(declaration)) {
          for (const member of declaration.members) {
            const hidden = (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Private) !== 0 || (member.name !== undefined && ts.isPrivateIdentifier(member.name));
            if (!hidden) exported.add(member);
          }
        }
      }
    }
    return exported;
  }

  /**
   * Whether a function gets its own graph node. Declarations, methods, accessors, constructors and named function
   * values (`const f = async () => …`) do; an anonymous callback inside a function is part of that function (its
   * spawns and calls are the enclosing function's, as a closure shares its signal); a callback at module level
   * (`app.get('/', async (req) => …)`) has no enclosing function, so it gets a node of its own.
   */
  #isOwnFunction(node: FunctionLike, enclosing: FunctionRecord | undefined): boolean {
    if (!ts.isFunctionExpression(node) && !ts.isArrowFunction(node)) return true;
    return enclosing === undefined || bindingOf(node) !== undefined || this.#deferred(node);
  }

  /**
   * Whether an anonymous callback is handed to a project function that only keeps it for later: every use of the
   * parameter it lands in is inside a function that does not run when that callee runs (a handler it registers, a
   * closure it stores), at any depth of such hand-overs. Such a callback runs on a later event, not on the call chain
   * of the function that wrote it, so it gets a node of its own (nobody calls it) rather than being folded into the
   * enclosing function: the signal that function was given, and the loop it runs in, are not the callback's
   * (`setupHandlers()` registering `async () => this.refresh()` for a later notification). A callee the checker cannot
   * resolve to project code (a library, `setTimeout`, `Array#map`) is taken to run the callback, as before: rejected,
   * a list of registration method names (`on`, `subscribe`, …), which would guess from names what the code shows.
   */
  #deferred(callback: ts.FunctionExpression | ts.ArrowFunction, depth = 0): boolean {
    const value = outer(callback);
    const call = value.parent;
    if (!call || !ts.isCallExpression(call) || depth > 3) return false;
    const index = call.arguments.indexOf(value as ts.Expression);
    const callee = index < 0 ? undefined : this.#resolveCallee(skipOuter(call.expression));
    if (!callee?.body) return false;
    let known = this.#deferrals.get(callee);
    if (!known) this.#deferrals.set(callee, (known = new Map<number, boolean>()));
    let answer = known.get(index);
    if (answer === undefined) {
      known.set(index, false); // a recursive hand-over back into this parameter runs it, until shown otherwise
      answer = this.#keepsForLater(callee, index, depth);
      known.set(index, answer);
    }
    return answer;
  }

  /** Whether every use of a function's parameter is inside a function that does not run when it runs (see `#deferred`). */
  #keepsForLater(callee: FunctionLike, index: number, depth: number): boolean {
    const parameter = callee.parameters[index];
    const name = parameter?.name;
    if (!callee.body || !parameter || parameter.dotDotDotToken || !name || !ts.isIdentifier(name)) return false;
    const symbol = this.#checker.getSymbolAtLocation(name);
    let uses = 0;
    let runs = false;
    const visit = (node: ts.Node): void => {
      if (runs) return;
      if (ts.isIdentifier(node) && node !== name && node.text === name.text && this.#checker.getSymbolAtLocation(node) === symbol) {
        uses++;
        if (!isStored(this.#checker, node) && this.#usedWhenRun(node, callee, depth)) runs = true;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(callee.body);
    return uses > 0 && !runs;
  }

  /** Whether `node` inside `fn` runs when `fn` runs, a callback handed to a call counting unless that call defers it. */
  #usedWhenRun(node: ts.Node, fn: FunctionLike, depth: number): boolean {
    for (let current = node.parent; current && current !== fn; current = current.parent) {
      if (!ts.isFunctionLike(current)) continue;
      const holder = outer(current).parent;
      if (!holder || !ts.isCallExpression(holder)) return false;
      if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && this.#deferred(current, depth + 1)) return false;
    }
    return true;
  }

  #addFunction(node: FunctionLike): FunctionRecord {
    const binding = ts.isFunctionExpression(node) || ts.isArrowFunction(node) ? bindingOf(node) : undefined;
    const statement = binding && ts.isVariableDeclaration(binding) ? binding : undefined;
    const record: FunctionRecord = {
      node,
      location: locationOf(node, this.#file),
      label: functionLabel(node),
      async: (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Async) !== 0,
      exported: this.#exported.has(node) || (statement !== undefined && this.#exported.has(statement)) || (binding !== undefined && ts.isExportAssignment(binding)),
      holds: false,
      spawns: false,
      calls: new Set(),
      runCalls: new Set(),
    };
    this.#functions.set(node, record);
    return record;
  }

  #call(call: ts.CallExpression, fn: FunctionRecord | undefined): void {
    const checker = this.#checker;
    const callee = skipOuter(call.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    // AbortSignal.timeout(ms), AbortSignal.any([...])
    if (ts.isPropertyAccessExpression(callee) && (method === 'timeout' || method === 'any') && platformAbortApi(checker, callee.expression) === 'AbortSignal') {
      this.#addSignal(call, method, fn);
      return;
    }
    // save().then(f): the same task continued, owned as the outer call is
    if (ts.isPropertyAccessExpression(callee) && CONTINUATIONS.has(method!) && isPromiseLike(checker, receiverTypeOf(checker, callee.expression))) return;
    if (ts.isPropertyAccessExpression(callee) && GROUP_METHODS.has(method!) && taskscopePrimitive(checker, receiverTypeOf(checker, callee.expression)) === 'ErrGroup') {
      this.#groupSpawn(call, callee, fn);
      return;
    }
    if (ts.isPropertyAccessExpression(callee) && (method === 'acquire' || method === 'release')) this.#permit(callee, method, fn);
    // response.json() where `const response = await fetch(…)`, parse(text).isOk(): typing the receiver would resolve
    // the call that made it, checking every argument (0.3 s of the collect phase on the 2,000-file bench project)
    const declared = declaredMember(checker, callee);
    const calleeType = declared?.type ?? checker.getTypeAtLocation(call.expression);
    // ids.map(load): an array is never a task itself, so the call is not resolved (which would type the callback's body)
    // Object.assign(work, extra): hands a kept promise back, the task is `work`'s (a callee declared to return
    // `Promise<…>` never does, so only a generic one is asked, whose call is resolved already)
    // this.inflight.get(name): a task stored before, looked up (`isCollectionLookup`), starts nothing
    const isSpawn =
      mayReturnPromise(checker, calleeType) &&
      !isCollectionLookup(checker, callee) &&
      (returnsPromiseAlways(checker, calleeType) ||
        (!returnsArrayAlways(checker, calleeType) && isPromiseLike(checker, checker.getTypeAtLocation(call)) && passedThroughArguments(checker, call) === undefined));
    const target = isSpawn || fn ? this.#resolveCallee(callee, declared ?? null) : undefined;
    if (!isSpawn && !target) return;
    const use = fn || isSpawn ? signalUse(checker, call, calleeType, this.#ambientContexts) : undefined;
    let spawn: SpawnRecord | undefined;
    if (isSpawn) {
      // client.get(key, (err, value) => …): a floating call that hands its outcome to a Node-style callback is
      // handled there; worker.release() returning a promise kept elsewhere leaves it stored there (no-floating-task
      // judges both alike)
      const owned = ownershipOf(checker, call) ?? (deliversToCallback(checker, call) ? 'handler' : returnsKeptPromise(checker, call) ? 'stored' : undefined);
      spawn = this.#addSpawn(call, 'call', owned, fn, target, use);
    }
    if (fn && target) {
      fn.calls.add(target);
      if (this.#runsWith(call, fn)) fn.runCalls.add(target);
    }
    if (use?.state === 'passed' && use.source) {
      const origin = signalOrigin(checker, use.source);
      if (origin) {
        const from = nodeId('signal', locationOf(origin, this.#project.relativePath(origin.getSourceFile())));
        if (spawn) this.#edges.push({ from, to: spawn.id, kind: 'signal-flow' });
        else if (target) this.#pending.push({ from, to: target, kind: 'signal-flow' });
      }
    }
    if (fn) this.#fanOut(call, fn, spawn, target);
  }

  /**
   * The project function a call runs, resolved through the checker (imports, methods, `const f = () => …`), or through
   * the callee's symbol when `declaredMember` knows it (`declared`: its answer when the caller has asked already,
   * `null` for none).
   */
  #resolveCallee(callee: ts.Expression, declared?: { readonly symbol: ts.Symbol } | null): FunctionLike | undefined {
    const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
    if (!name) return undefined;
    const member = declared === undefined ? declaredMember(this.#checker, callee) : declared;
    let symbol = member?.symbol ?? this.#checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.#checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.getDeclarations() ?? []) {
      if (!this.#analyzed.has(declaration.getSourceFile())) continue;
      if (ts.isFunctionLike(declaration) && 'body' in declaration && declaration.body) return declaration;
      if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) && declaration.initializer) {
        const value = skipOuter(declaration.initializer);
        if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
      }
    }
    return undefined;
  }

  #addSpawn(
    node: ts.CallExpression | ts.NewExpression,
    via: SpawnRecord['via'],
    owned: Ownership | undefined,
    fn: FunctionRecord | undefined,
    callee: FunctionLike | undefined,
    use: SignalUse | undefined,
  ): SpawnRecord {
    const location = locationOf(node, this.#file);
    const settled = ts.isCallExpression(node) && this.#startsNoWork(node, callee);
    const ambient = use?.state === 'missing' && use.ambient ? contextName(use.ambient) : undefined;
    const record: SpawnRecord = { id: nodeId('spawn', location), location, label: callLabel(node), via, owned, parent: fn, callee, signal: use?.state, ambient, settled };
    this.#spawns.push(record);
    if (fn && this.#runsWith(node, fn)) fn.spawns = true;
    return record;
  }

  /**
   * Whether a spawn starts no work of its own (see `SpawnNode.startsWork`): a settled promise, a finished iteration,
   * an event wait, a call of a project function that parks a request in a queue or only hands back what exists
   * (handlers chained on a promise that runs already), or a Promise combinator over promises that are all one of those
   * (or the elements' own methods, as `no-unbounded-fanout` judges them).
   */
  #startsNoWork(call: ts.CallExpression, callee: FunctionLike | undefined): boolean {
    const checker = this.#checker;
    if (isSettledPromise(checker, call) || endsIteration(checker, call) || waitsForEvent(checker, call)) return true;
    if (callee !== undefined && (parksSettlementIn(checker, callee) || returnsOnlyExisting(checker, callee))) return true;
    if (!isPromiseCombinator(checker, call)) return false;
    const work = collectedWork(checker, call);
    return work !== undefined && work !== 'new';
  }

  /**
   * Whether code inside `fn` runs when `fn` runs: it is in `fn`'s body, or inside callbacks that are called (an IIFE)
   * or handed to a call (`forEach`, `setTimeout`, `group.go`). A function that `fn` returns or stores (a task factory)
   * runs only when someone calls it, so calling `fn` starts nothing.
   */
  #runsWith(node: ts.Node, fn: FunctionRecord): boolean {
    for (let current = node.parent; current && current !== fn.node; current = current.parent) {
      if (!ts.isFunctionLike(current)) continue;
      const holder = outer(current).parent;
      if (!holder || !ts.isCallExpression(holder)) return false;
    }
    return true;
  }

  // group.go(async (signal) => …)
  #groupSpawn(call: ts.CallExpression, callee: ts.PropertyAccessExpression, fn: FunctionRecord | undefined): void {
    const spawn = this.#addSpawn(call, 'group', 'group', fn, undefined, undefined);
    const group = this.#construction(callee.expression);
    if (group) this.#edges.push({ from: spawn.id, to: nodeId('group', locationOf(group, this.#project.relativePath(group.getSourceFile()))), kind: 'uses' });
    const task = call.arguments[0] && skipOuter(call.arguments[0]);
    const parameter = task && (ts.isArrowFunction(task) || ts.isFunctionExpression(task)) ? task.parameters[0] : undefined;
    if (parameter) this.#addSignal(parameter, 'group', fn);
    if (fn) this.#fanOut(call, fn, spawn, undefined);
  }

  // const permit = await sem.acquire(); permit.release()
  #permit(callee: ts.PropertyAccessExpression, method: 'acquire' | 'release', fn: FunctionRecord | undefined): void {
    if (!fn) return;
    const receiverType = receiverTypeOf(this.#checker, callee.expression);
    const primitive = taskscopePrimitive(this.#checker, receiverType);
    let semaphore: ts.NewExpression | undefined;
    if (method === 'acquire' && primitive === 'Semaphore') semaphore = this.#construction(callee.expression);
    if (method === 'release' && primitive === 'Permit') {
      // The permit's initializer, `await sem.acquire()`, names the semaphore.
      const acquired = this.#initializer(callee.expression);
      const call = acquired && skipOuter(ts.isAwaitExpression(acquired) ? acquired.expression : acquired);
      if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(skipOuter(call.expression))) {
        semaphore = this.#construction((skipOuter(call.expression) as ts.PropertyAccessExpression).expression);
      }
    }
    if (!semaphore) return;
    fn.holds = true;
    this.#pending.push({ from: fn, to: semaphore, kind: method === 'acquire' ? 'acquires' : 'releases' });
  }

  /** The initializer of the variable or readonly field an expression names (`group`, `this.group`). */
  #initializer(expression: ts.Expression): ts.Expression | undefined {
    const node = skipOuter(expression);
    const name = ts.isPropertyAccessExpression(node) ? node.name : ts.isIdentifier(node) ? node : undefined;
    if (!name) return undefined;
    let symbol = this.#checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.#checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration))) return declaration.initializer;
    return undefined;
  }

  /** The `new ErrGroup(…)` / `new Semaphore(…)` a receiver was created by, through `const` and field initializers. */
  #construction(expression: ts.Expression): ts.NewExpression | undefined {
    let node: ts.Expression | undefined = skipOuter(expression);
    for (let depth = 0; node && depth < 4; depth++) {
      if (ts.isNewExpression(node)) return node;
      const initializer = this.#initializer(node);
      node = initializer && skipOuter(initializer);
    }
    return undefined;
  }

  #construct(node: ts.NewExpression, fn: FunctionRecord | undefined): void {
    const checker = this.#checker;
    // new AbortController()
    if (platformAbortApi(checker, node.expression) === 'AbortController') {
      this.#addSignal(node, 'controller', fn);
      return;
    }
    // new ErrGroup({ limit: 4 }), new URL(path, base): the constructor's declared type, without resolving the call
    const type = declaredValueType(checker, node) ?? checker.getTypeAtLocation(node);
    const primitive = taskscopePrimitive(checker, type);
    const location = locationOf(node, this.#file);
    const label = this.#bindingLabel(node) ?? callLabel(node);
    const parent = fn ? nodeId('function', fn.location) : undefined;
    if (primitive === 'ErrGroup') {
      const limit = this.#constantOption(node, 'limit');
      const limited = errGroupLimit(checker, node) === 'limited';
      this.#nodes.push({ kind: 'group', id: nodeId('group', location), ...location, label, limited, ...(limit !== undefined && { limit }), ...(parent && { parent }) });
      if (fn) fn.holds = true;
      return;
    }
    if (primitive === 'Semaphore') {
      const first = node.arguments?.[0];
      const capacityType = first && !ts.isSpreadElement(first) ? checker.getTypeAtLocation(first) : undefined;
      const capacity = capacityType?.isNumberLiteral() ? capacityType.value : undefined;
      this.#nodes.push({ kind: 'semaphore', id: nodeId('semaphore', location), ...location, label, ...(capacity !== undefined && { capacity }), ...(parent && { parent }) });
      if (fn) fn.holds = true;
      return;
    }
    // new Promise((resolve, reject) => …)
    if (isBuiltinPromise(checker, type)) {
      const spawn = this.#addSpawn(node, 'constructor', ownershipOf(checker, node), fn, undefined, undefined);
      if (fn) this.#fanOut(node, fn, spawn, undefined);
    }
  }

  /** `group` for `const group = new ErrGroup()`, `this.pool` for a field. */
  #bindingLabel(node: ts.Expression): string | undefined {
    const parent = node.parent;
    if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
    return undefined;
  }

  /** A numeric option given as a literal (`{ limit: 8 }`, or a `const` whose type is the literal `8`). */
  #constantOption(node: ts.NewExpression, name: string): number | undefined {
    const options = node.arguments?.[0] && skipOuter(node.arguments[0]);
    if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
    for (const property of options.properties) {
      if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== name) continue;
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      const type = value && this.#checker.getTypeAtLocation(value);
      return type?.isNumberLiteral() ? type.value : undefined;
    }
    return undefined;
  }

  #addSignal(node: ts.Node, source: SignalSource, fn: FunctionRecord | undefined): void {
    const location = locationOf(node, this.#project.relativePath(node.getSourceFile()));
    const label = ts.isParameter(node) ? shortText(node.name) : (this.#bindingLabel(node as ts.Expression) ?? shortText(node));
    this.#nodes.push({ kind: 'signal', id: nodeId('signal', location), ...location, label, source, ...(fn && { parent: nodeId('function', fn.location) }) });
    if (fn) fn.holds = true;
  }

  /**
   * A fan-out: a spawn, or a call to a project function, that runs once per element of a collection (in a loop body
   * or an iteration callback such as `map`) and whose runs overlap. A loop that awaits each spawn runs them one at a
   * time, so it is not a fan-out. Its multiplicity comes from the fan-out facts: the collection's bound, or what each
   * task waits for (a semaphore, a limiter, a limited ErrGroup).
   */
  #fanOut(call: ts.CallExpression | ts.NewExpression, fn: FunctionRecord, spawn: SpawnRecord | undefined, callee: FunctionLike | undefined): void {
    // Loops outside an `await` in the function's own body run one at a time: `for (…) await Promise.all(batch.map(f))`
    // fans out per batch, not per loop iteration. An `await` inside a callback does not count: each call of the
    // callback starts at once.
    // A callback that is not an iteration callback (`setTimeout(() => …)`, an async IIFE, a test body) ends the search,
    // as it does in `iterationBound`: when it runs, and how often, is not known here.
    const checker = this.#checker;
    let innermost: 'loop' | 'callback' | undefined;
    let loop: ts.IterationStatement | undefined;
    let awaited: ts.Node | undefined;
    const callbacks: ts.Node[] = [];
    for (let child: ts.Node = call, parent = call.parent; parent && parent !== fn.node; child = parent, parent = parent.parent) {
      if (ts.isAwaitExpression(parent)) awaited ??= parent;
      if (ts.isIterationStatement(parent, false) && child === parent.statement) {
        innermost ??= 'loop';
        loop ??= parent;
      } else if (ts.isFunctionLike(parent)) {
        if (!iteratedCollection(checker, parent)) break;
        innermost ??= 'callback';
        awaited = undefined;
        callbacks.push(parent);
      }
    }
    // for (…) { const p = save(x); …; await p; } runs one at a time, like `await save(x)`
    if (!innermost || (innermost === 'loop' && spawn?.owned === 'await')) return;
    // while (!done) { this.begin(); await attempt(); }, for await (const chunk of stream) store(chunk): the helper call
    // of one pass ends before the next pass starts (a `for await` waits for its iterator on every pass)
    if (innermost === 'loop' && !spawn && loop && ((ts.isForOfStatement(loop) && loop.awaitModifier !== undefined) || awaitsEveryPass(loop.statement))) return;
    // for (const conn of idle) conn.close(): the element's own method works with what the element already holds
    if (ts.isCallExpression(call) && isElementMethodCall(checker, call)) return;
    const bound = iterationBound(checker, call, awaited);
    if (bound.kind === 'constant' && bound.by === 'single') return;
    let limited: CallbackBound = ts.isCallExpression(call) ? (spawn ? spawnBound(checker, call) : boundingCall(checker, call)) : { kind: 'unlimited' };
    for (const callback of callbacks) {
      if (limited.kind === 'limited') break;
      limited = callbackBound(checker, callback as ts.Expression);
    }
    const multiplicity = toMultiplicity(bound, limited, spawn?.via === 'group' && ts.isCallExpression(call) ? this.#groupLimit(call) : undefined);
    const input = bound.kind === 'unbounded' ? shortText(bound.input, 40) : this.#collectionText(call, fn) ?? '…';
    const location = locationOf(call, this.#file);
    // while (!closing) track(next()): a pass of a loop over a condition, not an element of a collection
    const over = innermost === 'loop' && loop && (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) ? 'passes' : 'elements';
    const label = over === 'passes' ? `each pass while ${input}` : `for each of ${input}`;
    this.#fanOuts.push({ id: nodeId('fanout', location), location, label, input, over, multiplicity, parent: fn, spawn, callee });
  }

  #groupLimit(call: ts.CallExpression): number | undefined {
    const callee = skipOuter(call.expression);
    const group = ts.isPropertyAccessExpression(callee) ? this.#construction(callee.expression) : undefined;
    return group ? this.#constantOption(group, 'limit') : undefined;
  }

  /** The text of the innermost collection a call runs once per element of. */
  #collectionText(call: ts.Node, fn: FunctionRecord): string | undefined {
    for (let child: ts.Node = call, parent = call.parent; parent && parent !== fn.node; child = parent, parent = parent.parent) {
      if (ts.isForOfStatement(parent) && child === parent.statement) return shortText(parent.expression, 40);
      if (ts.isForInStatement(parent) && child === parent.statement) return shortText(parent.expression, 40);
      if (ts.isForStatement(parent) && child === parent.statement && parent.condition) return shortText(parent.condition, 40);
      if ((ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && child === parent.statement) return shortText(parent.expression, 40);
      if (ts.isFunctionLike(parent)) {
        const collection = iteratedCollection(this.#checker, parent);
        if (collection) return shortText(collection, 40);
      }
    }
    return undefined;
  }

  /**
   * Resolves what waited for every file: which functions start async work (themselves or through their callees, a
   * fixpoint over the calls), which functions are graph nodes, and the edges that named functions by declaration.
   */
  finish(): CollectedGraph {
    const checker = this.#checker;
    const startsWork = new Set<FunctionRecord>();
    const callers = new Map<FunctionRecord, FunctionRecord[]>();
    for (const record of this.#functions.values()) {
      if (record.async || record.spawns) startsWork.add(record);
      for (const target of record.runCalls) {
        const callee = this.#functions.get(target);
        if (!callee) continue;
        const list = callers.get(callee);
        if (list) list.push(record);
        else callers.set(callee, [record]);
      }
    }
    const queue = [...startsWork];
    for (let next = queue.pop(); next; next = queue.pop()) {
      for (const caller of callers.get(next) ?? []) {
        if (startsWork.has(caller)) continue;
        startsWork.add(caller);
        queue.push(caller);
      }
    }
    const inGraph = (record: FunctionRecord | undefined): record is FunctionRecord => record !== undefined && (startsWork.has(record) || record.holds);
    const idOf = (target: FunctionLike | ts.Node | undefined): string | undefined => {
      const record = target && this.#functions.get(target as FunctionLike);
      return inGraph(record) ? nodeId('function', record.location) : undefined;
    };

    const nodes = this.#nodes;
    const edges = this.#edges;
    const abortListeners = new Map<ts.ClassLikeDeclaration, boolean>();
    for (const record of this.#functions.values()) {
      if (!inGraph(record)) continue;
      const id = nodeId('function', record.location);
      let hasSignal = false;
      // The ambient context every signal parameter is (`config: RunnableConfig`), if they agree on one.
      const contexts = new Set<string | undefined>();
      for (const parameter of record.node.parameters) {
        const type = checker.getTypeAtLocation(parameter);
        if (!isAbortSignal(checker, type) && !signalCarrier(checker, type)) continue;
        hasSignal = true;
        const context = this.#ambientContexts.length > 0 ? ambientContextOf(checker, type, this.#ambientContexts) : undefined;
        contexts.add(context && contextName(context));
        const location = locationOf(parameter, record.location.file);
        nodes.push({ kind: 'signal', id: nodeId('signal', location), ...location, label: shortText(parameter.name), source: 'parameter', parent: id });
      }
      const [ambient] = contexts.size === 1 ? contexts : [];
      nodes.push({
        kind: 'function',
        id,
        ...record.location,
        label: record.label,
        async: record.async,
        exported: record.exported,
        hasSignal,
        ...(ambient && { ambient }),
        ...(isReleaseMethod(record.node) && { releases: true as const }),
        ...(listensForAbort(checker, record.node, abortListeners) && { wiredSignal: true as const }),
      });
      for (const target of record.calls) {
        const to = idOf(target);
        if (to && to !== id) edges.push({ from: id, to, kind: 'calls' });
      }
    }
    for (const spawn of this.#spawns) {
      const parent = idOf(spawn.parent?.node);
      const callee = idOf(spawn.callee);
      nodes.push({
        kind: 'spawn',
        id: spawn.id,
        ...spawn.location,
        label: spawn.label,
        via: spawn.via,
        ...(parent && { parent }),
        ...(spawn.owned && { owned: spawn.owned }),
        ...(callee && { callee }),
        ...(spawn.signal && { signal: spawn.signal }),
        ...(spawn.ambient && { ambient: spawn.ambient }),
        ...(spawn.settled && { startsWork: false as const }),
      });
      if (parent) {
        edges.push({ from: parent, to: spawn.id, kind: 'spawns' });
        if (spawn.owned === 'await' || spawn.owned === 'return' || spawn.owned === 'collect' || spawn.owned === 'handler') {
          edges.push({ from: spawn.id, to: parent, kind: 'owned-by' });
        }
      }
    }
    for (const fanOut of this.#fanOuts) {
      const callee = idOf(fanOut.callee);
      const calleeStarts = fanOut.callee !== undefined && startsWork.has(this.#functions.get(fanOut.callee)!);
      if (!fanOut.spawn && !calleeStarts) continue;
      const parent = nodeId('function', fanOut.parent.location);
      nodes.push({
        kind: 'fanout', id: fanOut.id, ...fanOut.location, label: fanOut.label, multiplicity: fanOut.multiplicity, input: fanOut.input,
        ...(fanOut.over === 'passes' && { over: 'passes' as const }), parent,
      });
      edges.push({ from: parent, to: fanOut.id, kind: 'spawns' });
      if (fanOut.spawn) edges.push({ from: fanOut.id, to: fanOut.spawn.id, kind: 'spawns' });
      if (callee && calleeStarts) edges.push({ from: fanOut.id, to: callee, kind: 'calls' });
    }
    for (const edge of this.#pending) {
      const from = typeof edge.from === 'string' ? edge.from : idOf(edge.from.node);
      const to = ts.isNewExpression(edge.to)
        ? nodeId('semaphore', locationOf(edge.to, this.#project.relativePath(edge.to.getSourceFile())))
        : idOf(edge.to);
      if (from && to) edges.push({ from, to, kind: edge.kind });
    }
    return { nodes, edges };
  }
}

/**
 * Whether a function is an instance member (method, accessor, constructor, or a class field holding a function) of a
 * class that listens for the abort of a signal its objects hold: somewhere in its body `addAbortListener(signal, …)`,
 * `signal.addEventListener('abort', …)` or `signal.onabort = …` on an AbortSignal read from `this` (`this.signal`,
 * `this.options.signal`, or a variable initialised from one: `const { signal } = this.options`). A listener on a
 * signal a method was passed (`selectServer(options)`) wires that call, not the object. See `FunctionNode.wiredSignal`.
 * One answer per class.
 */
function listensForAbort(checker: ts.TypeChecker, fn: ts.Node, known: Map<ts.ClassLikeDeclaration, boolean>): boolean {
  const member = ts.isPropertyDeclaration(fn.parent) ? fn.parent : fn;
  const owner = member.parent;
  if (!ts.isClassLike(owner) || (ts.isClassElement(member) && (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) !== 0)) return false;
  let answer = known.get(owner);
  if (answer === undefined) {
    const isSignal = (node: ts.Expression): boolean => readFromThis(checker, node) && isAbortSignal(checker, checker.getTypeAtLocation(node));
    const visit = (node: ts.Node): boolean => {
      // addAbortListener(signal, abort)
      if (ts.isCallExpression(node) && ts.isIdentifier(skipOuter(node.expression)) && (skipOuter(node.expression) as ts.Identifier).text === 'addAbortListener') {
        const signal = node.arguments[0];
        if (signal && isSignal(signal)) return true;
      }
      // signal.addEventListener('abort', abort)
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'addEventListener') {
        const type = node.arguments[0];
        if (type && ts.isStringLiteralLike(type) && type.text === 'abort' && isSignal(node.expression.expression)) return true;
      }
      // signal.onabort = abort
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'onabort' && isSignal(node.left.expression)) {
        return true;
      }
      return ts.forEachChild(node, visit) ?? false;
    };
    answer = ts.forEachChild(owner, visit) ?? false;
    known.set(owner, answer);
  }
  return answer;
}

/** Whether an expression reads from `this`: `this.a.b`, or a variable (destructured or not) initialised so. */
function readFromThis(checker: ts.TypeChecker, expression: ts.Expression, depth = 0): boolean {
  const node = skipOuter(expression);
  if (node.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return readFromThis(checker, node.expression, depth);
  if (!ts.isIdentifier(node) || depth > 4) return false;
  let declaration: ts.Node | undefined = checker.getSymbolAtLocation(node)?.valueDeclaration;
  while (declaration && ts.isBindingElement(declaration)) declaration = declaration.parent.parent;
  return declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && readFromThis(checker, declaration.initializer, depth + 1);
}

const STORE_METHODS: Readonly<Record<string, string>> = { push: 'Array', unshift: 'Array', set: 'Map', add: 'Set' };

/**
 * Whether a reference to a function only stores it: `this.handler = f`, `{ handler: f }`, or `handlers.push(f)`,
 * `map.set(key, f)`, `set.add(f)` on a built-in Array, Map or Set. Storing runs nothing; whoever reads it back runs it later.
 */
function isStored(checker: ts.TypeChecker, reference: ts.Node): boolean {
  const node = outer(reference);
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) return true;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) return true;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(node as ts.Expression)) return false;
  const callee = skipOuter(parent.expression);
  const container = ts.isPropertyAccessExpression(callee) ? STORE_METHODS[callee.name.text] : undefined;
  if (!container || !ts.isPropertyAccessExpression(callee)) return false;
  const symbol = checker.getTypeAtLocation(callee.expression).getSymbol();
  return symbol?.getName() === container && (symbol.getDeclarations() ?? []).some((d) => DEFAULT_LIB_FILE.test(d.getSourceFile().fileName));
}

function toMultiplicity(bound: BoundFact, limited: CallbackBound, limit: number | undefined): Multiplicity {
  if (limited.kind === 'limited') {
    const by = LIMITED_BY[limited.by];
    return limit !== undefined && by === 'limit' ? { kind: 'bounded', by, limit } : { kind: 'bounded', by };
  }
  if (bound.kind === 'unbounded') return { kind: 'unbounded' };
  if (bound.kind === 'constant') return bound.n === 1 ? { kind: 'one' } : { kind: 'constant', n: bound.n };
  return { kind: 'bounded', by: bound.by === 'single' ? 'length' : bound.by };
}
