/**
 * Every contender of the runtime bench: how each library is meant to run N tasks at concurrency c, eagerly
 * (submit all, then wait) and with backpressure (await admission of each task before submitting the next).
 *
 * Each contender is written the way its own README recommends, not the way that flatters ours. A contender
 * without an admission API (p-limit) has no backpressured mode rather than an emulated one; the table prints
 * `—` for it. Libraries are imported inside `load()` so that a child process only loads the contender it measures:
 * a peer's hidden classes and megamorphic call sites must not slow the next contender down.
 */
import type { BenchTask } from './probe.js';

/** Submit all, then wait; or await admission of each task before submitting the next. */
export type Mode = 'eager' | 'backpressured';

/** Our instrumentation settings: `configureInstrumentation({ track: false })`, the default, `{ stacks: true }`. */
export type Instrumentation = 'off' | 'on' | 'stacks';

/** Runs `n` tasks, at most `concurrency` at once, and resolves once all of them have settled. */
export type RunTasks = (n: number, concurrency: number, task: BenchTask) => Promise<void>;

/** What `load()` gives: one runner per supported mode. */
export type Runners = Partial<Record<Mode, RunTasks>>;

/** One library, or one hand-written baseline. */
export interface Contender {
  /** Stable id, used on the command line (`--contenders p-limit,err-group`) and in JSON output. */
  readonly id: string;
  /** As printed in the table. */
  readonly label: string;
  /** The modes `load()` provides, known without loading it. */
  readonly modes: readonly Mode[];
  /** False only for `Promise.all`, which runs every task at once whatever the concurrency. */
  readonly bounded: boolean;
  /** True for ours: measured once per {@link Instrumentation} setting. */
  readonly instrumented: boolean;
  load(instrumentation: Instrumentation): Promise<Runners>;
}

const BOTH: readonly Mode[] = ['eager', 'backpressured'];

async function configure(instrumentation: Instrumentation): Promise<void> {
  const { configureInstrumentation } = await import('../../runtime/registry.js');
  configureInstrumentation({ track: instrumentation !== 'off', stacks: instrumentation === 'stacks' });
}

