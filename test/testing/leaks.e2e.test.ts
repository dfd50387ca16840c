// Runs real Vitest (and node:test) on fixtures/leaks/<case>/ in a subprocess, as a user's project would, and
// checks the exit code and the lines of the report.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number;
  output: string;
}

function run(command: string, args: string[]): Promise<Run> {
  // The parent Vitest's worker variables would make the child think it is a worker of this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'TASKSCOPE_DEBUG'));
  return new Promise((resolve) => {
    execFile(command, args, { cwd: root, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

function vitest(fixture: string): Promise<Run> {
  return run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--root', `fixtures/leaks/${fixture}`]);
}

describe('taskscope/vitest', () => {
  it('fails a test that leaves a task running, naming the task, its group and where it was created', async () => {
    const { code, output } = await vitest('leak');
    expect(code).toBe(1);
    expect(output).toContain('Tests  1 failed | 1 passed (2)');
    expect(output).toContain('LeakError: taskscope: 2 leaks after test "leaves a task running" (fixtures/leaks/leak/leak.test.ts)');
    expect(output).toContain('  1. ErrGroup "upload" was started but never waited (1 task since the last wait())');
    expect(output).toMatch(/ {2}2\. Task "chunk 3" in ErrGroup "upload" is still running \(started \d+ ms ago\)\n {5}created at:\n {7}at fixtures\/leaks\/leak\/leak\.test\.ts:13:9\n/);
    expect(output).not.toContain('runtime/err-group.ts');
  });

  it('passes a suite that waits, releases, and uses the result matchers', async () => {
    const { code, output } = await vitest('no-leak');
    expect(output).toContain('Tests  3 passed (3)');
    expect(code).toBe(0);
  });

  it('lets configureLeakDetection() and allowLeaks() allow known leaks, and no others', async () => {
    const { code, output } = await vitest('ignored');
    expect(output).toContain('Tests  1 failed | 2 passed (3)');
    expect(output).toContain('LeakError: taskscope: 2 leaks after test "still fails on a leak no filter allows"');
    expect(output).not.toMatch(/after test "(starts a background poller|allows one known leak in this test)"/);
    expect(code).toBe(1);
  });

  it('sees leaks made through a second copy of the runtime modules', async () => {
    const { code, output } = await vitest('module-copy');
    expect(code).toBe(1);
    expect(output).toContain('Tests  1 failed | 1 passed (2)');
    expect(output).toContain('Task "from the copy" in ErrGroup "copied" is still running');
  });

  it('reports both the failure of a failing test and its leaks', async () => {
    const { code, output } = await vitest('leak-in-failing-test');
    expect(code).toBe(1);
    expect(output).toContain('AssertionError: expected 2 to be 3');
    expect(output).toContain('LeakError: taskscope: 2 leaks after test "fails and leaks" (fixtures/leaks/leak-in-failing-test/failing.test.ts)');
    expect(output).toContain('Task "fetch page" in ErrGroup "crawl" is still running');
  });

  it('attributes leaks to the right test with isolate: false and several files in one worker', async () => {
    const { code, output } = await vitest('isolate-false');
    expect(code).toBe(1);
    expect(output).toContain('Tests  2 failed | 3 passed (5)');
    expect(output).toContain('LeakError: taskscope: 2 leaks after test "b leaks" (fixtures/leaks/isolate-false/b.test.ts)');
    // b's task is still running when c runs: c reports only its own permit.
    expect(output).toContain('LeakError: taskscope: 1 leak after test "c leaks" (fixtures/leaks/isolate-false/c.test.ts)');
    expect(output).toContain('  1. Permit of Semaphore "c" (weight 1) was never released');
  });

  it('reports a permit never released and an acquire still waiting', async () => {
    const { code, output } = await vitest('permit');
    expect(code).toBe(1);
    expect(output).toContain('  1. Permit of Semaphore "db" (weight 1) was never released\n     acquired at:\n       at fixtures/leaks/permit/permit.test.ts:6:12\n');
    expect(output).toMatch(/ {2}2\. Permit of Semaphore "db" \(weight 1\) is still waiting to be acquired \(queued \d+ ms ago\)\n {5}acquire called at:\n {7}at fixtures\/leaks\/permit\/permit\.test\.ts:7:11\n/);
  });

  it('reports a group never waited with the error it swallowed', async () => {
    const { code, output } = await vitest('unwaited-group');
    expect(code).toBe(1);
    expect(output).toContain('LeakError: taskscope: 1 leak after test "never waits"');
    expect(output).toContain('  1. ErrGroup "jobs" was started but never waited (2 tasks since the last wait(), 1 error swallowed)');
  });

  it('reports instead of hanging when a test leaves fake timers installed', async () => {
    const { code, output } = await vitest('unwaited-group');
    expect(code).toBe(1);
    expect(output).toContain('Tests  2 failed (2)');
    expect(output).toContain('Task "sleeps on a fake clock" in ErrGroup "timer" is still running');
  });
});

describe('installLeakDetector', () => {
  it('fails a node:test test that leaks, from beforeEach/afterEach', async () => {
    const { code, output } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'fixtures/leaks/node-test/leak.test.ts']);
    expect(code).toBe(1);
    expect(output).toContain('✔ waits for its group');
    expect(output).toContain('taskscope: 2 leaks after test "leaves a task running" (fixtures/leaks/node-test/leak.test.ts)');
    expect(output).toMatch(/Task "original" in ErrGroup "resize" is still running \(started \d+ ms ago\)\n\s+created at:\n\s+at .*fixtures\/leaks\/node-test\/leak\.test\.ts:18:9/);
    expect(output).toContain("To allow a known background task: installLeakDetector({ ignore: [ignoreTaskNamed('…')] }).");
  });
});
