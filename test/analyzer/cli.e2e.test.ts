/**
 * `taskscope analyze` end to end: the CLI runs from source in a subprocess (`node --import tsx analyzer/cli.ts`) on
 * every fixture project under fixtures/analyzer/, and each run is judged by its exit code, its stdout, its stderr and
 * the files it writes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { analyzeDemo } from '../../fixtures/demo-app/analyze-demo.js';
import type { TaskGraph } from '../../analyzer/index.js';
import { extensions, formats } from '../../analyzer/report/index.js';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, 'fixtures/analyzer');
const temp = mkdtempSync(join(tmpdir(), 'taskscope-cli-e2e-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'analyzer/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

interface Scenario {
  readonly code: 0 | 1 | 2;
  /** Lines of the text report (findings, `file:line:col  rule  message`, with the padding collapsed), or the error. */
  readonly lines: readonly RegExp[];
}

// One entry per fixture project; a new fixture without one fails the first test below.
const SCENARIOS: Readonly<Record<string, Scenario>> = {
  bounded: { code: 0, lines: [/^No findings\.$/] },
  runtime: { code: 0, lines: [/^No findings\.$/, /^Task graph: 1 file, 2 async functions, .*1 ErrGroup, 1 Semaphore, 3 signals\.$/] },
  floating: { code: 1, lines: [/^src\/audit\.ts:7:3 no-floating-task Promise from `saveAudit\(\.\.\.\)` is never awaited/] },
  'syntax-error': {
    code: 1,
    lines: [/^src\/broken\.ts:2:63 parse-error `src\/broken\.ts` does not parse: ',' expected\./, /^src\/ok\.ts:6:3 no-floating-task Promise from `ping\(\.\.\.\)`/],
  },
  'signal-chain': { code: 1, lines: [/^src\/pages\.ts:3:26 propagate-abort-signal `fetch\(url\)` runs without the signal that `handle` was given \(through `loadPage`\)/] },
  'fanout-chain': {
    code: 1,
    lines: [
      /^src\/batch\.ts:5:5 no-unbounded-fanout Each element of `events` calls `track`, which starts `send\(event\)`/,
      /^src\/drain\.ts:5:5 no-unbounded-fanout Each pass of the loop while `queue\.length > 0` calls `track`, which starts `send\(event\)`, .* grows with the passes\./,
    ],
  },
  'unowned-export': { code: 1, lines: [/^src\/audit\.ts:1:1 no-floating-task `saveAudit` returns a promise, but all 2 of its calls in another module drop it/] },
  'double-close': { code: 1, lines: [/^src\/header\.ts:11:11 no-double-close `handle` may already be closed here/] },
  suggestions: {
    code: 1,
    lines: [
      /^src\/crawl\.ts:23:13 propagate-abort-signal `fetch\(\.\.\.\)` can be cancelled but is not given `signal`/,
      /^src\/crawl\.ts:28:9 propagate-abort-signal `pause\(\.\.\.\)` can be cancelled/,
      /^src\/crawl\.ts:31:11 propagate-abort-signal `fetch\(\.\.\.\)` can be cancelled/,
      /^src\/stream\.ts:7:7 no-double-close `controller` may already be closed here/,
    ],
  },
  'ignored-result': { code: 1, lines: [/^src\/config\.ts:9:3 no-ignored-result Result of `parsePort\(\.\.\.\)` is ignored/] },
  'invalid-tsconfig': { code: 2, lines: [/^taskscope: Cannot load the project\.$/, /^Reason: .*invalid-tsconfig\/tsconfig\.json:\d+:\d+ is not valid JSON/, /^Fix the tsconfig/] },
  'no-files': { code: 2, lines: [/^taskscope: Cannot load the project\.$/, /^Reason: .*no-files\/tsconfig\.json matches no source files\.$/, /^Check its "include"/] },
};

const scenarios = readdirSync(fixtures).filter((name) => statSync(join(fixtures, name)).isDirectory());

