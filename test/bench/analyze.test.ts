// A smoke test of the analyzer bench: a 10-file generated project, measured once with each tool through the bench's
// own child-process harness. It proves the probe reads back CPU time and peak RSS, that the analyzer wrote its
// reports, and that the report prints both targets. No timing is asserted. It runs the CLI from source
// (`analyze-source`), not the built bin: measuring the bin may rebuild `dist/`, which the package e2e test builds and
// packs at the same time in another worker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatAnalyzeReport, measureOnce, type AnalyzeRun, type AnalyzeTarget } from '../../bench/analyze.js';
import { generateProject } from '../../bench/generate-project.js';
import { BenchOptionError, positiveInteger } from '../../bench/lib/options.js';

const work = mkdtempSync(join(tmpdir(), 'taskscope-analyze-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const linux = process.platform === 'linux';

describe('measureOnce', () => {
  it('measures the analyzer and tsc on the same project, each in its own process', async () => {
    const project = generateProject(join(work, 'project'), { files: 10 });
    const target: AnalyzeTarget = { name: 'generated', label: 'generated (10 files)', tsconfig: project.tsconfig };
    const runs: AnalyzeRun[] = [await measureOnce(target, 'analyze-source', work), await measureOnce(target, 'tsc', work)];
    for (const run of runs) {
      expect(run.cpuMs, run.tool).toBeGreaterThan(0);
      expect(run.wallMs, run.tool).toBeGreaterThan(0);
      if (linux) expect(run.peakKiB, run.tool).toBeGreaterThan(10_000);
      expect(run.typeErrors, run.tool).toBe(false);
    }
    // The report's target lines compare the built CLI with tsc; the source run stands in for it here.
    const asBuilt = runs.map((run) => (run.tool === 'analyze-source' ? { ...run, tool: 'analyze' as const } : run));
    const report = formatAnalyzeReport(asBuilt, { machine: 'test machine', seconds: 1, reps: 1, targets: [target] });
    expect(report).toMatch(/^wall time +generated +[\d.]+ s +[\d.]+ s +[\d.]+× +≤ 1\.5× +(met|MISSED)$/m);
    expect(report).toMatch(linux ? /^peak RSS +generated +\d+ MiB +\d+ MiB +[\d.]+× +≤ 1\.5× +(met|MISSED)$/m : /Peak RSS not measured/);
  }, 60_000);

  it('rejects a project the analyzer cannot load, with its reason', async () => {
    const target: AnalyzeTarget = { name: 'missing', label: 'missing', tsconfig: join(work, 'nowhere', 'tsconfig.json') };
    await expect(measureOnce(target, 'analyze-source', work)).rejects.toThrow(/analyze-source on missing exited with code 2\.\nReason: [^]*does not exist/);
  }, 30_000);
});

describe('positiveInteger', () => {
  it('returns the fallback when the flag is absent and throws a BenchOptionError for a bad value', () => {
    expect(positiveInteger('analyze-reps', undefined, 3)).toBe(3);
    expect(positiveInteger('analyze-reps', '5', 3)).toBe(5);
    expect(() => positiveInteger('analyze-reps', '0', 3)).toThrow(new BenchOptionError('bench: expected `--analyze-reps` to be a positive integer, got `0`.'));
  });
});

describe('npm run bench', () => {
  it('prints a bad topic flag value as one line and exits 2', () => {
    const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
    const result = spawnSync(tsx, [resolve(import.meta.dirname, '../../bench/run.ts'), '--only', 'analyze', '--analyze-reps', 'x'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('bench: expected `--analyze-reps` to be a positive integer, got `x`.\n');
    expect(result.stdout).toBe('');
  }, 30_000);
});
