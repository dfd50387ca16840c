/**
 * The live registry: every ErrGroup, task and permit that is not finished yet, so that a leak detector or a
 * `dump()` can say what is still going on and where it was created.
 *
 * Cost model. Tracking is on by default and costs two array writes per group, permit or queued task, and two
 * counter updates per task started at once, which is live through the watcher that waits for it to settle and
 * gets its record only when someone looks (see {@link RecordHolder}): a few nanoseconds, well under the 0.5 µs
 * budget per task. Creation stacks are captured only while a leak detector is installed or
 * `TASKSCOPE_DEBUG` is set, because a captured stack costs a few microseconds. The stack is captured as an
 * unformatted `Error` whose `.stack` V8 formats lazily, on first read.
 *
 * One registry per process. Its state lives on `globalThis` under a `Symbol.for` key, so two copies of this module
 * (one loaded from `dist/`, one from source by a test runner) still share it. Rejected: a module-level singleton,
 * which silently splits in two when a bundler or Vitest loads the module twice and then reports no leaks at all.
 */

/** What a record describes. */
export type RecordKind = 'group' | 'task' | 'permit';

/** A task is `queued` while its group is at its limit, `running` once started, `settled` when its promise settles. */
export type TaskState = 'queued' | 'running' | 'settled';

/** A permit is `waiting` while its `acquire()` is queued, `held` once granted, `released` after `release()`. */
export type PermitState = 'waiting' | 'held' | 'released';

/**
 * A group is `idle` before its first task and after a `wait()` that observed every task, `active` while tasks
 * were started that no `wait()` has observed yet, and `waiting` while a `wait()` is pending.
 */
export type GroupState = 'idle' | 'active' | 'waiting';

interface BaseRecord {
  /** Unique in the process and increasing in creation order. */
  readonly id: number;
  /** The name given by the caller, if any. */
  readonly name: string | undefined;
  /**
   * `Date.now()` when the record was created. Task records created in one turn of the event loop (a callback and
   * the microtasks after it) share one reading, up to 1024 of them, so a task's time may lag by what its turn had
   * already run; a replaced `Date.now` (fake timers) is read for every task.
   */
  readonly createdAt: number;
  /** The creation stack, or `undefined` when stacks were off at creation. */
  readonly stack: string | undefined;
}

/** A live ErrGroup. */
export interface GroupRecord extends BaseRecord {
  readonly kind: 'group';
  state: GroupState;
  /** Tasks queued or running. */
  pending: number;
  /** Tasks started since the last `wait()` was called. */
  unwaited: number;
  /** Errors thrown by tasks that no `wait()` has reported yet. */
  unobservedErrors: number;
}

/** A task started with `ErrGroup#go` and friends. */
export interface TaskRecord extends BaseRecord {
  readonly kind: 'task';
  state: TaskState;
  /** The group the task belongs to. */
  readonly group: GroupRecord;
  /** `Date.now()` when the task started running, or `undefined` while queued. Shared as `createdAt` is. */
  startedAt: number | undefined;
}

/** A semaphore permit, from the moment `acquire()` is called until `release()`. */
export interface PermitRecord extends BaseRecord {
  readonly kind: 'permit';
  state: PermitState;
  /** The weight acquired. */
  readonly weight: number;
  /** The semaphore's name (a permit has no name of its own). */
  readonly semaphore: string | undefined;
  /** `Date.now()` when the permit was granted, or `undefined` while waiting. */
  grantedAt: number | undefined;
}

/** Any live record. */
export type LiveRecord = GroupRecord | TaskRecord | PermitRecord;

interface RegistryState {
  nextId: number;
  track: boolean;
  /** How many installers asked for stacks; stacks are on while this is above zero or TASKSCOPE_DEBUG is set. */
  stackRequests: number;
  /** While above zero, stacks are off whatever else asks for them (tests of the stack-less paths). */
  stackSuspensions: number;
  debug: boolean;
  /**
   * Live records by slot, and the {@link RecordHolder}s that hold running tasks; `undefined` where a slot is free.
   */
  readonly slots: (LiveRecord | RecordHolder | undefined)[];
  /** Free slot indexes, reused before the array grows. */
  readonly free: number[];
  size: number;
}

// v2: the live set became a slot array (v1 was a Map). v3: slots also hold RecordHolders, which a v2 copy would
// list as records. v4: a holder builds its record on demand (`heldRecord()`), which a v3 copy would not call. A copy
// of another version loaded beside this one keeps its own state.
const STATE_KEY = Symbol.for('taskscope.registry.v4');

