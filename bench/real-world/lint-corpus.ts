/**
 * Reproduces the real-world report of issue 5 from a folder of checked-out projects, one project at a time: the lint
 * findings of taskscope's `recommended` config (one JSON file of findings, crashes and unparseable files per project),
 * the findings of `taskscope analyze` on the tsconfigs that type those files, and step 4's timings side by side
 * (`timing.ts`): ESLint with taskscope vs with only `no-floating-promises`, and `taskscope analyze` vs `tsc --noEmit`.
 *
 * ```sh
 * npx tsx bench/real-world/lint-corpus.ts --corpus /work/corpus --out /work/corpus/results
 * npx tsx bench/real-world/lint-corpus.ts --corpus /work/corpus --out /tmp/r --only got,mongodb --reps 3
 * npx tsx bench/real-world/lint-corpus.ts --corpus /work/corpus --out /tmp/r --lint-only
 * ```
 *
 * Each project must already be checked out at `<corpus>/<name>` with its dependencies installed from its own
 * lockfile (`--ignore-scripts` is enough: only types are needed). See `README.md` beside this file.
 *
 * How, and why:
 * - The plugin is loaded from source (`rules/index.ts`) through tsx, so a run lints with the rules as they are in the
 *   working tree, not with a stale `dist/`.
 * - The ESLint config is generated into the project (`eslint.taskscope.config.mjs`) rather than passed inline, so a
 *   finding can be reproduced by hand with `eslint --config` in that folder. Only taskscope's rules are on, with
 *   typescript-eslint's parser, each file typed by its nearest `tsconfig.json` (or the generated
 *   `tsconfig.taskscope.json` beside it for a TypeScript 5 project, see {@link typedProjects}), as the project's own
 *   editor types it. Inline `eslint-disable` comments are ignored (`noInlineConfig`): a project that silences
 *   `no-floating-promises` on a line has said nothing about our rules, and the triage reads the comment.
 * - Files are linted one at a time in one ESLint instance (the typed program is shared), so a rule that throws loses
 *   one file, not the project. The file is then linted again without the rule that threw, and the crash is recorded
 *   with its stack: every crash is a bug.
 * - The analyzer, tsc and the timed ESLint runs are children of the parent, one at a time, after the project's lint
 *   child; `--reps` repeats them (medians in the report), `--lint-only` skips them, `--no-eslint-timing` skips the
 *   two timed ESLint runs. `<out>/report.md` gathers the tables of the projects of the run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import plugin from '../../rules/index.js';
import { formatMarkdownTable } from '../lib/stats.js';
import { summarizeTiming, timeProject, type ProjectTiming, type TimingSummary } from './timing.js';

/** Which files of a project are its own hand-written source. */
export interface ProjectSpec {
  /** The folder name under the corpus, and the name of the result file. */
  readonly name: string;
  /** `owner/name` on GitHub, for the report. */
  readonly repo: string;
  /** Folders to walk, relative to the project. */
  readonly roots: readonly string[];
  /** Paths (relative to the project, `/`-separated) to leave out, on top of {@link COMMON_EXCLUDE}. @default [] */
  readonly exclude?: readonly RegExp[];
  /** A header that marks a generated file; such files are left out. @default undefined */
  readonly generatedMarker?: string;
}

/** Tests, type tests, declaration files, vendored third-party code and build output are never linted. */
export const COMMON_EXCLUDE: readonly RegExp[] = [
  /\.d\.[cm]?ts$/,
  /\.(test|spec|test-d|bench)\.[cm]?tsx?$/,
  /(^|\/)(__tests__|__testfixtures__|tests?|vendor|_vendor|node_modules|dist|lib-esm)\//,
];

