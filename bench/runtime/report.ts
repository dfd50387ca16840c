/**
 * Formats the runtime bench results: one table per task count and mode, then the three targets of issue 2 as
 * ratio tables. Pure: outcomes in, text out. Targets are printed, never asserted: on a shared 2-core machine a
 * missed target is a number to look at, not a broken build; only a failed check (wrong count, limit exceeded)
 * fails the run.
 */
import { CONTENDERS, type Instrumentation, type Mode } from './contenders.js';
import type { CaseSpec, SizeResult } from './measure.js';
import { formatCount, formatMarkdownTable, formatTable } from '../lib/stats.js';

/** What one child process reported: figures, or why there are none. */
export interface CaseOutcome {
  readonly spec: CaseSpec;
  readonly sizes?: readonly SizeResult[];
  readonly error?: string;
}

export interface ReportMeta {
  readonly node: string;
  readonly machine: string;
  readonly seconds: number;
}

const MODE_TITLES: Record<Mode, string> = {
  eager: 'eager: submit all N, then wait',
  backpressured: 'backpressured: await admission of each task before submitting the next',
};
const INSTRUMENTATION_LABELS: Record<Instrumentation, string> = { off: 'track off', on: 'default', stacks: 'stacks' };
/** Issue 2's budget for the registry: on − off per task. */
const REGISTRY_BUDGET_NS = 500;

type Cell = SizeResult | 'fail' | undefined;

/** Plain text for the terminal, or GitHub markdown for `bench/README.md`. */
export type ReportFormat = 'text' | 'markdown';

function section(title: string, rows: readonly (readonly string[])[], headerRows: number, format: ReportFormat): string {
  return format === 'text' ? `${title}\n${formatTable(rows)}` : `**${title}**\n\n${formatMarkdownTable(rows, headerRows)}`;
}

/** Finds figures by case; the unbounded contender answers for every concurrency. */
class Results {
  readonly #cells = new Map<string, Cell>();

  constructor(outcomes: readonly CaseOutcome[]) {
    for (const { spec, sizes, error } of outcomes) {
      for (const { n } of spec.sizes) {
        const key = Results.key(spec.contender, spec.instrumentation, spec.mode, spec.concurrency, n);
        this.#cells.set(key, error === undefined ? sizes?.find((size) => size.n === n) : 'fail');
      }
    }
  }

  static key(id: string, instrumentation: Instrumentation | undefined, mode: Mode, concurrency: number, n: number): string {
    return `${id}|${instrumentation ?? '-'}|${mode}|${concurrency}|${n}`;
  }

  get(id: string, instrumentation: Instrumentation | undefined, mode: Mode, concurrency: number, n: number): Cell {
    return this.#cells.get(Results.key(id, instrumentation, mode, concurrency, n)) ?? this.#cells.get(Results.key(id, instrumentation, mode, Infinity, n));
  }

  ns(id: string, instrumentation: Instrumentation | undefined, mode: Mode, concurrency: number, n: number): number | undefined {
    const cell = this.get(id, instrumentation, mode, concurrency, n);
    return typeof cell === 'object' ? cell.nsPerTask : undefined;
  }
}

