/**
 * The command line of `taskscope`, parsed into plain data: which command, which outputs, which options. Pure (no
 * file system, no process), so every usage error is tested without spawning anything; `cli.ts` does the I/O.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AnalyzerError } from './collect/analyzer-error.js';
import { extensions, formats, type ReportFormat } from './report/index.js';

/** Which findings make `taskscope analyze` exit with code 1. */
export type FailOn = 'error' | 'warning' | 'none';

/** One report to write: `file` is where (relative to the working directory), absent for stdout. */
export interface OutputTarget {
  readonly format: ReportFormat;
  readonly file?: string;
}

/** `taskscope analyze …`, parsed and checked. */
export interface AnalyzeCommand {
  readonly command: 'analyze';
  readonly project: string;
  /** At least one; at most one without a `file`. All are rendered from the one graph. */
  readonly outputs: readonly OutputTarget[];
  readonly failOn: FailOn;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly quiet: boolean;
}

/** What the command line asks for. */
export type CliCommand = AnalyzeCommand | { readonly command: 'help'; readonly text: string } | { readonly command: 'version' };

export const HELP = `Usage: taskscope <command> [options]

Commands:
  analyze        Build the task graph of a TypeScript project and report what is wrong with it.

Options:
  -h, --help     Show this help; \`taskscope analyze --help\` shows the command's options.
  -v, --version  Print the version.
`;

export const ANALYZE_HELP = `Usage: taskscope analyze [options]

Builds the task graph of a TypeScript project (async functions, the tasks they start and who owns them, fan-outs,
ErrGroups, Semaphores, AbortSignals) and reports floating tasks, unbounded fan-outs, dropped signals, double closes,
ignored Results and files that do not parse.

Options:
  --project <path>   The tsconfig to analyze, or its folder. Default: tsconfig.json
  --format <format>  ${formats.join(', ')}. Default: text. Repeat it for several reports.
  --out <file>       Write the --format just before it to <file> instead of stdout.
  --out-dir <dir>    Write each --format (every format when none is given) to <dir>/taskscope.<ext>.
  --fail-on <level>  error, warning or none: the findings that make the exit code 1. Default: error
  --include <glob>   Analyze only matching files (relative to the tsconfig's folder). Repeatable.
  --exclude <glob>   Leave matching files out. Repeatable.
  --quiet            No progress and no summary on stderr.
  -h, --help         Show this help.

Several reports, one analysis: each --out belongs to the --format just before it, and a --format without an
--out goes to stdout (at most one may). The project is loaded and analyzed once for all of them.
  taskscope analyze --format sarif --out reports/taskscope.sarif --format text
  taskscope analyze --out-dir reports

Progress goes to stderr, only when it is a terminal; stdout carries only the report.
Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 a usage or configuration error, or a crash.
`;

const OPTIONS = {
  project: { type: 'string' },
  format: { type: 'string', multiple: true },
  out: { type: 'string', multiple: true },
  'out-dir': { type: 'string' },
  'fail-on': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'none'];

const usage = (reason: string, hint: string): AnalyzerError => new AnalyzerError('The arguments are not valid.', reason, hint);
const seeHelp = (command: string): string => `Run \`taskscope ${command}--help\` for the options.`;

// Levenshtein distance, for "did you mean": a typo is one or two edits away from the flag it meant.
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

// Node's own parseArgs messages mention `--` and positionals, which confuses more than it helps: say it our way.
function parseError(error: Error & { code?: string }): AnalyzerError {
  const flag = /'(-[^' ]*)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = flag.replace(/^-+/, '');
    const near = Object.keys(OPTIONS).find((known) => distance(name, known) <= 2);
    return usage(`\`${flag}\` is not an option.`, `${near === undefined ? '' : `Did you mean \`--${near}\`? `}${seeHelp('analyze ')}`);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && / argument missing/.test(error.message)) {
    return usage(`\`${flag}\` needs a value.`, seeHelp('analyze '));
  }
  return usage(`${error.message.replace(/\.?$/, '.')}`, seeHelp('analyze '));
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usage(`\`--${flag} ${value}\` is not one of ${allowed.join(', ')}.`, `Pass one of: ${allowed.join(', ')}.`);
}

