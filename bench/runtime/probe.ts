/**
 * The trivial task every contender runs, instrumented so that the harness can prove what each contender did:
 * how many tasks it started and finished, how many ran at once, and how high the heap went.
 *
 * The task returns a promise that settles one microtask later. Rejected: `async () => {}`, whose body has finished
 * before the limiter even sees the promise, so "in flight" would always read 1 and a limiter that starts 1000
 * tasks at once under a limit of 16 would pass. With one microtask between start and settle, a task counts as
 * in flight until the limiter could have observed it settle, which is the window a concurrency bound is about.
 * The counters cost a few nanoseconds per task, the same for every contender.
 */
import { getHeapStatistics } from 'node:v8';

/** What a probe observed since its last reset. */
export interface ProbeStats {
  /** Tasks whose body was entered. */
  readonly started: number;
  /** Tasks whose promise settled. */
  readonly completed: number;
  /** The highest number of tasks started but not yet settled at any moment. */
  readonly maxInFlight: number;
  /** The highest `used_heap_size` sampled, in bytes (absolute, not relative to a baseline). */
  readonly peakHeap: number;
}

/** A task as the contenders call it: extra arguments (a signal, an item, an index) are ignored. */
export type BenchTask = () => Promise<void>;

/** A trivial task plus its counters. */
export interface Probe {
  readonly task: BenchTask;
  /** Samples the heap now; contenders need not call it, the task samples every 1024 starts. */
  sampleHeap(): void;
  stats(): ProbeStats;
  reset(): void;
}

/** Samples once per 1024 starts: `getHeapStatistics()` costs about a microsecond, so about 1 ns per task. */
const SAMPLE_MASK = 1023;

/** Creates a probe with its own counters, so that two runs never share state by accident. */
export function createProbe(): Probe {
  let started = 0;
  let completed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let peakHeap = 0;
  const resolved = Promise.resolve();

  const sampleHeap = (): void => {
    const used = getHeapStatistics().used_heap_size;
    if (used > peakHeap) peakHeap = used;
  };
  const finish = (): void => {
    inFlight--;
    completed++;
  };
  const task: BenchTask = () => {
    started++;
    if (++inFlight > maxInFlight) maxInFlight = inFlight;
    if ((started & SAMPLE_MASK) === 0) sampleHeap();
    return resolved.then(finish);
  };

  return {
    task,
    sampleHeap,
    stats: () => ({ started, completed, maxInFlight, peakHeap }),
    reset: () => {
      started = completed = inFlight = maxInFlight = peakHeap = 0;
    },
  };
}
