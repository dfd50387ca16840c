/**
 * ErrGroup: Go's `golang.org/x/sync/errgroup` (with `WithContext` and `SetLimit`) for promises. A group runs
 * tasks that work on parts of one job, cancels them all through one `AbortSignal` when the first one fails, and
 * lets the caller wait for every task and get the first error back.
 */
import {
  groupDoneChannel,
  groupWaitChannel,
  taskEndChannel,
  taskErrorChannel,
  taskQueueChannel,
  taskStartChannel,
} from './diagnostics.js';
import { nextTick } from 'node:process';
import {
  addHolder,
  captureStack,
  createGroupRecord,
  createStartedTaskRecord,
  createTaskRecord,
  holdTask,
  markDone,
  markLive,
  releaseTask,
  removeHolder,
  takeRecordId,
} from './registry.js';
import type { GroupRecord, RecordHolder, TaskRecord } from './registry.js';
import { argumentError, assertFunction, assertOptionalSignal, assertOptionalString, assertOptions, assertPositiveInteger } from './validate.js';

/** A task: receives the group's signal and returns a value or a promise. Throwing counts as failing. */
export type GroupTask = (signal: AbortSignal) => unknown;

/** Options for {@link ErrGroup}. */
export interface ErrGroupOptions {
  /**
   * A parent signal, as the `ctx` of `errgroup.WithContext`: when it aborts, the group's signal aborts with the
   * same reason. Tasks are not stopped by force; they must watch the signal they are given.
   * @default undefined (the group's signal aborts only on a failure or when `wait()` settles)
   */
  signal?: AbortSignal;
  /**
   * How many tasks may run at once, as `SetLimit`. Tasks past the limit wait in a FIFO queue.
   * @default Infinity
   */
  limit?: number;
  /**
   * A name for leak reports and diagnostics.
   * @default undefined
   */
  name?: string;
}

/** Options for {@link ErrGroup.goEach}. */
export interface GoEachOptions<T> {
  /**
   * Names the task of each item, for leak reports and diagnostics.
   * @default undefined
   */
  name?: (item: T, index: number) => string;
}

/** Options for {@link ErrGroup.go}, {@link ErrGroup.goBlocking} and {@link ErrGroup.tryGo}. */
export interface GoOptions {
  /**
   * A name for leak reports and diagnostics.
   * @default undefined
   */
  name?: string;
}

const GROUP_OPTIONS = ['signal', 'limit', 'name'] as const;
const GO_OPTIONS = ['name'] as const;

/**
 * What `goBlocking()` returns below the limit: one settled promise shared by every call, since a task that starts
 * at once has nothing to resolve later. Awaiting it costs a tick and no allocation.
 */
const STARTED: Promise<void> = Promise.resolve();

// eslint-disable-next-line @typescript-eslint/unbound-method
const nativeThen = Promise.prototype.then;

/**
 * Captures the resolve function of a new promise without a closure per call: `new Promise(capture)` runs
 * `capture` synchronously, so `captured` holds that promise's resolve right after. Rejected: an executor arrow per
 * call, which allocates a closure and its context on every blocked `goBlocking()`.
 */
let captured: (() => void) | undefined;
function capture(resolve: () => void): void {
  captured = resolve;
}

const nativeNow = Date.now;
/** False when a fake clock was installed before this module loaded: then every read goes to it. */
const nowIsNative = Function.prototype.toString.call(nativeNow).includes('[native code]');
/** How many reads may share one reading, so that a turn with a huge burst still moves forward. */
const READS_PER_READING = 1024;
let turnReading = 0;
/** Reads given from `turnReading`; at the limit the next read goes to the clock. */
let turnReadingUses = READS_PER_READING;
let forgetScheduled = false;

function forgetTurnReading(): void {
  turnReadingUses = READS_PER_READING;
  forgetScheduled = false;
}

/**
 * The time for every task a group records, `Date.now()` read once per turn of the event loop (a callback and the
 * microtasks that follow it) and shared by every task created or started in that turn, up to 1024 of them. A
 * `process.nextTick` queued with the reading forgets it: Node runs ticks queued by a microtask only once the
 * microtask queue is empty, so a producer's chain of awaits (an `await goBlocking()` per task, a goEach feeding a
 * group at limit 1, settlements handing their slots on) shares one reading, and the next timer, I/O callback or
 * immediate reads again. A task's `createdAt` and `startedAt` thus lag the true time by at most what its turn had
 * already run, time in which no timer could fire either.
 *
 * Why: `Date.now()` costs 35–55 ns here, about a fifth of an awaited `goBlocking()`, and a turn of the bench's
 * producer loop starts thousands of tasks. Rejected: forgetting in a microtask (session 3's rule), which shares a
 * reading only among settlements queued together, never across the `await` between two submissions; a coarse
 * clock kept by a timer, which wakes an idle process.
 *
 * A replaced `Date.now` (Vitest's fake timers or `vi.setSystemTime()`, @sinonjs/fake-timers) is read on every
 * call, so that a test that moves its clock sees the move.
 */
