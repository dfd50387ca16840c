/**
 * The lint bench (issue 3): typed ESLint over a generated async-heavy project (1,000 files) and over this repository,
 * with (a) the taskscope plugin's `recommended` rules and (b) only typescript-eslint's `no-floating-promises`.
 * Targets, printed and never asserted: our rules' summed rule time ≤ 1.0× no-floating-promises alone, and a whole
 * typed run with them ≤ 1.1× the run with no-floating-promises only.
 *
 * How, and why:
 * - Every run is a fresh child, `node node_modules/eslint/bin/eslint.js` with the plugin as users get it, built in
 *   `dist/` (the bench builds it first when it is missing or stale, as the analyzer bench does), so no run inherits
 *   another's TypeScript program, checker caches or JIT state. `--lint-source` loads the plugin from source through
 *   tsx instead (what `npm run lint` does here): tsx wraps every named function it compiles, a cost of a few hundred
 *   ms on 1,000 files that falls on our rules only (typescript-eslint is plain JavaScript either way). Runs go one at a time (two children would
 *   share the two cores), repeat, and alternate which configuration goes first; tables show medians.
 * - Per-rule times come from `--stats --format json`, with `TIMING=all` on too. Both read one stopwatch: ESLint wraps
 *   each rule's `create()` and every listener in `timing.time()`, which adds to the TIMING table and hands the same
 *   figure to `--stats`. The JSON has it per file, unrounded, with parse time beside it; the TIMING table is rounded
 *   text printed at exit, so it is parsed only to check that the two agree.
 * - The type checker is lazy: typescript-eslint builds the program while parsing (both configurations pay that
 *   alike, under "parse"), then the first rule that asks about a node pays for checking it. In (a) that is one of
 *   ours, in (b) no-floating-promises: each configuration pays its own checker work, which is the cost a user who
 *   switches from one to the other sees. Turning both on and subtracting was rejected: whichever ran first would
 *   absorb the checker work of the other.
 * - Both configurations load the same modules (typescript-eslint and the plugin) and differ only in the rules they
 *   turn on, so the wall-time ratio measures rule work, not module loading.
 * - `--lint-split` adds one run per tree and configuration with a stopwatch on the type checker
 *   (`lib/rule-split.mjs`): each rule's time, split into checker calls and the rest. Kept out of the timing tables.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import plugin from '../rules/index.js';
import { ensureBuilt } from './analyze.js';
import { DEFECT_RULES, generateProject, type GeneratedProject } from './generate-project.js';
import { runNode } from './lib/child.js';
import { formatMarkdownTable, formatTable, median } from './lib/stats.js';
import type { TopicContext } from './run.js';

export const summary = 'typed ESLint time of the taskscope rules against no-floating-promises alone, per rule and per run';

export const options = {
  'lint-files': { type: 'string' },
  'lint-reps': { type: 'string' },
  'lint-json': { type: 'string' },
  'lint-markdown': { type: 'string' },
  'lint-source': { type: 'boolean' },
  'lint-split': { type: 'boolean' },
} as const;

/** The two configurations compared. */
export type LintConfig = 'taskscope' | 'no-floating-promises';
const CONFIGS: readonly LintConfig[] = ['taskscope', 'no-floating-promises'];
const NFP = '@typescript-eslint/no-floating-promises';

/** A tree to lint: where, and which files. */
export interface LintTarget {
  readonly name: string;
  /** How tables name it, when `name` alone would not say which files. @default name */
  readonly label?: string;
  /** Root of the tree, its `tsconfig.json` there; the child runs in it. */
  readonly cwd: string;
  /** What to pass to ESLint, relative to `cwd`. */
  readonly patterns: readonly string[];
}

