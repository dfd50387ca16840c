/**
 * The runtime bench (issue 2): per-task overhead of ErrGroup and Semaphore against raw `Promise.all`, a
 * hand-written pool, p-limit, p-queue, async-sema and p-map, eager and backpressured, at concurrency 1, 16 and
 * 256, with our instrumentation off, on and on with stacks.
 *
 * Each case runs in its own child process (`--expose-gc`), one after the other: parallel children would share
 * the two cores and measure each other. A case that fails a check (wrong task count, limit exceeded, a deadlock)
 * is reported in the table as FAIL and makes `npm run bench` exit 1.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CONTENDERS, type Instrumentation } from './runtime/contenders.js';
import { describeCase, type CaseSpec, type SizeResult } from './runtime/measure.js';
import { formatRuntimeReport, type CaseOutcome } from './runtime/report.js';
import type { TopicContext } from './run.js';

export const summary = 'per-task overhead of ErrGroup and Semaphore against Promise.all, a pool and peer libraries';

export const options = {
  contenders: { type: 'string' },
  sizes: { type: 'string' },
  reps: { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
} as const;

const CONCURRENCIES = [1, 16, 256] as const;
const INSTRUMENTATIONS: readonly Instrumentation[] = ['off', 'on', 'stacks'];
/**
 * A million tasks take 1–5 s per repetition for the slower contenders, so 1e6 runs once: a run that long already
 * averages out scheduling noise, and its main point is peak heap, what eager submission of a million tasks costs.
 * The median over repetitions comes from 1e5.
 */
const FULL = [{ n: 1e5, reps: 5 }, { n: 1e6, reps: 1 }];
/**
 * With a stack captured per task, a 1e6 run takes 6–12 s per case and says nothing that 1e5 does not (the cost is
 * per task, several microseconds, far above the noise), so stacks run at one size up to this, three times.
 */
export const STACKS_MAX_N = 1e5;
const STACKS_MAX_REPS = 3;
const QUICK = [{ n: 1e4, reps: 3 }];
/** A case that takes longer than this is stuck, not slow. */
const CASE_TIMEOUT_MS = 120_000;
const CASE_FILE = fileURLToPath(new URL('./runtime/case.ts', import.meta.url));

function stacksSizes(sizes: CaseSpec['sizes']): CaseSpec['sizes'] {
  const fitting = sizes.filter(({ n }) => n <= STACKS_MAX_N);
  const size = fitting.at(-1) ?? sizes[0]!;
  return [{ n: size.n, reps: Math.min(size.reps, STACKS_MAX_REPS) }];
}

/** Every case of the matrix, in the order they run and print. */
export function planCases(sizes: CaseSpec['sizes'], only?: ReadonlySet<string>): CaseSpec[] {
  const cases: CaseSpec[] = [];
  for (const entry of CONTENDERS) {
    if (only && !only.has(entry.id)) continue;
    for (const mode of entry.modes) {
      for (const concurrency of entry.bounded ? CONCURRENCIES : [Infinity]) {
        for (const instrumentation of entry.instrumented ? INSTRUMENTATIONS : [undefined]) {
          cases.push({ contender: entry.id, mode, concurrency, instrumentation, sizes: instrumentation === 'stacks' ? stacksSizes(sizes) : sizes });
        }
      }
    }
  }
  return cases;
}

function parseSizes(value: string | undefined, reps: number | undefined, quick: boolean): CaseSpec['sizes'] {
  const base = quick ? QUICK : FULL;
  const sizes = value === undefined ? base : value.split(',').map((n) => ({ n: Number(n), reps: reps ?? 3 }));
  for (const { n } of sizes) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: expected \`--sizes\` to be positive integers like 1e5,1e6, got \`${value}\`.`);
  }
  return reps === undefined ? sizes : sizes.map(({ n }) => ({ n, reps }));
}

/** Runs one case in a fresh child process; never rejects, a failure is an outcome. */
function runChild(spec: CaseSpec): Promise<CaseOutcome> {
  return new Promise((resolve) => {
    const args = [...process.execArgv, '--expose-gc', CASE_FILE, JSON.stringify(spec)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => child.kill(), CASE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = JSON.parse(line) as { ok: true; sizes: SizeResult[] } | { ok: false; error: string };
        resolve(parsed.ok ? { spec, sizes: parsed.sizes } : { spec, error: parsed.error });
      } catch {
        // Exit code 13 is Node's "unsettled top-level await": the contender left a promise nobody settles.
        const why = signal !== null ? `was killed (${signal}) after ${CASE_TIMEOUT_MS / 1000} s` : `exited with code ${code} without a result`;
        resolve({ spec, error: `${describeCase(spec)}: the child process ${why}${code === 13 ? ' (a deadlock: a promise nobody settles)' : ''}.` });
      }
    });
  });
}

export async function run({ quick, values }: TopicContext): Promise<boolean> {
  const reps = values['reps'] === undefined ? undefined : Number(values['reps']);
  if (reps !== undefined && !(Number.isInteger(reps) && reps > 0)) {
    throw new Error(`bench: expected \`--reps\` to be a positive integer, got \`${String(values['reps'])}\`.`);
  }
  const sizes = parseSizes(values['sizes'] as string | undefined, reps, quick);
  const only = typeof values['contenders'] === 'string' ? new Set(values['contenders'].split(',')) : undefined;
  const cases = planCases(sizes, only);
  const started = Date.now();
  const load = loadavg()[0]!.toFixed(2);
  console.error(`runtime bench: ${cases.length} cases, ${sizes.map((s) => `${s.n} tasks × ${s.reps}`).join(', ')}, one child process each`);

  const outcomes: CaseOutcome[] = [];
  for (const [index, spec] of cases.entries()) {
    const outcome = await runChild(spec);
    outcomes.push(outcome);
    const figures = outcome.sizes?.map((s) => `${Math.round(s.nsPerTask)} ns/task`).join(', ') ?? 'FAIL';
    console.error(`  [${index + 1}/${cases.length}] ${describeCase(spec)}: ${figures}`);
  }

  const seconds = Math.round((Date.now() - started) / 1000);
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load ${load} at start`;
  const meta = { node: process.version, machine, seconds };
  console.log(formatRuntimeReport(outcomes, meta));
  if (typeof values['markdown'] === 'string') writeFileSync(values['markdown'], `${formatRuntimeReport(outcomes, meta, 'markdown')}\n`);
  if (typeof values['json'] === 'string') {
    writeFileSync(values['json'], `${JSON.stringify(outcomes, (_key, value: unknown) => (value === Infinity ? 'Infinity' : value), 2)}\n`);
  }
  return outcomes.every((outcome) => outcome.error === undefined);
}