/**
 * Parses `taskscope`'s arguments (without `node` and the script). Strict: an unknown flag, a missing or bad value, a
 * stray argument, or outputs that cannot be told apart throw an `AnalyzerError` (headline, `reason`, `hint`) that the
 * CLI prints as its usage error, exit code 2.
 *
 * Outputs pair by position: each `--out` belongs to the `--format` just before it; with no `--format` at all, one
 * `--out` takes the default text report. `--out-dir` writes every given format (all when none is given) as
 * `<dir>/taskscope.<ext>`; it does not combine with `--out`.
 *
 * @example
 * parseCli(['analyze', '--format', 'sarif', '--out', 'a.sarif', '--format', 'text']).outputs
 * // [{ format: 'sarif', file: 'a.sarif' }, { format: 'text' }]
 */
export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw parseError(error as Error);
  }
  const { values, positionals, tokens } = parsed;
  const [command, ...rest] = positionals;
  if (values.version === true) return { command: 'version' };
  if (command === undefined) {
    if (values.help === true) return { command: 'help', text: HELP };
    throw usage('No command given.', `Run \`taskscope analyze\` in a folder with a tsconfig.json, or ${seeHelp('')}`);
  }
  if (command !== 'analyze') throw usage(`\`${command}\` is not a taskscope command.`, `The command is \`analyze\`. ${seeHelp('')}`);
  if (values.help === true) return { command: 'help', text: ANALYZE_HELP };
  if (rest.length > 0) {
    throw usage(`\`taskscope analyze\` takes no file arguments, got \`${rest.join(' ')}\`.`, 'Choose files with --project, --include and --exclude.');
  }
  for (const token of tokens) {
    if (token.kind === 'option' && token.value === '') throw usage(`\`${token.rawName}\` needs a value, got an empty string.`, seeHelp('analyze '));
  }

  const outputs: { format: ReportFormat; file?: string }[] = [];
  const dir = values['out-dir'];
  if (dir !== undefined) {
    if (values.out !== undefined) throw usage('`--out` and `--out-dir` do not combine.', 'Use --out-dir for a folder of reports, or --format/--out pairs.');
    const wanted = (values.format ?? formats).map((format) => oneOf('format', format, formats));
    for (const format of new Set(wanted)) outputs.push({ format, file: join(dir, `taskscope.${extensions[format]}`) });
  } else {
    for (const token of tokens) {
      if (token.kind !== 'option' || token.value === undefined) continue;
      if (token.name === 'format') outputs.push({ format: oneOf('format', token.value, formats) });
      if (token.name !== 'out') continue;
      const last = outputs.at(-1);
      if (last === undefined && values.format === undefined) outputs.push({ format: 'text', file: token.value });
      else if (last === undefined || last.file !== undefined) {
        throw usage(`\`--out ${token.value}\` does not follow a \`--format\` of its own.`, 'Write each --out right after its --format: --format sarif --out report.sarif.');
      } else last.file = token.value;
    }
    if (outputs.length === 0) outputs.push({ format: 'text' });
  }
  const toStdout = outputs.filter((output) => output.file === undefined);
  if (toStdout.length > 1) {
    throw usage(`${toStdout.map((output) => `\`--format ${output.format}\``).join(' and ')} would all go to stdout.`, 'Give all but one of them an --out file.');
  }
  const files = outputs.flatMap((output) => (output.file === undefined ? [] : [output.file]));
  const twice = files.find((file, index) => files.indexOf(file) !== index);
  if (twice !== undefined) throw usage(`Two reports would be written to \`${twice}\`.`, 'Give each --format its own --out file.');

  return {
    command: 'analyze',
    project: values.project ?? 'tsconfig.json',
    outputs,
    failOn: oneOf('fail-on', values['fail-on'] ?? 'error', FAIL_ON),
    include: values.include ?? [],
    exclude: values.exclude ?? [],
    quiet: values.quiet === true,
  };
}
