/**
 * The task graph: the analyzer's one data model, shared by the collectors (which fill it), the graph analyses (which
 * add findings) and the reporters (which only read it). Pure data: no ts-morph or TypeScript object is ever stored
 * here, so a graph can be written as JSON, read back, and fed to any reporter or analysis in a test.
 *
 * It is the static counterpart of a promise graph (Madsen et al., OOPSLA'17; PromiseKeeper, OOPSLA'18), extended
 * with fan-out multiplicity, ErrGroups and Semaphores, and AbortSignal flow.
 *
 * Stability: the JSON report is this object. `schemaVersion` changes when a field changes meaning or goes away;
 * adding a field does not change it. Every array is sorted (see `sortGraph`) so reports diff cleanly.
 */

/** Bumped when a field changes meaning or is removed. */
export const SCHEMA_VERSION = 1;

/** The rule ids: the five lint rules, and the ones only a whole-program view can see. */
export type RuleId =
  | 'no-floating-task'
  | 'propagate-abort-signal'
  | 'no-double-close'
  | 'no-unbounded-fanout'
  | 'no-ignored-result'
  | 'parse-error';

export type Severity = 'error' | 'warning';

/** A place in the project. `file` is relative to the graph's `root`, with `/` separators. Lines and columns are 1-based. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** How many tasks a fan-out site starts, and what bounds it. */
export type Multiplicity =
  | { readonly kind: 'one' }
  | { readonly kind: 'constant'; readonly n: number }
  | { readonly kind: 'bounded'; readonly by: FanOutBound; readonly limit?: number }
  | { readonly kind: 'unbounded' };

/**
 * What keeps a fan-out bounded: the collection's shape (`literal`, `tuple`, `slice`, `length`, `min` for
 * `Math.min(k, …)`, `record` for the keys of a fixed-key type, `allowed` for a type the user declared bounded), or what
 * each task waits for (`limit` of an ErrGroup, a `semaphore` permit, a `limiter` function).
 */
export type FanOutBound = 'literal' | 'tuple' | 'slice' | 'length' | 'min' | 'record' | 'allowed' | 'limit' | 'semaphore' | 'limiter';

/** How a spawned task is owned: who will see its failure. */
export type Ownership = 'await' | 'return' | 'collect' | 'handler' | 'group' | 'stored' | 'passed' | 'void';

/** Where an AbortSignal comes from. */
export type SignalSource = 'parameter' | 'controller' | 'timeout' | 'any' | 'group';

interface NodeBase extends Location {
  /** Stable across runs on the same sources: derived from kind, file, line and column (never a counter). */
  readonly id: string;
  /** A short human label, e.g. the function's name or the callee's source text (truncated). */
  readonly label: string;
}

/**
 * An async function or method, any function that returns a promise, or a function that starts async work (directly or
 * through the functions it calls) even though it returns none: `function track(x) { void save(x); }`.
 */
export interface FunctionNode extends NodeBase {
  readonly kind: 'function';
  readonly async: boolean;
  readonly exported: boolean;
  /** Whether it has an AbortSignal in scope from its parameters (directly or as a `signal` property). */
  readonly hasSignal: boolean;
  /**
   * The ambient context its signal parameters are (`config: RunnableConfig`, named by its types): it runs inside that
   * context's run, where the context's readers take the signal from AsyncLocalStorage. Absent otherwise.
   */
  readonly ambient?: string;
  /**
   * `true` for a method that gives back what its object holds (`close`, `destroy`, `dispose`, … see
   * `isReleaseMethod`): what it starts is the teardown of that object, not new work. Absent otherwise.
   */
  readonly releases?: true;
  /**
   * `true` for an instance member of a class that listens for the abort of a signal its objects hold
   * (`addAbortListener(signal, …)`, `signal.addEventListener('abort', …)` on a signal read from `this`): the class
   * wires the signal by hand, typically destroying the object on abort, which ends what its methods started (a read
   * of its own stream). Absent otherwise.
   */
  readonly wiredSignal?: true;
}