function turnClock(): number {
  if (turnReadingUses < READS_PER_READING && Date.now === nativeNow) {
    turnReadingUses++;
    return turnReading;
  }
  const now = Date.now();
  if (!nowIsNative || Date.now !== nativeNow) return now;
  turnReading = now;
  turnReadingUses = 1;
  if (!forgetScheduled) {
    forgetScheduled = true;
    nextTick(forgetTurnReading);
  }
  return now;
}

/** Calls the private `#settle` of the watcher's group; set by ErrGroup's static block. */
let settleWatched: (watcher: Watcher, failed: boolean, error: unknown) => void;
/** Reads the private record of a group; set by ErrGroup's static block. */
let groupRecordOf: (group: ErrGroup) => GroupRecord;

/** Watchers whose task settled, reused for the next one; at most {@link FREE_WATCHERS_MAX}. */
const freeWatchers: Watcher[] = [];
/** More than any limit in the bench and most in practice; a few hundred small objects at most. */
const FREE_WATCHERS_MAX = 1024;

/**
 * Watches one running task. Its two settle handlers are bound once, to the watcher itself, and it goes back to a
 * free list shared by every group when the task settles, so a task costs no closure. Rejected: two closures per
 * task over the record (an object for their context and two functions per task, about 20 ns and a third of the
 * garbage of a goBlocking() loop); a watcher object per task with bound methods, which allocates as much.
 *
 * It is also the task's place in the registry (a {@link RecordHolder} with a slot for its life). A task that
 * starts at once has no record object: the watcher keeps its id, name, time and stack, and builds the record only
 * when someone asks (`liveRecords()`, a diagnostics event), once; the task is live while `held`. A task that was
 * queued brings the record it was queued with, which has a slot of its own. Why: most tasks settle with nobody
 * looking, and building a record for each was a fifth of the instructions of a goEach item (callgrind: 2,210 →
 * 1,770 per item without it). Rejected: one record per watcher, reused from task to task, which anyone holding
 * a record of an earlier task would see change.
 */
class Watcher implements RecordHolder {
  group: ErrGroup | undefined = undefined;
  /** The record the task was queued with, or the one built by {@link Watcher.taskRecord}; else `undefined`. */
  record: TaskRecord | undefined = undefined;
  /** True while the task is live through this watcher: tracked, and started at once. */
  held = false;
  /** The id, name, creation time and stack of a task started at once, for building its record later. */
  id = 0;
  name: string | undefined = undefined;
  createdAt = 0;
  stack: { stack?: string } | undefined = undefined;
  slot = -1;
  readonly fulfilled = (): void => this.#release(false, undefined);
  readonly rejected = (error: unknown): void => this.#release(true, error);

  heldRecord(): TaskRecord | undefined {
    return this.held ? this.taskRecord() : undefined;
  }

  /** The task's record, built on the first call for a task started at once, then the same object. */
  taskRecord(): TaskRecord {
    return (this.record ??= createStartedTaskRecord(this.id, groupRecordOf(this.group!), this.name, this.stack, this.createdAt));
  }

  /** Settles the task, then frees the watcher: the task stays listed as live until the settlement is done. */
  #release(failed: boolean, error: unknown): void {
    settleWatched(this, failed, error);
    freeWatcher(this);
  }
}

/** A free watcher for a task of `group`, taken before the task runs so that the task is live while it runs. */
function takeWatcher(group: ErrGroup): Watcher {
  let watcher = freeWatchers.pop();
  if (watcher === undefined) {
    watcher = new Watcher();
    addHolder(watcher);
  }
  watcher.group = group;
  return watcher;
}

/**
 * Frees a watcher whose task has settled, dropping what it kept of the task; one past the free list's capacity
 * also gives up its registry slot.
 */
function freeWatcher(watcher: Watcher): void {
  watcher.group = watcher.record = watcher.stack = watcher.name = undefined;
  if (freeWatchers.length < FREE_WATCHERS_MAX) freeWatchers.push(watcher);
  else removeHolder(watcher);
}

/** A queued `goBlocking()` task: its promise resolves once the task starts. */
class Blocked {
  constructor(
    readonly task: GroupTask,
    readonly started: () => void,
  ) {}
}