/** The corpus of issue 5. Paths checked against each project's layout at the commits listed in `README.md`. */
export const PROJECTS: readonly ProjectSpec[] = [
  { name: 'mongodb', repo: 'mongodb/node-mongodb-native', roots: ['src'] },
  {
    name: 'trpc',
    repo: 'trpc/trpc',
    roots: ['server', 'client', 'react-query', 'tanstack-react-query', 'next', 'openapi', 'upgrade'].map((p) => `packages/${p}/src`),
  },
  {
    name: 'redis',
    repo: 'redis/node-redis',
    roots: ['client', 'bloom', 'json', 'search', 'time-series', 'entraid', 'redis'].map((p) => `packages/${p}`),
    // Only `index.ts` and `lib/` are the packages' source; the rest are samples, integration tests and test helpers.
    exclude: [/^packages\/[^/]+\/(?!index\.ts$|lib\/)/, /(^|\/)test-utils?\.ts$/],
  },
  { name: 'got', repo: 'sindresorhus/got', roots: ['source'] },
  {
    name: 'openai',
    repo: 'openai/openai-node',
    roots: ['src'],
    generatedMarker: 'File generated from our OpenAPI spec by',
  },
  { name: 'octokit-throttling', repo: 'octokit/plugin-throttling.js', roots: ['src'] },
  { name: 'octokit-request', repo: 'octokit/request.js', roots: ['src'] },
  {
    // Uses neverthrow's Result/ResultAsync throughout: the corpus for `no-ignored-result`. The LangGraph agent only:
    // its workspace dependencies `@liam-hq/db` and `@liam-hq/schema` cannot be installed (the lockfile pins
    // `supabase@2.50.14` and `@ruby/prism@1.5.2`, which the registry answers with 404), so only the agent is typed.
    name: 'liam',
    repo: 'liam-hq/liam',
    roots: ['frontend/internal-packages/agent/src'],
  },
  {
    // Transports, SSE streams and servers that close a lot: the corpus for `no-double-close`. The nine packages of
    // the SDK (not the codemod, a build tool), each typed by its own tsconfig, which maps its siblings' sources in
    // through `paths`: nine programs, 2.2 GB at peak. The middleware packages need their own install filter (README).
    name: 'mcp',
    repo: 'modelcontextprotocol/typescript-sdk',
    roots: ['client', 'core', 'core-internal', 'server', 'server-legacy', ...['express', 'fastify', 'hono', 'node'].map((m) => `middleware/${m}`)].map((p) => `packages/${p}/src`),
  },
  {
    // Web streams closed by hand (`controller.close()` of the ReadableStreams the SDK builds, `reader.releaseLock()`):
    // a second corpus for `no-double-close`. The core package, its provider utilities and two providers; their
    // workspace dependencies are typed from `dist/` (`exports.types`), so four packages are built first (README).
    name: 'ai',
    repo: 'vercel/ai',
    roots: ['ai', 'provider-utils', 'openai', 'anthropic'].map((p) => `packages/${p}/src`),
  },
  {
    // An Express backend whose services return neverthrow's Result/ResultAsync and whose controllers consume them: a
    // second corpus for `no-ignored-result`. The backend only (`src/app`); the React frontend is its own package.
    name: 'formsg',
    repo: 'opengovsg/FormSG',
    roots: ['src/app'],
  },
];

/** One report of a taskscope rule. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number | undefined;
  readonly rule: string;
  readonly messageId: string | undefined;
  readonly message: string;
  /** The reported line's text, trimmed, so a triage table can show it without opening the file. */
  readonly source: string;
}

/** A rule that threw; the file was linted again without it. */
export interface Crash {
  readonly file: string;
  readonly rule: string;
  readonly line: number | undefined;
  readonly message: string;
  readonly stack: string;
}

/** What one project's run produced. */
export interface ProjectResult {
  readonly name: string;
  readonly repo: string;
  readonly commit: string;
  readonly taskscopeCommit: string;
  readonly files: readonly string[];
  /** The tsconfigs that typed the files, and whether the run set their `types` (see {@link typedProjects}). */
  readonly projects: readonly TypedProject[];
  readonly skippedGenerated: readonly string[];
  readonly findings: readonly Finding[];
  readonly crashes: readonly Crash[];
  /** Files ESLint could not parse (outside every tsconfig, a syntax error): no rule ran on them. */
  readonly fatal: readonly { readonly file: string; readonly message: string }[];
  /** `eslint-disable` comments of the project, which the run ignores (see the header). */
  readonly ignoredDirectives: readonly { readonly file: string; readonly line: number; readonly directive: string }[];
  readonly countsByRule: Readonly<Record<string, number>>;
  readonly wallMs: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const recommended: Readonly<Record<string, unknown>> = plugin.configs.recommended.rules ?? {};
const repoRoot = resolve(here, '../..');
const CONFIG_NAME = 'eslint.taskscope.config.mjs';

/** Walks `roots` and keeps `.ts`/`.tsx`/`.mts`/`.cts` files that no exclusion matches. */
export function listSources(projectDir: string, spec: ProjectSpec): { files: string[]; generated: string[] } {
  const files: string[] = [];
  const generated: string[] = [];
  const excluded = [...COMMON_EXCLUDE, ...(spec.exclude ?? [])];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = relative(projectDir, full).split('\\').join('/');
      if (entry.isDirectory()) {
        if (!excluded.some((re) => re.test(`${rel}/`))) walk(full);
      } else if (/\.[cm]?tsx?$/.test(entry.name) && !excluded.some((re) => re.test(rel))) {
        // Stainless (now Castiron) puts its marker in the first comment; reading the head of the file is enough.
        if (spec.generatedMarker !== undefined && readFileSync(full, 'utf8').slice(0, 400).includes(spec.generatedMarker)) {
          generated.push(rel);
        } else {
          files.push(rel);
        }
      }
    }
  };
  for (const root of spec.roots) {
    if (statSync(join(projectDir, root), { throwIfNoEntry: false })?.isDirectory()) walk(join(projectDir, root));
  }
  return { files: files.sort(), generated: generated.sort() };
}