/** What one child process measured. Times in milliseconds. */
export interface LintRun {
  readonly target: string;
  readonly config: LintConfig;
  readonly wallMs: number;
  /** User + system CPU time of the child. */
  readonly cpuMs: number;
  /** Parsing, which builds the typed program: the same work in both configurations. */
  readonly parseMs: number;
  /** Per rule id, from `--stats`. */
  readonly ruleMs: Readonly<Record<string, number>>;
  /** Per rule id, from the `TIMING=all` table. */
  readonly timingMs: Readonly<Record<string, number>>;
  readonly files: number;
  /** Files ESLint could not parse (say, outside every tsconfig): no rule ran on them, in either configuration. */
  readonly fatal: number;
  readonly reports: readonly { readonly file: string; readonly line: number; readonly rule: string }[];
  /**
   * With a stopwatch on the type checker (`--lint-split`, `bench/lib/rule-split.mjs`): per rule, the time in its
   * listeners and `create()` and the part of it inside checker calls. A run measured this way is not a timing run.
   */
  readonly split?: Readonly<Record<string, { readonly totalMs: number; readonly checkerMs: number }>>;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const requireHere = createRequire(import.meta.url);
// `eslint/bin/eslint.js` is not in ESLint's `exports`; its package.json is, and names the bin.
const ESLINT_BIN = join(dirname(requireHere.resolve('eslint/package.json')), (requireHere('eslint/package.json') as { bin: { eslint: string } }).bin.eslint);
const TSX = import.meta.resolve('tsx');
const TSESLINT = import.meta.resolve('typescript-eslint');
const RULE_SPLIT = pathToFileURL(join(repoRoot, 'bench/lib/rule-split.mjs')).href;
/** Where a run loads the plugin from: the built package (what users run) or the sources through tsx. */
export type PluginSource = 'built' | 'source';
const PLUGIN: Readonly<Record<PluginSource, string>> = {
  built: pathToFileURL(join(repoRoot, 'dist/rules/index.js')).href,
  source: pathToFileURL(join(repoRoot, 'rules/index.ts')).href,
};
/**
 * Preloaded into each child: prints the process's CPU time (user + system) as it exits. Wall time on a shared machine
 * counts time spent waiting for a core; CPU time does not, so it is the steadier of the two under load.
 */
const CPU_PROBE = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\ntaskscope-bench-cpu-us ' + (u.user + u.system) + '\\n'); });",
)}`;
/** A run that takes longer than this is stuck, not slow. */
const RUN_TIMEOUT_MS = 300_000;
/** The repository's own ignores (eslint.config.mjs). */
const IGNORES = ['dist/**', 'node_modules/**', 'reports/**', 'coverage/**', 'fixtures/**', '**/*.d.ts', '.tmp-*'];

/**
 * The flat config of one configuration for one target, as an `.mjs` file that imports from this checkout. `split`:
 * every rule wrapped by `bench/lib/rule-split.mjs`, which times the checker calls inside it.
 */
function configSource(config: LintConfig, target: LintTarget, from: PluginSource, split = false): string {
  const rules = config === 'taskscope' ? 'taskscope.configs.recommended.rules' : `{ '${NFP}': 'error' }`;
  const plugins = split
    ? `{ taskscope: splitPlugin(taskscope, 'taskscope'), '@typescript-eslint': splitPlugin(tseslint.plugin, '@typescript-eslint') }`
    : `{ taskscope, '@typescript-eslint': tseslint.plugin }`;
  return `import tseslint from '${TSESLINT}';
