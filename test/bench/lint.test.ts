// A smoke test of the lint bench: a 10-file generated project, linted once through the bench's own child-process
// harness with every taskscope rule. It proves that the generator plants what each rule looks for, that it is
// deterministic and type-checks, and that the harness reads per-rule times back. No timing is asserted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFECT_RULES, generateProject } from '../../bench/generate-project.js';
import { formatLintReport, lintOnce, taskscopeRules } from '../../bench/lint.js';

const work = mkdtempSync(join(tmpdir(), 'taskscope-lint-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const project = generateProject(join(work, 'a'), { files: 10 });
const contents = (root: string, files: readonly string[]): string[] => files.map((file) => readFileSync(join(root, file), 'utf8'));

describe('generateProject', () => {
  it('writes identical files for the same options and different ones for another seed', () => {
    const again = generateProject(join(work, 'b'), { files: 10 });
    const other = generateProject(join(work, 'c'), { files: 10, seed: 2 });
    expect(again.files).toEqual(project.files);
    expect(contents(again.root, again.files)).toEqual(contents(project.root, project.files));
    expect(readFileSync(again.tsconfig, 'utf8')).toBe(readFileSync(project.tsconfig, 'utf8'));
    expect(again.planted).toEqual(project.planted);
    expect(contents(other.root, other.files)).not.toEqual(contents(project.root, project.files));
  });

  it('plants a defect for every rule in a project of ten files', () => {
    expect(new Set(project.planted.map((defect) => defect.rule))).toEqual(new Set(DEFECT_RULES));
    expect(project.lines / project.files.length).toBeGreaterThan(15);
  });

  it('writes a project that type-checks on its own', () => {
    const { config } = ts.readConfigFile(project.tsconfig, ts.sys.readFile) as { config: unknown };
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, project.root);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(parsed.fileNames).toHaveLength(10);
    expect(messages).toEqual([]);
  });
});

describe('lintOnce', () => {
  it('reports every rule on the defects planted for it and reads back a time for each rule', async () => {
    // From source: the built plugin may rebuild dist/, which the package e2e test builds and packs in another worker.
    const run = await lintOnce({ name: 'generated', cwd: project.root, patterns: ['src/**/*.ts'] }, 'taskscope', work, 'source');
    expect(run.files).toBe(10);
    expect(run.fatal).toBe(0);
    for (const rule of DEFECT_RULES) {
      const id = `taskscope/${rule}`;
      const hits = project.planted.filter(
        (defect) => defect.rule === rule && run.reports.some((report) => report.rule === id && report.file === defect.file && report.line >= defect.scope[0] && report.line <= defect.scope[1]),
      );
      expect(hits.length, id).toBeGreaterThan(0);
    }
    for (const id of taskscopeRules()) {
      expect(run.ruleMs[id], id).toBeGreaterThan(0);
      // TIMING=all and --stats read one stopwatch; the table rounds to a microsecond.
      expect(run.timingMs[id], id).toBeCloseTo(run.ruleMs[id]!, 1);
    }
  });
});

describe('lintOnce with a stopwatch on the checker (--lint-split)', () => {
  it('splits each rule\'s time into checker calls and the rest, and the report shows it', async () => {
    const target = { name: 'generated', cwd: project.root, patterns: ['src/**/*.ts'] };
    const run = await lintOnce(target, 'taskscope', work, 'source', true);
    const split = run.split ?? {};
    for (const id of taskscopeRules()) {
      const entry = split[id];
      expect(entry, id).toBeDefined();
      expect(entry!.totalMs, id).toBeGreaterThan(0);
      expect(entry!.checkerMs, id).toBeGreaterThanOrEqual(0);
      expect(entry!.checkerMs, id).toBeLessThanOrEqual(entry!.totalMs);
    }
    // The rules ask the checker about every file: some of their time is in it.
    expect(Object.values(split).reduce((total, entry) => total + entry.checkerMs, 0)).toBeGreaterThan(0);
    const report = formatLintReport([run], { machine: 'test', seconds: 1, reps: 1, rules: taskscopeRules(), targets: [target], splits: [run] });
    expect(report).toContain('in the checker');
    expect(report).toMatch(new RegExp(`taskscope/no-floating-task\\s+\\|?\\s*[\\d,]+`));
  });
});