/** A tsconfig that types some of the linted files, and the one the run gives the linter, `tsc` and the analyzer. */
export interface TypedProject {
  /** The project's own `tsconfig.json`, relative to the project. */
  readonly tsconfig: string;
  /** What the run uses: the same file, or `tsconfig.taskscope.json` beside it for a TypeScript 5 project. */
  readonly used: string;
  /** The TypeScript version the project itself installs (resolved from the tsconfig's folder), if any. */
  readonly projectTypeScript: string | undefined;
  /** Whether the run set `compilerOptions.types` to `["*"]` (see {@link typedProjects}). */
  readonly typesSet: boolean;
}

/** Name of the generated tsconfig that sets `types` (see {@link typedProjects}). */
export const TYPED_CONFIG_NAME = 'tsconfig.taskscope.json';

/**
 * The errors typescript-eslint throws on when it builds a program for this tsconfig: those of parsing the config
 * (an `extends` that does not resolve, an unknown option), except TS18003 "no inputs", which it ignores too.
 *
 * Checked before linting because typescript-eslint does not fail fast on them: its watch program is built in full,
 * the error is thrown from `afterProgramCreate`, and the program stays reachable from the parser's module-level
 * file-watch callbacks while the tsconfig is never cached, so every file linted builds and keeps one more program
 * (typescript-eslint#3533). With a package whose dependencies were not installed (its `extends` points into
 * `node_modules`), the MCP SDK's lint child kept 84 MB per file, made every file a parse error, and ran out of a
 * 6 GB heap after about 70 files.
 */
export function configErrors(tsconfig: string): string[] {
  const errors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => void errors.push(d) });
  errors.push(...(parsed?.errors ?? []));
  return errors
    .filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** The nearest `tsconfig.json` above a file, up to the project folder: the one an editor would type it with. */
