import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrGroup } from '../../runtime/err-group.js';
import { liveRecords } from '../../runtime/registry.js';

interface TaskSpec {
  ticks: number;
  fails: boolean;
  sync: boolean;
}

/**
 * One step of a schedule: submit a task one of three ways, feed a few through goEach (from an array or an async
 * iterable), let time pass, or call wait() without awaiting it.
 */
type Step =
  | ({ kind: 'go' | 'tryGo' | 'goBlocking' } & TaskSpec)
  | { kind: 'goEach'; items: TaskSpec[]; async: boolean }
  | { kind: 'tick'; ticks: number }
  | { kind: 'wait' };

const taskSpecArbitrary = {
  ticks: fc.integer({ min: 0, max: 20 }),
  fails: fc.boolean(),
  // One task in four settles synchronously (returns a value or throws) instead of returning a promise.
  sync: fc.constantFrom(false, false, false, true),
};

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('go', 'tryGo', 'goBlocking'), ...taskSpecArbitrary }),
  fc.record({
    kind: fc.constant('goEach' as const),
    items: fc.array(fc.record(taskSpecArbitrary), { maxLength: 6 }),
    async: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('tick' as const), ticks: fc.integer({ min: 0, max: 10 }) }),
  fc.constant({ kind: 'wait' as const }),
);

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let runs = 0;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ErrGroup', () => {
  it('keeps its invariants over random schedules of go, tryGo, goBlocking and goEach', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(Infinity)),
        fc.array(stepArbitrary, { maxLength: 40 }),
        async (limit, steps) => {
          const name = `err-group-property-${++runs}`;
          const group = new ErrGroup({ name, limit });
          let running = 0;
          let maxRunning = 0;
          const failures: Error[] = [];
          const midWaits: Promise<{ ok: boolean; error?: unknown; failuresThen: number }>[] = [];
          let taskCount = 0;

          const makeTask = (step: TaskSpec, id: number, started: Set<number>) => {
            return (): unknown => {
              started.add(id);
              running++;
              maxRunning = Math.max(maxRunning, running);
              const fail = (): never => {
                running--;
                const error = new Error(`task ${id}`);
                failures.push(error);
                throw error;
              };
              if (step.sync) {
                if (step.fails) fail();
                running--;
                return id;
              }
              return sleep(step.ticks).then(() => {
                if (step.fails) fail();
                running--;
              });
            };
          };

          const started = new Set<number>();
          let finished = false;
          const scenario = (async () => {
            for (const step of steps) {
              if (step.kind === 'tick') {
                await sleep(step.ticks);
              } else if (step.kind === 'wait') {
                const failuresAtCall = failures.length;
                midWaits.push(
                  group.wait().then(
                    () => ({ ok: true, failuresThen: failuresAtCall }),
                    (error: unknown) => ({ ok: false, error, failuresThen: failuresAtCall }),
                  ),
                );
              } else if (step.kind === 'goEach') {
                const ids = step.items.map(() => taskCount++);
                const items = step.items.map((spec, i) => ({ spec, id: ids[i]! }));
                const abortedBefore = group.signal.aborted;
                await group.goEach(step.async ? fromArray(items) : items, ({ spec, id }) => makeTask(spec, id, started)());
                // Every item started, unless the group's signal aborted first; none starts once goEach settled.
                if (!abortedBefore && !group.signal.aborted) for (const id of ids) expect(started.has(id)).toBe(true);
                if (abortedBefore) for (const id of ids) expect(started.has(id)).toBe(false);
              } else {
                const id = taskCount++;
                const task = makeTask(step, id, started);
                if (step.kind === 'go') {
                  group.go(task);
                } else if (step.kind === 'tryGo') {
                  const wasFull = running >= limit;
                  const accepted = group.tryGo(task);
                  // Below the limit with nothing queued it must start; at the limit it must not.
                  if (wasFull) expect(accepted).toBe(false);
                  expect(started.has(id)).toBe(accepted);
                } else {
                  await group.goBlocking(task);
                  // goBlocking resolves only once its task has started.
                  expect(started.has(id)).toBe(true);
                }
              }
              expect(running).toBeLessThanOrEqual(limit);
            }
            return group.wait().then(
              () => ({ ok: true as const }),
              (error: unknown) => ({ ok: false as const, error }),
            );
          })().finally(() => (finished = true));

          for (let i = 0; !finished && i < 10_000; i++) await vi.advanceTimersByTimeAsync(1);
          expect(finished).toBe(true);
          const result = await scenario;

          expect(maxRunning).toBeLessThanOrEqual(limit);
          expect(running).toBe(0);
          // No error is lost: every failure is kept, in order of occurrence, and wait() rejects with the first.
          expect(group.errors).toHaveLength(failures.length);
          failures.forEach((error, i) => expect(group.errors[i]).toBe(error));
          if (failures.length === 0) expect(result).toEqual({ ok: true });
          else expect(result).toEqual({ ok: false, error: failures[0] });
          // A wait() called mid-schedule rejects with the first error, and resolves only if nothing had failed
          // when it was called.
          for (const mid of await Promise.all(midWaits)) {
            if (mid.ok) expect(mid.failuresThen).toBe(0);
            else expect(mid.error).toBe(failures[0]);
          }
          expect(group.signal.aborted).toBe(true);
          // Nothing queued, running or live in the registry.
          expect(liveRecords().filter((r) => (r.kind === 'group' ? r.name : r.kind === 'task' ? r.group.name : undefined) === name)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