import taskscope from '${PLUGIN[from]}';
${split ? `import { splitPlugin } from '${RULE_SPLIT}';
` : ''}export default [
  { ignores: ${JSON.stringify(IGNORES)} },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: ${JSON.stringify(target.cwd)} } },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: ${plugins},
    rules: ${rules},
  },
];
`;
}

interface EslintFileResult {
  filePath: string;
  messages: { ruleId: string | null; line?: number; fatal?: boolean }[];
  stats?: { times: { passes: { parse: { total: number }; rules?: Record<string, { total: number }> }[] } };
}

/** The rows of ESLint's TIMING table: `rule | 12.345 | 40.1%`. */
function parseTimingTable(stdout: string): Record<string, number> {
  const times: Record<string, number> = {};
  for (const match of stdout.matchAll(/^(\S+)\s*\|\s*([\d.]+)\s*\|\s*[\d.]+%$/gm)) times[match[1]!] = Number(match[2]);
  return times;
}

/**
 * Lints `target` with `config` in a fresh child process and reads back what it measured. `work` is a scratch
 * directory for the config and the JSON output. Rejects when the child crashes (ESLint's exit code 2, a rule that
 * throws), times out, or writes no results; exit code 1 (problems found) is a normal outcome. `from` says where the
 * plugin is loaded from; `built` builds `dist/` first when it is missing or stale. `split`: also time the checker calls
 * inside each rule (see {@link LintRun.split}), which costs the run some time of its own.
 */
export async function lintOnce(target: LintTarget, config: LintConfig, work: string, from: PluginSource = 'built', split = false): Promise<LintRun> {
  if (from === 'built') ensureBuilt();
  const configFile = join(work, `${target.name}.${config}${split ? '.split' : ''}.config.mjs`);
  const output = join(work, `${target.name}.${config}.json`);
  writeFileSync(configFile, configSource(config, target, from, split));
  rmSync(output, { force: true });
  const args = [...(from === 'source' ? ['--import', TSX] : []), '--import', CPU_PROBE, ESLINT_BIN, '--config', configFile, '--stats', '--format', 'json', '--output-file', output, '--concurrency', 'off', ...target.patterns];
  const { code, stdout, stderr, wallMs } = await runNode(args, { cwd: target.cwd, env: { ...process.env, TIMING: 'all' }, timeoutMs: RUN_TIMEOUT_MS });
  if (code !== 0 && code !== 1) {
    const why = code === null ? `was killed after ${RUN_TIMEOUT_MS / 1000} s` : `exited with code ${code}`;
    throw new Error(`lint bench: ESLint on ${target.name} with ${config} ${why}.\nReason: ${stderr.trim().split('\n').slice(-5).join('\n') || 'no output'}`);
  }
  const results = JSON.parse(readFileSync(output, 'utf8')) as EslintFileResult[];
  const ruleMs: Record<string, number> = {};
  let parseMs = 0;
  let fatal = 0;
  const reports: LintRun['reports'][number][] = [];
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      parseMs += pass.parse.total;
      for (const [rule, { total }] of Object.entries(pass.rules ?? {})) ruleMs[rule] = (ruleMs[rule] ?? 0) + total;
    }
    const file = relative(target.cwd, result.filePath).replaceAll('\\', '/');
    for (const message of result.messages) {
      if (message.fatal) fatal++;
      else if (message.ruleId) reports.push({ file, line: message.line ?? 0, rule: message.ruleId });
    }
  }
  const cpu = /^taskscope-bench-cpu-us (\d+)$/m.exec(stderr);
  if (!cpu) throw new Error(`lint bench: ESLint on ${target.name} with ${config} did not report its CPU time.\nReason: ${stderr.trim().split('\n').slice(-5).join('\n') || 'no output'}`);
  const splitLine = split ? /^taskscope-bench-split (.+)$/m.exec(stderr) : undefined;
  if (split && !splitLine) throw new Error(`lint bench: ESLint on ${target.name} with ${config} did not report its checker split.\nReason: ${stderr.trim().split('\n').slice(-5).join('\n') || 'no output'}`);
  return {
    target: target.name, config, wallMs, cpuMs: Number(cpu[1]) / 1000, parseMs, ruleMs, timingMs: parseTimingTable(stdout), files: results.length, fatal, reports,
    ...(splitLine && { split: JSON.parse(splitLine[1]!) as NonNullable<LintRun['split']> }),
  };
}

/** The ids (`taskscope/…`) the plugin's `recommended` config turns on now: rules land while this bench exists. */
export function taskscopeRules(): string[] {
  return Object.keys(plugin.configs.recommended.rules ?? {}).sort();
}

const version = (name: string): string => (requireHere(`${name}/package.json`) as { version: string }).version;
const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);
const ms = (value: number | undefined): string => (value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const seconds = (value: number | undefined): string => (value === undefined ? '—' : (value / 1000).toFixed(1));

/** Medians over the runs of one target and configuration. */
function medians(runs: readonly LintRun[], target: string, config: LintConfig, rules: readonly string[]) {
  const mine = runs.filter((run) => run.target === target && run.config === config);
  if (mine.length === 0) return undefined;
  const of = (pick: (run: LintRun) => number): number => median(mine.map(pick));
  return {
    files: mine[0]!.files,
    fatal: mine[0]!.fatal,
    wallMs: of((run) => run.wallMs),
    wallRange: [Math.min(...mine.map((run) => run.wallMs)), Math.max(...mine.map((run) => run.wallMs))] as const,
    cpuMs: of((run) => run.cpuMs),
    parseMs: of((run) => run.parseMs),
    rulesMs: of((run) => sum(Object.values(run.ruleMs))),
    // The sum is taken per run, then the median: a sum of medians would mix runs.
    summedMs: of((run) => sum(rules.map((rule) => run.ruleMs[rule] ?? 0))),
    ruleMs: (rule: string): number => of((run) => run.ruleMs[rule] ?? 0),
    reports: mine[0]!.reports,
  };
}

/** What the report needs besides the runs. */
export interface LintReportMeta {
  readonly machine: string;
  readonly seconds: number;
  readonly reps: number;
  readonly rules: readonly string[];
  /** The generated project, for its size and planted defects. */
  readonly project?: Pick<GeneratedProject, 'files' | 'lines' | 'planted'>;
  readonly targets: readonly LintTarget[];
  /** Where the plugin was loaded from. @default 'built' */
  readonly from?: PluginSource;
  /** One run per target and configuration with `split` (`--lint-split`), kept apart from the timing runs. */
  readonly splits?: readonly LintRun[];
}

/** Formats the runs: per-rule times, whole runs, planted defects found, and the two targets. Pure. */
export function formatLintReport(runs: readonly LintRun[], meta: LintReportMeta, format: 'text' | 'markdown' = 'text'): string {
  const table = (title: string, rows: string[][]): string =>
    format === 'text' ? `${title}\n${formatTable(rows)}` : `**${title}**\n\n${formatMarkdownTable(rows)}`;
  const missing = DEFECT_RULES.filter((rule) => !meta.rules.includes(`taskscope/${rule}`));
  const sumLabel = `taskscope, ${meta.rules.length} rules summed${missing.length > 0 ? ` (not registered yet: ${missing.join(', ')})` : ''}`;
  const byTarget = meta.targets.map((target) => ({
    target,
    ours: medians(runs, target.name, 'taskscope', meta.rules),
    nfp: medians(runs, target.name, 'no-floating-promises', meta.rules),
  }));
  const describe = (target: LintTarget, files: number | undefined): string =>
    target.name === 'generated' && meta.project
      ? `generated (${meta.project.files.length.toLocaleString('en-US')} files, ${meta.project.lines.toLocaleString('en-US')} lines)`
      : `${target.label ?? target.name} (${files ?? '?'} files)`;
  const out: string[] = [
    `Lint bench · Node ${process.version} · ESLint ${version('eslint')} · typescript-eslint ${version('typescript-eslint')} · TypeScript ${version('typescript')}`,
    `${meta.machine} · ${meta.seconds} s · each figure the median of ${meta.reps} run${meta.reps === 1 ? '' : 's'}, each run a fresh process, configurations in alternating order · plugin ${meta.from === 'source' ? 'from source (tsx)' : 'built (dist/)'}`,
  ];
  // Markdown joins consecutive lines into one paragraph unless a line ends in two spaces.
  if (format === 'markdown') out[0] += '  ';

  const ruleRows = [['rule time (ms)', ...byTarget.map(({ target, ours }) => describe(target, ours?.files))]];
  for (const rule of meta.rules) ruleRows.push([rule, ...byTarget.map(({ ours }) => ms(ours?.ruleMs(rule)))]);
  ruleRows.push([sumLabel, ...byTarget.map(({ ours }) => ms(ours?.summedMs))]);
  ruleRows.push([`${NFP} alone`, ...byTarget.map(({ nfp }) => ms(nfp?.ruleMs(NFP)))]);
  out.push('', table('Rule time: listeners and create(), summed over files (ESLint --stats, the TIMING=all stopwatch)', ruleRows));

  const runRows = [['whole run (s)', ...byTarget.flatMap(({ target }) => [`${target.name} wall`, 'wall range', 'CPU', 'parse', 'rules'])]];
  for (const config of CONFIGS) {
    runRows.push([
      config === 'taskscope' ? 'taskscope recommended' : `${NFP} only`,
      ...byTarget.flatMap(({ ours, nfp }) => {
        const m = config === 'taskscope' ? ours : nfp;
        const range = m ? `${seconds(m.wallRange[0])}–${seconds(m.wallRange[1])}` : '—';
        return [seconds(m?.wallMs), range, seconds(m?.cpuMs), seconds(m?.parseMs), seconds(m?.rulesMs)];
      }),
    ]);
  }
  out.push('', table('Whole runs: wall and CPU (user + system) time of the child; parse builds the typed program, the same work in both', runRows));

  const project = meta.project;
  const generated = byTarget.find(({ target }) => target.name === 'generated')?.ours;
  if (project && generated) {
    const rows = [['rule', 'planted', 'found in the planted function', 'other reports']];
    for (const rule of DEFECT_RULES) {
      const id = `taskscope/${rule}`;
      if (!meta.rules.includes(id)) continue;
      const planted = project.planted.filter((defect) => defect.rule === rule);
      const reports = generated.reports.filter((report) => report.rule === id);
      const inside = (report: (typeof reports)[number], defect: (typeof planted)[number]): boolean =>
        report.file === defect.file && report.line >= defect.scope[0] && report.line <= defect.scope[1];
      const found = planted.filter((defect) => reports.some((report) => inside(report, defect))).length;
      const other = reports.filter((report) => !planted.some((defect) => inside(report, defect))).length;
      rows.push([id, String(planted.length), String(found), String(other)]);
    }
    out.push('', table('Planted defects in the generated project (a sanity check of the generator and the rules)', rows));
  }

  if (meta.splits && meta.splits.length > 0) out.push('', table(
    'Where the rule time goes: one more run per tree and configuration with a stopwatch on every type-checker call (which adds some time of its own); the rest is the rules\' own code, the scope lookups they ask ESLint for, and collections that fall inside a listener',
    splitRows(meta.splits, meta.targets, meta.rules),
  ));

  const targetRows = [['target', 'tree', 'taskscope', NFP, 'ratio', 'goal', 'verdict']];
  for (const { target, ours, nfp } of byTarget) {
    const ratio = ours && nfp ? ours.summedMs / nfp.ruleMs(NFP) : undefined;
    targetRows.push(['summed rule time', target.name, `${ms(ours?.summedMs)} ms`, `${ms(nfp?.ruleMs(NFP))} ms`, ratio === undefined ? '—' : `${ratio.toFixed(2)}×`, '≤ 1.0×', verdict(ratio, 1.0)]);
  }
  for (const { target, ours, nfp } of byTarget) {
    const ratio = ours && nfp ? ours.wallMs / nfp.wallMs : undefined;
    targetRows.push(['whole typed run', target.name, `${seconds(ours?.wallMs)} s`, `${seconds(nfp?.wallMs)} s`, ratio === undefined ? '—' : `${ratio.toFixed(2)}×`, '≤ 1.1×', verdict(ratio, 1.1)]);
  }
  for (const { target, ours, nfp } of byTarget) {
    const ratio = ours && nfp ? ours.cpuMs / nfp.cpuMs : undefined;
    targetRows.push(['whole run, CPU time', target.name, `${seconds(ours?.cpuMs)} s`, `${seconds(nfp?.cpuMs)} s`, ratio === undefined ? '—' : `${ratio.toFixed(2)}×`, '≤ 1.1×', verdict(ratio, 1.1)]);
  }
  out.push('', table('Targets (issue 3), printed, not asserted; the CPU-time row is the whole-run target without the time spent waiting for a core', targetRows));

  const notes: string[] = [];
  for (const { target, ours } of byTarget) {
    if (ours && ours.fatal > 0) notes.push(`${target.name}: ${ours.fatal} file(s) could not be parsed with types; no rule ran on them in either configuration.`);
  }
  const drift = runs.flatMap((run) =>
    Object.entries(run.ruleMs)
      .filter(([rule, value]) => Math.abs((run.timingMs[rule] ?? 0) - value) > 1 + value / 100)
      .map(([rule]) => `${run.target}/${run.config}/${rule}`),
  );
  if (drift.length > 0) notes.push(`TIMING=all and --stats disagree (> 1%) for ${drift.join(', ')}: check the parsing of the TIMING table.`);
  if (notes.length > 0) out.push('', ...notes);
  return out.join('\n');
}

/** Rows of the split table: per rule (ours, their sum, no-floating-promises), per target: total, in the checker, the rest. */
function splitRows(splits: readonly LintRun[], targets: readonly LintTarget[], rules: readonly string[]): string[][] {
  const of = (target: string, config: LintConfig) => splits.find((run) => run.target === target && run.config === config)?.split;
  const cells = (entry: { totalMs: number; checkerMs: number } | undefined): string[] =>
    entry ? [ms(entry.totalMs), ms(entry.checkerMs), ms(entry.totalMs - entry.checkerMs)] : ['—', '—', '—'];
  const summed = (split: LintRun['split']): { totalMs: number; checkerMs: number } | undefined =>
    split && { totalMs: sum(rules.map((rule) => split[rule]?.totalMs ?? 0)), checkerMs: sum(rules.map((rule) => split[rule]?.checkerMs ?? 0)) };
  const rows = [['rule (ms)', ...targets.flatMap((target) => [`${target.name} total`, 'in the checker', 'the rest'])]];
  for (const rule of rules) rows.push([rule, ...targets.flatMap((target) => cells(of(target.name, 'taskscope')?.[rule]))]);
  rows.push([`taskscope, ${rules.length} rules summed`, ...targets.flatMap((target) => cells(summed(of(target.name, 'taskscope'))))]);
  rows.push([`${NFP} alone`, ...targets.flatMap((target) => cells(of(target.name, 'no-floating-promises')?.[NFP]))]);
  return rows;
}

function verdict(value: number | undefined, limit: number): string {
  return value === undefined ? 'n/a' : value <= limit ? 'met' : 'MISSED';
}

function positiveInteger(name: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench: expected \`--${name}\` to be a positive integer, got \`${String(value)}\`.`);
  return n;
}

