/**
 * Measures one case (contender × mode × concurrency × instrumentation) at one or more task counts, in the
 * current process, and proves that the contender did what it claims: exactly N tasks started, all N settled
 * before its promise resolved, none ran late, and never more than `concurrency` at once.
 *
 * A failed check throws a {@link BenchCheckError}; a number from a contender that skipped work or ignored its
 * limit would be worse than no number.
 */
import { getHeapStatistics } from 'node:v8';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { contender, type Instrumentation, type Mode, type RunTasks } from './contenders.js';
import { createProbe } from './probe.js';
import { median } from '../lib/stats.js';

/** One case, as the parent sends it to a child. */
export interface CaseSpec {
  readonly contender: string;
  readonly mode: Mode;
  /** `Infinity` for the unbounded contender. JSON carries it as `null`, see {@link parseCaseSpec}. */
  readonly concurrency: number;
  /** `undefined` for a peer, which has no instrumentation to switch. */
  readonly instrumentation: Instrumentation | undefined;
  readonly sizes: readonly { readonly n: number; readonly reps: number }[];
}

/** The figures for one task count. */
export interface SizeResult {
  readonly n: number;
  /** Median over the repetitions. */
  readonly nsPerTask: number;
  /** Every repetition, in run order. */
  readonly samples: readonly number[];
  /** The highest heap growth over the post-GC baseline seen in any repetition, in MiB. */
  readonly peakHeapMB: number;
  /** The highest in-flight count seen in any repetition. */
  readonly maxInFlight: number;
}

export interface CaseResult {
  readonly spec: CaseSpec;
  readonly sizes: readonly SizeResult[];
}

/** A contender that did not run what it was asked to run. */
export class BenchCheckError extends Error {
  override name = 'BenchCheckError';
}

/** Reads a spec from its JSON form, where `Infinity` became `null`. */
export function parseCaseSpec(json: string): CaseSpec {
  const raw = JSON.parse(json) as Omit<CaseSpec, 'concurrency'> & { concurrency: number | null };
  return { ...raw, concurrency: raw.concurrency ?? Infinity };
}

/** A short name for error messages and progress lines: `ErrGroup [stacks] backpressured c=16`. */
export function describeCase(spec: CaseSpec): string {
  const instrumentation = spec.instrumentation === undefined ? '' : ` [${spec.instrumentation}]`;
  const concurrency = Number.isFinite(spec.concurrency) ? `c=${spec.concurrency}` : 'c=∞';
  return `${contender(spec.contender).label}${instrumentation} ${spec.mode} ${concurrency}`;
}

/** What {@link measure} needs to know besides the runner. */
export interface MeasureTarget {
  /** Names the case in check failures. */
  readonly label: string;
  /** Passed to the runner. */
  readonly concurrency: number;
  /** The most tasks allowed in flight: `concurrency`, or `Infinity` for an unbounded contender. */
  readonly bound: number;
  readonly sizes: CaseSpec['sizes'];
}

/**
 * Times `run`: one verified warm-up at a tenth of the first N (at least 1000, at most N) so that the JIT has compiled the hot
 * paths, then for each size `reps` verified, timed repetitions. `gc` (from `--expose-gc`) runs before each
 * repetition so that garbage from the previous one neither counts as heap nor triggers a collection mid-run.
 * Without it, peak heap includes whatever garbage was left over. Rejects with a {@link BenchCheckError} on the
 * first run that did not start and settle exactly N tasks before resolving, started one after, or exceeded
 * `bound`.
 */
export async function measure(run: RunTasks, target: MeasureTarget, gc?: () => void): Promise<SizeResult[]> {
  const probe = createProbe();

  const once = async (n: number): Promise<{ ns: number; heapBytes: number; maxInFlight: number }> => {
    gc?.();
    probe.reset();
    const baseline = getHeapStatistics().used_heap_size;
    probe.sampleHeap();
    const start = process.hrtime.bigint();
    await run(n, target.concurrency, probe.task);
    const elapsed = process.hrtime.bigint() - start;
    probe.sampleHeap();
    const atResolve = probe.stats();
    // A task that a contender starts after its promise resolved would escape both the timing and the count.
    await nextMacrotask();
    const later = probe.stats();
    const where = `${target.label} n=${n}`;
    if (atResolve.started !== n || atResolve.completed !== n) {
      throw new BenchCheckError(
        `${where}: ${atResolve.started} tasks started and ${atResolve.completed} settled when it resolved; expected ${n} of each.`,
      );
    }
    if (later.started !== n) {
      throw new BenchCheckError(`${where}: ${later.started - n} more tasks started after it resolved.`);
    }
    if (atResolve.maxInFlight > target.bound) {
      throw new BenchCheckError(`${where}: ${atResolve.maxInFlight} tasks ran at once; the limit was ${target.bound}.`);
    }
    return { ns: Number(elapsed), heapBytes: atResolve.peakHeap - baseline, maxInFlight: atResolve.maxInFlight };
  };

  const sizes: SizeResult[] = [];
  for (const [index, { n, reps }] of target.sizes.entries()) {
    // The first size's repetitions warm the JIT for the sizes after it.
    if (index === 0) await once(Math.max(Math.min(n, 1000), Math.ceil(n / 10)));
    const samples: number[] = [];
    let heapBytes = 0;
    let maxInFlight = 0;
    for (let rep = 0; rep < reps; rep++) {
      const result = await once(n);
      samples.push(result.ns / n);
      heapBytes = Math.max(heapBytes, result.heapBytes);
      maxInFlight = Math.max(maxInFlight, result.maxInFlight);
    }
    sizes.push({ n, nsPerTask: median(samples), samples, peakHeapMB: heapBytes / 2 ** 20, maxInFlight });
  }
  return sizes;
}

/** Loads the case's contender with its instrumentation setting and {@link measure}s it. */
export async function runCase(spec: CaseSpec, gc?: () => void): Promise<CaseResult> {
  const entry = contender(spec.contender);
  const runners = await entry.load(spec.instrumentation ?? 'on');
  const run = runners[spec.mode];
  if (run === undefined) throw new BenchCheckError(`${describeCase(spec)}: the contender has no ${spec.mode} mode.`);
  const bound = entry.bounded ? spec.concurrency : Infinity;
  const sizes = await measure(run, { label: describeCase(spec), concurrency: spec.concurrency, bound, sizes: spec.sizes }, gc);
  return { spec, sizes };
}
