/**
 * Lints a folder of checked-out real-world projects with taskscope's `recommended` config (issue 5), one child
 * process per project, and writes one JSON file of findings, crashes and unparseable files per project.
 *
 * ```sh
 * npx tsx bench/real-world/lint-corpus.ts --corpus /work/corpus --out /work/corpus/results
 * npx tsx bench/real-world/lint-corpus.ts --corpus /work/corpus --out /tmp/r --only got,mongodb
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
 *   typescript-eslint's parser and `projectService`, so each file is typed by its nearest `tsconfig.json`, as the
 *   project's own editor types it. Inline `eslint-disable` comments are ignored (`noInlineConfig`): a project that
 *   silences `no-floating-promises` on a line has said nothing about our rules, and the triage reads the comment.
 * - Files are linted one at a time in one ESLint instance (the typed program is shared), so a rule that throws loses
 *   one file, not the project. The file is then linted again without the rule that threw, and the crash is recorded
 *   with its stack: every crash is a bug.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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

/** The flat config written into the project: typed parser, taskscope `recommended`, nothing else. */
export function configSource(projectDir: string): string {
  const parser = import.meta.resolve('@typescript-eslint/parser');
  const plugin = new URL('../../rules/index.ts', import.meta.url).href;
  return `// Generated by taskscope bench/real-world/lint-corpus.ts; not part of ${relative(dirname(projectDir), projectDir)}.
import parser from ${JSON.stringify(parser)};
import taskscope from ${JSON.stringify(plugin)};

export default [
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: ${JSON.stringify(projectDir)} } },
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
  writeFileSync(configFile, configSource(projectDir));
  const { files, generated } = listSources(projectDir, spec);
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
      worker: { type: 'string' },
    },
    strict: true,
  });
  if (values.corpus === undefined || values.out === undefined) {
    process.stderr.write('Usage: tsx bench/real-world/lint-corpus.ts --corpus <dir> --out <dir> [--only a,b]\n');
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
  const wanted = values.only?.split(',');
  const specs = PROJECTS.filter((p) => (wanted === undefined || wanted.includes(p.name)) && statSync(join(corpus, p.name), { throwIfNoEntry: false }));
  let failed = 0;
  for (const spec of specs) {
    if ((await runChild(corpus, out, spec.name)) !== 0) failed++;
  }
  const summary = specs.flatMap((spec) => {
    try {
      const r = JSON.parse(readFileSync(join(out, `${spec.name}.json`), 'utf8')) as ProjectResult;
      return [{ name: r.name, repo: r.repo, commit: r.commit, files: r.files.length, findings: r.findings.length, countsByRule: r.countsByRule, crashes: r.crashes.length, fatal: r.fatal.length, wallMs: r.wallMs }];
    } catch {
      return [];
    }
  });
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.exit(failed === 0 ? 0 : 1);
}

await main();