function readDebugFlag(): boolean {
  const value = globalThis.process?.env?.['TASKSCOPE_DEBUG'];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

const shared = globalThis as Record<symbol, RegistryState | undefined>;
const state: RegistryState = shared[STATE_KEY] ??
  (shared[STATE_KEY] = {
    nextId: 1,
    track: true,
    stackRequests: 0,
    stackSuspensions: 0,
    debug: readDebugFlag(),
    slots: [],
    free: [],
    size: 0,
  } satisfies RegistryState);

/** Options for {@link configureInstrumentation}. */
export interface InstrumentationOptions {
  /**
   * Keep the live registry. Off, groups, tasks and permits are not recorded and no leak can be found.
   * @default true
   */
  track?: boolean;
  /**
   * Capture a creation stack for every record, as `TASKSCOPE_DEBUG=1` does. Leak detectors turn this on while
   * installed, whatever it is set to here.
   * @default false
   */
  stacks?: boolean;
}

/**
 * Turns the registry or stack capture on or off for records created from now on. Records already live stay
 * live until they finish.
 *
 * @example
 * configureInstrumentation({ track: false }); // a hot path that never runs under a leak detector
 */
export function configureInstrumentation(options: InstrumentationOptions): void {
  if (options.track !== undefined) state.track = options.track;
  if (options.stacks !== undefined) state.debug = options.stacks;
}

/** Whether records created now would be tracked, and with stacks. */
export function instrumentation(): { track: boolean; stacks: boolean } {
  return { track: state.track, stacks: stacksOn() };
}

/**
 * Asks for creation stacks until the returned function is called. Used by leak detectors: installing two and
 * removing one leaves stacks on for the other.
 */
export function requestStacks(): () => void {
  return hold('stackRequests');
}

/**
 * Turns stack capture off until the returned function is called, even under a leak detector or
 * `TASKSCOPE_DEBUG`. For tests of what users see when no stack was captured; not exported from the package.
 */
export function suspendStacks(): () => void {
  return hold('stackSuspensions');
}

/** Counts one holder of a state counter up, and returns the idempotent release that counts it down. */
function hold(counter: 'stackRequests' | 'stackSuspensions'): () => void {
  state[counter]++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    state[counter]--;
  };
}

function stacksOn(): boolean {
  return state.stackSuspensions === 0 && (state.debug || state.stackRequests > 0);
}

/**
 * Captures the current stack without formatting it. `Error.captureStackTrace` leaves out `above` and every frame
 * above it, so the stack starts at the caller of the public API.
 */
export function captureStack(above: Function): { stack?: string } | undefined {
  if (!stacksOn()) return undefined;
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, above);
  return holder;
}

/**
 * Fields every record has. A live record sits in a slot of the registry's array: linking and unlinking are one array
 * write each, and the slot is a plain number, so records made by another copy of this module work the same.
 * Rejected: a `Map` keyed by id or a `WeakMap` from record to slot (hashing on every set and delete), and an
 * intrusive linked list through `#private` links (a record from a second module copy cannot carry the first copy's
 * private fields, so mixing them would throw).
 */
abstract class Base {
  declare readonly id: number;
  declare readonly createdAt: number;
  declare readonly name: string | undefined;
  /** The record's index in the registry's slot array, or -1 while it has no slot. Internal. */
  declare slot: number;

  /**
   * Fields are `declare`d and assigned here, and the stack holder is a private field of each subclass, not of
   * this class: on Node 20, V8 throws away the optimized constructors of a derived class whose base class defines
   * fields (initializers, bare declarations, which ES2022 emits as definitions, or private fields) at full garbage
   * collections ("weak objects" in `--trace-deopt`: 27–30 deopts over 6 collections in a micro benchmark, against 6
   * with plain assignments). A record is built per task, so each such collection sent task creation back to the
   * interpreter.
   *
   * `id` is the next record id, taken by the caller: a task record built on demand gets the id taken with
   * {@link takeRecordId} when its task was created. `createdAt` is a `Date.now()` reading the caller already took,
   * or `undefined` to read the clock now.
   */
  constructor(id: number, name: string | undefined, createdAt: number | undefined) {
    this.id = id;
    this.createdAt = createdAt ?? Date.now();
    this.name = name;
    this.slot = -1;
  }
}

/**
 * An object that holds one running task at a time and keeps a registry slot for as long as it lives: ErrGroup's
 * settle watchers. A task that starts at once is live while a holder holds it (between {@link holdTask} and
 * {@link releaseTask}), so starting and settling it writes no slot; and it has no record object until someone asks
 * for one (`liveRecords()`, a diagnostics event), when the holder builds it with {@link createStartedTaskRecord}
 * from what it kept: its id, name, time and stack.
 *
 * Why: a running task's watcher already exists, and the slot write was a store of a new object into an old array,
 * which V8 must remember for the next scavenge: 10–15% of a goEach item at c = 256 (session 4). Building the record
 * (an object of nine fields through a derived constructor) for every task, when nearly all of them settle unseen,
 * was a fifth of the instructions of a goEach item (callgrind, session 5). Rejected: one record object reused for
 * every task of a watcher, which anyone still holding an old record would see change. Queued tasks, groups and
 * permits keep records and slots of their own.
 */