export async function run({ quick, values }: TopicContext): Promise<boolean> {
  const files = positiveInteger('lint-files', values['lint-files'], quick ? 60 : 1000);
  const reps = positiveInteger('lint-reps', values['lint-reps'], quick ? 1 : 3);
  const rules = taskscopeRules();
  const from: PluginSource = values['lint-source'] === true ? 'source' : 'built';
  const started = Date.now();
  const load = loadavg()[0]!.toFixed(2);
  const work = mkdtempSync(join(tmpdir(), 'taskscope-lint-bench-'));
  try {
    const project = generateProject(join(work, 'project'), { files });
    const targets: LintTarget[] = [
      { name: 'generated', cwd: project.root, patterns: ['src/**/*.ts'] },
      // Quick runs lint one folder of the repository: enough to exercise the harness on real code.
      quick
        ? { name: 'repo', label: 'repo runtime/', cwd: resolve(repoRoot), patterns: ['runtime/**/*.ts'] }
        : { name: 'repo', cwd: resolve(repoRoot), patterns: ['**/*.ts'] },
    ];
    console.error(`lint bench: ${rules.length} taskscope rules, ${files} generated files (${project.lines} lines) and the repository, ${reps} rep(s) × 2 configurations, one child process each`);
    const runs: LintRun[] = [];
    const failures: string[] = [];
    let step = 0;
    for (let rep = 0; rep < reps; rep++) {
      for (const [index, target] of targets.entries()) {
        const order = (rep + index) % 2 === 0 ? CONFIGS : [...CONFIGS].reverse();
        for (const config of order) {
          step++;
          try {
            const result = await lintOnce(target, config, work, from);
            runs.push(result);
            console.error(`  [${step}/${reps * targets.length * 2}] ${target.name} × ${config}: ${seconds(result.wallMs)} s wall, ${ms(sum(Object.values(result.ruleMs)))} ms in rules`);
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
            console.error(`  [${step}/${reps * targets.length * 2}] ${target.name} × ${config}: FAIL`);
          }
        }
      }
    }
    const splits: LintRun[] = [];
    if (values['lint-split'] === true) {
      for (const target of targets) {
        for (const config of CONFIGS) {
          try {
            splits.push(await lintOnce(target, config, work, from, true));
            console.error(`  split: ${target.name} × ${config}`);
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
            console.error(`  split: ${target.name} × ${config}: FAIL`);
          }
        }
      }
    }
    const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load ${load} at start`;
    const meta: LintReportMeta = { machine, seconds: Math.round((Date.now() - started) / 1000), reps, rules, project, targets, from, splits };
    console.log(formatLintReport(runs, meta));
    if (failures.length > 0) console.log(`\nRUNS FAILED\n${failures.join('\n')}`);
    if (typeof values['lint-markdown'] === 'string') writeFileSync(values['lint-markdown'], `${formatLintReport(runs, meta, 'markdown')}\n`);
    if (typeof values['lint-json'] === 'string') writeFileSync(values['lint-json'], `${JSON.stringify({ meta: { ...meta, project: { files: files, lines: project.lines, planted: project.planted } }, runs }, null, 2)}\n`);
    return failures.length === 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
