import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelNames, type PermitMessage } from '../../runtime/diagnostics.js';
import { liveRecords, type PermitRecord } from '../../runtime/registry.js';
import { Semaphore, type Permit } from '../../runtime/semaphore.js';

type Op =
  | { readonly kind: 'acquire'; readonly weight: number; readonly signal: number | undefined }
  | { readonly kind: 'tryAcquire'; readonly weight: number }
  | { readonly kind: 'abort'; readonly signal: number }
  | { readonly kind: 'release'; readonly pick: number }
  | { readonly kind: 'releaseAgain'; readonly pick: number };

// A few signals shared by many acquires, as a request's signal is: one abort then rejects several waiters at once,
// and the later ones are aborted before their own listener runs, while the earlier ones' removal grants capacity.
const SIGNALS = 2;
const weight = fc.integer({ min: 1, max: 8 });
const pick = fc.nat();
const signal = fc.nat({ max: SIGNALS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('acquire' as const), weight, signal: fc.option(signal, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tryAcquire' as const), weight }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('abort' as const), signal }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('releaseAgain' as const), pick }) },
);

/** Go's semaphore, written the obvious way: the reference the real one must agree with after every step. */
class Model {
  held = 0;
  readonly queue: { id: number; weight: number }[] = [];
  readonly granted = new Set<number>();
  /** Aborted acquires and refused tryAcquires. */
  readonly rejected = new Set<number>();

  constructor(readonly capacity: number) {}

  acquire(id: number, weight: number): void {
    if (this.queue.length === 0 && this.capacity - this.held >= weight) this.#grant(id, weight);
    else this.queue.push({ id, weight });
  }

  tryAcquire(id: number, weight: number): boolean {
    if (this.queue.length > 0 || this.capacity - this.held < weight) {
      this.rejected.add(id);
      return false;
    }
    this.#grant(id, weight);
    return true;
  }

  /** Aborts every listed acquire at once (one signal); those already granted keep their permit. */
  abort(ids: readonly number[]): void {
    for (const id of ids) {
      const index = this.queue.findIndex((w) => w.id === id);
      if (index < 0) continue;
      this.queue.splice(index, 1);
      this.rejected.add(id);
    }
    this.#notify();
  }

  release(weight: number): void {
    this.held -= weight;
    this.#notify();
  }

  #notify(): void {
    while (this.queue[0] !== undefined && this.capacity - this.held >= this.queue[0].weight) {
      const { id, weight } = this.queue.shift()!;
      this.#grant(id, weight);
    }
  }

  #grant(id: number, weight: number): void {
    this.held += weight;
    this.granted.add(id);
  }
}