export interface RecordHolder {
  /**
   * The record of the task that is live through this holder, built on the first call and the same object after, or
   * `undefined` while it holds none (free, or holding a task with a slot of its own).
   */
  heldRecord(): TaskRecord | undefined;
  /** The holder's slot; set by {@link addHolder}. */
  slot: number;
}

/** Gives `holder` a slot for its life, so that {@link liveRecords} sees the records it holds. */
export function addHolder(holder: RecordHolder): void {
  const slot = state.free.length > 0 ? state.free.pop()! : state.slots.length;
  state.slots[slot] = holder;
  holder.slot = slot;
}

/** Frees the slot of a holder that is dropped. It must hold no record. */
export function removeHolder(holder: RecordHolder): void {
  state.slots[holder.slot] = undefined;
  state.free.push(holder.slot);
  holder.slot = -1;
}

function link(record: LiveRecord): void {
  const r = record as unknown as Base;
  if (r.slot !== -1) return;
  const slot = state.free.length > 0 ? state.free.pop()! : state.slots.length;
  state.slots[slot] = record;
  r.slot = slot;
  state.size++;
}

function unlink(record: LiveRecord): void {
  const r = record as unknown as Base;
  if (r.slot < 0) return;
  state.slots[r.slot] = undefined;
  state.free.push(r.slot);
  r.slot = -1;
  state.size--;
}

// The record classes `declare` their fields and assign them in their constructors: see Base.

class Group extends Base implements GroupRecord {
  declare readonly kind: 'group';
  declare state: GroupState;
  declare pending: number;
  declare unwaited: number;
  declare unobservedErrors: number;

  readonly #stack: { stack?: string } | undefined;

  constructor(name: string | undefined, above: Function) {
    super(state.nextId++, name, undefined);
    this.#stack = captureStack(above);
    this.kind = 'group';
    this.state = 'idle';
    this.pending = 0;
    this.unwaited = 0;
    this.unobservedErrors = 0;
  }

  get stack(): string | undefined {
    return this.#stack?.stack;
  }
}

class Task extends Base implements TaskRecord {
  declare readonly kind: 'task';
  declare state: TaskState;
  declare readonly group: GroupRecord;
  declare startedAt: number | undefined;
  readonly #stack: { stack?: string } | undefined;

  /** `stack` is a holder from {@link captureStack}, captured when the task was created; none when stacks were off. */
  constructor(
    id: number,
    group: GroupRecord,
    name: string | undefined,
    running: boolean,
    stack: { stack?: string } | undefined,
    createdAt: number | undefined,
  ) {
    super(id, name, createdAt);
    this.#stack = stack;
    this.kind = 'task';
    this.group = group;
    this.state = running ? 'running' : 'queued';
    this.startedAt = running ? this.createdAt : undefined;
  }

  get stack(): string | undefined {
    return this.#stack?.stack;
  }
}

class Permit extends Base implements PermitRecord {
  declare readonly kind: 'permit';
  declare state: PermitState;
  declare readonly weight: number;
  declare readonly semaphore: string | undefined;
  declare grantedAt: number | undefined;
  readonly #stack: { stack?: string } | undefined;

  constructor(semaphore: string | undefined, weight: number, held: boolean, above: Function) {
    super(state.nextId++, undefined, undefined);
    this.#stack = captureStack(above);
    this.kind = 'permit';
    this.semaphore = semaphore;
    this.weight = weight;
    this.state = held ? 'held' : 'waiting';
    this.grantedAt = held ? this.createdAt : undefined;
  }

  get stack(): string | undefined {
    return this.#stack?.stack;
  }
}

/**
 * One record of each class, built at load and kept for the life of the process, never registered: the hidden class
 * a constructor ends on is otherwise held only weakly (by the transition from the hidden class before it), so a
 * full garbage collection at a moment when no record of that class is alive frees it, and V8 throws away every
 * optimized function that embedded it ("weak objects" in `--trace-deopt`). A server that goes idle between bursts,
 * or a bench that collects between runs, then ran task creation in the interpreter again after each collection:
 * ErrGroup's backpressured path measured 2× slower per task with a `gc()` before each run. A live instance keeps
 * the hidden classes, and the code built on them, alive. Built with values of the kinds real records hold (a group
 * in `group`, numbers in the time fields), so that no field's type is generalized for them. Three small objects;
 * they take three ids, which stay unique and increasing.
 *
 * Rejected: the field layout of session 2 alone (fields assigned in the constructors, none in `Base`), which
 * removed the deopts of the constructors' own code but not of the code that reads records.
 */
