/**
 * The analyzer bench (issue 4): `taskscope analyze` writing every report format against `tsc --noEmit` on the same
 * project, wall time and peak memory, on a generated async-heavy project (2,000 files, ~43k lines) and on this
 * repository. Targets, printed and never asserted: ≤ 1.5× tsc's wall time and ≤ 1.5× its peak memory.
 *
 * How, and why:
 * - What is measured is the **built CLI**, as users run it: `node bin/taskscope.js analyze --project … --out-dir …
 *   --quiet --fail-on none` (every format written to a temp folder, so report rendering and writing count), against
 *   `node node_modules/typescript/bin/tsc --noEmit -p …`. The bin imports `dist/`, so the first analyzer run builds
 *   it (`tsc -p tsconfig.build.json`) when it is missing or older than a source file, and a failed build fails the
 *   bench with its first error. Running from source through tsx was measured before: tsx's loader and importing
 *   `typescript` through it cost about 50–130 MB of peak RSS and a second of compiling that no user pays, so it
 *   measured tsx as much as the analyzer. `--analyze-source` adds that variant as a third tool (`node --import tsx
 *   analyzer/cli.ts …`), for comparing with older figures.
 * - Each run is a fresh child, one at a time. No run inherits another's program, JIT state or file cache warmth
 *   beyond the OS's; the tools alternate which goes first in each repetition, and the two projects start with
 *   opposite ones. Tables show medians.
 * - Peak memory is the child's peak RSS, VmHWM from `/proc/self/status`, read by a preload (`--import data:…`) in
 *   `process.on('exit')`; the same preload prints CPU time (user + system). Rejected: `/usr/bin/time -v`, which is not
 *   installed everywhere and would measure the wrapper's own exec too; sampling `process.memoryUsage()` on a timer,
 *   which misses a short peak and cannot run while the main thread is busy type-checking. Where `/proc` is absent
 *   (not Linux) the memory column reads "—" and a note says why.
 * - RSS, not heap: it is what a CI runner's memory limit sees, and it counts code and V8's headroom. The analyzer also
 *   loads ESLint, typescript-eslint and the rules (about 65 MB at start that tsc does not carry); the report counts
 *   them rather than hide them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.js';
import { PROBE, readProbe, runNode } from './lib/child.js';
import { formatMarkdownTable, formatTable, median } from './lib/stats.js';
import { positiveInteger } from './lib/options.js';
import type { TopicContext } from './run.js';

export const summary = 'taskscope analyze (all formats) against tsc --noEmit: wall time and peak RSS, on a generated project and the repository';

export const options = {
  'analyze-files': { type: 'string' },
  'analyze-reps': { type: 'string' },
  'analyze-markdown': { type: 'string' },
  'analyze-source': { type: 'boolean' },
} as const;

/** The commands compared: the built CLI, tsc, and (with `--analyze-source`) the CLI run from source through tsx. */
export type AnalyzeTool = 'analyze' | 'analyze-source' | 'tsc';
const TOOL_LABELS: Readonly<Record<AnalyzeTool, string>> = {
  analyze: 'taskscope analyze (all formats)',
  'analyze-source': 'the same from source (tsx)',
  tsc: 'tsc --noEmit',
};

/** A project to measure. */
export interface AnalyzeTarget {
  readonly name: string;
  /** How tables name it. */
  readonly label: string;
  /** Absolute path of its tsconfig. */
  readonly tsconfig: string;
}

