/**
 * Step 4 of issue 5 on one real-world project, side by side in one run: typed ESLint with taskscope `recommended`
 * against ESLint with only `@typescript-eslint/no-floating-promises` (`TIMING=all`: summed rule time and whole-run
 * wall), and `taskscope analyze` against `tsc --noEmit -p` (wall and peak RSS) on each tsconfig that types the
 * project's linted files. The analyze runs also give the analyzer's findings. `lint-corpus.ts` calls this after a
 * project's lint; it is not a command of its own.
 *
 * How, and why (the same method as `bench/lint.ts` and `bench/analyze.ts`, on a project that is not ours):
 * - Every run is a fresh child, one at a time; each repetition alternates which side goes first. Tables show medians.
 * - Both ESLint configurations type the files with the tsconfigs of `typedProjects` (the TypeScript 6 `types` fix)
 *   and load the same modules (typescript-eslint and the plugin as users get it, built in `dist/`); they differ only
 *   in the rules they turn on. Per-rule times come from `--stats` (the stopwatch `TIMING=all` prints); `noInlineConfig`, as
 *   in the findings run, so a project's `eslint-disable` comments silence neither side.
 * - `tsc` is this repository's TypeScript 6, the compiler the analyzer is built on, run on the same tsconfig (the
 *   generated `tsconfig.taskscope.json` where `types` had to be set). A tsconfig with `incremental` or `composite`
 *   gets a fresh `--tsBuildInfoFile` per run, so tsc checks everything every time, as the analyzer does. Peak RSS is VmHWM from `/proc/self/status`,
 *   read by a preload at exit, as `bench/analyze.ts` does. tsc exits non-zero on type errors (TypeScript 6 rejects
 *   some options TypeScript 5 accepted); it has still checked every file, so the run counts and the errors are noted.
 * - The analyzer is the built CLI, `bin/taskscope.js`, as users run it. Both the plugin and the CLI come from `dist/`,
 *   which is built first when it is missing or older than a source (`ensureBuilt`, shared with `bench/analyze.ts`):
 *   running from source through tsx would charge tsx's loader and its function wrappers to taskscope only.
 * - The analyzer writes JSON only (`--format json --out`): its findings are what the real-world report needs, and
 *   rendering HTML for a 600-file project would time the reporter rather than the analysis.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from '../analyze.js';
import { PROBE, readProbe, runNode } from '../lib/child.js';
import { median } from '../lib/stats.js';

/** A child's measurements. Times in milliseconds, memory in KiB. */
export interface ChildRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Peak RSS (VmHWM), `undefined` where `/proc/self/status` is not readable. */
  readonly peakKiB: number | undefined;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One ESLint configuration's run over the project's linted files. */
export interface EslintTiming {
  readonly config: 'taskscope' | 'no-floating-promises';
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly parseMs: number;
  /** Per rule id, from `--stats`. */
  readonly ruleMs: Readonly<Record<string, number>>;
  readonly fatal: number;
  readonly reports: number;
}

/** `taskscope analyze` or `tsc --noEmit` on one tsconfig. */
export interface CompilerTiming {
  readonly tool: 'analyze' | 'tsc';
  readonly tsconfig: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakKiB: number | undefined;
  /** tsc only: it reported type errors (it still checked every file). */
  readonly typeErrors: boolean;
}

