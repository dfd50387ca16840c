// A smoke test of the runtime bench harness: tiny N, in process, no timing asserted. It proves that every
// contender runs to completion under the checks, and that the checks catch a contender that cheats.
import { afterAll, describe, expect, it } from 'vitest';
import { planCases } from '../../bench/runtime.js';
import type { RunTasks } from '../../bench/runtime/contenders.js';
import { BenchCheckError, measure, runCase } from '../../bench/runtime/measure.js';
import { formatRuntimeReport, type CaseOutcome } from '../../bench/runtime/report.js';
import { configureInstrumentation } from '../../runtime/registry.js';

const tiny = [{ n: 300, reps: 1 }] as const;
const target = { label: 'cheat', concurrency: 4, bound: 4, sizes: tiny };

afterAll(() => {
  // The stacks cases switched stacks on for the whole process; later test files must get the defaults back.
  configureInstrumentation({ track: true, stacks: false });
});

describe('runCase', () => {
  it('runs every case of the matrix to exactly N settled tasks within its limit', async () => {
    const cases = planCases(tiny);
    expect(cases).toHaveLength(73);
    for (const spec of cases) {
      const { sizes } = await runCase(spec);
      const label = `${spec.contender} [${spec.instrumentation}] ${spec.mode} c=${spec.concurrency}`;
      expect(sizes, label).toHaveLength(1);
      expect(sizes[0]!.maxInFlight, label).toBeLessThanOrEqual(spec.concurrency);
      // Eagerly submitted, a bounded contender fills its limit; one that serialised would be measured unfairly.
      // p-map is the exception: it takes an async step per mapper start, so a one-tick task settles before the
      // next starts and it peaks near c/2 + 1, which the table's "in flight" column shows.
      if (spec.mode === 'eager' && spec.contender === 'p-map' && spec.concurrency > 1) expect(sizes[0]!.maxInFlight, label).toBeGreaterThan(1);
      else if (spec.mode === 'eager') expect(sizes[0]!.maxInFlight, label).toBe(Math.min(spec.concurrency, 300));
    }
  });
});

describe('measure', () => {
  const cases: [string, RunTasks, RegExp][] = [
    ['skips a task', async (n, _c, task) => void (await Promise.all(Array.from({ length: n - 1 }, task))), /299 tasks started/],
    [
      'resolves before it runs its tasks',
      async (n, _c, task) => void setImmediate(() => Array.from({ length: n }, task)),
      /0 tasks started and 0 settled when it resolved/,
    ],
    ['ignores its limit', async (n, _c, task) => void (await Promise.all(Array.from({ length: n }, task))), /300 tasks ran at once; the limit was 4/],
    [
      'starts a task after it resolved',
      async (n, _c, task) => {
        for (let i = 0; i < n; i++) await task();
        setImmediate(() => void task());
      },
      /1 more tasks started after it resolved/,
    ],
  ];
  it.each(cases)('fails loudly on a contender that %s', async (_name, run, message) => {
    const failure = measure(run, target);
    await expect(failure).rejects.toBeInstanceOf(BenchCheckError);
    await expect(failure).rejects.toThrow(message);
  });
});

describe('formatRuntimeReport', () => {
  it('prints the target ratios and lists failed cases', () => {
    const figures = (nsPerTask: number) => [{ n: 1000, nsPerTask, samples: [nsPerTask], peakHeapMB: 1, maxInFlight: 16 }];
    const spec = (contender: string, instrumentation?: 'off' | 'on') =>
      ({ contender, mode: 'eager', concurrency: 16, instrumentation, sizes: [{ n: 1000, reps: 1 }] }) as const;
    const outcomes: CaseOutcome[] = [
      { spec: spec('pool'), sizes: figures(100) },
      { spec: spec('p-limit'), sizes: figures(1000) },
      { spec: spec('err-group', 'on'), sizes: figures(200) },
      { spec: spec('err-group', 'off'), sizes: figures(150) },
      { spec: spec('p-queue'), error: 'p-queue 9 eager c=16 n=1000: 17 tasks ran at once; the limit was 16.' },
    ];
    const report = formatRuntimeReport(outcomes, { node: 'v20', machine: 'test', seconds: 1 });
    expect(report).toMatch(/1k\s+16\s+200\s+1,000\s+0\.20×\s+met/);
    expect(report).toMatch(/ErrGroup\s+eager\s+1k\s+16\s+150\s+200\s+50\s+met/);
    expect(report).toContain('CHECKS FAILED in 1 of 5 cases:\n  p-queue 9 eager c=16 n=1000: 17 tasks ran at once');
  });
});