function nearestTsconfig(projectDir: string, file: string): string | undefined {
  for (let dir = dirname(join(projectDir, file)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json'))) return join(dir, 'tsconfig.json');
    if (dir === projectDir || dirname(dir) === dir) return undefined;
  }
}

/**
 * The tsconfigs that type the linted files, typed the way the project types itself.
 *
 * This run uses taskscope's TypeScript 6, and a project that pins TypeScript 5 is typed differently by it in two
 * ways, both undone in a generated `tsconfig.taskscope.json` beside the project's tsconfig, which extends it:
 * - TypeScript 6 changed the default of `compilerOptions.types` from "every package under `node_modules/@types`" to
 *   `[]`. A project that leaves `types` unset (after `extends`) would lose `@types/node` (node-redis: `EventEmitter`
 *   does not resolve and `client.on(…)` falls through to a command signature typed as a Promise). The generated
 *   config sets `"types": ["*"]`: TypeScript 6's spelling of TypeScript 5's default, the same walk over every
 *   `@types` folder.
 * - TypeScript 6 reports options it deprecates (`esModuleInterop: false`, `moduleResolution: node10`, `baseUrl`) as
 *   errors, and `tsc` then stops before type-checking anything, so a `tsc --noEmit` timing would time nothing. The
 *   generated config sets `"ignoreDeprecations": "6.0"`, which TypeScript 5 did not need.
 * Rejected: listing the installed `@types/*` names, which is what `"*"` expands to, spelled out and stale after the
 * next install; and editing the project's own tsconfig, which would leave the checkout dirty.
 */
export function typedProjects(projectDir: string, files: readonly string[]): TypedProject[] {
  const found = new Map<string, TypedProject>();
  for (const file of files) {
    const tsconfig = nearestTsconfig(projectDir, file);
    if (tsconfig === undefined || found.has(tsconfig)) continue;
    let projectTypeScript: string | undefined;
    try {
      projectTypeScript = (createRequire(tsconfig)('typescript/package.json') as { version: string }).version;
    } catch {
      projectTypeScript = undefined;
    }
    const older = projectTypeScript !== undefined && Number(projectTypeScript.split('.')[0]) < 6;
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const typesSet = older && parsed !== undefined && parsed.options.types === undefined;
    let used = tsconfig;
    if (older) {
      used = join(dirname(tsconfig), TYPED_CONFIG_NAME);
      const compilerOptions = { ignoreDeprecations: '6.0', ...(typesSet && { types: ['*'] }) };
      const config = { extends: './tsconfig.json', compilerOptions };
      writeFileSync(used, `// Generated by taskscope bench/real-world: this TypeScript 5 project as TypeScript 5 types it, under TypeScript 6.\n${JSON.stringify(config, null, 2)}\n`);
    }
    const rel = (path: string): string => relative(projectDir, path).split('\\').join('/');
    const errors = configErrors(used);
    if (errors.length > 0) {
      throw new Error(
        `\`${rel(used)}\` does not parse: ${errors.join('; ')}. Install the project as bench/real-world/README.md says ` +
          'and run again: typescript-eslint would build and keep one program of it per linted file until the heap runs out.',
      );
    }
    found.set(tsconfig, { tsconfig: rel(tsconfig), used: rel(used), projectTypeScript, typesSet });
  }
  // Deepest first: typescript-eslint types a file with the first listed program that holds it, as an editor would.
  return [...found.values()].sort((a, b) => b.used.split('/').length - a.used.split('/').length || a.used.localeCompare(b.used));
}

/**
 * The flat config written into the project: typed parser, taskscope `recommended`, nothing else. `projects` are the
 * tsconfigs of {@link typedProjects} (`parserOptions.project`, since `projectService` always reads the project's own
 * `tsconfig.json` and could not be given the `types` fix).
 */
export function configSource(projectDir: string, projects: readonly TypedProject[]): string {
  const parser = import.meta.resolve('@typescript-eslint/parser');
  const plugin = new URL('../../rules/index.ts', import.meta.url).href;
  return `// Generated by taskscope bench/real-world/lint-corpus.ts; not part of ${relative(dirname(projectDir), projectDir)}.
import parser from ${JSON.stringify(parser)};
import taskscope from ${JSON.stringify(plugin)};

export default [
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: { parser, parserOptions: { project: ${JSON.stringify(projects.map((p) => p.used))}, tsconfigRootDir: ${JSON.stringify(projectDir)} } },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
  },
  { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], ...taskscope.configs.recommended },
];
`;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
}

/** Runs in the child: lints one project file by file and writes its result. */
async function lintProject(corpus: string, out: string, spec: ProjectSpec): Promise<ProjectResult> {
  const { ESLint } = await import('eslint');
  const projectDir = resolve(corpus, spec.name);
  const configFile = join(projectDir, CONFIG_NAME);
  const { files, generated } = listSources(projectDir, spec);
  const projects = typedProjects(projectDir, files);
  writeFileSync(configFile, configSource(projectDir, projects));
  const instances = new Map<string, InstanceType<typeof ESLint>>();
  const eslintWithout = (off: readonly string[]): InstanceType<typeof ESLint> => {
    const key = [...off].sort().join(',');
    let instance = instances.get(key);
    if (instance === undefined) {
      instance = new ESLint({
        cwd: projectDir,
        overrideConfigFile: configFile,
        overrideConfig: { rules: Object.fromEntries(off.map((rule) => [rule, 'off'])) },
      });
      instances.set(key, instance);
    }
    return instance;
  };
  const findings: Finding[] = [];
  const crashes: Crash[] = [];
  const fatal: { file: string; message: string }[] = [];
  const ignoredDirectives: { file: string; line: number; directive: string }[] = [];
  const started = performance.now();
  for (const [index, file] of files.entries()) {
    const off: string[] = [];
    // Each crash turns one more rule off for this file; there are five rules, so the loop ends.
    for (;;) {
      try {
        const [result] = await eslintWithout(off).lintFiles([join(projectDir, file)]);
        const lines = readFileSync(join(projectDir, file), 'utf8').split('\n');
        for (const m of result?.messages ?? []) {
          if (m.fatal === true) {
            fatal.push({ file, message: m.message });
            continue;
          }
          // With `noInlineConfig`, ESLint reports each directive it ignored, without a rule id. Kept apart: a
          // project's `eslint-disable … no-floating-promises` next to a finding is evidence for the triage.
          if (m.ruleId === null) {
            ignoredDirectives.push({ file, line: m.line, directive: /'(.*)' has no effect/.exec(m.message)?.[1] ?? m.message });
            continue;
          }
          findings.push({
            file,
            line: m.line,
            column: m.column,
            endLine: m.endLine,
            rule: m.ruleId,
            messageId: m.messageId,
            message: m.message,
            source: (lines[m.line - 1] ?? '').trim().slice(0, 160),
          });
        }
        break;
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        const rule = /Rule: "([^"]+)"/.exec(err.message)?.[1];
        if (rule === undefined || off.includes(rule)) throw err;
        const line = /Occurred while linting .*:(\d+)/.exec(err.message)?.[1];
        crashes.push({ file, rule, line: line === undefined ? undefined : Number(line), message: err.message, stack: err.stack ?? '' });
        off.push(rule);
      }
    }
    if (process.stderr.isTTY) process.stderr.write(`\r${spec.name}: ${index + 1}/${files.length}`);
  }
  const countsByRule: Record<string, number> = {};
  for (const f of findings) countsByRule[f.rule] = (countsByRule[f.rule] ?? 0) + 1;
  const result: ProjectResult = {
    name: spec.name,
    repo: spec.repo,
    commit: git(projectDir, 'rev-parse', 'HEAD'),
    taskscopeCommit: git(repoRoot, 'rev-parse', 'HEAD'),
    files,
    projects,
    skippedGenerated: generated,
    findings,
    crashes,
    fatal,
    ignoredDirectives,
    countsByRule,
    wallMs: Math.round(performance.now() - started),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${spec.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** Runs in the parent: one child per project, one at a time (typed linting fills both cores on its own). */
function runChild(corpus: string, out: string, name: string): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const args = ['--max-old-space-size=6144', '--import', import.meta.resolve('tsx'), self, '--worker', name, '--corpus', corpus, '--out', out];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

/** A finding of `taskscope analyze`, with its file relative to the project (not to the tsconfig's folder). */
export interface AnalyzerFinding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly origin: 'lint' | 'graph';
  readonly message: string;
  /** The chain's labels, first step first. */
  readonly chain: readonly string[];
  readonly tsconfig: string;
}

/** The analyzer's side of one project: its findings in the linted files, and what it could not parse. */
export interface AnalyzerResult {
  readonly name: string;
  readonly tsconfigs: readonly string[];
  readonly findings: readonly AnalyzerFinding[];
  /** Graph-only findings per rule (`origin: 'graph'`): what the lint run cannot see. */
  readonly graphByRule: Readonly<Record<string, number>>;
  /** `parse-error` findings anywhere in the tsconfigs' files: every one is a bug. */
  readonly parseErrors: readonly AnalyzerFinding[];
}

interface AnalyzerReport {
  readonly findings: readonly { file: string; line: number; ruleId: string; origin: 'lint' | 'graph'; message: string; chain: readonly { label: string }[] }[];
}

/**
 * The analyzer's findings in the linted files (a finding in a test file of the same tsconfig is left out, as the
 * lint run leaves the file out), one list for the project. A function in several tsconfigs (redis's packages import
 * each other's sources) is reported once.
 */
export function analyzerResult(name: string, files: readonly string[], reports: ReadonlyMap<string, unknown>): AnalyzerResult {
  const linted = new Set(files);
  const seen = new Set<string>();
  const findings: AnalyzerFinding[] = [];
  const parseErrors: AnalyzerFinding[] = [];
  for (const [tsconfig, raw] of reports) {
    const base = dirname(tsconfig);
    for (const f of (raw as AnalyzerReport).findings) {
      const file = base === '.' ? f.file : `${base}/${f.file}`;
      const finding: AnalyzerFinding = { file, line: f.line, rule: f.ruleId, origin: f.origin, message: f.message, chain: f.chain.map((step) => step.label), tsconfig };
      if (f.ruleId === 'parse-error') parseErrors.push(finding);
      const key = `${file}:${f.line}:${f.ruleId}:${f.message}`;
      if (!linted.has(file) || seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  const graphByRule: Record<string, number> = {};
  for (const f of findings) if (f.origin === 'graph') graphByRule[f.rule] = (graphByRule[f.rule] ?? 0) + 1;
  return { name, tsconfigs: [...reports.keys()], findings, graphByRule, parseErrors };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : (ms / 1000).toFixed(1));
const mib = (kib: number | undefined): string => (kib === undefined ? '—' : String(Math.round(kib / 1024)));
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);

/** The markdown report over the projects of a run: lint findings, graph-only findings, timings. Pure. */
export function formatReport(
  projects: readonly { lint: ProjectResult; analyzer?: AnalyzerResult; timing?: TimingSummary }[],
  meta: { readonly machine: string; readonly reps: number },
): string {
  const rules = [...new Set(projects.flatMap((p) => Object.keys(p.lint.countsByRule)).concat(Object.keys(recommended)))].sort();
  const short = (rule: string): string => rule.replace('taskscope/', '');
  const out: string[] = [`Real-world run · ${meta.machine} · timings: median of ${meta.reps} run(s), each a fresh process`, ''];
  out.push('**Projects**', '', formatMarkdownTable([
    ['project', 'repository', 'commit', 'files linted', 'tsconfigs (types set)', 'crashes', 'unparsed'],
    ...projects.map(({ lint }) => [lint.name, lint.repo, lint.commit.slice(0, 8), String(lint.files.length), lint.projects.map((t) => `${t.used}${t.typesSet ? ' (types)' : ''}`).join(', '), String(lint.crashes.length), String(lint.fatal.length)]),
  ]), '');
  out.push('**Lint findings (taskscope `recommended`)**', '', formatMarkdownTable([
    ['project', ...rules.map(short), 'total'],
    ...projects.map(({ lint }) => [lint.name, ...rules.map((r) => String(lint.countsByRule[r] ?? 0)), String(lint.findings.length)]),
  ]), '');
  const graphRules = ['no-unbounded-fanout', 'propagate-abort-signal', 'no-floating-task'];
  out.push('**Graph-only findings of `taskscope analyze` (in the linted files)**', '', formatMarkdownTable([
    ['project', 'fan-out through a chain', 'signal dropped along a chain', 'unowned exported async function', 'parse errors'],
    ...projects.map(({ lint, analyzer }) => [lint.name, ...graphRules.map((r) => (analyzer ? String(analyzer.graphByRule[r] ?? 0) : '—')), analyzer ? String(analyzer.parseErrors.length) : '—']),
  ]), '');
  const timed = projects.filter((p) => p.timing !== undefined);
  if (timed.length > 0) {
    out.push('**Timings**', '', formatMarkdownTable([
      ['project', 'taskscope rules ms', 'no-floating-promises ms', 'ratio', 'ESLint wall taskscope s', 'ESLint wall NFP s', 'ratio', 'analyze s', 'tsc s', 'ratio', 'analyze MiB', 'tsc MiB', 'ratio'],
      ...timed.map(({ lint, timing: t }) => [
        lint.name,
        t!.taskscopeRulesMs === undefined ? '—' : String(Math.round(t!.taskscopeRulesMs)),
        t!.nfpRuleMs === undefined ? '—' : String(Math.round(t!.nfpRuleMs)),
        ratio(t!.taskscopeRulesMs, t!.nfpRuleMs),
        seconds(t!.taskscopeWallMs),
        seconds(t!.nfpWallMs),
        ratio(t!.taskscopeWallMs, t!.nfpWallMs),
        seconds(t!.analyzeWallMs),
        `${seconds(t!.tscWallMs)}${t!.tscTypeErrors ? '*' : ''}`,
        ratio(t!.analyzeWallMs, t!.tscWallMs),
        mib(t!.analyzePeakKiB),
        mib(t!.tscPeakKiB),
        ratio(t!.analyzePeakKiB, t!.tscPeakKiB),
      ]),
    ]));
    out.push('', 'analyze and tsc: wall summed over the project\'s tsconfigs, peak RSS the largest of them. * tsc reported type errors (it still checked every file).');
  }
  return `${out.join('\n')}\n`;
}


/** Runs in the parent after a project's lint: the analyzer's findings and, unless `lintOnly`, the timings. */
async function analyzeAndTime(corpus: string, out: string, name: string, reps: number, eslintTiming: boolean): Promise<{ analyzer: AnalyzerResult; timing: TimingSummary; raw: ProjectTiming }> {
  const lint = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as ProjectResult;
  const projectDir = resolve(corpus, name);
  const work = mkdtempSync(join(tmpdir(), `taskscope-real-world-${name}-`));
  try {
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    const { timing, reports } = await timeProject(
      { projectDir, files: lint.files, tsconfigs: lint.projects.map((p) => p.used), reps, work, eslint: eslintTiming },
      log,
    );
    const analyzer = analyzerResult(name, lint.files, reports);
    const summary = summarizeTiming(timing, Object.keys(recommended));
    writeFileSync(join(out, `${name}.analyze.json`), `${JSON.stringify(analyzer, null, 2)}\n`);
    writeFileSync(join(out, `${name}.timing.json`), `${JSON.stringify({ summary, timing }, null, 2)}\n`);
    return { analyzer, timing: summary, raw: timing };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
      reps: { type: 'string' },
      'lint-only': { type: 'boolean' },
      'no-eslint-timing': { type: 'boolean' },
      worker: { type: 'string' },
    },
    strict: true,
  });
  if (values.corpus === undefined || values.out === undefined) {
    process.stderr.write('Usage: tsx bench/real-world/lint-corpus.ts --corpus <dir> --out <dir> [--only a,b] [--reps n] [--lint-only] [--no-eslint-timing]\n');
    process.exit(2);
  }
  const corpus = resolve(values.corpus);
  const out = resolve(values.out);
  if (values.worker !== undefined) {
    const spec = PROJECTS.find((p) => p.name === values.worker);
    if (spec === undefined) throw new Error(`Unknown project \`${values.worker}\`.`);
    const result = await lintProject(corpus, out, spec);
    process.stdout.write(
      `\n${spec.name}: ${result.files.length} files, ${result.findings.length} findings ${JSON.stringify(result.countsByRule)}, ` +
        `${result.crashes.length} crashes, ${result.fatal.length} unparsed, ${(result.wallMs / 1000).toFixed(1)} s\n`,
    );
    return;
  }
  const reps = Number(values.reps ?? 1);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`Expected \`--reps\` to be a positive integer, got \`${values.reps}\`.`);
  const wanted = values.only?.split(',');
  const unknown = wanted?.filter((name) => !PROJECTS.some((p) => p.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`Unknown project(s) \`${unknown.join('`, `')}\`; known: ${PROJECTS.map((p) => p.name).join(', ')}.`);
  const specs = PROJECTS.filter((p) => (wanted === undefined || wanted.includes(p.name)) && statSync(join(corpus, p.name), { throwIfNoEntry: false }));
  const load = loadavg()[0]!.toFixed(2);
  let failed = 0;
  const done: { lint: ProjectResult; analyzer?: AnalyzerResult; timing?: TimingSummary }[] = [];
  for (const spec of specs) {
    if ((await runChild(corpus, out, spec.name)) !== 0) {
      failed++;
      continue;
    }
    const lint = JSON.parse(readFileSync(join(out, `${spec.name}.json`), 'utf8')) as ProjectResult;
    if (values['lint-only'] === true) {
      done.push({ lint });
      continue;
    }
    try {
      const { analyzer, timing } = await analyzeAndTime(corpus, out, spec.name, reps, values['no-eslint-timing'] !== true);
      done.push({ lint, analyzer, timing });
    } catch (error) {
      failed++;
      process.stderr.write(`${spec.name}: ${error instanceof Error ? error.message : String(error)}\n`);
      done.push({ lint });
    }
  }
  const summary = done.map(({ lint: r, analyzer }) => ({
    name: r.name, repo: r.repo, commit: r.commit, files: r.files.length, findings: r.findings.length, countsByRule: r.countsByRule,
    graphByRule: analyzer?.graphByRule, crashes: r.crashes.length, fatal: r.fatal.length, wallMs: r.wallMs,
  }));
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, load ${load} at start, ${loadavg()[0]!.toFixed(2)} at end`;
  const report = formatReport(done, { machine, reps });
  writeFileSync(join(out, 'report.md'), report);
  process.stdout.write(`\n${report}`);
  process.exit(failed === 0 ? 0 : 1);
}

await main();
