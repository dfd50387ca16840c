/**
 * A weighted semaphore with the semantics of Go's `golang.org/x/sync/semaphore`: permits are granted in FIFO order,
 * nobody barges past a waiter, and a large waiter at the head holds back the smaller ones behind it, so it cannot
 * starve.
 *
 * Rejected: a separate counting semaphore for weight 1 (async-sema, p-limit). One weighted primitive covers both,
 * and the uncontended path costs the same.
 */
import { permitAcquireChannel, permitReleaseChannel } from './diagnostics.js';
import { captureStack, createPermitRecord, keptRecords, markDone, type PermitRecord } from './registry.js';
import { argumentError, assertOptionalSignal, assertOptionalString, assertOptions, assertPositiveInteger, misuseError } from './validate.js';

/** Options for {@link Semaphore}. */
export interface SemaphoreOptions {
  /**
   * Shown in misuse errors, leak reports and diagnostics events.
   * @default undefined
   */
  name?: string;
}

/** Options for {@link Semaphore.acquire}. */
export interface AcquireOptions {
  /**
   * Gives up waiting when aborted: the acquire rejects with `signal.reason` and takes nothing.
   * @default undefined
   */
  signal?: AbortSignal;
}

/**
 * A share of a {@link Semaphore}'s capacity. It must be released exactly once: with `release()`, or by `using`,
 * which calls `[Symbol.dispose]()`.
 *
 * @example
 * using permit = await semaphore.acquire(2); // released when the block ends, even on a throw
 */
export interface Permit extends Disposable {
  /** The weight this permit holds. */
  readonly weight: number;
  /** Whether the weight was given back. */
  readonly released: boolean;
  /**
   * Gives the weight back and grants it to waiters that now fit. Throws a `taskscope:` error when the permit was
   * already released (a second release would free capacity someone else holds); the semaphore is left unchanged.
   */
  release(): void;
  /**
   * Releases the permit unless it already was: disposal is idempotent, as TC39 asks, so `using` on a permit that
   * was released early is fine.
   */
  [Symbol.dispose](): void;
}

function firstFrame(holder: { stack?: string } | undefined): string | undefined {
  const line = holder?.stack?.split('\n').find((l) => l.startsWith('    at '));
  return line?.slice('    at '.length);
}

function describeSemaphore(name: string | undefined): string {
  return name === undefined ? 'an unnamed Semaphore' : `Semaphore ${JSON.stringify(name)}`;
}

// Set in Semaphore's static block: hands the permit class the semaphore's private bookkeeping without a closure
// per permit. Rejected: a public `_release` method, which users would find and call.
let giveBack: (semaphore: Semaphore, record: PermitRecord) => void;
let cancelWaiter: (semaphore: Semaphore, waiter: Waiter) => void;

class SemaphorePermit implements Permit {
  readonly weight: number;
  readonly #semaphore: Semaphore;
  readonly #record: PermitRecord;
  // `null` while held; after release, the releasing stack (or `undefined` when stacks were off).
  #releasedAt: { stack?: string } | undefined | null = null;

  constructor(semaphore: Semaphore, record: PermitRecord) {
    this.weight = record.weight;
    this.#semaphore = semaphore;
    this.#record = record;
  }

  get released(): boolean {
    return this.#releasedAt !== null;
  }