/**
 * A `goEach()` over a synchronous iterable. The group pulls its next item only when a slot is free: directly in
 * `goEach()` while there are free slots, then from `#drain` each time a slot frees, where it waits in the queue
 * like a task. So no promise, queue entry or `await` is paid per item, and no item is pulled before a slot could
 * take it. Rejected: awaiting `goBlocking()` per item, which allocates a promise per item and pulls the next item
 * while still at the limit, leaving it queued.
 */
class ItemSource<T> {
  index = 0;
  /** An item pulled when a slot was free, that found none once `next()` returned (the iterator itself took it). */
  held: { readonly item: T } | undefined = undefined;
  constructor(
    readonly iterator: Iterator<T>,
    readonly task: (item: T, signal: AbortSignal, index: number) => unknown,
    readonly name: ((item: T, index: number) => string) | undefined,
    readonly resolve: () => void,
    readonly reject: (error: unknown) => void,
    /** The stack of the goEach call, shared by every item's record: an item pulled by `#drain` has no caller. */
    readonly stack: { stack?: string } | undefined,
  ) {}
}

/** What the queue holds: a `go()` task, a blocked `goBlocking()`, or a `goEach()` waiting for a slot. */
type Entry = GroupTask | Blocked | ItemSource<unknown>;

/**
 * A group of tasks working on parts of one job.
 *
 * The zero value, `new ErrGroup()`, has no limit and no parent signal: `go()` starts every task at once and
 * `wait()` waits for all of them, like Go's zero `errgroup.Group`. Unlike Go's zero value it still has a
 * `signal`, which aborts on the first failure and when `wait()` settles, as with `errgroup.WithContext`.
 *
 * Invariants:
 * - The group must not start more than `limit` tasks at once; tasks past the limit start in submission order.
 * - `wait()` must not settle while a task is queued or running, even after a failure: like Go's `Wait`, it never
 *   abandons work that still holds resources.
 * - Every group that was given a task must be waited. A group with tasks no `wait()` observed is reported by the
 *   leak detector, with the number of errors it would otherwise swallow.
 * - The group never mutates an error: the first one is returned as is, the others are kept in `errors`.
 *
 * Rejected: Go's mutable `SetLimit`, which panics when called with tasks active; the limit is fixed at
 * construction so that misuse cannot be written. Rejected: `AbortSignal.any([parent])` for the group's signal,
 * whose listener on the parent outlives the group (nodejs/node#55351); one listener is added to the parent and
 * removed as soon as the group's signal aborts, which `wait()` always does.
 *
 * @example
 * const group = new ErrGroup({ signal: request.signal, limit: 4 });
 * for (const url of urls) group.go((signal) => fetch(url, { signal }));
 * await group.wait(); // rejects with the first failure after every fetch has settled
 */
export class ErrGroup {
  /** The name given in the options. @default undefined */
  readonly name: string | undefined;
  /** How many tasks may run at once. @default Infinity */
  readonly limit: number;
  /**
   * Aborts when a task fails (reason: that error), when the parent signal aborts (reason: the parent's reason),
   * or when `wait()` settles (reason: a `DOMException` named `AbortError`), whichever comes first, as the context
   * of `errgroup.WithContext`. Aborted from the start when the parent already is. Once aborted it stays aborted:
   * tasks started later still run and receive it, as in Go.
   */
  readonly signal: AbortSignal;

  readonly #controller = new AbortController();
  /**
   * Mirrors `signal.aborted`, which only `#controller` can change: set just before each `abort()`. Read per item by
   * goEach, where Node's `aborted` getter (a brand check, then the getter) is deoptimized whenever an AbortSignal
   * shape changes elsewhere in the process.
   */
  #aborted = false;
  readonly #record: GroupRecord;
  #parent: AbortSignal | undefined;
  readonly #onParentAbort: (() => void) | undefined;
  #running = 0;
  /**
   * The FIFO queue, a ring buffer of pairs: an {@link Entry} and its task record (`undefined` for a goEach source).
   * Its length is zero or a power of two. Rejected: a linked list of nodes (an object per queued task, 56 bytes
   * where a pair of slots takes 16, and a queue of 100k tasks in an eager run lives through many collections) and
   * `Array#shift` (O(n) on big queues).
   *
   * The queue is non-empty only while `limit` tasks run: a settling task hands its slot to the oldest queued
   * one synchronously, before any other code runs. So "below the limit" alone means "nothing queued ahead",
   * and neither `go()` nor `tryGo()` can overtake a queued task.
   */
  #ring: (Entry | TaskRecord | undefined)[] = [];
  /** Index of the oldest pair's first slot. */
  #ringHead = 0;
  /** Slots in use: twice the number of queued entries. */
  #ringUsed = 0;
  /** True while `#drain` runs, so that a task settling synchronously inside it does not drain recursively. */
  #draining = false;
  /** Every failure in order of occurrence. Kept apart from a flag: a task may reject with `undefined`. */
  readonly #errors: unknown[] = [];
  #waitPromise: Promise<void> | undefined;
  #resolveWait: (() => void) | undefined;
  #rejectWait: ((error: unknown) => void) | undefined;