/** What `timeProject` measured, every repetition kept. */
export interface ProjectTiming {
  readonly reps: number;
  readonly eslint: readonly EslintTiming[];
  readonly compilers: readonly CompilerTiming[];
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../..');
const requireHere = createRequire(import.meta.url);
const ESLINT_BIN = join(dirname(requireHere.resolve('eslint/package.json')), (requireHere('eslint/package.json') as { bin: { eslint: string } }).bin.eslint);
const TSC = join(dirname(requireHere.resolve('typescript/package.json')), 'bin/tsc');
const BIN = join(repoRoot, 'bin/taskscope.js');
const NFP = '@typescript-eslint/no-floating-promises';
/** A run that takes longer than this is stuck, not slow. */
const RUN_TIMEOUT_MS = 900_000;

/** Runs `node <args>` in `cwd` with the probe preloaded and returns what it measured. Never rejects on an exit code. */
export async function measureChild(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  const { wallMs, code, stdout, stderr } = await runNode(['--max-old-space-size=6144', '--import', PROBE, ...args], { cwd, env, timeoutMs: RUN_TIMEOUT_MS });
  const probe = readProbe(stderr);
  if (!probe) throw new Error(`real-world bench: \`node ${args.slice(0, 3).join(' ')} …\` exited with ${code} before reporting its CPU time.\nReason: ${tail(stderr)}`);
  return { wallMs, ...probe, code, stdout, stderr };
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n') || 'no output';
}

/** The ESLint config of one side: the same parser options as the findings run, different rules. */
function eslintConfig(projectDir: string, projects: readonly string[], config: EslintTiming['config']): string {
  const tseslint = import.meta.resolve('typescript-eslint');
  ensureBuilt();
  const plugin = pathToFileURL(join(repoRoot, 'dist/rules/index.js')).href;
  const rules = config === 'taskscope' ? 'taskscope.configs.recommended.rules' : `{ '${NFP}': 'error' }`;
  return `// Generated by taskscope bench/real-world/timing.ts.
import tseslint from ${JSON.stringify(tseslint)};
import taskscope from ${JSON.stringify(plugin)};
export default [
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { project: ${JSON.stringify(projects)}, tsconfigRootDir: ${JSON.stringify(projectDir)} } },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
    plugins: { taskscope, '@typescript-eslint': tseslint.plugin },
    rules: ${rules},
  },
];
`;
}

interface EslintFileResult {
  messages: { ruleId: string | null; fatal?: boolean }[];
  stats?: { times: { passes: { parse: { total: number }; rules?: Record<string, { total: number }> }[] } };
}

async function eslintOnce(projectDir: string, files: readonly string[], projects: readonly string[], config: EslintTiming['config'], work: string): Promise<EslintTiming> {
  const configFile = join(projectDir, `eslint.timing-${config}.config.mjs`);
  const output = join(work, `eslint-${config}.json`);
  writeFileSync(configFile, eslintConfig(projectDir, projects, config));
  rmSync(output, { force: true });
  const args = [ESLINT_BIN, '--config', configFile, '--stats', '--format', 'json', '--output-file', output, '--concurrency', 'off', ...files];
  const run = await measureChild(args, projectDir, { ...process.env, TIMING: 'all' });
  if (run.code !== 0 && run.code !== 1) throw new Error(`real-world bench: ESLint (${config}) exited with ${run.code}.\nReason: ${tail(run.stderr)}`);
  const results = JSON.parse(readFileSync(output, 'utf8')) as EslintFileResult[];
  const ruleMs: Record<string, number> = {};
  let parseMs = 0;
  let fatal = 0;
  let reports = 0;
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      parseMs += pass.parse.total;
      for (const [rule, { total }] of Object.entries(pass.rules ?? {})) ruleMs[rule] = (ruleMs[rule] ?? 0) + total;
    }
    for (const message of result.messages) {
      if (message.fatal) fatal++;
      else if (message.ruleId) reports++;
    }
  }
  return { config, wallMs: run.wallMs, cpuMs: run.cpuMs, parseMs, ruleMs, fatal, reports };
}

/**
 * Runs `taskscope analyze --format json` on one tsconfig and returns its timing and the report (parsed), or throws
 * when the analyzer fails (exit code 2: a usage error or a crash, which is a bug to report).
 */
async function analyzeOnce(tsconfig: string, label: string, out: string): Promise<{ timing: CompilerTiming; report: unknown }> {
  rmSync(out, { force: true });
  ensureBuilt();
  const run = await measureChild([BIN, 'analyze', '--project', tsconfig, '--format', 'json', '--out', out, '--quiet', '--fail-on', 'none'], repoRoot);
  if (run.code !== 0) throw new Error(`real-world bench: taskscope analyze on ${tsconfig} exited with ${run.code}.\nReason: ${tail(run.stderr + run.stdout)}`);
  const report: unknown = JSON.parse(readFileSync(out, 'utf8'));
  return { timing: { tool: 'analyze', tsconfig: label, wallMs: run.wallMs, cpuMs: run.cpuMs, peakKiB: run.peakKiB, typeErrors: false }, report };
}

/**
 * Whether tsc keeps a build-info file for this tsconfig (`incremental` or `composite`). Such a project's second
 * `tsc --noEmit` reads the first one's `.tsbuildinfo` and checks nothing it has checked before (node-redis' packages
 * are composite: 1.7 s where a full check takes several times that), so every timed run gets a fresh one.
 */
function keepsBuildInfo(tsconfig: string): boolean {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  return parsed?.options.incremental === true || parsed?.options.composite === true;
}

async function tscOnce(tsconfig: string, label: string): Promise<CompilerTiming> {
  const scratch = keepsBuildInfo(tsconfig) ? mkdtempSync(join(tmpdir(), 'taskscope-tsc-')) : undefined;
  const buildInfo = scratch === undefined ? [] : ['--tsBuildInfoFile', join(scratch, 'fresh.tsbuildinfo')];
  const run = await measureChild([TSC, '--noEmit', '-p', tsconfig, ...buildInfo], repoRoot).finally(() => {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });
  const typeErrors = (run.code === 1 || run.code === 2) && /error TS\d+/.test(run.stdout);
  if (run.code !== 0 && !typeErrors) throw new Error(`real-world bench: tsc on ${tsconfig} exited with ${run.code}.\nReason: ${tail(run.stderr + run.stdout)}`);
  return { tool: 'tsc', tsconfig: label, wallMs: run.wallMs, cpuMs: run.cpuMs, peakKiB: run.peakKiB, typeErrors };
}

