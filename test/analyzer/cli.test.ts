import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANALYZE_HELP, HELP, parseCli, type AnalyzeCommand } from '../../analyzer/cli-args.js';
import { createProgress } from '../../analyzer/cli-progress.js';
import { exitCodeFor, main, packageVersion, type CliIo } from '../../analyzer/cli.js';
import { AnalyzerError, type Finding } from '../../analyzer/index.js';
import { formats } from '../../analyzer/report/index.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = (scenario: string): string => join(root, 'fixtures/analyzer', scenario);

function analyzeArgs(...args: string[]): AnalyzeCommand {
  const command = parseCli(['analyze', ...args]);
  if (command.command !== 'analyze') throw new Error(`expected the analyze command, got ${command.command}`);
  return command;
}

function usageError(...args: string[]): AnalyzerError {
  try {
    parseCli(args);
  } catch (error) {
    if (error instanceof AnalyzerError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${args.join(' ')}`);
}

interface FakeIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

function fakeIo(options: { env?: Record<string, string>; tty?: boolean } = {}): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (text: string) => out.push(text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => err.push(text), isTTY: options.tty ?? false },
    env: options.env ?? {},
  };
}

const finding = (severity: Finding['severity']): Finding => ({
  file: 'src/a.ts', line: 1, column: 1, ruleId: 'no-floating-task', severity, message: 'm', origin: 'lint', chain: [],
});

describe('parseCli', () => {
  it('defaults to the text report of tsconfig.json on stdout, failing on errors', () => {
    expect(analyzeArgs()).toEqual({
      command: 'analyze', project: 'tsconfig.json', outputs: [{ format: 'text' }], failOn: 'error', include: [], exclude: [], quiet: false,
    });
  });

  it('pairs each --out with the --format just before it and sends the unpaired one to stdout', () => {
    const command = analyzeArgs('--format', 'sarif', '--out', 'r/a.sarif', '--format', 'text', '--format=json', '--out=r/a.json');
    expect(command.outputs).toEqual([{ format: 'sarif', file: 'r/a.sarif' }, { format: 'text' }, { format: 'json', file: 'r/a.json' }]);
  });

  it('writes the text report to a lone --out', () => {
    expect(analyzeArgs('--out', 'findings.txt').outputs).toEqual([{ format: 'text', file: 'findings.txt' }]);
  });

  it('writes every format into --out-dir, or the given ones', () => {
    expect(analyzeArgs('--out-dir', 'reports').outputs.map((output) => output.file)).toEqual([
      'reports/taskscope.txt', 'reports/taskscope.json', 'reports/taskscope.sarif', 'reports/taskscope.html', 'reports/taskscope.md', 'reports/taskscope.dot',
    ]);
    expect(analyzeArgs('--out-dir', 'reports', '--format', 'sarif', '--format', 'sarif').outputs).toEqual([{ format: 'sarif', file: 'reports/taskscope.sarif' }]);
  });

  it('collects repeated --include and --exclude, --project, --fail-on and --quiet', () => {
    const command = analyzeArgs('--project', 'app', '--include', 'src/**', '--include', 'lib', '--exclude', '**/*.test.ts', '--fail-on', 'warning', '--quiet');
    expect(command).toMatchObject({ project: 'app', include: ['src/**', 'lib'], exclude: ['**/*.test.ts'], failOn: 'warning', quiet: true });
  });

  it('answers --help, analyze --help and --version', () => {
    expect(parseCli(['--help'])).toEqual({ command: 'help', text: HELP });
    expect(parseCli(['-h'])).toEqual({ command: 'help', text: HELP });
    expect(parseCli(['analyze', '--help'])).toEqual({ command: 'help', text: ANALYZE_HELP });
    expect(parseCli(['--version'])).toEqual({ command: 'version' });
    expect(parseCli(['-v'])).toEqual({ command: 'version' });
  });

  it('lists every report format in the analyze help', () => {
    expect(ANALYZE_HELP).toContain(`--format <format>  ${formats.join(', ')}.`);
  });

  it('rejects an unknown flag and suggests the one it resembles', () => {
    const error = usageError('analyze', '--fromat', 'json');
    expect([error.reason, error.hint]).toEqual(['`--fromat` is not an option.', 'Did you mean `--format`? Run `taskscope analyze --help` for the options.']);
    expect(usageError('analyze', '--zzz').hint).toBe('Run `taskscope analyze --help` for the options.');
  });

  it('rejects a flag without its value, or with an empty one', () => {
    expect(usageError('analyze', '--project').reason).toBe('`--project` needs a value.');
    expect(usageError('analyze', '--out', '').reason).toBe('`--out` needs a value, got an empty string.');
  });

  it('rejects a bad --format or --fail-on value and names the allowed ones', () => {
    expect(usageError('analyze', '--format', 'xml').reason).toBe(`\`--format xml\` is not one of ${formats.join(', ')}.`);
    const failOn = usageError('analyze', '--fail-on', 'info');
    expect([failOn.reason, failOn.hint]).toEqual(['`--fail-on info` is not one of error, warning, none.', 'Pass one of: error, warning, none.']);
  });

  it('rejects a missing or unknown command and stray arguments', () => {
    expect(usageError().reason).toBe('No command given.');
    expect(usageError('analyse').reason).toBe('`analyse` is not a taskscope command.');
    expect(usageError('analyze', 'src/a.ts').reason).toBe('`taskscope analyze` takes no file arguments, got `src/a.ts`.');
  });

  it('rejects two reports on stdout, an --out without its own --format, a file used twice, and --out with --out-dir', () => {
    expect(usageError('analyze', '--format', 'json', '--format', 'text').reason).toBe('`--format json` and `--format text` would all go to stdout.');
    expect(usageError('analyze', '--out', 'a.json', '--format', 'json').reason).toBe('`--out a.json` does not follow a `--format` of its own.');
    expect(usageError('analyze', '--format', 'json', '--out', 'a', '--out', 'b').reason).toBe('`--out b` does not follow a `--format` of its own.');
    expect(usageError('analyze', '--format', 'json', '--out', 'a', '--format', 'text', '--out', 'a').reason).toBe('Two reports would be written to `a`.');
    expect(usageError('analyze', '--out-dir', 'r', '--format', 'json', '--out', 'a').reason).toBe('`--out` and `--out-dir` do not combine.');
  });
});