function* indices(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

export const CONTENDERS: readonly Contender[] = [
  {
    id: 'promise-all',
    label: 'Promise.all (unbounded)',
    modes: ['eager'],
    bounded: false,
    instrumented: false,
    load: async () => ({
      eager: async (n, _concurrency, task) => {
        await Promise.all(Array.from({ length: n }, task));
      },
    }),
  },
  {
    id: 'pool',
    label: 'hand-written pool',
    modes: BOTH,
    bounded: true,
    instrumented: false,
    load: async () => ({
      // c workers pulling from a shared index: the least a bounded runner can do, and it holds no queue at all.
      eager: async (n, concurrency, task) => {
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < n) {
            next++;
            await task();
          }
        };
        const workers: Promise<void>[] = [];
        for (let i = 0; i < Math.min(concurrency, n); i++) workers.push(worker());
        await Promise.all(workers);
      },
      // A counter and one parked producer: what a careful engineer writes instead of a library.
      backpressured: async (n, concurrency, task) => {
        let active = 0;
        let wake: (() => void) | undefined;
        const park = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
        const done = (): void => {
          active--;
          const resume = wake;
          wake = undefined;
          resume?.();
        };
        for (let i = 0; i < n; i++) {
          if (active >= concurrency) await park();
          active++;
          void task().then(done);
        }
        while (active > 0) await park();
      },
    }),
  },
  {
    id: 'p-limit',
    label: 'p-limit 7',
    // No admission API: `limit(fn)` queues at once and exposes counts, not an event to await.
    modes: ['eager'],
    bounded: true,
    instrumented: false,
    load: async () => {
      const { default: pLimit } = await import('p-limit');
      return {
        eager: async (n, concurrency, task) => {
          const limit = pLimit(concurrency);
          await Promise.all(Array.from({ length: n }, () => limit(task)));
        },
      };
    },
  },
  {
    id: 'p-queue',
    label: 'p-queue 9',
    modes: BOTH,
    bounded: true,
    instrumented: false,
    load: async () => {
      const { default: PQueue } = await import('p-queue');
      return {
        eager: async (n, concurrency, task) => {
          const queue = new PQueue({ concurrency });
          for (let i = 0; i < n; i++) void queue.add(task);
          await queue.onIdle();
        },
        // The README's recipe: wait for room before adding. Room here is an empty queue, i.e. admission.
        backpressured: async (n, concurrency, task) => {
          const queue = new PQueue({ concurrency });
          for (let i = 0; i < n; i++) {
            if (queue.size > 0) await queue.onSizeLessThan(1);
            void queue.add(task);
          }
          await queue.onIdle();
        },
      };
    },
  },
  {
    id: 'async-sema',
    label: 'async-sema 3',
    modes: BOTH,
    bounded: true,
    instrumented: false,
    load: async () => {
      const { Sema } = await import('async-sema');
      return {
        eager: async (n, concurrency, task) => {
          const sema = new Sema(concurrency);
          const one = async (): Promise<void> => {
            await sema.acquire();
            try {
              await task();
            } finally {
              sema.release();
            }
          };
          await Promise.all(Array.from({ length: n }, one));
        },
        backpressured: async (n, concurrency, task) => {
          const sema = new Sema(concurrency);
          const release = (): void => sema.release();
          for (let i = 0; i < n; i++) {
            await sema.acquire();
            void task().then(release);
          }
          await sema.drain();
        },
      };
    },
  },
  {
    id: 'p-map',
    label: 'p-map 7',
    modes: BOTH,
    bounded: true,
    instrumented: false,
    load: async () => {
      const { default: pMap } = await import('p-map');
      return {
        eager: async (n, concurrency, task) => {
          await pMap(Array.from({ length: n }), task, { concurrency });
        },
        // p-map pulls the next element only when a mapper slot is free: a lazy source is its backpressure.
        backpressured: async (n, concurrency, task) => {
          await pMap(indices(n), task, { concurrency });
        },
      };
    },
  },
  {
    id: 'err-group',
    label: 'ErrGroup',
    modes: BOTH,
    bounded: true,
    instrumented: true,
    load: async (instrumentation) => {
      await configure(instrumentation);
      const { ErrGroup } = await import('../../runtime/err-group.js');
      return {
        eager: async (n, limit, task) => {
          const group = new ErrGroup({ limit });
          for (let i = 0; i < n; i++) group.go(task);
          await group.wait();
        },
        backpressured: async (n, limit, task) => {
          const group = new ErrGroup({ limit });
          for (let i = 0; i < n; i++) await group.goBlocking(task);
          await group.wait();
        },
      };
    },
  },
  {
    // The producer loop with backpressure built in: pulls the next index only when a slot is free.
    id: 'err-group-each',
    label: 'ErrGroup.goEach',
    modes: ['backpressured'],
    bounded: true,
    instrumented: true,
    load: async (instrumentation) => {
      await configure(instrumentation);
      const { ErrGroup } = await import('../../runtime/err-group.js');
      return {
        backpressured: async (n, limit, task) => {
          const group = new ErrGroup({ limit });
          await group.goEach(indices(n), task);
          await group.wait();
        },
      };
    },
  },
  {
    id: 'semaphore',
    label: 'Semaphore',
    modes: BOTH,
    bounded: true,
    instrumented: true,
    load: async (instrumentation) => {
      await configure(instrumentation);
      const { Semaphore } = await import('../../runtime/semaphore.js');
      return {
        eager: async (n, capacity, task) => {
          const semaphore = new Semaphore(capacity);
          const one = async (): Promise<void> => {
            const permit = await semaphore.acquire();
            try {
              await task();
            } finally {
              permit.release();
            }
          };
          await Promise.all(Array.from({ length: n }, one));
        },
        backpressured: async (n, capacity, task) => {
          const semaphore = new Semaphore(capacity);
          for (let i = 0; i < n; i++) {
            const permit = await semaphore.acquire();
            void task().then(() => permit.release());
          }
          // Holding the whole capacity proves every permit came back.
          (await semaphore.acquire(capacity)).release();
        },
      };
    },
  },
];

/** The contender with this id; fails with the list of known ids otherwise. */
export function contender(id: string): Contender {
  const found = CONTENDERS.find((candidate) => candidate.id === id);
  if (found === undefined) {
    throw new Error(`bench: unknown contender \`${id}\`. Known: ${CONTENDERS.map((c) => c.id).join(', ')}.`);
  }
  return found;
}
