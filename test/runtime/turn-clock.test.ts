// The clock of tasks: one reading per turn of the event loop (a callback and the microtasks after it), shared by
// every task created or started in that turn, up to 1024 of them; fake clocks are read for every task.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrGroup } from '../../runtime/err-group.js';
import { liveRecords, type TaskRecord } from '../../runtime/registry.js';

/** Spins until the real clock has moved more than `ms` past now, so that a fresh reading must differ. */
function spinPast(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() <= until) {
    // spin
  }
}

/** Lets every queued microtask run (real timers). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function tasksOf(group: string): Map<string | undefined, TaskRecord> {
  const tasks = liveRecords().filter((record): record is TaskRecord => record.kind === 'task' && record.group.name === group);
  return new Map(tasks.map((task) => [task.name, task]));
}

describe('ErrGroup start times', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts the queued tasks of one turn with one clock reading, and reads the clock again in a later turn', async () => {
    const group = new ErrGroup({ name: 'turn clock', limit: 2 });
    const first = gate();
    const second = gate();
    const later = gate();
    group.go(() => first.promise);
    group.go(() => second.promise);
    group.go(
      () => {
        // The clock moves between the two settlements that start c and d.
        spinPast(2);
        return later.promise;
      },
      { name: 'c' },
    );
    group.go(() => later.promise, { name: 'd' });
    group.go(() => undefined, { name: 'e' });
    const { c, d, e } = Object.fromEntries(tasksOf('turn clock')) as Record<string, TaskRecord>;
    // Both settlements are queued in this run, so they run in one turn.
    first.open();
    second.open();
    await flush();
    expect([c!.state, d!.state, e!.state]).toEqual(['running', 'running', 'queued']);
    expect(d!.startedAt).toBe(c!.startedAt);
    later.open();
    await group.wait();
    expect(e!.startedAt).toBeGreaterThan(c!.startedAt!);
  });

  it('starts the goEach items of one turn with one clock reading', async () => {
    const group = new ErrGroup({ name: 'goEach clock', limit: 2 });
    const gates = [gate(), gate()];
    const later = gate();
    const done = group.goEach(
      ['a', 'b', 'c', 'd'],
      (item) => {
        if (item === 'a' || item === 'b') return gates[item === 'a' ? 0 : 1]!.promise;
        if (item === 'c') spinPast(2);
        return later.promise;
      },
      { name: (item) => item },
    );
    for (const held of gates) held.open();
    await flush();
    const { c, d } = Object.fromEntries(tasksOf('goEach clock')) as Record<string, TaskRecord>;
    expect(d!.startedAt).toBe(c!.startedAt);
    later.open();
    await done;
    await group.wait();
  });

  it('reads a fake clock on every start, so that a test that moves it sees the move', async () => {
    vi.useFakeTimers({ now: 1_000, toFake: ['Date'] });
    const group = new ErrGroup({ name: 'fake clock', limit: 2 });
    const hold = gate();
    const first = gate();
    // hold keeps a task running, so that b and c start from the shared per-turn clock.
    group.go(() => hold.promise);
    group.go(() => first.promise);
    group.go(
      () => {
        vi.setSystemTime(2_000);
        return Promise.resolve();
      },
      { name: 'b' },
    );
    group.go(() => undefined, { name: 'c' });
    const { b, c } = Object.fromEntries(tasksOf('fake clock')) as Record<string, TaskRecord>;
    first.open();
    await flush();
    hold.open();
    await group.wait();
    // b started at 1_000 and moved the clock; c, started by b's settlement a few microtasks later, sees the move.
    expect([b!.startedAt, c!.startedAt]).toEqual([1_000, 2_000]);
  });

  it('shares one clock reading among the tasks submitted across awaits in one turn, and reads again in the next', async () => {
    await flush();
    const group = new ErrGroup({ name: 'submit clock', limit: 4 });
    const hold = gate();
    await group.goBlocking(() => hold.promise, { name: 'a' });
    spinPast(2);
    await group.goBlocking(() => hold.promise, { name: 'b' });
    await flush();
    group.go(() => hold.promise, { name: 'c' });
    const { a, b, c } = Object.fromEntries(tasksOf('submit clock')) as Record<string, TaskRecord>;
    expect(b!.createdAt).toBe(a!.createdAt);
    expect(b!.startedAt).toBe(a!.startedAt);
    expect(c!.createdAt).toBeGreaterThan(a!.createdAt);
    hold.open();
    await group.wait();
  });

  it('reads the clock again once 1024 tasks of one turn have shared a reading', async () => {
    await flush();
    const group = new ErrGroup({ name: 'capped clock' });
    const hold = gate();
    for (let i = 0; i < 1024; i++) group.go(() => hold.promise, { name: `task ${i}` });
    spinPast(2);
    group.go(() => hold.promise, { name: 'task 1024' });
    const tasks = tasksOf('capped clock');
    const first = tasks.get('task 0')!.createdAt;
    expect(tasks.get('task 1023')!.createdAt).toBe(first);
    expect(tasks.get('task 1024')!.createdAt).toBeGreaterThan(first);
    hold.open();
    await group.wait();
  });

  it('reads a fake clock for every submitted task', async () => {
    vi.useFakeTimers({ now: 1_000, toFake: ['Date'] });
    const group = new ErrGroup({ name: 'fake submit clock', limit: 4 });
    const hold = gate();
    await group.goBlocking(() => hold.promise, { name: 'a' });
    vi.setSystemTime(2_000);
    group.go(() => hold.promise, { name: 'b' });
    const { a, b } = Object.fromEntries(tasksOf('fake submit clock')) as Record<string, TaskRecord>;
    expect([a!.createdAt, b!.createdAt]).toEqual([1_000, 2_000]);
    hold.open();
    await group.wait();
  });
});