describe('createProgress', () => {
  function recorder(enabled: boolean): { lines: string[]; clock: { t: number }; progress: ReturnType<typeof createProgress> } {
    const lines: string[] = [];
    const clock = { t: 1000 };
    return { lines, clock, progress: createProgress({ write: (text: string) => lines.push(text) }, { enabled, now: () => clock.t }) };
  }

  it('draws files done out of total and the elapsed time, in place', () => {
    const { lines, clock, progress } = recorder(true);
    clock.t = 3500;
    progress.update(12, 40, 'lint');
    expect(lines).toEqual(['\r\u001b[Ktaskscope: linting 12/40 files, 2.5 s']);
  });

  it('shows no file count while loading or analyzing the graph', () => {
    const { lines, progress } = recorder(true);
    progress.update(0, 1, 'load');
    progress.update(0, 1, 'graph');
    expect(lines).toEqual(['\r\u001b[Ktaskscope: loading the project, 0.0 s', '\r\u001b[Ktaskscope: analyzing the task graph, 0.0 s']);
  });

  it('redraws within a phase at most once per interval, but always on a new phase and on the last file', () => {
    const { lines, clock, progress } = recorder(true);
    progress.update(1, 10, 'collect');
    clock.t += 50;
    progress.update(2, 10, 'collect');
    clock.t += 60;
    progress.update(3, 10, 'collect');
    progress.update(10, 10, 'collect');
    progress.update(1, 10, 'lint');
    expect(lines.map((line) => line.replace('\r\u001b[Ktaskscope: ', ''))).toEqual([
      'collecting 1/10 files, 0.0 s', 'collecting 3/10 files, 0.1 s', 'collecting 10/10 files, 0.1 s', 'linting 1/10 files, 0.1 s',
    ]);
  });

  it('erases its line on clear, and only when it drew one', () => {
    const { lines, progress } = recorder(true);
    progress.clear();
    expect(lines).toEqual([]);
    progress.update(0, 1, 'load');
    progress.clear();
    expect(lines.at(-1)).toBe('\r\u001b[K');
  });

  it('writes nothing when disabled', () => {
    const { lines, progress } = recorder(false);
    progress.update(0, 1, 'load');
    progress.update(5, 5, 'lint');
    progress.clear();
    expect(lines).toEqual([]);
  });
});

