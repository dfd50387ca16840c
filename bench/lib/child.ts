/**
 * One measured child process, as every bench runs its contenders: `node <args>` in a fresh process with its output
 * captured, killed after a time limit, and timed from spawn to exit. The lint, analyzer and real-world benches read
 * what they need from the output (their probes print CPU time and peak memory at exit) and decide themselves which
 * exit codes count as a failure.
 */
import { spawn } from 'node:child_process';

/**
 * Preloaded into a measured child (`--import`): at exit it prints its CPU time (user + system, µs) and its peak
 * resident memory (VmHWM from `/proc/self/status`, kB; `-` where there is no `/proc`) on stderr, as one line that
 * {@link readProbe} parses. Rejected: `/usr/bin/time -v` (not installed everywhere, and it times the wrapper's exec
 * too) and sampling `process.memoryUsage()` on a timer (it misses a short peak and cannot run while the main thread
 * type-checks).
 */
export const PROBE = `data:text/javascript,${encodeURIComponent(
  [
    "import { readFileSync } from 'node:fs';",
    "process.on('exit', () => {",
    '  const u = process.cpuUsage();',
    "  let hwm = '';",
    "  try { hwm = /^VmHWM:\\s*(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? ''; } catch {}",
    "  process.stderr.write('\\ntaskscope-bench ' + (u.user + u.system) + ' ' + (hwm || '-') + '\\n');",
    '});',
  ].join('\n'),
)}`;

/** What {@link PROBE} printed: CPU time in ms, peak RSS in KiB (`undefined` without `/proc`). */
export interface ProbeReading {
  readonly cpuMs: number;
  readonly peakKiB: number | undefined;
}

/** Reads {@link PROBE}'s line from a child's stderr, or `undefined` when the child exited before printing it. */
export function readProbe(stderr: string): ProbeReading | undefined {
  const line = /^taskscope-bench (\d+) (\d+|-)$/m.exec(stderr);
  if (!line) return undefined;
  return { cpuMs: Number(line[1]) / 1000, peakKiB: line[2] === '-' ? undefined : Number(line[2]) };
}

/** What a finished child left behind. */
export interface ChildOutput {
  /** The exit code, or `null` when the child was killed (by the time limit or a signal). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  readonly wallMs: number;
}

/** How to run a child. */
export interface ChildOptions {
  readonly cwd: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the child after this long: a run that takes longer is stuck, not slow. */
  readonly timeoutMs: number;
}

/**
 * Runs `node <args>` (this process's Node) and resolves once it has exited, whatever its exit code. Rejects only when
 * the child cannot be started at all.
 *
 * @example const { code, stderr, wallMs } = await runNode(['--import', PROBE, TSC, '--noEmit'], { cwd, timeoutMs: 300_000 });
 */
export function runNode(args: readonly string[], { cwd, env = process.env, timeoutMs }: ChildOptions): Promise<ChildOutput> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', fail);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}
