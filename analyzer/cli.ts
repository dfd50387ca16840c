/**
 * `taskscope analyze`: a thin shell over `analyze()` and `renderReport()`, as in knip and dependency-cruiser. It
 * parses the arguments (`cli-args.ts`), computes the graph once, renders every requested report from it, and turns
 * the outcome into an exit code: 0 no findings at or above `--fail-on`, 1 findings, 2 a usage or configuration error,
 * or a crash.
 *
 * stdout carries only reports (pipe JSON straight into `jq`); progress, errors and the files-written note go to stderr.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ErrGroup } from '../runtime/index.js';
import { parseCli, type AnalyzeCommand, type FailOn } from './cli-args.js';
import { createProgress } from './cli-progress.js';
import { AnalyzerError } from './collect/analyzer-error.js';
import type { Finding, TaskGraph } from './index.js';
import { renderReport } from './report/index.js';

/** The streams and environment the CLI talks to: `process`, or fakes in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The package's version, read from its package.json: one folder up from source, two from `dist/`. */
export function packageVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'taskscope' && pkg.version !== undefined) return pkg.version;
    } catch {
      // Not this one: try the next folder up.
    }
  }
  return '0.0.0';
}

/**
 * The exit code for a graph's findings: 1 when any finding is at or above `failOn` (`none` never fails), else 0.
 * A `parse-error` finding is an error, so a file that does not parse fails the default run.
 *
 * @example exitCodeFor(graph.findings, 'warning') // 1 if there is any finding at all
 */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'none') return 0;
  return findings.some((finding) => failOn === 'warning' || finding.severity === 'error') ? 1 : 0;
}

/**
 * Reads the files that have findings, for the HTML report's excerpts (the graph holds no source): 16 at a time, so
 * findings in thousands of files never hold thousands of handles. A file that cannot be read shows no excerpt.
 *
 * @example renderReport(graph, 'html', { sources: await findingSources(graph) })
 */
export async function findingSources(graph: TaskGraph): Promise<Record<string, string>> {
  const sources: Record<string, string> = {};
  const group = new ErrGroup({ name: 'read sources', limit: 16 });
  await group.goEach(new Set(graph.findings.map((finding) => finding.file)), async (file, signal) => {
    const text = await readFile(join(graph.root, file), { encoding: 'utf8', signal }).catch(() => undefined);
    if (text !== undefined) sources[file] = text;
  });
  await group.wait();
  return sources;
}

async function writeReport(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    throw new AnalyzerError('Cannot write the report.', (error as Error).message.replace(/\.?$/, '.'), 'Check that the path is a writable file, or pass another --out or --out-dir.');
  }
}

/**
 * Runs a full garbage collection now. Once `analyze()` has returned, the program and type checker (most of the heap)
 * are garbage, but V8 collects only when the heap reaches its limit, and the reports' large strings reached it on top
 * of the dead program: on a 2,000-file project that was the run's peak RSS. One collection here costs ~0.1 s.
 * `--expose-gc` set at run time makes `gc` available in contexts created afterwards; rejected: asking users to start
 * node with flags.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

async function runAnalyze(command: AnalyzeCommand, io: CliIo): Promise<number> {
  const progress = createProgress(io.stderr, { enabled: !command.quiet && io.stderr.isTTY === true });
  // Loaded here, not at the top: ts-morph and the rules take a second or two to load, which `--help`, `--version` and
  // a usage error should not pay. The progress line covers that wait too.
  // V8's own heap growth. Rejected since the rules run without ESLint (session 11): `--heap-growing-percent=50`, which
  // capped the garbage of an ESTree, tokens and scopes per file (1.27 → 0.72 GB peak on a 2,000-file project). Without
  // that garbage it only cost time: 9.1 s against 8.5–9.0 s on that project for 370 against 417 MB peak, and 11.2–11.9
  // against 10.1–10.2 s on this repository for the same peak (525 against 521 MB).
  let graph: TaskGraph;
  try {
    progress.update(0, 1, 'load');
    const { analyze } = await import('./index.js');
    graph = await analyze({ project: command.project, include: command.include, exclude: command.exclude, onProgress: progress.update });
  } finally {
    progress.clear();
  }
  if (io === process) collectGarbage();
  const sources = command.outputs.some((output) => output.format === 'html') ? await findingSources(graph) : {};
  const color = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
  for (const output of command.outputs) {
    const text = renderReport(graph, output.format, { toolVersion: packageVersion(), sources, color: color && output.file === undefined });
    if (output.file === undefined) io.stdout.write(text);
    else await writeReport(output.file, text);
  }
  // With every report in a file, stdout is silent: say on stderr what came of the run, as the text report would.
  if (!command.quiet && command.outputs.every((output) => output.file !== undefined)) {
    const { error, warning } = graph.summary.findings;
    const files = command.outputs.map((output) => output.file).join(', ');
    io.stderr.write(`taskscope: ${plural(error, 'error')} and ${plural(warning, 'warning')} in ${plural(graph.summary.files, 'analyzed file')}; wrote ${files}.\n`);
  }
  return exitCodeFor(graph.findings, command.failOn);
}

// A known error is three lines: what failed, why, what to do. Anything else is a bug in taskscope: one line, and
// the stack only on request, so a user never has to read our internals to find out their tsconfig has a typo.
function printError(error: unknown, io: CliIo): 2 {
  if (error instanceof AnalyzerError) {
    const headline = error.message.endsWith(` ${error.reason}`) ? error.message.slice(0, -error.reason.length - 1) : error.message;
    io.stderr.write(`taskscope: ${headline}\nReason: ${error.reason}\n${error.hint}\n`);
    return 2;
  }
  const first = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
  io.stderr.write(`taskscope: the analyzer crashed (${first}).\nThis is a bug in taskscope: please report it with the command you ran.\n`);
  if (io.env.TASKSCOPE_DEBUG === '1') io.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  else io.stderr.write('Set TASKSCOPE_DEBUG=1 to print the stack.\n');
  return 2;
}

/**
 * Runs `taskscope` with the given arguments (without `node` and the script) and resolves to the exit code; it never
 * rejects and never calls `process.exit`, so stdout drains before the process ends and tests can call it in-process.
 *
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  try {
    const command = parseCli(argv);
    switch (command.command) {
      case 'help':
        io.stdout.write(command.text);
        return 0;
      case 'version':
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      case 'analyze':
        return await runAnalyze(command, io);
    }
  } catch (error) {
    return printError(error, io);
  }
}

// Run when started as a script (`node --import tsx analyzer/cli.ts`); `bin/taskscope.js` imports it and calls `main`.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
