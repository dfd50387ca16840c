import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelNames, type PermitMessage } from '../../runtime/diagnostics.js';
import { liveRecords, nextRecordId, requestStacks, suspendStacks, type PermitRecord } from '../../runtime/registry.js';
import { Semaphore, type Permit } from '../../runtime/semaphore.js';

type Status = 'pending' | 'fulfilled' | 'rejected';

/** Follows a promise so a test can read its state synchronously after a flush. */
function follow<T>(promise: Promise<T>): { status: Status; value?: T; reason?: unknown } {
  const state: { status: Status; value?: T; reason?: unknown } = { status: 'pending' };
  promise.then(
    (value) => Object.assign(state, { status: 'fulfilled', value }),
    (reason: unknown) => Object.assign(state, { status: 'rejected', reason }),
  );
  return state;
}

/** Lets every pending promise reaction run (one macrotask turn). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function permitRecords(name: string): PermitRecord[] {
  return liveRecords().filter((r): r is PermitRecord => r.kind === 'permit' && r.semaphore === name);
}

/**
 * Runs `fn` with stack capture forced on or off. Off uses `suspendStacks()`, which wins over the leak detector this
 * suite runs under; on asks for stacks without touching the global setting, so nothing outlives the call.
 */
function withStacks<T>(on: boolean, fn: () => T): T {
  const restore = on ? requestStacks() : suspendStacks();
  try {
    return fn();
  } finally {
    restore();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Semaphore', () => {
  it('exposes its name, capacity and counters', async () => {
    const sem = new Semaphore(3, { name: 'counters' });
    expect([sem.name, sem.capacity, sem.available, sem.held, sem.waiting]).toEqual(['counters', 3, 3, 0, 0]);
    const a = await sem.acquire(2);
    const b = sem.acquire(2);
    expect([sem.available, sem.held, sem.waiting]).toEqual([1, 2, 1]);
    a.release();
    (await b).release();
    expect([sem.available, sem.held, sem.waiting]).toEqual([3, 0, 0]);
  });

  it.each([
    [0, 'Expected `capacity` to be a positive integer or Infinity, got `0` (number).'],
    [-1, 'Expected `capacity` to be a positive integer or Infinity, got `-1` (number).'],
    [1.5, 'Expected `capacity` to be a positive integer or Infinity, got `1.5` (number).'],
    [Number.NaN, 'Expected `capacity` to be a positive integer or Infinity, got `NaN` (number).'],
    ['3', 'Expected `capacity` to be a positive integer or Infinity, got `"3"` (string).'],
    [undefined, 'Expected `capacity` to be a positive integer or Infinity, got `undefined`.'],
  ])('rejects capacity %o with a TypeError', (capacity, message) => {
    expect(() => new Semaphore(capacity as number)).toThrow(new TypeError(message));
  });

  it('rejects a bad name and unknown options', () => {
    expect(() => new Semaphore(1, { name: 5 as unknown as string })).toThrow(new TypeError('Expected `options.name` to be a string, got `5` (number).'));
    expect(() => new Semaphore(1, { size: 2 } as never)).toThrow(new TypeError('Unknown option `size` in `options`. Known options: `name`.'));
  });

  it('never blocks with capacity Infinity', async () => {
    const sem = new Semaphore(Infinity);
    const permits = [await sem.acquire(1e6), await sem.acquire(1e9), sem.tryAcquire(7)!];
    expect([sem.held, sem.available, sem.waiting]).toEqual([1e6 + 1e9 + 7, Infinity, 0]);
    for (const permit of permits) permit.release();
    expect(sem.held).toBe(0);
  });
});