describe('taskscope analyze', () => {
  it('has an end-to-end case for every fixture project', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(scenarios.sort());
  });

  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const title =
      scenario.code === 2
        ? `on ${name}: exits 2 with the error as headline, reason and hint on stderr, and writes nothing`
        : `on ${name}: exits ${scenario.code}, prints the text report on stdout and writes the JSON and SARIF reports`;
    it(title, async () => {
      const json = join(temp, name, 'graph.json');
      const sarif = join(temp, name, 'graph.sarif');
      const run = await cli(['analyze', '--project', `fixtures/analyzer/${name}`, '--format', 'json', '--out', json, '--format', 'text', '--format', 'sarif', '--out', sarif]);
      expect(run.code).toBe(scenario.code);
      if (scenario.code === 2) {
        // A known error: three lines on stderr, nothing on stdout, no stack, no report written.
        expect(run.stdout).toBe('');
        const lines = run.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(3);
        scenario.lines.forEach((line, index) => expect(lines[index]).toMatch(line));
        expect(existsSync(json)).toBe(false);
        return;
      }
      // stderr is a pipe here, so no progress; every report went to its file, so no note either.
      expect(run.stderr).toBe('');
      const lines = run.stdout.split('\n').map((line) => line.replace(/ {2,}/g, ' '));
      for (const line of scenario.lines) expect(lines.some((printed) => line.test(printed)), `${String(line)} in\n${run.stdout}`).toBe(true);

      const graph = JSON.parse(readFileSync(json, 'utf8')) as TaskGraph;
      expect(graph.root).toBe(join(fixtures, name));
      const printed = lines.filter((line) => /^src\/\S+:\d+:\d+ /.test(line)).map((line) => line.split(' ').slice(0, 2).join(' '));
      expect(graph.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId}`)).toEqual(printed);
      expect(graph.findings.some((finding) => finding.severity === 'error')).toBe(scenario.code === 1);

      const log = JSON.parse(readFileSync(sarif, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
      expect(log.version).toBe('2.1.0');
      expect(log.runs[0]?.results.map((result) => result.ruleId)).toEqual(graph.findings.map((finding) => finding.ruleId));
    });
  }

  it('writes every format into --out-dir, says so on stderr, and leaves stdout empty', async () => {
    const dir = join(temp, 'all');
    const run = await cli(['analyze', '--project', 'fixtures/analyzer/floating', '--out-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['taskscope.dot', 'taskscope.html', 'taskscope.json', 'taskscope.md', 'taskscope.sarif', 'taskscope.txt']);
    expect(run.stderr).toBe(`taskscope: 2 errors and 0 warnings in 2 analyzed files; wrote ${formats.map((format) => join(dir, `taskscope.${extensions[format]}`)).join(', ')}.\n`);
    // The HTML report shows the finding's source lines, which only the CLI can give it.
    expect(readFileSync(join(dir, 'taskscope.html'), 'utf8')).toContain('<pre class="excerpt"><span class="ln">5</span>\n<span class="ln">6</span>export function handle(entry: string): void {');
    expect(readFileSync(join(dir, 'taskscope.md'), 'utf8')).toContain('flowchart');
    expect(readFileSync(join(dir, 'taskscope.dot'), 'utf8')).toMatch(/^(strict )?digraph/);
  });

  it('exits 0 with findings under --fail-on none, and stays silent on stderr with --quiet', async () => {
    const run = await cli(['analyze', '--project', 'fixtures/analyzer/floating', '--fail-on', 'none', '--quiet', '--out', join(temp, 'quiet.txt')]);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
    expect(readFileSync(join(temp, 'quiet.txt'), 'utf8')).toContain('2 findings (2 errors, 0 warnings) in 2 files');
  });

  it('analyzes only the files --include and --exclude leave', async () => {
    const run = await cli(['analyze', '--project', 'fixtures/analyzer/syntax-error', '--exclude', 'src/broken.ts', '--format', 'json']);
    expect(run.code).toBe(1);
    const graph = JSON.parse(run.stdout) as TaskGraph;
    expect([graph.summary.files, graph.findings.map((finding) => finding.ruleId)]).toEqual([1, ['no-floating-task']]);
    const only = await cli(['analyze', '--project', 'fixtures/analyzer/syntax-error', '--include', 'src/ok.ts', '--exclude', 'src/ok.ts']);
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/^taskscope: Nothing to analyze\.\nReason: No source file of .* matches --include \["src\/ok\.ts"\] and --exclude \["src\/ok\.ts"\]\.\n/);
  });

  it('rejects an unknown flag with exit 2 before loading anything', async () => {
    const run = await cli(['analyze', '--project', 'fixtures/analyzer/floating', '--fail-on', 'warnings']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toBe('taskscope: The arguments are not valid.\nReason: `--fail-on warnings` is not one of error, warning, none.\nPass one of: error, warning, none.\n');
  });

  it('prints the help of the command, and the version', async () => {
    const help = await cli(['analyze', '--help']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: taskscope analyze \[options\]\n/);
    const version = await cli(['--version']);
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });
});

describe('analyzeDemo', () => {
  it('writes the HTML, SARIF and JSON reports of the demo app and prints where they are', async () => {
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
    try {
      await analyzeDemo();
    } finally {
      write.mockRestore();
    }
    const output = printed.join('');
    const graph = JSON.parse(readFileSync(join(root, 'reports/demo.json'), 'utf8')) as TaskGraph;
    expect(graph.root).toBe('.');
    expect(graph.findings.length).toBeGreaterThan(0);
    // The warm-up's unbounded ErrGroup is the demo's planted bug.
    expect(output).toMatch(/src\/crawler\.ts:\d+:\d+ +no-unbounded-fanout +`group\.go\(\.\.\.\)` starts a task for every iteration over `urls`/);
    expect(output).toContain(`${graph.findings.length} findings`);
    for (const report of ['demo.html', 'demo.sarif', 'demo.json']) expect(output).toContain(join('reports', report));
    expect(readFileSync(join(root, 'reports/demo.html'), 'utf8')).toContain('<pre class="excerpt">');
    expect((JSON.parse(readFileSync(join(root, 'reports/demo.sarif'), 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]?.results).toHaveLength(graph.findings.length);
  });
});