  /**
   * Creates a group. Fails with a `TypeError` on a bad option or an unknown key.
   *
   * @example
   * const group = new ErrGroup({ name: 'thumbnails', limit: 8 });
   */
  constructor(options?: ErrGroupOptions) {
    assertOptions('options', options, GROUP_OPTIONS);
    const { signal, limit = Infinity, name } = options ?? {};
    assertOptionalSignal('signal', signal);
    assertPositiveInteger('limit', limit, true);
    assertOptionalString('name', name);
    this.name = name;
    this.limit = limit;
    this.signal = this.#controller.signal;
    this.#record = createGroupRecord(name, ErrGroup);
    if (signal?.aborted) {
      this.#aborted = true;
      this.#controller.abort(signal.reason);
    } else if (signal) {
      this.#parent = signal;
      this.#onParentAbort = () => this.#cancel(signal.reason);
      signal.addEventListener('abort', this.#onParentAbort);
    }
  }

  /**
   * Every failure so far, in order of occurrence, the first included: a fresh copy on each read. Failures after
   * the first do not change the outcome of `wait()`; this is where they are not lost.
   * @default []
   */
  get errors(): readonly unknown[] {
    return this.#errors.slice();
  }

  /**
   * Runs `task` now, or queues it (FIFO) when `limit` tasks are running, and returns at once. The task receives
   * the group's signal; a synchronous throw or a rejected promise is a failure. A task started after the signal
   * aborted still runs, with the aborted signal. Never blocks: use {@link ErrGroup.goBlocking} to hold a
   * producer back at the limit.
   *
   * @example
   * group.go(async (signal) => { await upload(chunk, { signal }); }, { name: `chunk ${index}` });
   */
  go(task: GroupTask, options?: GoOptions): void {
    assertFunction('task', task);
    validateGoOptions(options);
    this.#submit(task, options, ABOVE_GO, undefined);
  }

  /**
   * Go's `Go`, which blocks at the limit: runs `task` like {@link ErrGroup.go} and resolves once it has
   * started, that is at once below the limit, or when a slot frees and every task queued before it has started.
   * Never rejects (the task's outcome is reported by `wait()`); throws a `TypeError` on a bad argument.
   * `await` it in a loop over a huge input to keep at most `limit` tasks in memory, where `go()` (like
   * p-limit) would queue all of them up front.
   *
   * Named after what it does, Go's blocking `Go`. Rejected: `goWait`, which reads as "go, then wait for the task".
   *
   * @example
   * for await (const row of readRows(file)) await group.goBlocking((signal) => save(row, { signal }));
   * await group.wait();
   */
  goBlocking(task: GroupTask, options?: GoOptions): Promise<void> {
    assertFunction('task', task);
    validateGoOptions(options);
    // Below the limit the task starts now: no promise to resolve later, so none is built.
    if (this.#running < this.limit) {
      this.#submit(task, options, ABOVE_GO_BLOCKING, undefined);
      return STARTED;
    }
    return this.#queueBlocking(task, options);
  }

  /** `goBlocking()` at the limit. Its own method, so that the fast path allocates nothing for the promise. */
  #queueBlocking(task: GroupTask, options: GoOptions | undefined): Promise<void> {
    // Validated by the caller; submitted with goBlocking's frame as the stack boundary.
    const promise = new Promise<void>(capture);
    this.#submit(task, options, ABOVE_GO_BLOCKING, captured);
    captured = undefined;
    return promise;
  }