describe('exitCodeFor', () => {
  it('fails on errors by default and ignores warnings', () => {
    expect(exitCodeFor([finding('warning')], 'error')).toBe(0);
    expect(exitCodeFor([finding('warning'), finding('error')], 'error')).toBe(1);
  });

  it('fails on any finding with warning, and never with none', () => {
    expect(exitCodeFor([finding('warning')], 'warning')).toBe(1);
    expect(exitCodeFor([finding('error')], 'none')).toBe(0);
    expect(exitCodeFor([], 'warning')).toBe(0);
  });
});

describe('main', () => {
  const temp = mkdtempSync(join(tmpdir(), 'taskscope-cli-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('prints the help and the version on stdout and exits 0', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out).toEqual([HELP, `${packageVersion()}\n`]);
    expect(packageVersion()).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('prints a usage error as headline, reason and hint on stderr, and exits 2', async () => {
    const io = fakeIo();
    expect(await main(['analyze', '--fail-on', 'never'], io)).toBe(2);
    expect(io.out).toEqual([]);
    expect(io.err.join('')).toBe('taskscope: The arguments are not valid.\nReason: `--fail-on never` is not one of error, warning, none.\nPass one of: error, warning, none.\n');
  });

  it('prints a crash as one line and a request to report it, with the stack only under TASKSCOPE_DEBUG=1', async () => {
    const broken = (env: Record<string, string>): FakeIo => {
      const io = fakeIo({ env });
      return { ...io, stdout: { write: () => { throw new TypeError('stdout is gone'); } } };
    };
    const quiet = broken({});
    expect(await main(['--help'], quiet)).toBe(2);
    expect(quiet.err.join('')).toBe(
      'taskscope: the analyzer crashed (TypeError: stdout is gone).\nThis is a bug in taskscope: please report it with the command you ran.\nSet TASKSCOPE_DEBUG=1 to print the stack.\n',
    );
    const debug = broken({ TASKSCOPE_DEBUG: '1' });
    expect(await main(['--help'], debug)).toBe(2);
    expect(debug.err.join('')).toMatch(/please report it with the command you ran\.\nTypeError: stdout is gone\n\s+at /);
  });

  it('reports a report it cannot write as a known error, exit 2', async () => {
    const io = fakeIo();
    const out = join(root, 'package.json', 'report.txt');
    expect(await main(['analyze', '--project', fixture('bounded'), '--out', out], io)).toBe(2);
    expect(io.err.join('')).toMatch(/^taskscope: Cannot write the report\.\nReason: .*package\.json.*\.\nCheck that the path is a writable file/);
  });

  it('colours the text report only for a terminal without NO_COLOR, and keeps files plain', async () => {
    const args = ['analyze', '--project', fixture('floating'), '--quiet'];
    const tty = fakeIo({ tty: true });
    expect(await main(args, tty)).toBe(1);
    expect(tty.out.join('')).toContain('\u001b[31mno-floating-task');
    const noColor = fakeIo({ tty: true, env: { NO_COLOR: '1' } });
    await main(args, noColor);
    expect(noColor.out.join('')).not.toContain('\u001b[');
    const toFile = fakeIo({ tty: true });
    await main([...args, '--out', join(temp, 'plain.txt')], toFile);
    expect(readFileSync(join(temp, 'plain.txt'), 'utf8')).not.toContain('\u001b[');
    expect(tty.err).toEqual([]);
  });

  it('draws progress on a terminal stderr and erases it before the report', async () => {
    const io = fakeIo({ tty: true });
    await main(['analyze', '--project', fixture('bounded')], io);
    expect(io.err[0]).toBe('\r\u001b[Ktaskscope: loading the project, 0.0 s');
    expect(io.err.join('')).toMatch(/taskscope: linting 1\/1 files, [\d.]+ s/);
    expect(io.err.at(-1)).toBe('\r\u001b[K');
  });
});

describe('docs/github-actions.md', () => {
  it('runs the analyzer with arguments the CLI accepts, the SARIF file going where upload-sarif reads it', () => {
    const doc = readFileSync(join(root, 'docs/github-actions.md'), 'utf8');
    const run = /npx taskscope ((?:.+\n)+?)\s*\n/.exec(doc)?.[1];
    expect(run).toBeDefined();
    const command = parseCli(run!.trim().split(/\s+/));
    expect(command.command).toBe('analyze');
    const sarif = (command as AnalyzeCommand).outputs.find((output) => output.format === 'sarif')?.file;
    expect(doc).toContain(`sarif_file: ${sarif}`);
  });
});