const keptGroup = new Group(undefined, createGroupRecord);

/**
 * The kept task record, with `undefined` written over its `createdAt` once: V8 then stores that field of every task
 * record as a reference, not as a number in a box of its own, so the tasks of one turn share the turn clock's
 * reading instead of allocating 16 bytes each for a copy (about 5% of a goEach item, measured). The kept record is
 * never read.
 */
function keptTask(): Task {
  const task = new Task(state.nextId++, keptGroup, undefined, true, undefined, undefined);
  (task as { createdAt: unknown }).createdAt = undefined;
  return task;
}
const keepers: readonly LiveRecord[] = [
  keptGroup,
  keptTask(),
  new Permit(undefined, 1, true, createPermitRecord),
];

/**
 * The records kept to hold their classes' hidden classes alive (see above). Never registered. Internal: read by the
 * test that proves they stay out of the registry, and a function must read them, or V8 frees a module variable
 * that no function uses once the module has run.
 */
export function keptRecords(): readonly LiveRecord[] {
  return keepers;
}

/**
 * Creates a group record. It is not live yet: a group becomes live with its first task. `above` is the public
 * function whose frame and everything above it are left out of the stack.
 */
export function createGroupRecord(name: string | undefined, above: Function): GroupRecord {
  return new Group(name, above);
}

/**
 * Creates and registers a task record in state `queued` or `running`. `stack`, when given, is a holder from
 * {@link captureStack} to share instead of capturing one: the creation site of tasks that no user frame starts.
 * `createdAt`, when given, is a `Date.now()` reading to use instead of reading the clock.
 */
export function createTaskRecord(
  group: GroupRecord,
  name: string | undefined,
  running: boolean,
  above: Function,
  stack?: { stack?: string },
  createdAt?: number,
): TaskRecord {
  const record = new Task(state.nextId++, group, name, running, stack ?? captureStack(above), createdAt);
  if (state.track) link(record);
  return record;
}

/** Takes the next record id, for a task whose record a {@link RecordHolder} builds later. */
export function takeRecordId(): number {
  return state.nextId++;
}

/**
 * Counts a task that starts now as live through its {@link RecordHolder}, until {@link releaseTask}. Returns
 * `false`, and counts nothing, while tracking is off: such a task is never listed.
 */
export function holdTask(): boolean {
  if (!state.track) return false;
  state.size++;
  return true;
}

/** Ends the life of a task counted by {@link holdTask}, as it settles. */
export function releaseTask(): void {
  state.size--;
}

/**
 * Builds the record of a task that a {@link RecordHolder} holds (or held), in state `running`, from what the holder
 * kept when the task was created: `id` from {@link takeRecordId}, its time, and its stack holder from
 * {@link captureStack}. The record has no slot: it is listed through its holder.
 */
export function createStartedTaskRecord(
  id: number,
  group: GroupRecord,
  name: string | undefined,
  stack: { stack?: string } | undefined,
  createdAt: number,
): TaskRecord {
  return new Task(id, group, name, true, stack, createdAt);
}

/** Creates and registers a permit record in state `waiting` or `held`. */
export function createPermitRecord(semaphore: string | undefined, weight: number, held: boolean, above: Function): PermitRecord {
  const record = new Permit(semaphore, weight, held, above);
  if (state.track) link(record);
  return record;
}

/** Makes a record live (a group with unwaited tasks). Idempotent. */
export function markLive(record: LiveRecord): void {
  if (state.track) link(record);
}

/** Removes a record from the live set: a settled task, a released or abandoned permit, a fully waited group. */
export function markDone(record: LiveRecord): void {
  unlink(record);
}

/** The id the next record will get. A detector keeps it as a watermark: records at or above it are newer. */
export function nextRecordId(): number {
  return state.nextId;
}

/** A snapshot of the live records, oldest first. */
export function liveRecords(): LiveRecord[] {
  // Slots are reused, so array order is not creation order: sort by id.
  const out: LiveRecord[] = [];
  for (const entry of state.slots) {
    if (entry === undefined) continue;
    if ((entry as Partial<LiveRecord>).kind !== undefined) {
      out.push(entry as LiveRecord);
      continue;
    }
    // A holder: the task it holds, if any, is live through it (a task that was queued has a slot of its own).
    const held = (entry as RecordHolder).heldRecord();
    if (held !== undefined) out.push(held);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Whether any record is live; cheap, so a detector can skip all work when nothing is pending. */
export function hasLiveRecords(): boolean {
  return state.size > 0;
}