const ns = (value: number | undefined): string => (value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const ratio = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(2)}×`);
const divide = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a / b);

function verdict(value: number | undefined, limit: number): string {
  return value === undefined ? 'n/a' : value <= limit ? 'met' : 'MISSED';
}

function tally(rows: readonly (readonly string[])[]): string {
  const verdicts = rows.map((row) => row.find((cell) => cell === 'met' || cell === 'MISSED' || cell === 'n/a'));
  const met = verdicts.filter((v) => v === 'met').length;
  const measured = verdicts.filter((v) => v === 'met' || v === 'MISSED').length;
  return `met in ${met} of ${measured} measured cells`;
}

function mainTable(results: Results, n: number, mode: Mode, concurrencies: readonly number[], format: ReportFormat): string {
  const header = ['', ...concurrencies.flatMap((c) => [`c=${c}`, '', '', ''])];
  const units = ['contender', ...concurrencies.flatMap(() => ['ns/task', '×pool', 'heap MB', 'in flight'])];
  const rows: string[][] = [header, units];
  for (const entry of CONTENDERS) {
    for (const instrumentation of entry.instrumented ? (['off', 'on', 'stacks'] as const) : [undefined]) {
      const label = instrumentation === undefined ? entry.label : `${entry.label}, ${INSTRUMENTATION_LABELS[instrumentation]}`;
      const row = [label];
      for (const c of concurrencies) {
        const cell = entry.modes.includes(mode) ? results.get(entry.id, instrumentation, mode, c, n) : undefined;
        if (cell === 'fail') row.push('FAIL', '', '', '');
        else if (cell === undefined) row.push('—', '', '', '');
        else {
          const versusPool = divide(cell.nsPerTask, results.ns('pool', undefined, mode, c, n));
          row.push(ns(cell.nsPerTask), ratio(versusPool), cell.peakHeapMB.toFixed(1), String(cell.maxInFlight));
        }
      }
      rows.push(row);
    }
  }
  return section(`${formatCount(n)} tasks, ${MODE_TITLES[mode]}`, rows, 2, format);
}

interface TargetSpec {
  readonly title: string;
  readonly mode: Mode;
  readonly versus: 'p-limit' | 'pool';
  readonly limit: number;
  /** Our contender and its column label. @default ['err-group', 'ErrGroup'] */
  readonly ours?: readonly [id: string, label: string];
}

function ratioTarget(results: Results, grid: readonly [number, number][], target: TargetSpec, format: ReportFormat): string {
  const { title, mode, versus, limit, ours: [oursId, oursLabel] = ['err-group', 'ErrGroup'] } = target;
  const rows: string[][] = [['tasks', 'c', `${oursLabel} ns`, `${versus} ns`, 'ratio', 'target']];
  for (const [n, c] of grid) {
    const ours = results.ns(oursId, 'on', mode, c, n);
    const theirs = results.ns(versus, undefined, mode, c, n);
    const value = divide(ours, theirs);
    rows.push([formatCount(n), String(c), ns(ours), ns(theirs), ratio(value), verdict(value, limit)]);
  }
  return section(`${title}: ${tally(rows.slice(1))}`, rows, 1, format);
}

function registryTarget(results: Results, grid: readonly [number, number][], format: ReportFormat): string {
  const rows: string[][] = [['primitive', 'mode', 'tasks', 'c', 'off ns', 'on ns', 'on − off', 'target', 'stacks ns', 'stacks − on']];
  for (const [id, label] of [['err-group', 'ErrGroup'], ['semaphore', 'Semaphore']] as const) {
    for (const mode of ['eager', 'backpressured'] as const) {
      for (const [n, c] of grid) {
        const off = results.ns(id, 'off', mode, c, n);
        const on = results.ns(id, 'on', mode, c, n);
        const stacks = results.ns(id, 'stacks', mode, c, n);
        const cost = on === undefined || off === undefined ? undefined : on - off;
        const stackCost = stacks === undefined || on === undefined ? undefined : stacks - on;
        rows.push([label, mode, formatCount(n), String(c), ns(off), ns(on), ns(cost), verdict(cost, REGISTRY_BUDGET_NS), ns(stacks), ns(stackCost)]);
      }
    }
  }
  const title = `Target 3, the registry adds ≤ ${REGISTRY_BUDGET_NS} ns per task (default − track off; stacks − default for information)`;
  return section(`${title}: ${tally(rows.slice(1))}`, rows, 1, format);
}

/** The whole report: main tables, failures, then the targets. */
export function formatRuntimeReport(outcomes: readonly CaseOutcome[], meta: ReportMeta, format: ReportFormat = 'text'): string {
  const results = new Results(outcomes);
  const sizes = [...new Set(outcomes.flatMap((outcome) => outcome.spec.sizes.map((size) => size.n)))].sort((a, b) => a - b);
  const concurrencies = [...new Set(outcomes.map((outcome) => outcome.spec.concurrency))].filter(Number.isFinite).sort((a, b) => a - b);
  const grid = sizes.flatMap((n) => concurrencies.map((c): [number, number] => [n, c]));
  const failures = outcomes.filter((outcome) => outcome.error !== undefined);
  const runs = outcomes.reduce((sum, outcome) => sum + 1 + outcome.spec.sizes.reduce((s, size) => s + size.reps, 0), 0);

  const parts = [
    [
      `Runtime bench · Node ${meta.node} · ${meta.machine} · ${meta.seconds} s`,
      'ns/task: median wall time per task over the repetitions. ×pool: ns/task over the hand-written pool at the same c and mode.',
      'heap MB: peak heap growth over a post-GC baseline during a run (the highest over the repetitions). —: not measured.',
      'in flight: the most tasks started and not yet settled at once. Each task settles one microtask after it starts,',
      'so a contender that yields a microtask per submission (an awaited admission) finishes each task before the next.',
    ].join(format === 'text' ? '\n' : '  \n'),
    ...sizes.flatMap((n) => (['eager', 'backpressured'] as const).map((mode) => mainTable(results, n, mode, concurrencies, format))),
    failures.length === 0
      ? `Checks: all ${runs} runs of ${outcomes.length} cases started and settled exactly N tasks before resolving, and none exceeded its limit.`
      : `CHECKS FAILED in ${failures.length} of ${outcomes.length} cases:\n${failures.map((f) => `  ${f.error}`).join('\n')}`,
    'Targets (printed, not asserted; ErrGroup with default instrumentation):',
    ratioTarget(results, grid, { title: 'Target 1, eager ErrGroup ≤ 0.25× p-limit (ns/task)', mode: 'eager', versus: 'p-limit', limit: 0.25 }, format),
    ratioTarget(results, grid, { title: 'Target 2, backpressured ErrGroup ≤ 2× the hand-written pool (ns/task), with `await goBlocking` per task', mode: 'backpressured', versus: 'pool', limit: 2 }, format),
    ratioTarget(results, grid, { title: 'Target 2, backpressured ErrGroup ≤ 2× the hand-written pool (ns/task), with goEach', mode: 'backpressured', versus: 'pool', limit: 2, ours: ['err-group-each', 'goEach'] }, format),
    registryTarget(results, grid, format),
  ];
  return parts.join('\n\n');
}