/** A call that starts async work: a promise-returning call, `group.go(...)`, `new Promise(...)`. */
export interface SpawnNode extends NodeBase {
  readonly kind: 'spawn';
  readonly via: 'call' | 'group' | 'constructor';
  /** The enclosing function's node id, if the spawn is inside one of the graph's functions. */
  readonly parent?: string;
  /** How it is owned; absent when nobody owns it (a floating task). */
  readonly owned?: Ownership;
  /** The graph function this call starts, when the type checker resolves the callee to one of the project's functions. */
  readonly callee?: string;
  /**
   * Whether the call hands on an AbortSignal: `passed` when the callee can take one and gets one, `missing` when it can
   * take one and gets none; absent when the callee cannot take a signal.
   */
  readonly signal?: 'passed' | 'missing';
  /**
   * With `signal: 'missing'`: the ambient context whose reader the callee is (`dispatchCustomEvent(name, payload)`
   * reads LangChain's `RunnableConfig`, signal included, from AsyncLocalStorage). Called inside that context's run, it
   * still gets the signal. Absent otherwise.
   */
  readonly ambient?: string;
  /**
   * `false` when the call starts no work of its own: `Promise.resolve(x)` or `Promise.reject(error)` hands back a
   * promise already settled with a value the caller has, `iterator.return()` or `iterator.throw(error)` finishes an
   * iteration that already runs (a task nobody may own, but nothing new runs), Node's `once(worker, 'exit')` waits for
   * an event of an emitter that exists already, and a call of a project function that only parks a request in a queue
   * (`return new Promise((resolve, reject) => this.#waiting.push({ args, resolve, reject }))`) leaves the work to the
   * queue's one reader, which sets the pace (as `no-unbounded-fanout` counts it), or a call of one that only chains
   * inline handlers on a promise that runs already (`return job.done?.catch(() => 'failed')`). So does a Promise
   * combinator over promises made in sight that are all of these kinds (`Promise.all(replies)` where every
   * `replies.push(…)` is a parked request): it starts nothing itself, and what it waits for starts nothing new.
   * Absent otherwise.
   */
  readonly startsWork?: false;
}

/** A site that starts one task per element of a collection. */
export interface FanOutNode extends NodeBase {
  readonly kind: 'fanout';
  readonly multiplicity: Multiplicity;
  /** The source text of the collection (truncated), or of the loop's condition when `over` is `passes`. */
  readonly input: string;
  /** `passes` when the tasks start one per pass of a `while` or `do` loop; absent for the elements of a collection. */
  readonly over?: 'passes';
  readonly parent?: string;
}

/** An `ErrGroup` construction. */
export interface GroupNode extends NodeBase {
  readonly kind: 'group';
  /** The `limit` option when it is a constant; `undefined` when absent (unlimited) or not constant. */
  readonly limit?: number;
  readonly limited: boolean;
  readonly parent?: string;
}

/** A `Semaphore` construction. */
export interface SemaphoreNode extends NodeBase {
  readonly kind: 'semaphore';
  readonly capacity?: number;
  readonly parent?: string;
}

/** Where an AbortSignal comes into being or into scope. */
export interface SignalNode extends NodeBase {
  readonly kind: 'signal';
  readonly source: SignalSource;
  readonly parent?: string;
}

export type GraphNode = FunctionNode | SpawnNode | FanOutNode | GroupNode | SemaphoreNode | SignalNode;
export type NodeKind = GraphNode['kind'];

/**
 * - `calls`: function → function it calls (resolved through the type checker, across modules); fan-out → the function
 *   it calls once per element.
 * - `spawns`: function → spawn or fan-out site inside it; fan-out → the spawn it repeats.
 * - `owned-by`: spawn → the function that owns it (awaits, returns, collects it).
 * - `signal-flow`: signal → the call (spawn) it reaches, or → the function it is passed to.
 * - `acquires` / `releases`: function → semaphore.
 * - `uses`: spawn → group it was started in.
 */
export type EdgeKind = 'calls' | 'spawns' | 'owned-by' | 'signal-flow' | 'acquires' | 'releases' | 'uses';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

/** One step of the chain that explains a finding (entry → helper → fetch without signal). */
export interface ChainStep extends Location {
  readonly label: string;
  /** The graph node this step is, when there is one. */
  readonly node?: string;
}

export interface Finding extends Location {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** `lint` for a finding of the ESLint rules, `graph` for one only the whole-program view sees. */
  readonly origin: 'lint' | 'graph';
  /**
   * The explaining chain, first step first. The finding's own location is one of the steps: the last one (the call that
   * drops a signal, the floating call), except for a fan-out reached through a call chain, which is reported at its
   * first step, the per-element call where a bound belongs.
   */
  readonly chain: readonly ChainStep[];
}

export interface Summary {
  readonly files: number;
  readonly functions: number;
  readonly spawns: number;
  /** Spawns no one owns. */
  readonly floating: number;
  readonly fanOuts: number;
  readonly unboundedFanOuts: number;
  readonly groups: number;
  readonly semaphores: number;
  readonly signals: number;
  readonly findings: { readonly error: number; readonly warning: number };
  readonly byRule: Readonly<Partial<Record<RuleId, number>>>;
}

export interface TaskGraph {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  /** The project root as given (absolute path, `/` separators); every `file` is relative to it. */
  readonly root: string;
  readonly summary: Summary;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly findings: readonly Finding[];
}