  /**
   * Starts one task per item of `items` (an iterable or async iterable), pulling the next item only when the
   * group could start it: the producer loop of Go (`for _, x := range xs { g.Go(...) }` with `SetLimit`), with the
   * backpressure built in. Below the limit tasks start synchronously, with no `await` per item. At the limit the
   * next item of a synchronous iterable is pulled by the group itself the moment a slot frees, so at most `limit`
   * tasks (and no queued ones) exist at a time, however long the input; an async iterable's next item is awaited,
   * then waits for a slot like {@link ErrGroup.goBlocking}. Resolves once every pulled item's task has started;
   * rejects only if iterating `items` or `options.name` throws (that error is not a task failure and is not added
   * to `errors`; the iterator is closed unless it threw itself).
   * Stops pulling, and closes the iterator, once the group's signal aborts: items after a failure are never
   * started. Call `wait()` afterwards for the outcome.
   *
   * A synchronous iterable is pulled inside the group, one item per freed slot, with no promise per item: this
   * is the cheap way to feed a group a long input. Tasks queued by `go()` meanwhile keep their turn: the group
   * serves the queue in order and takes goEach's next item when its turn comes.
   *
   * @param task - Receives the item, the group's signal and the item's index.
   * @param options.name - Names each task from its item, for leak reports and diagnostics.
   * @example
   * await group.goEach(readRows(file), (row, signal) => save(row, { signal }), { name: (row) => `row ${row.id}` });
   * await group.wait();
   */
  async goEach<T>(
    items: Iterable<T> | AsyncIterable<T>,
    task: (item: T, signal: AbortSignal, index: number) => unknown,
    options?: GoEachOptions<T>,
  ): Promise<void> {
    assertIterable('items', items);
    assertFunction('task', task);
    assertOptions('options', options, GO_OPTIONS);
    const name = options?.name;
    if (name !== undefined && typeof name !== 'function') throw argumentError('options.name', 'a function from an item to a name', name);
    if (!(Symbol.asyncIterator in items)) {
      const iterator = items[Symbol.iterator]();
      const stack = captureStack(ABOVE_GO_EACH);
      let source: ItemSource<T> | undefined;
      const done = new Promise<void>((resolve, reject) => {
        source = new ItemSource(iterator, task, name, resolve, reject, stack);
      });
      if (!this.#feed(source!, 0)) this.#enqueue(source as unknown as ItemSource<unknown>, undefined);
      return done;
    }
    let index = 0;
    for await (const item of items) {
      if (this.signal.aborted) break;
      const i = index++;
      const run: GroupTask = (signal) => task(item, signal, i);
      const taskOptions = name === undefined ? undefined : { name: name(item, i) };
      if (this.#running < this.limit) this.#submit(run, taskOptions, ABOVE_GO_EACH, undefined);
      else await this.#queueBlocking(run, taskOptions);
    }
  }

  /**
   * Go's `TryGo`: starts `task` and returns `true` only when fewer than `limit` tasks run and none is queued
   * (a free slot goes to the oldest queued task, never to a newcomer). Otherwise returns `false` and leaves the
   * group unchanged.
   *
   * @example
   * if (!group.tryGo((signal) => refresh(signal))) log.info('busy, skipping this refresh');
   */
  tryGo(task: GroupTask, options?: GoOptions): boolean {
    assertFunction('task', task);
    validateGoOptions(options);
    if (this.#running >= this.limit) return false;
    return this.#submit(task, options, ABOVE_TRY_GO, undefined);
  }

  /**
   * Waits for every task, queued ones included, even after a failure; then rejects with the first error itself
   * or resolves. Before settling it aborts `signal`, as `Wait` cancels the context of `errgroup.WithContext`.
   *
   * Calling it again gives the same outcome: once a task has failed, every later `wait()` rejects with that
   * first error. Tasks added after a `wait()` settled are waited by the next call; tasks added while one is
   * pending are waited by it.
   *
   * @example
   * group.go(() => Promise.reject(new Error('first')));
   * group.go(() => Promise.reject(new Error('second')));
   * await group.wait().catch((error: unknown) => error); // Error: first
   * group.errors; // [Error: first, Error: second]
   */
  wait(): Promise<void> {
    const group = this.#record;
    group.unwaited = 0;
    if (groupWaitChannel.hasSubscribers) groupWaitChannel.publish({ group });
    if (group.pending === 0) {
      this.#finishWait();
      return this.#errors.length > 0 ? Promise.reject(this.#errors[0]) : Promise.resolve();
    }
    if (this.#waitPromise === undefined) {
      group.state = 'waiting';
      this.#waitPromise = new Promise<void>((resolve, reject) => {
        this.#resolveWait = resolve;
        this.#rejectWait = reject;
      });
    }
    return this.#waitPromise;
  }

  /** Records a validated task and starts or queues it. Returns whether it started. */
  #submit(task: GroupTask, options: GoOptions | undefined, above: Function, started: (() => void) | undefined): boolean {
    const name = options?.name;
    if (this.#running < this.limit) {
      this.#start(task, this.#startingWatcher(name, captureStack(above), turnClock()));
      return true;
    }
    this.#count();
    const record = createTaskRecord(this.#record, name, false, above, undefined, turnClock());
    this.#enqueue(started === undefined ? task : new Blocked(task, started), record);
    if (taskQueueChannel.hasSubscribers) taskQueueChannel.publish({ task: record });
    return false;
  }

  /** Counts a new task in the group: the group goes live with its first. */
  #count(): void {
    const group = this.#record;
    group.pending++;
    if (group.state === 'idle') {
      group.state = 'active';
      markLive(group);
    }
    // A task added while a wait() is pending is observed by that wait(), so it is not "unwaited".
    if (group.state === 'active') group.unwaited++;
  }

