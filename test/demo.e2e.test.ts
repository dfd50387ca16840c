/** `npm run demo` is half of the README's quick start: it must run, exit 0, and show the leak report. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

describe('npm run demo', () => {
  it('crawls the demo site, prints the leaks of the buggy warm-up and the analyzer findings, exiting 0', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'demo'], { cwd: root, env: { ...process.env, CI: 'true' } });
    expect(stdout).toContain('9 pages, 1 dead link');
    expect(stdout).toContain('fail fast: wait() rejected with "upstream returned 503"');
    expect(stdout).toContain('taskscope: 3 leaks after test "warms the cache"');
    expect(stdout).toMatch(/ErrGroup "warm-up" was started but never waited/);
    expect(stdout).toMatch(/Task "refresher" in ErrGroup "warm-up" is still running/);
    expect(stdout).toMatch(/Permit of Semaphore "parser budget" \(weight 1\) was never released/);
    expect(stdout).toMatch(/at warmUpCache \(fixtures\/demo-app\/src\/crawler\.ts:\d+:\d+\)/);
    // Part 3: every rule finds its slip in src/audit.ts, and the reports are written.
    for (const rule of ['no-floating-task', 'propagate-abort-signal', 'no-double-close', 'no-unbounded-fanout', 'no-ignored-result']) {
      expect(stdout).toMatch(new RegExp(`src/audit\\.ts:\\d+:\\d+ +${rule} `));
    }
    expect(stdout).toContain('reports/demo.html');
    expect(stdout).toContain('reports/demo.sarif');
  });
});
