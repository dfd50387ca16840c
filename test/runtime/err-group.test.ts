import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../runtime/diagnostics.js';
import { ErrGroup } from '../../runtime/err-group.js';
import { configureInstrumentation, liveRecords, nextRecordId, requestStacks } from '../../runtime/registry.js';
import type { GroupRecord, LiveRecord, TaskRecord } from '../../runtime/registry.js';

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

// Node 20 has no Promise.withResolvers.
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise reaction run (real timers only). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Settles to `{ ok }` or `{ error }`, so a test can look at a rejection without an unhandled one. */
function outcome(promise: Promise<void>): Promise<{ ok: true } | { ok: false; error: unknown }> {
  return promise.then(
    () => ({ ok: true }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

let groupCount = 0;
function uniqueName(): string {
  return `err-group-test-${++groupCount}`;
}

/** The live records of the group named `name` and of its tasks. */
function liveOf(name: string): LiveRecord[] {
  return liveRecords().filter((r) => (r.kind === 'group' && r.name === name) || (r.kind === 'task' && r.group.name === name));
}

function groupRecordOf(name: string): GroupRecord | undefined {
  return liveRecords().find((r): r is GroupRecord => r.kind === 'group' && r.name === name);
}

function taskRecordsOf(name: string): TaskRecord[] {
  return liveRecords().filter((r): r is TaskRecord => r.kind === 'task' && r.group.name === name);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ErrGroup', () => {
  // Go: TestZeroGroup.
  it('returns the first error of a zero group from every wait() (Go TestZeroGroup)', async () => {
    const err1 = new Error('errgroup_test: 1');
    const err2 = new Error('errgroup_test: 2');
    const cases: (Error | undefined)[][] = [[], [undefined], [err1], [err1, undefined], [err1, undefined, err2]];
    for (const errs of cases) {
      const group = new ErrGroup();
      let firstErr: Error | undefined;
      for (const err of errs) {
        group.go(() => (err === undefined ? Promise.resolve() : Promise.reject(err)));
        firstErr ??= err;
        const result = await outcome(group.wait());
        expect(result).toEqual(firstErr === undefined ? { ok: true } : { ok: false, error: firstErr });
        if (!result.ok) expect(result.error).toBe(firstErr);
      }
    }
  });

  it('rejects wait() with the error that occurred first, not the task added first', async () => {
    const group = new ErrGroup();
    const a = deferred();
    const b = deferred();
    group.go(() => a.promise);
    group.go(() => b.promise);
    const errorB = new Error('b');
    b.reject(errorB);
    await flush();
    a.reject(new Error('a'));
    await expect(group.wait()).rejects.toBe(errorB);
  });

  it('waits for every task, queued ones included, even after a failure', async () => {
    const group = new ErrGroup({ limit: 1 });
    const first = deferred();
    const second = deferred();
    let secondStarted = false;
    group.go(() => first.promise);
    group.go(() => {
      secondStarted = true;
      return second.promise;
    });
    let settled = false;
    const waited = outcome(group.wait()).finally(() => (settled = true));
    const boom = new Error('boom');
    first.reject(boom);
    await flush();
    expect(secondStarted).toBe(true);
    expect(settled).toBe(false);
    second.resolve();
    expect(await waited).toEqual({ ok: false, error: boom });
  });

  // Go: TestWithContext.
  it('aborts its signal once wait() settles, with an AbortError when nothing failed (Go TestWithContext)', async () => {
    const group = new ErrGroup();
    const done = deferred();
    group.go(() => done.promise);
    done.resolve();
    await flush();
    expect(group.signal.aborted).toBe(false);
    await group.wait();
    expect(group.signal.aborted).toBe(true);
    expect(group.signal.reason).toBeInstanceOf(DOMException);
    expect((group.signal.reason as DOMException).name).toBe('AbortError');
  });

  it('aborts its signal with the first error as reason when a task fails', async () => {
    const group = new ErrGroup();
    const doom = new Error('group_test: doomed');
    const seen: unknown[] = [];
    group.go((signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => (seen.push(signal.reason), resolve()))));
    group.go(() => Promise.reject(doom));
    await expect(group.wait()).rejects.toBe(doom);
    expect(group.signal.reason).toBe(doom);
    expect(seen).toEqual([doom]);
  });

  it('aborts its signal with the parent reason when the parent aborts', async () => {
    const parent = new AbortController();
    const group = new ErrGroup({ signal: parent.signal });
    let received: AbortSignal | undefined;
    group.go((signal) => {
      received = signal;
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    });
    const reason = new Error('shutting down');
    parent.abort(reason);
    expect(group.signal.aborted).toBe(true);
    expect(group.signal.reason).toBe(reason);
    expect(received).toBe(group.signal);
    await group.wait();
    expect(group.errors).toEqual([]);
  });

  it('starts with an aborted signal when the parent signal already is aborted', async () => {
    const reason = new Error('too late');
    const parent = AbortSignal.abort(reason);
    const group = new ErrGroup({ signal: parent });
    expect(group.signal.aborted).toBe(true);
    expect(group.signal.reason).toBe(reason);
    expect(getEventListeners(parent, 'abort')).toHaveLength(0);
    await group.wait();
  });

  it('leaves no abort listener on the parent signal after wait() settles', async () => {
    const parent = new AbortController();
    const group = new ErrGroup({ signal: parent.signal });
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    const done = deferred();
    group.go(() => done.promise);
    const waited = group.wait();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    done.resolve();
    await waited;
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('removes its abort listener from the parent signal as soon as a task fails', async () => {
    const parent = new AbortController();
    const group = new ErrGroup({ signal: parent.signal });
    group.go(() => Promise.reject(new Error('fail')));
    await flush();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    await expect(group.wait()).rejects.toThrow('fail');
  });

  it('removes its abort listener from the parent signal when the parent aborts', () => {
    const parent = new AbortController();
    const group = new ErrGroup({ signal: parent.signal });
    parent.abort();
    expect(group.signal.aborted).toBe(true);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  // Go: TestTryGo.
  it('tryGo starts tasks below the limit only (Go TestTryGo)', async () => {
    const n = 42;
    const group = new ErrGroup({ limit: n });
    const releases: Deferred[] = [];
    const fn = (): Promise<void> => {
      const d = deferred();
      releases.push(d);
      return d.promise;
    };
    for (let i = 0; i < n; i++) expect(group.tryGo(fn)).toBe(true);
    expect(group.tryGo(fn)).toBe(false);
    expect(releases).toHaveLength(n);
    for (const release of releases.splice(0)) release.resolve();
    await group.wait();
    expect(group.tryGo(fn)).toBe(true);
    releases.splice(0)[0]!.resolve();
    await group.wait();

    const one = new ErrGroup({ limit: 1 });
    expect(one.tryGo(fn)).toBe(true);
    expect(one.tryGo(fn)).toBe(false);
    releases.splice(0)[0]!.resolve();
    await one.wait();
  });

  it('tryGo always starts the task when there is no limit', async () => {
    const group = new ErrGroup();
    for (let i = 0; i < 1000; i++) expect(group.tryGo(() => sleep(1))).toBe(true);
    await group.wait();
  });

  it('hands a freed slot to the oldest queued task, never to tryGo', async () => {
    const group = new ErrGroup({ limit: 1 });
    const first = deferred();
    const second = deferred();
    let secondStarted = false;
    group.go(() => first.promise);
    group.go(() => {
      secondStarted = true;
      return second.promise;
    });
    expect(group.tryGo(() => undefined)).toBe(false);
    // This reaction runs right after the group's own reaction to `first`: the moment the slot frees.
    const atRelease = first.promise.then(() => ({ secondStarted, tryGo: group.tryGo(() => undefined) }));
    first.resolve();
    expect(await atRelease).toEqual({ secondStarted: true, tryGo: false });
    second.resolve();
    await group.wait();
    expect(group.tryGo(() => undefined)).toBe(true);
    await group.wait();
  });

  // Go: TestGoLimit.
  it('never runs more than limit tasks at once (Go TestGoLimit)', async () => {
    vi.useFakeTimers();
    const limit = 3;
    const group = new ErrGroup({ limit });
    let active = 0;
    let maxActive = 0;
    for (let i = 0; i < 100; i++) {
      group.go(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(1 + (i % 7));
        active--;
      });
    }
    const waited = group.wait();
    await vi.runAllTimersAsync();
    await waited;
    expect(maxActive).toBe(limit);
    expect(active).toBe(0);
  });

  it('starts queued tasks in FIFO order', async () => {
    vi.useFakeTimers();
    const group = new ErrGroup({ limit: 2 });
    const started: number[] = [];
    // Later tasks finish sooner, so completion order differs from submission order.
    for (let i = 0; i < 10; i++) {
      group.go(async () => {
        started.push(i);
        await sleep(100 - i);
      });
    }
    const waited = group.wait();
    await vi.runAllTimersAsync();
    await waited;
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives the same outcome when wait() is called again', async () => {
    const ok = new ErrGroup();
    ok.go(() => sleep(1));
    await ok.wait();
    await expect(ok.wait()).resolves.toBeUndefined();

    const failed = new ErrGroup();
    const error = new Error('once');
    failed.go(() => Promise.reject(error));
    const [first, second] = await Promise.all([outcome(failed.wait()), outcome(failed.wait())]);
    expect(first).toEqual({ ok: false, error });
    expect(second).toEqual({ ok: false, error });
    await expect(failed.wait()).rejects.toBe(error);
    failed.go(() => undefined);
    await expect(failed.wait()).rejects.toBe(error);
  });

  it('waits in the next wait() for tasks added after a settled wait()', async () => {
    vi.useFakeTimers();
    const group = new ErrGroup();
    await group.wait();
    let done = false;
    group.go(async () => {
      await sleep(100);
      done = true;
    });
    let settled = false;
    const waited = group.wait().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waited;
    expect(done).toBe(true);
  });

  it('counts a synchronous throw as the task error and a plain return value as success', async () => {
    const group = new ErrGroup();
    const error = new Error('sync');
    let ran = false;
    group.go(() => 42);
    group.go(() => {
      ran = true;
      throw error;
    });
    expect(ran).toBe(true);
    expect(group.errors).toEqual([error]);
    expect(group.signal.reason).toBe(error);
    await expect(group.wait()).rejects.toBe(error);
  });

  it('treats a rejection with undefined as a failure', async () => {
    const group = new ErrGroup();
    group.go(() => Promise.reject(undefined));
    expect(await outcome(group.wait())).toEqual({ ok: false, error: undefined });
    expect(group.errors).toEqual([undefined]);
  });

  it('adopts a foreign thenable returned by a task', async () => {
    const group = new ErrGroup();
    const error = new Error('thenable');
    group.go(() => ({ then: (_ok: () => void, fail: (e: unknown) => void) => fail(error) }));
    await expect(group.wait()).rejects.toBe(error);
  });

  it('settles every task in its own group when the tasks of several groups settle interleaved', async () => {
    // Tasks share settle handlers that are reused from task to task and across groups.
    const first = new ErrGroup({ name: uniqueName() });
    const second = new ErrGroup({ name: uniqueName(), limit: 1 });
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const error = new Error('second group');
    first.go(() => gates[0]!.promise, { name: 'first a' });
    second.go(() => gates[1]!.promise, { name: 'second a' });
    first.go(() => gates[2]!.promise, { name: 'first b' });
    second.go(() => gates[3]!.promise, { name: 'second b' });
    gates[2]!.resolve();
    gates[1]!.reject(error);
    await flush();
    expect(taskRecordsOf(first.name!).map((task) => task.name)).toEqual(['first a']);
    expect(taskRecordsOf(second.name!).map((task) => [task.name, task.state])).toEqual([['second b', 'running']]);
    gates[0]!.resolve();
    gates[3]!.resolve();
    expect(await outcome(first.wait())).toEqual({ ok: true });
    expect(await outcome(second.wait())).toEqual({ ok: false, error });
    expect([first.errors, second.errors]).toEqual([[], [error]]);
  });

  it('runs a task started after its signal aborted, with the aborted signal', async () => {
    const group = new ErrGroup();
    const error = new Error('first');
    group.go(() => {
      throw error;
    });
    let received: AbortSignal | undefined;
    group.go((signal) => void (received = signal));
    expect(received?.aborted).toBe(true);
    expect(received?.reason).toBe(error);
    await expect(group.wait()).rejects.toBe(error);

    const later = new ErrGroup();
    await later.wait();
    let afterWait: AbortSignal | undefined;
    later.go((signal) => void (afterWait = signal));
    expect(afterWait?.aborted).toBe(true);
    await later.wait();
  });

  it('starts a queued task with the aborted signal when the failure freed its slot', async () => {
    const group = new ErrGroup({ limit: 1 });
    const error = new Error('first');
    const fail = deferred();
    group.go(() => fail.promise);
    let abortedAtStart: boolean | undefined;
    group.go((signal) => void (abortedAtStart = signal.aborted));
    fail.reject(error);
    await expect(group.wait()).rejects.toBe(error);
    expect(abortedAtStart).toBe(true);
  });

  it('keeps later errors in errors without mutating any error', async () => {
    const group = new ErrGroup();
    const first = Object.freeze(new Error('first'));
    const second = Object.freeze(new Error('second'));
    const keysBefore = Reflect.ownKeys(first);
    group.go(() => Promise.reject(first));
    group.go(async () => {
      await sleep(1);
      throw second;
    });
    await expect(group.wait()).rejects.toBe(first);
    expect(group.errors).toHaveLength(2);
    expect(group.errors[0]).toBe(first);
    expect(group.errors[1]).toBe(second);
    expect(Reflect.ownKeys(first)).toEqual(keysBefore);
    expect(first.cause).toBeUndefined();
    const copy = group.errors as unknown[];
    copy.length = 0;
    expect(group.errors).toHaveLength(2);
  });

  it('resolves goBlocking only once its task has started', async () => {
    const group = new ErrGroup({ limit: 1 });
    const first = deferred();
    await group.goBlocking(() => first.promise);
    let started = false;
    let resolved = false;
    const blocked = group.goBlocking(() => void (started = true)).then(() => {
      resolved = true;
      expect(started).toBe(true);
    });
    await flush();
    expect(resolved).toBe(false);
    expect(started).toBe(false);
    first.resolve();
    await blocked;
    expect(resolved).toBe(true);
    await group.wait();
  });

  it('starts the task of goBlocking synchronously below the limit', async () => {
    const group = new ErrGroup({ limit: 2 });
    let started = false;
    const promise = group.goBlocking(() => void (started = true));
    expect(started).toBe(true);
    await promise;
    await group.wait();
  });

  it('returns one shared settled promise from goBlocking when a slot is free, and a pending one at the limit', async () => {
    const group = new ErrGroup({ limit: 2 });
    const gate = deferred();
    const first = group.goBlocking(() => gate.promise);
    const second = group.goBlocking(() => gate.promise);
    // Below the limit nothing waits: both calls get the same already-settled promise.
    expect(second).toBe(first);
    let started = false;
    let resolved = false;
    const third = group.goBlocking(() => void (started = true));
    expect(third).not.toBe(first);
    void third.then(() => (resolved = true));
    await flush();
    expect([started, resolved]).toEqual([false, false]);
    gate.resolve();
    await third;
    expect([started, resolved]).toEqual([true, true]);
    await group.wait();
  });

  it('starts queued go() and goBlocking() tasks in one FIFO order', async () => {
    const group = new ErrGroup({ limit: 1 });
    const gate = deferred();
    const order: string[] = [];
    group.go(() => gate.promise);
    group.go(() => void order.push('go 1'));
    const blocked = group.goBlocking(() => void order.push('goBlocking'));
    group.go(() => void order.push('go 2'));
    gate.resolve();
    await blocked;
    await group.wait();
    expect(order).toEqual(['go 1', 'goBlocking', 'go 2']);
  });

  it('keeps at most limit tasks in memory for a producer awaiting goBlocking', async () => {
    vi.useFakeTimers();
    const group = new ErrGroup({ limit: 4 });
    let submitted = 0;
    let finished = 0;
    let maxInFlight = 0;
    const producer = (async () => {
      for (let i = 0; i < 50; i++) {
        await group.goBlocking(async () => {
          await sleep(10);
          finished++;
        });
        submitted++;
        maxInFlight = Math.max(maxInFlight, submitted - finished);
      }
      await group.wait();
    })();
    await vi.runAllTimersAsync();
    await producer;
    expect(finished).toBe(50);
    expect(maxInFlight).toBe(4);
  });

  it('records the group and its tasks in the registry and leaves nothing live after wait()', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name, limit: 1 });
    expect(liveOf(name)).toEqual([]);
    const first = deferred();
    group.go(() => first.promise, { name: 'first' });
    group.go(() => Promise.reject(new Error('second failed')), { name: 'second' });
    const record = groupRecordOf(name)!;
    expect(record).toMatchObject({ state: 'active', pending: 2, unwaited: 2, unobservedErrors: 0 });
    const tasks = taskRecordsOf(name);
    expect(tasks.map((t) => [t.name, t.state])).toEqual([['first', 'running'], ['second', 'queued']]);
    expect(tasks[0]!.startedAt).toEqual(expect.any(Number));
    expect(tasks[1]!.startedAt).toBeUndefined();

    const waited = outcome(group.wait());
    expect(record).toMatchObject({ state: 'waiting', pending: 2, unwaited: 0 });
    // A task added while wait() is pending is observed by it, so it is not unwaited.
    group.go(() => undefined, { name: 'third' });
    expect(record).toMatchObject({ state: 'waiting', pending: 3, unwaited: 0 });
    first.resolve();
    await flush();
    expect(tasks.map((t) => t.state)).toEqual(['settled', 'settled']);
    expect(taskRecordsOf(name)).toEqual([]);
    expect(tasks[1]!.startedAt).toEqual(expect.any(Number));
    expect(record).toMatchObject({ state: 'idle', pending: 0, unobservedErrors: 0 });
    expect((await waited).ok).toBe(false);
    expect(liveOf(name)).toEqual([]);
  });

  it('lists a task as live from its start through the publishing of its end, and not after', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name, limit: 2 });
    const seen: string[] = [];
    const look = (when: string): void => {
      seen.push(`${when}: ${taskRecordsOf(name).map((task) => `${task.name} ${task.state}`).join(', ')}`);
    };
    const onEnd = (): void => look('end published');
    subscribe(channelNames.taskEnd, onEnd);
    try {
      const gate = deferred();
      group.go(
        () => {
          look('a running');
          return gate.promise;
        },
        { name: 'a' },
      );
      group.go(
        () => {
          look('b running');
          return undefined;
        },
        { name: 'b' },
      );
      look('b returned');
      gate.resolve();
      await group.wait();
      look('after wait');
    } finally {
      unsubscribe(channelNames.taskEnd, onEnd);
    }
    expect(seen).toEqual([
      'a running: a running',
      'b running: a running, b running',
      'end published: a running, b running',
      'b returned: a running',
      'end published: a running',
      'after wait: ',
    ]);
  });

  it('lists a task started at once by one record with the id, name and time of its creation, up to its settling', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name });
    const gate = deferred();
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    const other = new ErrGroup();
    const id = nextRecordId();
    try {
      group.go(() => gate.promise, { name: 'first' });
      // Created after the task, before anyone asks for its record.
      other.go(() => undefined);
      now.mockReturnValue(5_000);
    } finally {
      now.mockRestore();
    }
    await other.wait();
    const [record] = taskRecordsOf(name);
    expect(record).toMatchObject({ id, name: 'first', state: 'running', createdAt: 1_000, startedAt: 1_000 });
    expect(taskRecordsOf(name)).toEqual([record]);
    expect(taskRecordsOf(name)[0]).toBe(record);
    gate.resolve();
    await group.wait();
    expect(record!.state).toBe('settled');
    expect(liveOf(name)).toEqual([]);
  });

  it('gives a task listed after its start the stack of the call that created it', async () => {
    const releaseStacks = requestStacks();
    try {
      const name = uniqueName();
      const group = new ErrGroup({ name });
      const gate = deferred();
      const startHere = (): void => group.go(() => gate.promise);
      startHere();
      const lookHere = (): TaskRecord | undefined => taskRecordsOf(name)[0];
      const stack = lookHere()!.stack!;
      expect(stack.split('\n')[1]).toMatch(/at startHere \(.*err-group\.test\.ts:\d+:\d+\)/);
      expect(stack).not.toMatch(/lookHere/);
      gate.resolve();
      await group.wait();
    } finally {
      releaseStacks();
    }
  });

  it('publishes the record it lists, and lists the record it published', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name });
    const published: unknown[] = [];
    const onStart = (message: unknown): void => void published.push((message as { task: TaskRecord }).task);
    const onEnd = (message: unknown): void => {
      const { task } = message as { task: TaskRecord };
      published.push(task, taskRecordsOf(name).includes(task));
    };
    const gates = [deferred(), deferred()];
    subscribe(channelNames.taskEnd, onEnd);
    try {
      // Listed while it runs, then published at its end.
      group.go(() => gates[0]!.promise, { name: 'listed first' });
      const [listed] = taskRecordsOf(name);
      subscribe(channelNames.taskStart, onStart);
      // Published at its start, then listed.
      group.go(() => gates[1]!.promise, { name: 'published first' });
      unsubscribe(channelNames.taskStart, onStart);
      const started = published[0];
      expect(taskRecordsOf(name)).toEqual([listed, started]);
      expect(taskRecordsOf(name)[1]).toBe(started);
      gates[0]!.resolve();
      gates[1]!.resolve();
      await group.wait();
      expect(published).toHaveLength(5);
      expect(published[1]).toBe(listed);
      expect(published[3]).toBe(started);
      expect([published[2], published[4]]).toEqual([true, true]);
    } finally {
      unsubscribe(channelNames.taskEnd, onEnd);
      unsubscribe(channelNames.taskStart, onStart);
    }
  });

  it('leaves tasks started while tracking is off out of the registry, also once tracking is back on', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name, limit: 2 });
    const gate = deferred();
    configureInstrumentation({ track: false });
    try {
      group.go(() => gate.promise, { name: 'untracked' });
    } finally {
      configureInstrumentation({ track: true });
    }
    group.go(() => gate.promise, { name: 'tracked' });
    expect(taskRecordsOf(name).map((task) => task.name)).toEqual(['tracked']);
    gate.resolve();
    await group.wait();
    expect(liveOf(name)).toEqual([]);
  });

  it('lists every running task of a burst larger than the watchers it keeps, and none once they settle', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name });
    const gate = deferred();
    for (let i = 0; i < 1500; i++) group.go(() => gate.promise);
    expect(taskRecordsOf(name)).toHaveLength(1500);
    gate.resolve();
    await group.wait();
    expect(liveOf(name)).toEqual([]);
    // A second burst reuses what the first left.
    const again = deferred();
    for (let i = 0; i < 1500; i++) group.go(() => again.promise);
    expect(taskRecordsOf(name)).toHaveLength(1500);
    again.resolve();
    await group.wait();
    expect(liveOf(name)).toEqual([]);
  });

  it('stays live as active with its unobserved errors until a wait()', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name });
    group.go(() => Promise.reject(new Error('lost?')));
    group.go(() => undefined);
    await flush();
    expect(liveOf(name)).toEqual([expect.objectContaining({ kind: 'group', state: 'active', pending: 0, unwaited: 2, unobservedErrors: 1 })]);
    await expect(group.wait()).rejects.toThrow('lost?');
    expect(liveOf(name)).toEqual([]);
    group.go(() => undefined);
    expect(liveOf(name)).toEqual([expect.objectContaining({ kind: 'group', state: 'active', unwaited: 1, unobservedErrors: 0 })]);
    await expect(group.wait()).rejects.toThrow('lost?');
    expect(liveOf(name)).toEqual([]);
  });

  it('publishes task and group events on the diagnostics channels', async () => {
    const name = uniqueName();
    const events: string[] = [];
    const listeners = Object.entries(channelNames).map(([key, channelName]) => {
      const listener = (message: unknown): void => {
        const { task, group, permit, error } = message as { task?: TaskRecord; group?: GroupRecord; permit?: unknown; error?: unknown };
        if (permit !== undefined) return;
        const owner = task?.group.name ?? group?.name;
        if (owner !== name) return;
        events.push(`${key}${task ? ` ${task.name}` : ''}${error instanceof Error ? ` ${error.message}` : ''}`);
      };
      subscribe(channelName, listener);
      return () => unsubscribe(channelName, listener);
    });
    try {
      const group = new ErrGroup({ name, limit: 1 });
      const a = deferred();
      group.go(() => a.promise, { name: 'a' });
      group.go(() => Promise.reject(new Error('b failed')), { name: 'b' });
      const waited = outcome(group.wait());
      a.resolve();
      await waited;
    } finally {
      for (const off of listeners) off();
    }
    expect(events).toEqual([
      'taskStart a',
      'taskQueue b',
      'groupWait',
      'taskEnd a',
      'taskStart b',
      'taskError b b failed',
      'groupDone b failed',
    ]);
  });

  it('rejects bad arguments with messages that show the value', () => {
    expect(() => new ErrGroup({ limit: 0 })).toThrow(new TypeError('Expected `limit` to be a positive integer or Infinity, got `0` (number).'));
    expect(() => new ErrGroup({ limit: 1.5 })).toThrow(new TypeError('Expected `limit` to be a positive integer or Infinity, got `1.5` (number).'));
    expect(() => new ErrGroup({ limit: '3' as unknown as number })).toThrow(
      new TypeError('Expected `limit` to be a positive integer or Infinity, got `"3"` (string).'),
    );
    expect(() => new ErrGroup({ limit: 2, concurrency: 2 } as never)).toThrow(
      new TypeError('Unknown option `concurrency` in `options`. Known options: `signal`, `limit`, `name`.'),
    );
    expect(() => new ErrGroup({ signal: {} as AbortSignal })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `[object]` (object).'));
    expect(() => new ErrGroup({ name: 7 as unknown as string })).toThrow(new TypeError('Expected `name` to be a string, got `7` (number).'));
    expect(() => new ErrGroup(null as never)).toThrow(new TypeError('Expected `options` to be an options object, got `null`.'));

    const group = new ErrGroup({ limit: 1 });
    expect(() => group.go('task' as never)).toThrow(new TypeError('Expected `task` to be a function, got `"task"` (string).'));
    expect(() => group.tryGo(undefined as never)).toThrow(new TypeError('Expected `task` to be a function, got `undefined`.'));
    expect(() => group.goBlocking(() => undefined, { label: 'x' } as never)).toThrow(
      new TypeError('Unknown option `label` in `options`. Known options: `name`.'),
    );
    expect(() => group.go(() => undefined, { name: 1 as unknown as string })).toThrow(new TypeError('Expected `name` to be a string, got `1` (number).'));
  });

  it('leaves the group unchanged when an argument is rejected', async () => {
    const name = uniqueName();
    const group = new ErrGroup({ name, limit: 1 });
    expect(() => group.go(42 as never)).toThrow(TypeError);
    expect(() => group.tryGo(() => undefined, { nope: true } as never)).toThrow(TypeError);
    expect(liveOf(name)).toEqual([]);
    expect(group.tryGo(() => undefined)).toBe(true);
    await group.wait();
  });

  it('exposes its options as readonly name and limit with their defaults', () => {
    expect(new ErrGroup()).toMatchObject({ name: undefined, limit: Infinity });
    expect(new ErrGroup({ name: 'x', limit: 3 })).toMatchObject({ name: 'x', limit: 3 });
    expect(new ErrGroup({ limit: Infinity }).limit).toBe(Infinity);
  });

  it('works as each TSDoc @example shows', async () => {
    // Class example.
    const request = new AbortController();
    const urls = ['a', 'b', 'c'];
    const fetched: string[] = [];
    const fetch = async (url: string, { signal }: { signal: AbortSignal }): Promise<void> => {
      expect(signal.aborted).toBe(false);
      await sleep(1);
      fetched.push(url);
    };
    const group = new ErrGroup({ signal: request.signal, limit: 4 });
    for (const url of urls) group.go((signal) => fetch(url, { signal }));
    await group.wait();
    expect(fetched.sort()).toEqual(urls);

    // Constructor example.
    expect(new ErrGroup({ name: 'thumbnails', limit: 8 }).limit).toBe(8);

    // go() example.
    const uploads = new ErrGroup();
    const uploaded: string[] = [];
    const upload = async (chunk: string, _options: { signal: AbortSignal }): Promise<void> => void uploaded.push(chunk);
    for (const [index, chunk] of ['x', 'y'].entries()) {
      uploads.go(async (signal) => { await upload(chunk, { signal }); }, { name: `chunk ${index}` });
    }
    await uploads.wait();
    expect(uploaded).toEqual(['x', 'y']);

    // goBlocking() example.
    async function* readRows(_file: string): AsyncGenerator<number> {
      yield* [1, 2, 3, 4, 5];
    }
    const saved: number[] = [];
    const save = async (row: number, _options: { signal: AbortSignal }): Promise<void> => void saved.push(row);
    const rows = new ErrGroup({ limit: 2 });
    for await (const row of readRows('rows.csv')) await rows.goBlocking((signal) => save(row, { signal }));
    await rows.wait();
    expect(saved).toEqual([1, 2, 3, 4, 5]);

    // tryGo() example.
    const busy = new ErrGroup({ limit: 1 });
    const refresh = (_signal: AbortSignal): Promise<void> => sleep(1);
    const skipped: string[] = [];
    const log = { info: (message: string) => skipped.push(message) };
    for (let i = 0; i < 2; i++) if (!busy.tryGo((signal) => refresh(signal))) log.info('busy, skipping this refresh');
    expect(skipped).toEqual(['busy, skipping this refresh']);
    await busy.wait();

    // wait() example.
    const example = new ErrGroup();
    example.go(() => Promise.reject(new Error('first')));
    example.go(() => Promise.reject(new Error('second')));
    const error = await example.wait().catch((e: unknown) => e);
    expect(error).toEqual(new Error('first'));
    expect(example.errors).toEqual([new Error('first'), new Error('second')]);
  });

  describe('goEach', () => {
    it('pulls an item only when a slot is free, so no task is ever queued', async () => {
      const group = new ErrGroup({ limit: 3, name: uniqueName() });
      const gates = Array.from({ length: 10 }, () => deferred());
      let pulled = 0;
      function* items(): Generator<number> {
        for (let i = 0; i < gates.length; i++) {
          pulled++;
          yield i;
        }
      }
      let running = 0;
      let most = 0;
      const done = group.goEach(items(), async (i) => {
        running++;
        most = Math.max(most, running);
        await gates[i]!.promise;
        running--;
      });
      await flush();
      // Three started synchronously; the fourth item stays in the iterator until a slot frees.
      expect(running).toBe(3);
      expect(pulled).toBe(3);
      expect(taskRecordsOf(group.name!).map((t) => t.state)).toEqual(['running', 'running', 'running']);
      for (const [i, gate] of gates.entries()) {
        gate.resolve();
        await flush();
        // Each freed slot pulls exactly one more item.
        expect(pulled).toBe(Math.min(gates.length, i + 4));
        expect(taskRecordsOf(group.name!).filter((t) => t.state === 'queued')).toEqual([]);
      }
      await done;
      await group.wait();
      expect(most).toBe(3);
      expect(pulled).toBe(10);
    });

    it('pulls a synchronous iterable one item per freed slot at limit 1', async () => {
      const group = new ErrGroup({ limit: 1, name: uniqueName() });
      const gates = Array.from({ length: 4 }, () => deferred());
      const log: string[] = [];
      function* items(): Generator<number> {
        for (let i = 0; i < gates.length; i++) {
          log.push(`pull ${i}`);
          yield i;
        }
        log.push('done');
      }
      const done = group.goEach(items(), async (i) => {
        log.push(`start ${i}`);
        await gates[i]!.promise;
      });
      expect(log).toEqual(['pull 0', 'start 0']);
      for (const gate of gates) {
        gate.resolve();
        await flush();
      }
      await done;
      await group.wait();
      expect(log).toEqual(['pull 0', 'start 0', 'pull 1', 'start 1', 'pull 2', 'start 2', 'pull 3', 'start 3', 'done']);
    });

    it('pulls an async iterable one item at a time at limit 1, each item waiting for the slot', async () => {
      const group = new ErrGroup({ limit: 1, name: uniqueName() });
      const gates = Array.from({ length: 3 }, () => deferred());
      const log: string[] = [];
      async function* items(): AsyncGenerator<number> {
        for (let i = 0; i < gates.length; i++) {
          log.push(`pull ${i}`);
          yield i;
        }
      }
      let running = 0;
      let most = 0;
      const done = group.goEach(items(), async (i) => {
        running++;
        most = Math.max(most, running);
        log.push(`start ${i}`);
        await gates[i]!.promise;
        running--;
      });
      await flush();
      // The next item is awaited from the iterator, then waits for the slot as a queued task.
      expect(log).toEqual(['pull 0', 'start 0', 'pull 1']);
      expect(taskRecordsOf(group.name!).map((t) => t.state)).toEqual(['running', 'queued']);
      for (const gate of gates) {
        gate.resolve();
        await flush();
      }
      await done;
      await group.wait();
      expect(most).toBe(1);
      expect(log).toEqual(['pull 0', 'start 0', 'pull 1', 'start 1', 'pull 2', 'start 2']);
    });

    it('takes its turn in the queue: after tasks queued before it, one item per turn', async () => {
      const group = new ErrGroup({ limit: 1 });
      const gate = deferred();
      const order: string[] = [];
      group.go(() => gate.promise);
      group.go(() => void order.push('go 1'));
      const done = group.goEach([0, 1], (i) => void order.push(`item ${i}`));
      group.go(() => void order.push('go 2'));
      gate.resolve();
      await done;
      await group.wait();
      expect(order).toEqual(['go 1', 'item 0', 'go 2', 'item 1']);
    });

    it('starts an item pulled just as the iterator itself took the last slot once a slot frees', async () => {
      const group = new ErrGroup({ limit: 1 });
      const gate = deferred();
      const order: string[] = [];
      function* items(): Generator<number> {
        // Pulling the first item fills the only slot from inside the iterator.
        group.go(() => {
          order.push('inner');
          return gate.promise;
        });
        yield 0;
        yield 1;
      }
      const done = group.goEach(items(), (i) => void order.push(`item ${i}`));
      expect(order).toEqual(['inner']);
      gate.resolve();
      await done;
      await group.wait();
      expect(order).toEqual(['inner', 'item 0', 'item 1']);
    });

    it('stops pulling and closes the iterator when the parent signal aborts while it waits', async () => {
      const parent = new AbortController();
      const group = new ErrGroup({ limit: 1, signal: parent.signal });
      const gate = deferred();
      let closed = false;
      let pulled = 0;
      function* items(): Generator<number> {
        try {
          for (let i = 0; i < 10; i++) {
            pulled++;
            yield i;
          }
        } finally {
          closed = true;
        }
      }
      const done = group.goEach(items(), () => gate.promise);
      parent.abort(new Error('request cancelled'));
      gate.resolve();
      await done;
      await group.wait();
      expect([pulled, closed]).toEqual([1, true]);
    });

    it('closes the iterator and rejects when naming an item throws', async () => {
      const group = new ErrGroup({ limit: 1 });
      const gate = deferred();
      let closed = false;
      function* items(): Generator<number> {
        try {
          yield* [0, 1, 2];
        } finally {
          closed = true;
        }
      }
      const naming = new Error('no name for 1');
      const done = outcome(group.goEach(items(), () => gate.promise, {
        name: (i) => {
          if (i === 1) throw naming;
          return `item ${i}`;
        },
      }));
      gate.resolve();
      expect(await done).toEqual({ ok: false, error: naming });
      expect(closed).toBe(true);
      await group.wait();
      expect(group.errors).toEqual([]);
    });

    it('records the goEach call as the creation stack of items pulled when a slot frees', async () => {
      const releaseStacks = requestStacks();
      try {
        const group = new ErrGroup({ limit: 1, name: uniqueName() });
        const gates = [deferred(), deferred()];
        const feedHere = (): Promise<void> => group.goEach([0, 1], (i) => gates[i]!.promise);
        const done = feedHere();
        gates[0]!.resolve();
        await flush();
        const [later] = taskRecordsOf(group.name!);
        expect(later!.stack!.split('\n')[1]).toMatch(/at feedHere \(.*err-group\.test\.ts:\d+:\d+\)/);
        gates[1]!.resolve();
        await done;
        await group.wait();
      } finally {
        releaseStacks();
      }
    });

    it('lets tasks submitted by its items start before its next item, also while it waits alone at the limit', async () => {
      const group = new ErrGroup({ limit: 1 });
      const order: string[] = [];
      const done = group.goEach([0, 1, 2], (i) => {
        order.push(`item ${i}`);
        if (i < 2) group.go(() => void order.push(`go ${i}`));
        return Promise.resolve();
      });
      await done;
      await group.wait();
      expect(order).toEqual(['item 0', 'go 0', 'item 1', 'go 1', 'item 2']);
    });

    it('starts what its iterator submitted while finishing, in order, after the slot it freed', async () => {
      const group = new ErrGroup({ limit: 1 });
      const order: string[] = [];
      const gate = deferred();
      function* items(): Generator<number> {
        yield 0;
        // Runs when item 0 settles and frees the only slot: the first task takes it, the second queues.
        group.go(() => {
          order.push('first');
          return gate.promise;
        });
        group.go(() => void order.push('second'));
      }
      const done = group.goEach(items(), (i) => {
        order.push(`item ${i}`);
        return Promise.resolve();
      });
      await done;
      expect(order).toEqual(['item 0', 'first']);
      gate.resolve();
      await group.wait();
      expect(order).toEqual(['item 0', 'first', 'second']);
    });

    it('starts tasks below the limit without awaiting between items', async () => {
      const group = new ErrGroup({ limit: 4 });
      const started: number[] = [];
      const done = group.goEach([1, 2, 3, 4], (item) => {
        started.push(item);
        return sleep(1);
      });
      // Synchronously, before any microtask ran.
      expect(started).toEqual([1, 2, 3, 4]);
      await done;
      await group.wait();
    });

    it('passes the item, the group signal and the index, and names tasks from items', async () => {
      const group = new ErrGroup({ limit: 1, name: uniqueName() });
      const seen: [string, boolean, number][] = [];
      const names: string[] = [];
      const gate = deferred();
      const done = group.goEach(['a', 'b'], async (item, signal, index) => {
        names.push(...taskRecordsOf(group.name!).map((t) => t.name ?? '?'));
        seen.push([item, signal === group.signal, index]);
        await gate.promise;
      }, { name: (item, index) => `item ${item}#${index}` });
      await flush();
      gate.resolve();
      await done;
      await group.wait();
      expect(seen).toEqual([['a', true, 0], ['b', true, 1]]);
      expect(names[0]).toBe('item a#0');
    });

    it('accepts an async iterable', async () => {
      async function* rows(): AsyncGenerator<number> {
        yield* [1, 2, 3];
      }
      const group = new ErrGroup({ limit: 2 });
      const saved: number[] = [];
      await group.goEach(rows(), async (row) => {
        await sleep(1);
        saved.push(row);
      });
      await group.wait();
      expect(saved.sort()).toEqual([1, 2, 3]);
    });

    it('stops pulling and closes the iterator once a task fails', async () => {
      const group = new ErrGroup({ limit: 1 });
      let closed = false;
      let pulled = 0;
      function* items(): Generator<number> {
        try {
          for (let i = 0; i < 100; i++) {
            pulled++;
            yield i;
          }
        } finally {
          closed = true;
        }
      }
      const failure = new Error('row 1 is corrupt');
      await group.goEach(items(), async (i) => {
        await sleep(1);
        if (i === 1) throw failure;
      });
      expect(await outcome(group.wait())).toEqual({ ok: false, error: failure });
      expect(closed).toBe(true);
      expect(pulled).toBeLessThan(5);
    });

    it('rejects with an error thrown by the iterable, which is not a task failure', async () => {
      const group = new ErrGroup();
      const broken = new Error('disk read failed');
      function* items(): Generator<number> {
        yield 1;
        throw broken;
      }
      const started: number[] = [];
      expect(await outcome(group.goEach(items(), (i) => void started.push(i)))).toEqual({ ok: false, error: broken });
      await group.wait();
      expect(group.errors).toEqual([]);
      expect(started).toEqual([1]);
    });

    it('rejects bad arguments with a TypeError', async () => {
      const group = new ErrGroup();
      await expect(group.goEach(42 as unknown as number[], () => undefined)).rejects.toThrow(
        'Expected `items` to be an iterable or async iterable, got `42` (number).',
      );
      await expect(group.goEach([1], 'task' as unknown as () => void)).rejects.toThrow('Expected `task` to be a function');
      await expect(group.goEach([1], () => undefined, { name: 'x' as unknown as () => string })).rejects.toThrow(
        'Expected `options.name` to be a function from an item to a name, got `"x"` (string).',
      );
      await expect(group.goEach([1], () => undefined, { limit: 2 } as never)).rejects.toThrow('Unknown option `limit`');
    });

    it('runs the goEach example', async () => {
      async function* readRows(_file: string): AsyncGenerator<{ id: number }> {
        yield* [{ id: 1 }, { id: 2 }];
      }
      const saved: number[] = [];
      const save = async (row: { id: number }, _options: { signal: AbortSignal }): Promise<void> => void saved.push(row.id);
      const group = new ErrGroup({ limit: 2 });
      await group.goEach(readRows('rows.csv'), (row, signal) => save(row, { signal }), { name: (row) => `row ${row.id}` });
      await group.wait();
      expect(saved).toEqual([1, 2]);
    });
  });
});