  release(): void {
    if (this.#releasedAt !== null) {
      const frame = firstFrame(this.#releasedAt);
      const where = frame === undefined ? 'an unknown place; set TASKSCOPE_DEBUG=1 to record it' : frame;
      throw misuseError('Semaphore.release', `permit of ${describeSemaphore(this.#semaphore.name)} was already released (first released at ${where}).`);
    }
    this.#releasedAt = captureStack(releaseFrame);
    giveBack(this.#semaphore, this.#record);
  }

  [Symbol.dispose](): void {
    if (this.#releasedAt !== null) return;
    this.#releasedAt = captureStack(disposeFrame);
    giveBack(this.#semaphore, this.#record);
  }
}

/**
 * A queued `acquire()`: a node of the semaphore's doubly-linked queue, so enqueue, dequeue and removing an aborted
 * waiter from the middle are all O(1). It is its own abort listener (`handleEvent`), which saves a closure.
 * Rejected: an array with `shift()`, O(n) per grant on a long queue, and `splice()` to remove an aborted waiter.
 */
class Waiter {
  prev: Waiter | undefined = undefined;
  next: Waiter | undefined = undefined;
  queued = true;
  readonly semaphore: Semaphore;
  readonly record: PermitRecord;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (reason: unknown) => void;

  constructor(semaphore: Semaphore, record: PermitRecord, signal: AbortSignal | undefined, resolve: (permit: Permit) => void, reject: (reason: unknown) => void) {
    this.semaphore = semaphore;
    this.record = record;
    this.signal = signal;
    this.resolve = resolve;
    this.reject = reject;
  }

  handleEvent(): void {
    cancelWaiter(this.semaphore, this);
  }
}

/**
 * A weighted semaphore: at most `capacity` weight is held at any time. `acquire(n)` blocks until `n` fits and every
 * earlier waiter was served; `tryAcquire(n)` never blocks.
 *
 * Invariants: `held` never exceeds `capacity`; waiters are granted in the order they called `acquire()`; a failed or
 * aborted acquire leaves `held` as it was; each permit must be released exactly once.
 *
 * `capacity` must be a positive integer, or `Infinity` for a semaphore that never blocks but still records permits
 * for leak reports (handy when a limit is configurable). Weights must be positive integers no larger than
 * `capacity`. Go accepts a weight of 0 and grants it once the queue ahead drains; here 0 is an argument error,
 * because a permit that excludes nothing is nearly always a weight computed wrongly.
 *
 * @example
 * const db = new Semaphore(10, { name: 'db' });
 * async function query(sql: string): Promise<unknown> {
 *   using _permit = await db.acquire();
 *   return await pool.query(sql); // `await`: a bare `return` would release before the query ends
 * }
 */
export class Semaphore {
  /** The name given in the options. */
  readonly name: string | undefined;
  /** The total weight that may be held at once; `Infinity` for no limit. */
  readonly capacity: number;
  #held = 0;
  #waiting = 0;
  #head: Waiter | undefined = undefined;
  #tail: Waiter | undefined = undefined;

  static {
    giveBack = (semaphore, record) => semaphore.#giveBack(record);
    cancelWaiter = (semaphore, waiter) => semaphore.#cancel(waiter);
  }

  /** Throws a `TypeError` unless `capacity` is a positive integer or `Infinity`. */
  constructor(capacity: number, options?: SemaphoreOptions) {
    assertPositiveInteger('capacity', capacity, true);
    assertOptions('options', options, ['name']);
    assertOptionalString('options.name', options?.name);
    this.capacity = capacity;
    this.name = options?.name;
  }

  /** The weight that could be acquired now if nobody waited: `capacity - held`. */
  get available(): number {
    return this.capacity - this.#held;
  }

  /** The weight held by unreleased permits. */
  get held(): number {
    return this.#held;
  }

  /** How many `acquire()` calls are queued. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Acquires `weight`, waiting while it does not fit or anyone waits ahead. Resolves with a held permit. Never throws:
   * rejects at once with a `TypeError` for a bad argument (including a weight above `capacity`, which Go would let
   * wait forever) and with `signal.reason` when the signal is already aborted; rejects with `signal.reason` when the
   * signal aborts while queued. A rejection leaves the semaphore as it was, except that waiters behind an aborted
   * head are re-checked, as Go's `notifyWaiters` does. An acquire that passes these checks registers a permit
   * record (`waiting`, then `held`) for leak reports and `dump()`; one rejected up front records nothing.
   *
   * The grant is final. `signal.aborted` is checked at the moment of the grant, so an abort earlier in the same turn
   * wins even before its `abort` event reaches this waiter; an abort after the grant is ignored and the permit must
   * be released. Rejected: Go's give-back of a permit granted while the context was done. Go's `select` cannot tell
   * which came first; here the order is known, and a resolved promise cannot be taken back. Deferring the resolution
   * to re-check would cost a tick per grant and only move the window.
   *
   * @param weight - The weight to take; a positive integer no larger than `capacity`. Defaults to 1.
   * @example
   * const permit = await semaphore.acquire(3, { signal: AbortSignal.timeout(1000) });
   * try { await upload(chunk); } finally { permit.release(); }
   */
  acquire(weight = 1, options?: AcquireOptions): Promise<Permit> {
    try {
      this.#checkWeight(weight);
      assertOptions('options', options, ['signal']);
      assertOptionalSignal('options.signal', options?.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options?.signal;
    // Go prefers to fail when the context was done before the call, even if the weight is free.
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#head === undefined && this.capacity - this.#held >= weight) {
      return Promise.resolve(this.#grant(createPermitRecord(this.name, weight, true, acquireFrame)));
    }
    const record = createPermitRecord(this.name, weight, false, acquireFrame);
    return new Promise<Permit>((resolve, reject) => {
      const waiter = new Waiter(this, record, signal, resolve, reject);
      if (this.#tail === undefined) {
        this.#head = waiter;
      } else {
        this.#tail.next = waiter;
        waiter.prev = this.#tail;
      }
      this.#tail = waiter;
      this.#waiting++;
      signal?.addEventListener('abort', waiter, { once: true });
    });
  }

  /**
   * Acquires `weight` only if it fits now and nobody waits; never blocks. Returns the permit, or `undefined` and
   * leaves the semaphore unchanged. Throws a `TypeError` for a bad weight, including one above `capacity`: Go
   * returns false there, but a weight that can never fit is a bug, and `false` would hide it as "busy".
   *
   * @param weight - As for {@link Semaphore.acquire}. Defaults to 1.
   * @example
   * const permit = semaphore.tryAcquire();
   * if (permit === undefined) return 'busy';
   */
  tryAcquire(weight = 1): Permit | undefined {
    this.#checkWeight(weight);
    if (this.#head !== undefined || this.capacity - this.#held < weight) return undefined;
    return this.#grant(createPermitRecord(this.name, weight, true, tryAcquireFrame));
  }

  #checkWeight(weight: unknown): asserts weight is number {
    assertPositiveInteger('weight', weight);
    if (weight > this.capacity) {
      throw argumentError('weight', `at most the capacity of ${describeSemaphore(this.name)} (${this.capacity})`, weight);
    }
  }

  #grant(record: PermitRecord): Permit {
    this.#held += record.weight;
    const permit = new SemaphorePermit(this, record);
    if (permitAcquireChannel.hasSubscribers) permitAcquireChannel.publish({ permit: record });
    return permit;
  }

  #giveBack(record: PermitRecord): void {
    this.#held -= record.weight;
    record.state = 'released';
    markDone(record);
    if (permitReleaseChannel.hasSubscribers) permitReleaseChannel.publish({ permit: record });
    this.#notify();
  }

  /** Grants from the head while the head fits; stops at the first that does not, so a large waiter is not starved. */
  #notify(): void {
    // Re-read the head each turn: a diagnostics subscriber may release or acquire re-entrantly.
    for (let waiter = this.#head; waiter !== undefined; waiter = this.#head) {
      if (waiter.signal?.aborted) {
        this.#cancel(waiter);
        continue;
      }
      if (this.capacity - this.#held < waiter.record.weight) return;
      this.#unlink(waiter);
      const { record } = waiter;
      record.state = 'held';
      record.grantedAt = Date.now();
      waiter.resolve(this.#grant(record));
    }
  }

  #cancel(waiter: Waiter): void {
    if (!waiter.queued) return;
    const wasHead = this.#head === waiter;
    this.#unlink(waiter);
    waiter.record.state = 'released';
    markDone(waiter.record);
    waiter.reject(waiter.signal?.reason);
    if (wasHead) this.#notify();
  }

  #unlink(waiter: Waiter): void {
    waiter.queued = false;
    waiter.signal?.removeEventListener('abort', waiter);
    if (waiter.prev === undefined) this.#head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === undefined) this.#tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.#waiting--;
  }
}

// Stack boundaries for `Error.captureStackTrace`, never called: a captured stack starts at the caller of the public
// method, not inside this file.
/* eslint-disable @typescript-eslint/unbound-method */
const acquireFrame: Function = Semaphore.prototype.acquire;
const tryAcquireFrame: Function = Semaphore.prototype.tryAcquire;
const releaseFrame: Function = SemaphorePermit.prototype.release;
const disposeFrame: Function = SemaphorePermit.prototype[Symbol.dispose];
/* eslint-enable @typescript-eslint/unbound-method */

/**
 * One instance of each class the hot paths read, built at load and kept for the life of the process: V8 holds the
 * hidden class a constructor ends on only weakly, so a full garbage collection while no semaphore, permit or waiter
 * is alive frees it and throws away every optimized method that embedded it ("weak objects" in `--trace-deopt`).
 * The kept permit wraps the registry's kept permit record, which is never registered, so it is never reported.
 */
const keepers: readonly object[] = (() => {
  const semaphore = new Semaphore(1);
  const record = keptRecords().find((kept): kept is PermitRecord => kept.kind === 'permit')!;
  return [semaphore, new SemaphorePermit(semaphore, record), new Waiter(semaphore, record, undefined, keptCallback, keptCallback)];
})();

/** The callbacks of the kept waiter: never called. */
function keptCallback(): void {}

/** The kept objects (see above). Internal: for the test that proves they stay out of the registry. */
export function keptObjects(): readonly object[] {
  return keepers;
}
