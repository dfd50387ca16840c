/**
 * The CLI's progress line on stderr: `taskscope: linting 120/480 files, 3.2 s`, redrawn in place. Kept apart from
 * `cli.ts` so its throttling and its silence are tested with a fake stream and a fake clock.
 */
import type { AnalyzePhase } from './index.js';

/** Where the line goes: a TTY stream, or a fake one in tests. */
export interface ProgressStream {
  write(text: string): unknown;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /**
   * Draw at all. The CLI passes `false` for `--quiet` and when stderr is not a terminal, so CI logs and redirected
   * stderr never fill with carriage returns.
   */
  readonly enabled: boolean;
  /** Milliseconds since some fixed point. @default performance.now */
  readonly now?: () => number;
  /** Least time between two redraws within one phase, in milliseconds. @default 100 */
  readonly interval?: number;
}

/** A progress line: `update` is `analyze()`'s `onProgress`; `clear` erases the line before the report is printed. */
export interface Progress {
  readonly update: (done: number, total: number, phase: AnalyzePhase) => void;
  readonly clear: () => void;
}

const LABELS: Readonly<Record<AnalyzePhase, string>> = {
  load: 'loading the project',
  collect: 'collecting',
  lint: 'linting',
  graph: 'analyzing the task graph',
};

// Carriage return, then erase to the end of the line: the next draw overwrites this one in place.
const ERASE = '\r\u001b[K';

/**
 * Creates the progress line. A new phase and a phase's last step are always drawn; other steps at most once per
 * `interval`, since `analyze()` reports every file and a terminal write per file would cost more than the work.
 * Disabled, it writes nothing at all, not even on `clear`.
 *
 * @example
 * const progress = createProgress(process.stderr, { enabled: process.stderr.isTTY });
 * try { graph = await analyze({ onProgress: progress.update }); } finally { progress.clear(); }
 */
export function createProgress(stream: ProgressStream, options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const interval = options.interval ?? 100;
  const started = now();
  let drawnAt = -Infinity;
  let drawnPhase: AnalyzePhase | undefined;
  return {
    update: (done, total, phase) => {
      if (!options.enabled) return;
      const time = now();
      if (phase === drawnPhase && done < total && time - drawnAt < interval) return;
      drawnAt = time;
      drawnPhase = phase;
      // `load` and `graph` count 0/1 then 1/1: a count says nothing there.
      const count = phase === 'collect' || phase === 'lint' ? ` ${done}/${total} files,` : ',';
      stream.write(`${ERASE}taskscope: ${LABELS[phase]}${count} ${((time - started) / 1000).toFixed(1)} s`);
    },
    clear: () => {
      if (drawnPhase !== undefined) stream.write(ERASE);
      drawnPhase = undefined;
    },
  };
}