describe('Semaphore.tryAcquire', () => {
  it('follows Go\'s TryAcquire sequence', async () => {
    const sem = new Semaphore(2);
    const tries: boolean[] = [];
    const first = await sem.acquire(1);
    const second = sem.tryAcquire(1);
    tries.push(second !== undefined);
    tries.push(sem.tryAcquire(1) !== undefined);
    first.release();
    second!.release();
    const third = sem.tryAcquire(1);
    tries.push(third !== undefined);
    const fourth = await sem.acquire(1);
    tries.push(sem.tryAcquire(1) !== undefined);
    expect(tries).toEqual([true, false, true, false]);
    third!.release();
    fourth.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it('returns undefined while anyone waits, even when the weight fits', async () => {
    const sem = new Semaphore(3);
    const held = sem.tryAcquire(2)!;
    const waiter = follow(sem.acquire(2));
    expect(sem.tryAcquire(1)).toBeUndefined();
    expect([sem.held, sem.waiting]).toEqual([2, 1]);
    held.release();
    await flush();
    expect(waiter.status).toBe('fulfilled');
    waiter.value!.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it.each([
    [0, 'Expected `weight` to be a positive integer, got `0` (number).'],
    [2.5, 'Expected `weight` to be a positive integer, got `2.5` (number).'],
    [null, 'Expected `weight` to be a positive integer, got `null`.'],
    [4, 'Expected `weight` to be at most the capacity of Semaphore "small" (3), got `4` (number).'],
  ])('throws for weight %o and changes nothing', (weight, message) => {
    const sem = new Semaphore(3, { name: 'small' });
    expect(() => sem.tryAcquire(weight as number)).toThrow(new TypeError(message));
    expect([sem.held, sem.waiting]).toEqual([0, 0]);
  });
});

describe('Semaphore.acquire', () => {
  it('follows Go\'s Acquire-with-timeout sequence', async () => {
    vi.useFakeTimers();
    const sem = new Semaphore(2);
    const acquireWithin10ms = async (weight: number): Promise<Permit | undefined> => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 10);
      const attempt = sem.acquire(weight, { signal: controller.signal }).catch(() => undefined);
      await vi.advanceTimersByTimeAsync(10);
      clearTimeout(timer);
      return attempt;
    };
    const tries: boolean[] = [];
    const first = await sem.acquire(1);
    const second = await acquireWithin10ms(1);
    tries.push(second !== undefined);
    tries.push((await acquireWithin10ms(1)) !== undefined);
    first.release();
    second!.release();
    const third = await acquireWithin10ms(1);
    tries.push(third !== undefined);
    const fourth = await sem.acquire(1);
    tries.push((await acquireWithin10ms(1)) !== undefined);
    expect(tries).toEqual([true, false, true, false]);
    third!.release();
    fourth.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it('resolves with a held permit in the same turn when nobody waits', async () => {
    const sem = new Semaphore(2);
    const pending = sem.acquire(2);
    expect([sem.held, sem.available]).toEqual([2, 0]);
    const permit = await pending;
    expect(permit).toMatchObject({ weight: 2, released: false });
    permit.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it('grants waiters in the order they called acquire', async () => {
    const sem = new Semaphore(2);
    const holder = sem.tryAcquire(2)!;
    const order: number[] = [];
    const waiters = [1, 2, 1, 1].map((weight, i) =>
      sem.acquire(weight).then((permit) => {
        order.push(i);
        permit.release();
      }),
    );
    holder.release();
    await Promise.all(waiters);
    expect([order, sem.held]).toEqual([[0, 1, 2, 3], 0]);
  });

  it('does not let a small acquire barge past a waiter', async () => {
    const sem = new Semaphore(3);
    const holder = sem.tryAcquire(2)!;
    const big = follow(sem.acquire(3));
    const small = follow(sem.acquire(1));
    await flush();
    expect([big.status, small.status, sem.held, sem.waiting]).toEqual(['pending', 'pending', 2, 2]);
    holder.release();
    await flush();
    expect([big.status, small.status]).toEqual(['fulfilled', 'pending']);
    big.value!.release();
    await flush();
    expect(small.status).toBe('fulfilled');
    small.value!.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it('grants a large waiter although small holders keep re-acquiring (Go: TestLargeAcquireDoesntStarve)', async () => {
    vi.useFakeTimers();
    const n = 4;
    const sem = new Semaphore(n);
    let running = true;
    const workers = Array.from({ length: n }, async () => {
      let permit = await sem.acquire(1);
      while (running) {
        await sleep(1);
        permit.release();
        permit = await sem.acquire(1);
      }
      permit.release();
    });
    await vi.advanceTimersByTimeAsync(0);
    const big = follow(sem.acquire(n));
    await vi.advanceTimersByTimeAsync(1);
    expect(big.status).toBe('fulfilled');
    expect(sem.waiting).toBe(n);
    running = false;
    big.value!.release();
    await Promise.all(workers);
    expect(sem.held).toBe(0);
  });

  it('rejects a weight above the capacity at once and blocks nobody (Go: TestWeightedDoesntBlockIfTooBig)', async () => {
    const sem = new Semaphore(2, { name: 'pool' });
    await expect(sem.acquire(3)).rejects.toThrow(new TypeError('Expected `weight` to be at most the capacity of Semaphore "pool" (2), got `3` (number).'));
    const small = await Promise.all(Array.from({ length: 2 }, () => sem.acquire(1)));
    expect([sem.held, sem.waiting]).toEqual([2, 0]);
    for (const permit of small) permit.release();
  });

  it.each([
    [[0], 'Expected `weight` to be a positive integer, got `0` (number).'],
    [[-2], 'Expected `weight` to be a positive integer, got `-2` (number).'],
    [['1'], 'Expected `weight` to be a positive integer, got `"1"` (string).'],
    [[1, { signal: 'stop' }], 'Expected `options.signal` to be an AbortSignal, got `"stop"` (string).'],
    [[1, { timeout: 5 }], 'Unknown option `timeout` in `options`. Known options: `signal`.'],
  ])('rejects arguments %o without throwing and changes nothing', async (args, message) => {
    const sem = new Semaphore(2);
    const before = nextRecordId();
    let pending: Promise<Permit> | undefined;
    expect(() => (pending = Reflect.apply(sem.acquire, sem, args) as Promise<Permit>)).not.toThrow();
    await expect(pending).rejects.toThrow(new TypeError(message));
    expect([sem.held, sem.waiting, nextRecordId()]).toEqual([0, 0, before]);
  });

  it('rejects with the signal\'s reason when aborted while waiting, leaving the state unchanged', async () => {
    const sem = new Semaphore(2);
    const holder = sem.tryAcquire(1)!;
    const controller = new AbortController();
    const waiter = sem.acquire(2, { signal: controller.signal });
    const reason = new Error('user left');
    controller.abort(reason);
    await expect(waiter).rejects.toBe(reason);
    expect([sem.held, sem.available, sem.waiting]).toEqual([1, 1, 0]);
    holder.release();
    expect(sem.available).toBe(2);
  });

  it('rejects an already-aborted signal even when the weight is free, and records nothing', async () => {
    const sem = new Semaphore(2);
    const before = nextRecordId();
    await expect(sem.acquire(1, { signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect([sem.held, sem.waiting, nextRecordId()]).toEqual([0, 0, before]);
  });

  it('lets the waiters behind a canceled head re-check (Go: TestAllocCancelDoesntStarve)', async () => {
    const sem = new Semaphore(10);
    const first = await sem.acquire(1);
    const controller = new AbortController();
    const big = follow(sem.acquire(10, { signal: controller.signal }));
    const small = follow(sem.acquire(1));
    await flush();
    expect(small.status).toBe('pending');
    controller.abort();
    await flush();
    expect([big.status, small.status, sem.held]).toEqual(['rejected', 'fulfilled', 2]);
    first.release();
    small.value!.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it('leaves the released weight available after an abort that came first (Go: TestWeightedAcquireCanceled)', async () => {
    const sem = new Semaphore(2);
    const holder = await sem.acquire(1);
    const controller = new AbortController();
    const waiter = follow(sem.acquire(2, { signal: controller.signal }));
    controller.abort();
    holder.release();
    await flush();
    expect(waiter.status).toBe('rejected');
    const whole = sem.tryAcquire(2);
    expect(whole).toBeDefined();
    whole!.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it('keeps the order of the other waiters when one in the middle aborts', async () => {
    const sem = new Semaphore(1);
    const holder = sem.tryAcquire()!;
    const controller = new AbortController();
    const order: string[] = [];
    const first = sem.acquire().then((p) => (order.push('first'), p));
    const middle = follow(sem.acquire(1, { signal: controller.signal }));
    const last = sem.acquire().then((p) => (order.push('last'), p));
    controller.abort();
    expect(sem.waiting).toBe(2);
    holder.release();
    (await first).release();
    (await last).release();
    expect([middle.status, order]).toEqual(['rejected', ['first', 'last']]);
  });

  it('removes its abort listener when granted, aborted or served at once', async () => {
    const sem = new Semaphore(1);
    const controller = new AbortController();
    const { signal } = controller;
    const fast = await sem.acquire(1, { signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    const queued = sem.acquire(1, { signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    fast.release();
    (await queued).release();
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    const blocker = sem.tryAcquire()!;
    const aborted = sem.acquire(1, { signal });
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(DOMException);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    blocker.release();
  });

  it('keeps a permit granted before the abort in the same turn', async () => {
    const sem = new Semaphore(1);
    const holder = sem.tryAcquire()!;
    const controller = new AbortController();
    const waiter = sem.acquire(1, { signal: controller.signal });
    holder.release();
    controller.abort();
    const permit = await waiter;
    expect([permit.released, sem.held]).toEqual([false, 1]);
    permit.release();
  });

  it('rejects a waiter whose signal aborted earlier in the turn, before its abort listener ran', async () => {
    const sem = new Semaphore(1);
    const holder = sem.tryAcquire()!;
    const controller = new AbortController();
    // This listener runs first and releases while the signal is already aborted.
    controller.signal.addEventListener('abort', () => holder.release());
    const aborted = follow(sem.acquire(1, { signal: controller.signal }));
    const next = follow(sem.acquire(1));
    controller.abort();
    await flush();
    expect([aborted.status, next.status, sem.held, sem.waiting]).toEqual(['rejected', 'fulfilled', 1, 0]);
    next.value!.release();
    expect(sem.available).toBe(sem.capacity);
  });
});

describe('Permit', () => {
  it('gives its weight back on release and grants the waiters that now fit', async () => {
    const sem = new Semaphore(3);
    const permit = sem.tryAcquire(3)!;
    const a = follow(sem.acquire(1));
    const b = follow(sem.acquire(2));
    permit.release();
    await flush();
    expect([permit.released, a.status, b.status, sem.held]).toEqual([true, 'fulfilled', 'fulfilled', 3]);
    a.value!.release();
    b.value!.release();
    expect(sem.available).toBe(sem.capacity);
  });

  it('throws on a second release and says where to learn more when stacks are off', () => {
    const sem = new Semaphore(2, { name: 'db' });
    const permit = sem.tryAcquire()!;
    withStacks(false, () => permit.release());
    expect(() => permit.release()).toThrow(
      new Error('taskscope: Semaphore.release: permit of Semaphore "db" was already released (first released at an unknown place; set TASKSCOPE_DEBUG=1 to record it).'),
    );
    expect([sem.held, sem.available]).toEqual([0, 2]);
  });

  it('names the first release\'s frame on a second release when stacks are on', () => {
    const sem = new Semaphore(2);
    const permit = sem.tryAcquire()!;
    function releaseOnce(): void {
      permit.release();
    }
    withStacks(true, releaseOnce);
    expect(() => permit.release()).toThrow(
      /^taskscope: Semaphore\.release: permit of an unnamed Semaphore was already released \(first released at releaseOnce \(.*semaphore\.test\.ts:\d+:\d+\)\)\.$/,
    );
  });

  it('releases on dispose, and a dispose after a release is a no-op', () => {
    const sem = new Semaphore(2);
    const disposed = sem.tryAcquire(2)!;
    disposed[Symbol.dispose]();
    expect([disposed.released, sem.held]).toEqual([true, 0]);
    disposed[Symbol.dispose]();
    expect(sem.held).toBe(0);
    expect(() => disposed.release()).toThrow(/was already released/);

    const released = sem.tryAcquire(1)!;
    const other = sem.tryAcquire(1)!;
    released.release();
    released[Symbol.dispose]();
    expect(sem.held).toBe(1);
    other.release();
  });

  it('is released when a using block ends, even on a throw', async () => {
    const sem = new Semaphore(1);
    const run = async (): Promise<void> => {
      using _permit = await sem.acquire();
      expect(sem.held).toBe(1);
      throw new Error('boom');
    };
    await expect(run()).rejects.toThrow('boom');
    expect(sem.held).toBe(0);
  });
});

describe('Semaphore registry records', () => {
  it('records a permit as waiting, then held with grantedAt, then removes it as released', async () => {
    vi.useFakeTimers({ now: 1_000 });
    const sem = new Semaphore(1, { name: 'records' });
    const holder = sem.tryAcquire()!;
    const queued = sem.acquire(1);
    const [held, waiting] = permitRecords('records');
    expect(held).toMatchObject({ kind: 'permit', state: 'held', weight: 1, semaphore: 'records', grantedAt: 1_000 });
    expect(waiting).toMatchObject({ state: 'waiting', grantedAt: undefined });
    vi.setSystemTime(2_000);
    holder.release();
    expect(held!.state).toBe('released');
    expect(waiting).toMatchObject({ state: 'held', grantedAt: 2_000 });
    expect(permitRecords('records')).toEqual([waiting]);
    (await queued).release();
    expect(permitRecords('records')).toEqual([]);
  });

  it('removes the record of an aborted waiter', async () => {
    const sem = new Semaphore(1, { name: 'abandoned' });
    const holder = sem.tryAcquire()!;
    const controller = new AbortController();
    const waiter = sem.acquire(1, { signal: controller.signal });
    const record = permitRecords('abandoned')[1]!;
    controller.abort();
    await expect(waiter).rejects.toBeDefined();
    expect(record.state).toBe('released');
    expect(permitRecords('abandoned')).toHaveLength(1);
    holder.release();
  });

  it('records the creation stack from the caller of acquire when stacks are on', async () => {
    const sem = new Semaphore(1, { name: 'stacked' });
    const permit = await withStacks(true, function acquireHere() {
      return sem.acquire();
    });
    const stack = permitRecords('stacked')[0]!.stack!;
    expect(stack.split('\n')[1]).toMatch(/at acquireHere \(.*semaphore\.test\.ts:\d+:\d+\)/);
    permit.release();
  });

  it('publishes acquire and release messages with the record, and nothing for an aborted waiter', async () => {
    const events: [string, PermitRecord][] = [];
    const onAcquire = (message: unknown): void => void events.push(['acquire', (message as PermitMessage).permit]);
    const onRelease = (message: unknown): void => void events.push(['release', (message as PermitMessage).permit]);
    subscribe(channelNames.permitAcquire, onAcquire);
    subscribe(channelNames.permitRelease, onRelease);
    try {
      const sem = new Semaphore(1, { name: 'published' });
      const first = sem.tryAcquire()!;
      const controller = new AbortController();
      const aborted = sem.acquire(1, { signal: controller.signal });
      const second = sem.acquire(1);
      const [firstRecord, abortedRecord, secondRecord] = permitRecords('published');
      controller.abort();
      await expect(aborted).rejects.toBeDefined();
      first.release();
      (await second).release();
      expect(abortedRecord).toBeDefined();
      expect(events).toEqual([
        ['acquire', firstRecord],
        ['release', firstRecord],
        ['acquire', secondRecord],
        ['release', secondRecord],
      ]);
    } finally {
      unsubscribe(channelNames.permitAcquire, onAcquire);
      unsubscribe(channelNames.permitRelease, onRelease);
    }
  });
});

describe('Semaphore TSDoc examples', () => {
  it('runs the class example', async () => {
    const pool = { active: 0, max: 0, async query(sql: string): Promise<string> {
      this.max = Math.max(this.max, ++this.active);
      await flush();
      this.active--;
      return `rows of ${sql}`;
    } };
    const db = new Semaphore(10, { name: 'db' });
    async function query(sql: string): Promise<unknown> {
      using _permit = await db.acquire();
      return await pool.query(sql); // `await`: a bare `return` would release before the query ends
    }
    const rows = await Promise.all(Array.from({ length: 25 }, (_, i) => query(`select ${i}`)));
    expect(rows[24]).toBe('rows of select 24');
    expect([pool.max, db.held]).toEqual([10, 0]);
  });

  it('runs the Permit example', async () => {
    const semaphore = new Semaphore(2);
    {
      using permit = await semaphore.acquire(2);
      expect([permit.weight, semaphore.held]).toEqual([2, 2]);
    }
    expect(semaphore.held).toBe(0);
  });

  it('runs the acquire example', async () => {
    const semaphore = new Semaphore(3);
    const uploaded: string[] = [];
    const upload = async (chunk: string): Promise<void> => void uploaded.push(chunk);
    const chunk = 'chunk 1';
    const permit = await semaphore.acquire(3, { signal: AbortSignal.timeout(1000) });
    try { await upload(chunk); } finally { permit.release(); }
    expect([uploaded, semaphore.held]).toEqual([['chunk 1'], 0]);
  });

  it('runs the tryAcquire example', () => {
    const semaphore = new Semaphore(1);
    const served: Permit[] = [];
    const handle = (): string => {
      const permit = semaphore.tryAcquire();
      if (permit === undefined) return 'busy';
      served.push(permit);
      return 'served';
    };
    expect([handle(), handle()]).toEqual(['served', 'busy']);
    for (const permit of served) permit.release();
    expect(semaphore.available).toBe(semaphore.capacity);
  });
});