  /**
   * Counts a task that starts now and gives it its watcher, which keeps what its record needs: the task is live
   * through the watcher from here until it settles. The caller must start the task before any other code runs.
   */
  #startingWatcher(name: string | undefined, stack: { stack?: string } | undefined, createdAt: number): Watcher {
    this.#count();
    const watcher = takeWatcher(this);
    watcher.id = takeRecordId();
    watcher.name = name;
    watcher.createdAt = createdAt;
    watcher.stack = stack;
    watcher.held = holdTask();
    return watcher;
  }

  /**
   * Calls the task and watches its outcome. Rejected: an `async` wrapper per task, which costs two promises and
   * a tick even for synchronous tasks.
   */
  #start(task: GroupTask, watcher: Watcher): void {
    this.#running++;
    if (taskStartChannel.hasSubscribers) taskStartChannel.publish({ task: watcher.taskRecord() });
    let value: unknown;
    try {
      value = task(this.signal);
    } catch (error) {
      this.#settle(watcher, true, error);
      freeWatcher(watcher);
      return;
    }
    this.#watch(value, watcher);
  }

  /**
   * Pulls and starts items of a synchronous goEach while a slot is free, as a `for…of` would: an iterator that
   * throws rejects goEach and is not closed; a `name` that throws, or the group's signal aborting, closes it.
   * Returns whether the source is finished (its promise settled); if not, the group is at its limit or other
   * queued entries have their turn first, and the caller queues the source. `queued` is how many ring slots the
   * source itself takes: 2 when `#drain` feeds it where it stands at the head of the queue, else 0.
   */
  #feed<T>(source: ItemSource<T>, queued: 0 | 2): boolean {
    const { iterator } = source;
    // One turnClock reading for the items this call starts, taken with the first.
    let now = -1;
    while (this.#running < this.limit) {
      if (this.#aborted) return closeSource(source, undefined, false);
      let item: T;
      if (source.held !== undefined) {
        item = source.held.item;
        source.held = undefined;
      } else {
        try {
          const result = iterator.next();
          // Once per goEach: a call, not a property read, so optimized code that never saw the end does not
          // deoptimize on it.
          if (result.done === true) return finishSource(source);
          item = result.value;
        } catch (error) {
          source.reject(error);
          return true;
        }
        // next() ran user code, which may have taken the slot (a go() from inside a generator).
        if (this.#running >= this.limit) {
          source.held = { item };
          return false;
        }
      }
      const index = source.index++;
      let name: string | undefined;
      if (source.name !== undefined) {
        try {
          name = source.name(item, index);
        } catch (error) {
          return closeSource(source, error, true);
        }
      }
      if (now < 0) now = turnClock();
      const watcher = this.#startingWatcher(name, source.stack, now);
      this.#running++;
      if (taskStartChannel.hasSubscribers) taskStartChannel.publish({ task: watcher.taskRecord() });
      let value: unknown;
      let threw = false;
      try {
        value = source.task(item, this.signal, index);
      } catch (error) {
        threw = true;
        this.#settle(watcher, true, error);
        freeWatcher(watcher);
      }
      if (!threw) this.#watch(value, watcher);
      // Other entries wait (only possible inside #drain): one item per turn, then back to the end of the queue,
      // so tasks submitted while goEach waited start before its later items.
      if (this.#ringUsed !== queued) return false;
    }
    return false;
  }

  /**
   * Settles the task with a non-thenable `value` at once, without a promise, and frees its watcher; hands a
   * thenable to the watcher's prebound handlers through one `then()`, so a task costs no closure.
   */
  #watch(value: unknown, watcher: Watcher): void {
    let then: unknown;
    if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      try {
        then = (value as { then?: unknown }).then;
      } catch (error) {
        this.#settle(watcher, true, error);
        freeWatcher(watcher);
        return;
      }
    }
    if (then === nativeThen && (value as Promise<unknown>).constructor === Promise) {
      void (value as Promise<unknown>).then(watcher.fulfilled, watcher.rejected);
    } else if (typeof then === 'function') {
      // Promise.resolve adopts foreign thenables safely (one settlement, never a synchronous callback into
      // #settle) and returns native promises unchanged.
      void Promise.resolve(value).then(watcher.fulfilled, watcher.rejected);
    } else {
      this.#settle(watcher, false, undefined);
      freeWatcher(watcher);
    }
  }

  static {
    settleWatched = (watcher, failed, error) => watcher.group!.#settle(watcher, failed, error);
    groupRecordOf = (group) => group.#record;
  }

  /** Ends the task `watcher` watches; the caller frees the watcher after. */
  #settle(watcher: Watcher, failed: boolean, error: unknown): void {
    const group = this.#record;
    // As in Go, the first failure cancels before its slot is released: a queued task started by this
    // settlement already receives the aborted signal.
    if (failed) {
      this.#errors.push(error);
      group.unobservedErrors++;
      if (taskErrorChannel.hasSubscribers) taskErrorChannel.publish({ task: watcher.taskRecord(), error });
      if (this.#errors.length === 1) this.#cancel(error);
    } else if (taskEndChannel.hasSubscribers) {
      taskEndChannel.publish({ task: watcher.taskRecord() });
    }
    this.#running--;
    group.pending--;
    // A record exists if the task was queued, or if someone asked for it; it has a slot only if it was queued.
    const record = watcher.record;
    if (record !== undefined) {
      record.state = 'settled';
      markDone(record);
    }
    if (watcher.held) {
      watcher.held = false;
      releaseTask();
    }
    if (this.#ringUsed !== 0 && !this.#draining) {
      // The common case of a long goEach at its limit: the source alone in the queue takes the freed slot.
      if (this.#ringUsed === 2 && this.#ring[this.#ringHead + 1] === undefined) this.#feedAlone(this.#ring[this.#ringHead] as ItemSource<unknown>);
      else this.#drain();
    }
    if (group.pending === 0 && this.#waitPromise !== undefined) this.#finishWait();
  }

  /** Appends an entry to the queue, doubling the ring when it is full. */
  #enqueue(entry: Entry, record: TaskRecord | undefined): void {
    let ring = this.#ring;
    if (this.#ringUsed === ring.length) {
      const grown = new Array<Entry | TaskRecord | undefined>(Math.max(32, ring.length * 2));
      for (let i = 0; i < this.#ringUsed; i++) grown[i] = ring[(this.#ringHead + i) & (ring.length - 1)];
      this.#ring = ring = grown;
      this.#ringHead = 0;
    }
    const at = (this.#ringHead + this.#ringUsed) & (ring.length - 1);
    ring[at] = entry;
    ring[at + 1] = record;
    this.#ringUsed += 2;
  }

  /** Removes the oldest pair from the queue and returns its entry. */
  #dequeue(): Entry {
    const ring = this.#ring;
    const head = this.#ringHead;
    const entry = ring[head] as Entry;
    ring[head] = ring[head + 1] = undefined;
    this.#ringHead = (head + 2) & (ring.length - 1);
    this.#ringUsed -= 2;
    return entry;
  }

  /**
   * What {@link ErrGroup.#drain} does when a settlement frees a slot and the queue holds a goEach source alone: feeds
   * it where it stands, without the loop over entries and its bookkeeping (5% of the instructions of an item,
   * callgrind). Hands over to `#drain` once the source is finished or other entries were queued meanwhile.
   */
  #feedAlone(source: ItemSource<unknown>): void {
    this.#draining = true;
    let finished: boolean;
    try {
      finished = this.#feed(source, 2);
    } finally {
      this.#draining = false;
    }
    if (finished) {
      this.#dequeue();
      this.#drain();
    } else if (this.#ringUsed !== 2) {
      this.#enqueue(this.#dequeue(), undefined);
      this.#drain();
    }
  }

  /**
   * Starts queued entries, oldest first, while slots are free; a goEach source takes its turn like a task and
   * goes back to the end of the queue while it has items. A loop, so a queue of synchronous tasks cannot overflow
   * the stack.
   */
  #drain(): void {
    this.#draining = true;
    // One turnClock reading per drain, taken when the first queued task starts; a drain that only feeds goEach
    // (whose records take their own) takes none.
    let now = -1;
    try {
      while (this.#running < this.limit && this.#ringUsed !== 0) {
        const ring = this.#ring;
        const head = this.#ringHead;
        const entry = ring[head] as Entry;
        const record = ring[head + 1] as TaskRecord | undefined;
        if (record === undefined) {
          // A goEach source is fed where it stands, and leaves the head only when it is finished or others wait
          // behind it: a lone source at the limit stays put, with no ring writes per item. Code run by #feed can
          // only append (a go() from a task) or grow the ring, which keeps the source at the head.
          if (this.#feed(entry as ItemSource<unknown>, 2)) this.#dequeue();
          else if (this.#ringUsed !== 2) this.#enqueue(this.#dequeue(), undefined);
          continue;
        }
        this.#dequeue();
        if (now < 0) now = turnClock();
        record.state = 'running';
        record.startedAt = now;
        const watcher = takeWatcher(this);
        watcher.record = record;
        if (typeof entry === 'function') {
          this.#start(entry, watcher);
        } else {
          const blocked = entry as Blocked;
          this.#start(blocked.task, watcher);
          blocked.started();
        }
      }
      // Let a big ring go once the burst that grew it is over.
      if (this.#ringUsed === 0 && this.#ring.length > 1024) {
        this.#ring = [];
        this.#ringHead = 0;
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Ends a wait round with nothing pending: bookkeeping first, so abort listeners that add tasks see an idle group. */
  #finishWait(): void {
    const group = this.#record;
    const resolve = this.#resolveWait;
    const reject = this.#rejectWait;
    this.#waitPromise = this.#resolveWait = this.#rejectWait = undefined;
    group.state = 'idle';
    group.unobservedErrors = 0;
    markDone(group);
    const failed = this.#errors.length > 0;
    if (groupDoneChannel.hasSubscribers) groupDoneChannel.publish(failed ? { group, error: this.#errors[0] } : { group });
    // A successful wait() has no error to give: it aborts with an AbortError, as Go's cancel(nil) gives
    // context.Canceled.
    if (!this.signal.aborted) {
      this.#cancel(failed ? this.#errors[0] : new DOMException('The ErrGroup finished: wait() settled.', 'AbortError'));
    }
    if (failed) reject?.(this.#errors[0]);
    else resolve?.();
  }

  /** Aborts the group's signal once and detaches from the parent, so that no listener outlives the group. */
  #cancel(reason: unknown): void {
    if (this.#aborted) return;
    if (this.#parent !== undefined && this.#onParentAbort !== undefined) {
      this.#parent.removeEventListener('abort', this.#onParentAbort);
      this.#parent = undefined;
    }
    this.#aborted = true;
    this.#controller.abort(reason);
  }
}

// The public methods, as `above` for the registry's stack capture, so that a task's creation stack starts at the
// caller of `go()`. They are passed, never called, so no `this` is lost.
// eslint-disable-next-line @typescript-eslint/unbound-method
const { go: ABOVE_GO, goBlocking: ABOVE_GO_BLOCKING, goEach: ABOVE_GO_EACH, tryGo: ABOVE_TRY_GO } = ErrGroup.prototype;

/**
 * One instance of each class the hot paths read, built at load and kept for the life of the process: V8 holds the
 * hidden class a constructor ends on only weakly, so a full garbage collection while no group, queued
 * `goBlocking()` or goEach is alive frees it and throws away every optimized method that embedded it ("weak
 * objects" in `--trace-deopt`), and the next burst of tasks starts in the interpreter. The record classes have
 * their own keepers in the registry. The kept group never gets a task, so it is never registered or reported.
 */
const keepers: readonly object[] = [
  new ErrGroup(),
  new Blocked(keptTask, keptTask),
  new Watcher(),
  new ItemSource<unknown>([][Symbol.iterator](), keptTask, undefined, keptTask, keptTask, undefined),
];

/** The task and callbacks of the kept objects: never called. */
function keptTask(): void {}

/** The kept objects (see above). Internal: for the test that proves the kept group stays out of the registry. */
export function keptObjects(): readonly object[] {
  return keepers;
}

/** Resolves a goEach whose iterator is done. Returns `true`: the source is finished. */
function finishSource<T>(source: ItemSource<T>): true {
  source.resolve();
  return true;
}

/**
 * Stops a goEach source as an abrupt `for…of` does: calls the iterator's `return()`, then rejects with `error`
 * when `failed`, else resolves (a throw from `return()` rejects, unless an error is already being reported).
 * Returns `true`: the source is finished.
 */
function closeSource<T>(source: ItemSource<T>, error: unknown, failed: boolean): true {
  try {
    source.iterator.return?.();
  } catch (closeError) {
    if (!failed) {
      source.reject(closeError);
      return true;
    }
  }
  if (failed) source.reject(error);
  else source.resolve();
  return true;
}

function assertIterable(name: string, value: unknown): void {
  if (value !== null && typeof value === 'object' && (Symbol.iterator in value || Symbol.asyncIterator in value)) return;
  if (typeof value === 'string') return;
  throw argumentError(name, 'an iterable or async iterable', value);
}

/**
 * Validates per-task options once per call. The common `{ name }` passes with a `for…in` over its keys, which
 * allocates nothing; anything else goes to `assertOptions` for the full message. Rejected: `assertOptions` on
 * every call, whose `Object.keys` allocates an array per task.
 */
function validateGoOptions(options: GoOptions | undefined): void {
  if (options === undefined) return;
  if (options !== null && typeof options === 'object') {
    let known = true;
    for (const key in options) if (key !== 'name') known = false;
    if (known) {
      assertOptionalString('name', options.name);
      return;
    }
  }
  assertOptions('options', options, GO_OPTIONS);
  assertOptionalString('name', options.name);
}