/** What {@link timeProject} needs to know about the project. */
export interface TimingInput {
  readonly projectDir: string;
  /** The linted files, relative to the project. */
  readonly files: readonly string[];
  /** The tsconfigs the run uses (relative to the project), deepest first. */
  readonly tsconfigs: readonly string[];
  readonly reps: number;
  /** Scratch folder for ESLint's output and the analyzer's reports. */
  readonly work: string;
  /** Whether to run ESLint's two configurations (the lint timing); the analyzer and tsc always run. */
  readonly eslint: boolean;
}

/**
 * Measures one project, `reps` times, alternating the order of the two sides of each pair. Returns every run and
 * the analyzer's reports of the first repetition, one per tsconfig (they do not change between repetitions).
 */
export async function timeProject(input: TimingInput, log: (line: string) => void): Promise<{ timing: ProjectTiming; reports: Map<string, unknown> }> {
  const eslint: EslintTiming[] = [];
  const compilers: CompilerTiming[] = [];
  const reports = new Map<string, unknown>();
  for (let rep = 0; rep < input.reps; rep++) {
    const flip = rep % 2 === 1;
    if (input.eslint) {
      for (const config of flip ? (['no-floating-promises', 'taskscope'] as const) : (['taskscope', 'no-floating-promises'] as const)) {
        const run = await eslintOnce(input.projectDir, input.files, input.tsconfigs, config, input.work);
        eslint.push(run);
        log(`  eslint ${config}: ${(run.wallMs / 1000).toFixed(1)} s wall, rules ${Math.round(sum(Object.values(run.ruleMs)))} ms`);
      }
    }
    for (const tsconfig of input.tsconfigs) {
      const full = join(input.projectDir, tsconfig);
      for (const tool of flip ? (['tsc', 'analyze'] as const) : (['analyze', 'tsc'] as const)) {
        if (tool === 'tsc') {
          compilers.push(await tscOnce(full, tsconfig));
        } else {
          const { timing, report } = await analyzeOnce(full, tsconfig, join(input.work, `analyze-${tsconfig.replaceAll('/', '_')}.json`));
          compilers.push(timing);
          if (!reports.has(tsconfig)) reports.set(tsconfig, report);
        }
        const last = compilers.at(-1)!;
        log(`  ${tool} ${tsconfig}: ${(last.wallMs / 1000).toFixed(1)} s wall, ${last.peakKiB === undefined ? '—' : Math.round(last.peakKiB / 1024)} MiB peak`);
      }
    }
  }
  return { timing: { reps: input.reps, eslint, compilers }, reports };
}

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

/** The medians a report shows for one project: ESLint per side, and analyze/tsc summed over tsconfigs per repetition. */
export interface TimingSummary {
  readonly taskscopeRulesMs: number | undefined;
  readonly nfpRuleMs: number | undefined;
  readonly taskscopeWallMs: number | undefined;
  readonly nfpWallMs: number | undefined;
  readonly analyzeWallMs: number;
  readonly tscWallMs: number;
  /** The largest peak RSS over the project's tsconfigs (each is its own process). */
  readonly analyzePeakKiB: number | undefined;
  readonly tscPeakKiB: number | undefined;
  readonly tscTypeErrors: boolean;
}

/** Medians over the repetitions of {@link ProjectTiming}. Pure. */
export function summarizeTiming(timing: ProjectTiming, taskscopeRules: readonly string[]): TimingSummary {
  const side = (config: EslintTiming['config']): EslintTiming[] => timing.eslint.filter((run) => run.config === config);
  const med = (values: number[]): number | undefined => (values.length === 0 ? undefined : median(values));
  const ours = side('taskscope');
  const nfp = side('no-floating-promises');
  const perRep = (tool: CompilerTiming['tool']): CompilerTiming[][] => {
    const runs = timing.compilers.filter((run) => run.tool === tool);
    const tsconfigs = new Set(runs.map((run) => run.tsconfig)).size;
    return Array.from({ length: timing.reps }, (_, rep) => runs.slice(rep * tsconfigs, (rep + 1) * tsconfigs));
  };
  const wall = (tool: CompilerTiming['tool']): number => median(perRep(tool).map((runs) => sum(runs.map((run) => run.wallMs))));
  const peak = (tool: CompilerTiming['tool']): number | undefined => {
    const peaks = perRep(tool).map((runs) => Math.max(...runs.map((run) => run.peakKiB ?? Number.NaN)));
    return peaks.some(Number.isNaN) ? undefined : median(peaks);
  };
  return {
    taskscopeRulesMs: med(ours.map((run) => sum(taskscopeRules.map((rule) => run.ruleMs[rule] ?? 0)))),
    nfpRuleMs: med(nfp.map((run) => run.ruleMs[NFP] ?? 0)),
    taskscopeWallMs: med(ours.map((run) => run.wallMs)),
    nfpWallMs: med(nfp.map((run) => run.wallMs)),
    analyzeWallMs: wall('analyze'),
    tscWallMs: wall('tsc'),
    analyzePeakKiB: peak('analyze'),
    tscPeakKiB: peak('tsc'),
    tscTypeErrors: timing.compilers.some((run) => run.typeErrors),
  };
}