/** What one child measured. */
export interface AnalyzeRun {
  readonly target: string;
  readonly tool: AnalyzeTool;
  readonly wallMs: number;
  /** User + system CPU time of the child. */
  readonly cpuMs: number;
  /** Peak resident set size in KiB (VmHWM), or `undefined` where `/proc/self/status` does not exist. */
  readonly peakKiB: number | undefined;
  /** tsc found type errors (exit code 1 or 2 with `error TS` diagnostics): it still checked every file. */
  readonly typeErrors: boolean;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const requireHere = createRequire(import.meta.url);
const TSC = join(dirname(requireHere.resolve('typescript/package.json')), 'bin/tsc');
const TSX = import.meta.resolve('tsx');
const CLI = join(repoRoot, 'analyzer/cli.ts');
const BIN = join(repoRoot, 'bin/taskscope.js');
/** Written by every build (tsc rewrites all outputs), so its time is the build's. */
const BUILT_CLI = join(repoRoot, 'dist/analyzer/cli.js');
const BUILT_FROM = ['runtime', 'rules', 'analyzer'];
/** A run that takes longer than this is stuck, not slow. */
const RUN_TIMEOUT_MS = 600_000;

/** The newest modification time of a TypeScript source the build compiles, in ms. */
function newestSource(): number {
  let newest = statSync(join(repoRoot, 'tsconfig.build.json')).mtimeMs;
  for (const folder of BUILT_FROM) {
    for (const entry of readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

let built = false;

/**
 * Builds `dist/` (`tsc -p tsconfig.build.json`, what `npm run build` runs) when it is missing or older than a source,
 * once per process, so the bin never runs stale code. Throws when the build fails, with tsc's first error.
 */
export function ensureBuilt(): void {
  if (built) return;
  if (existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= newestSource()) {
    built = true;
    return;
  }
  console.error('analyze bench: dist/ is missing or older than the sources; building it (npm run build)');
  const result = spawnSync(process.execPath, [TSC, '-p', join(repoRoot, 'tsconfig.build.json')], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    const first = `${result.stdout}\n${result.stderr}`.split('\n').find((line) => line.trim() !== '') ?? `tsc exited with code ${result.status}`;
    throw new Error(`analyze bench: \`npm run build\` failed, so the built CLI cannot be measured.\nReason: ${first.trim()}`);
  }
  built = true;
}

/**
 * Runs `tool` on `target` in a fresh child and reads back wall time, CPU time and peak RSS. `work` is a scratch folder
 * for the reports. Rejects when the child fails (the analyzer runs with `--fail-on none`, so any exit code but 0; tsc
 * on type errors is not a failure), times out, or prints no probe line.
 */
export async function measureOnce(target: AnalyzeTarget, tool: AnalyzeTool, work: string): Promise<AnalyzeRun> {
  const out = join(work, `${target.name}-reports`);
  rmSync(out, { recursive: true, force: true });
  if (tool === 'analyze') ensureBuilt();
  const cli = ['analyze', '--project', target.tsconfig, '--out-dir', out, '--quiet', '--fail-on', 'none'];
  const args =
    tool === 'analyze'
      ? ['--import', PROBE, BIN, ...cli]
      : tool === 'analyze-source'
        ? ['--import', PROBE, '--import', TSX, CLI, ...cli]
        : ['--import', PROBE, TSC, '--noEmit', '-p', target.tsconfig];
  // Paths are absolute, so the working directory is the repository's, whether or not the project exists.
  const { code, stderr, stdout, wallMs } = await runNode(args, { cwd: repoRoot, timeoutMs: RUN_TIMEOUT_MS });
  const tail = (): string => `${stderr}\n${stdout}`.trim().split('\n').slice(-5).join('\n') || 'no output';
  // tsc exits non-zero on type errors, after checking everything: a repository with work in progress still measures.
  const typeErrors = tool === 'tsc' && (code === 1 || code === 2) && /error TS\d+/.test(stdout);
  if (code !== 0 && !typeErrors) {
    const why = code === null ? `was killed after ${RUN_TIMEOUT_MS / 1000} s` : `exited with code ${code}`;
    throw new Error(`analyze bench: ${tool} on ${target.name} ${why}.\nReason: ${tail()}`);
  }
  const probe = readProbe(stderr);
  if (!probe) throw new Error(`analyze bench: ${tool} on ${target.name} did not report its CPU time and memory.\nReason: ${tail()}`);
  if (tool !== 'tsc' && !existsSync(join(out, 'taskscope.html'))) {
    throw new Error(`analyze bench: ${tool} on ${target.name} wrote no HTML report to ${out}.\nReason: ${tail()}`);
  }
  return { target: target.name, tool, wallMs, ...probe, typeErrors };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : (ms / 1000).toFixed(1));
const mib = (kib: number | undefined): string => (kib === undefined ? '—' : String(Math.round(kib / 1024)));
const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a / b);
const times = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(2)}×`);
const verdict = (value: number | undefined, limit: number): string => (value === undefined ? 'n/a' : value <= limit ? 'met' : 'MISSED');

/** Medians of one tool on one target, or `undefined` when no run of it succeeded. */
function medians(runs: readonly AnalyzeRun[], target: string, tool: AnalyzeTool) {
  const mine = runs.filter((run) => run.target === target && run.tool === tool);
  if (mine.length === 0) return undefined;
  const peaks = mine.map((run) => run.peakKiB).filter((peak): peak is number => peak !== undefined);
  return {
    wallMs: median(mine.map((run) => run.wallMs)),
    wallRange: [Math.min(...mine.map((run) => run.wallMs)), Math.max(...mine.map((run) => run.wallMs))] as const,
    cpuMs: median(mine.map((run) => run.cpuMs)),
    peakKiB: peaks.length > 0 ? median(peaks) : undefined,
  };
}

/** What the report needs besides the runs. */
export interface AnalyzeReportMeta {
  readonly machine: string;
  readonly seconds: number;
  readonly reps: number;
  readonly targets: readonly AnalyzeTarget[];
}

/** Formats the runs: one table of wall, CPU and peak RSS per project and tool, then the targets. Pure. */
export function formatAnalyzeReport(runs: readonly AnalyzeRun[], meta: AnalyzeReportMeta, format: 'text' | 'markdown' = 'text'): string {
  const table = (title: string, rows: string[][]): string => (format === 'text' ? `${title}\n${formatTable(rows)}` : `**${title}**\n\n${formatMarkdownTable(rows)}`);
  const out = [
    `Analyzer bench · Node ${process.version} · TypeScript ${(requireHere('typescript/package.json') as { version: string }).version}`,
    `${meta.machine} · ${meta.seconds} s · each figure the median of ${meta.reps} run${meta.reps === 1 ? '' : 's'}, each run a fresh process, tools in alternating order`,
  ];
  // Markdown joins consecutive lines into one paragraph unless a line ends in two spaces.
  if (format === 'markdown') out[0] += '  ';
  const rows = [['project', 'tool', 'wall s', 'wall range', 'CPU s', 'peak RSS MiB']];
  const targetRows = [['target', 'project', 'taskscope analyze', 'tsc --noEmit', 'ratio', 'goal', 'verdict']];
  const cpuRows: string[][] = [];
  for (const target of meta.targets) {
    const analyze = medians(runs, target.name, 'analyze');
    const tsc = medians(runs, target.name, 'tsc');
    const measured = (['analyze', 'analyze-source', 'tsc'] as const).filter((tool) => tool !== 'analyze-source' || runs.some((run) => run.tool === tool));
    for (const tool of measured) {
      const m = tool === 'analyze' ? analyze : tool === 'tsc' ? tsc : medians(runs, target.name, tool);
      rows.push([target.label, TOOL_LABELS[tool], seconds(m?.wallMs), m ? `${seconds(m.wallRange[0])}–${seconds(m.wallRange[1])}` : '—', seconds(m?.cpuMs), mib(m?.peakKiB)]);
    }
    const wall = ratio(analyze?.wallMs, tsc?.wallMs);
    const memory = ratio(analyze?.peakKiB, tsc?.peakKiB);
    const cpu = ratio(analyze?.cpuMs, tsc?.cpuMs);
    targetRows.push(['wall time', target.name, `${seconds(analyze?.wallMs)} s`, `${seconds(tsc?.wallMs)} s`, times(wall), '≤ 1.5×', verdict(wall, 1.5)]);
    targetRows.push(['peak RSS', target.name, `${mib(analyze?.peakKiB)} MiB`, `${mib(tsc?.peakKiB)} MiB`, times(memory), '≤ 1.5×', verdict(memory, 1.5)]);
    cpuRows.push(['CPU time (information)', target.name, `${seconds(analyze?.cpuMs)} s`, `${seconds(tsc?.cpuMs)} s`, times(cpu), '', '']);
  }
  out.push('', table('Runs: wall and CPU (user + system) time and peak resident memory (VmHWM) of the child', rows));
  out.push('', table('Targets (issue 4), printed, not asserted; CPU time leaves out time spent waiting for a core', [...targetRows, ...cpuRows]));
  const withErrors = meta.targets.filter((target) => runs.some((run) => run.target === target.name && run.typeErrors));
  if (withErrors.length > 0) out.push('', `tsc reported type errors in ${withErrors.map((target) => target.name).join(', ')} (it still checked every file).`);
  if (runs.some((run) => run.peakKiB === undefined)) out.push('', 'Peak RSS not measured: /proc/self/status is not readable here (not Linux?).');
  return out.join('\n');
}

export async function run({ quick, values }: TopicContext): Promise<boolean> {
  const files = positiveInteger('analyze-files', values['analyze-files'], quick ? 60 : 2000);
  const reps = positiveInteger('analyze-reps', values['analyze-reps'], quick ? 1 : 3);
  const tools: readonly AnalyzeTool[] = values['analyze-source'] === true ? ['analyze', 'analyze-source', 'tsc'] : ['analyze', 'tsc'];
  try {
    ensureBuilt();
  } catch (error) {
    console.error((error as Error).message);
    return false;
  }
  const started = Date.now();
  const load = loadavg()[0]!.toFixed(2);
  const work = mkdtempSync(join(tmpdir(), 'taskscope-analyze-bench-'));
  try {
    const project = generateProject(join(work, 'project'), { files });
    const targets: AnalyzeTarget[] = [
      { name: 'generated', label: `generated (${files.toLocaleString('en-US')} files, ${project.lines.toLocaleString('en-US')} lines)`, tsconfig: project.tsconfig },
      // Quick runs use a small fixture project of this repository: enough to exercise the harness on real code.
      quick
        ? { name: 'repo', label: 'repo fixtures/demo-app', tsconfig: join(repoRoot, 'fixtures/demo-app/tsconfig.json') }
        : { name: 'repo', label: 'repo (tsconfig.json)', tsconfig: resolve(repoRoot, 'tsconfig.json') },
    ];
    console.error(`analyze bench: ${files} generated files (${project.lines} lines) and the repository, ${reps} rep(s) × ${tools.length} tools, one child process each`);
    const runs: AnalyzeRun[] = [];
    const failures: string[] = [];
    let step = 0;
    const total = reps * targets.length * tools.length;
    for (let rep = 0; rep < reps; rep++) {
      for (const [index, target] of targets.entries()) {
        const order = (rep + index) % 2 === 0 ? tools : [...tools].reverse();
        for (const tool of order) {
          step++;
          try {
            const result = await measureOnce(target, tool, work);
            runs.push(result);
            console.error(`  [${step}/${total}] ${target.name} × ${tool}: ${seconds(result.wallMs)} s wall, ${seconds(result.cpuMs)} s CPU, ${mib(result.peakKiB)} MiB peak RSS`);
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
            console.error(`  [${step}/${total}] ${target.name} × ${tool}: FAIL`);
          }
        }
      }
    }
    const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load ${load} at start, ${loadavg()[0]!.toFixed(2)} at end`;
    const meta: AnalyzeReportMeta = { machine, seconds: Math.round((Date.now() - started) / 1000), reps, targets };
    console.log(formatAnalyzeReport(runs, meta));
    if (failures.length > 0) console.log(`\nRUNS FAILED\n${failures.join('\n')}`);
    if (typeof values['analyze-markdown'] === 'string') writeFileSync(values['analyze-markdown'], `${formatAnalyzeReport(runs, meta, 'markdown')}\n`);
    return failures.length === 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