interface Call {
  readonly id: number;
  readonly weight: number;
  readonly controller: AbortController | undefined;
  abortReason: string | undefined;
  status: 'pending' | 'fulfilled' | 'rejected';
  permit?: Permit;
  reason?: unknown;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let runs = 0;

describe('Semaphore (property)', () => {
  it('agrees with Go\'s semantics over random schedules of acquire, tryAcquire, abort and release', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 40 }), async (capacity, ops) => {
        const name = `property ${++runs}`;
        const sem = new Semaphore(capacity, { name });
        const model = new Model(capacity);
        const calls: Call[] = [];
        let aborts = 0;
        const controllers = Array.from({ length: SIGNALS }, () => new AbortController());
        const violations: string[] = [];
        // Checked synchronously at every grant: never over capacity, never ahead of an earlier waiter.
        const onAcquire = (message: unknown): void => {
          const { permit } = message as PermitMessage;
          if (permit.semaphore !== name) return;
          if (sem.held > capacity) violations.push(`held ${sem.held} > capacity ${capacity}`);
          const earlier = liveRecords().find((r): r is PermitRecord => r.kind === 'permit' && r.semaphore === name && r.state === 'waiting' && r.id < permit.id);
          if (earlier) violations.push(`permit ${permit.id} granted before waiting permit ${earlier.id}`);
        };
        subscribe(channelNames.permitAcquire, onAcquire);
        try {
          const clamp = (w: number): number => 1 + ((w - 1) % capacity);
          const heldPermits = (): Call[] => calls.filter((c) => c.permit !== undefined && !c.permit.released);

          for (const step of ops) {
            const heldBefore = sem.held;
            const grantedBefore = model.granted.size;
            switch (step.kind) {
              case 'acquire': {
                const controller = step.signal === undefined ? undefined : controllers[step.signal];
                const call: Call = { id: calls.length, weight: clamp(step.weight), controller, abortReason: undefined, status: 'pending' };
                calls.push(call);
                model.acquire(call.id, call.weight);
                sem.acquire(call.weight, { signal: controller?.signal }).then(
                  (permit) => Object.assign(call, { status: 'fulfilled', permit }),
                  (reason: unknown) => Object.assign(call, { status: 'rejected', reason }),
                );
                break;
              }
              case 'tryAcquire': {
                const call: Call = { id: calls.length, weight: clamp(step.weight), controller: undefined, abortReason: undefined, status: 'pending' };
                calls.push(call);
                const permit = sem.tryAcquire(call.weight);
                expect(permit !== undefined).toBe(model.tryAcquire(call.id, call.weight));
                Object.assign(call, permit ? { status: 'fulfilled', permit } : { status: 'rejected' });
                break;
              }
              case 'abort': {
                const controller = controllers[step.signal]!;
                const reason = `abort ${++aborts}`;
                const affected = calls.filter((c) => c.controller === controller);
                for (const call of affected) call.abortReason = reason;
                controller.abort(reason);
                controllers[step.signal] = new AbortController();
                model.abort(affected.map((c) => c.id));
                // The aborted acquire takes nothing: any change in `held` is grants to the waiters behind it.
                expect(sem.held - heldBefore).toBe(sumGranted(model, calls, grantedBefore));
                break;
              }
              case 'release': {
                const held = heldPermits();
                const call = held[step.pick % Math.max(held.length, 1)];
                if (call === undefined) break;
                call.permit!.release();
                model.release(call.weight);
                break;
              }
              case 'releaseAgain': {
                const released = calls.filter((c) => c.permit?.released === true);
                const call = released[step.pick % Math.max(released.length, 1)];
                if (call === undefined) break;
                expect(() => call.permit!.release()).toThrow(/^taskscope: Semaphore\.release: permit of Semaphore "property \d+" was already released/);
                expect(sem.held).toBe(heldBefore);
                break;
              }
            }
            await flush();

            expect(violations).toEqual([]);
            expect([sem.held, sem.available, sem.waiting]).toEqual([model.held, capacity - model.held, model.queue.length]);
            expect(sem.held).toBeLessThanOrEqual(capacity);
            // Conserved: what the semaphore counts as held is exactly what unreleased permits hold.
            expect(heldPermits().reduce((sum, c) => sum + c.weight, 0)).toBe(sem.held);
            for (const call of calls) {
              const expected = model.granted.has(call.id) ? 'fulfilled' : model.rejected.has(call.id) ? 'rejected' : 'pending';
              expect(call.status, `call ${call.id}`).toBe(expected);
              if (call.status === 'rejected' && call.controller !== undefined) expect(call.reason).toBe(call.abortReason);
            }
          }

          // Drain: releasing everything grants every waiter in turn, and then the whole capacity is free again.
          for (let held = heldPermits(); held.length > 0; held = heldPermits()) {
            for (const call of held) call.permit!.release();
            await flush();
          }
          expect(violations).toEqual([]);
          expect([sem.available, sem.held, sem.waiting]).toEqual([capacity, 0, 0]);
          expect(liveRecords().filter((r) => r.kind === 'permit' && r.semaphore === name)).toEqual([]);
        } finally {
          unsubscribe(channelNames.permitAcquire, onAcquire);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

/** The weight the model granted since `before` grants were recorded (ids are granted in increasing order). */
function sumGranted(model: Model, calls: readonly Call[], before: number): number {
  return [...model.granted].slice(before).reduce((sum, id) => sum + calls[id]!.weight, 0);
}
