/**
 * One sentence and one trimmed stack per live record, shared by the leak report and `dump()` so the two never
 * describe the same task in different words.
 *
 * Rejected: formatting inside each caller. The leak report and the dump started as copies of each other and drift
 * is the first thing a reader notices ("running" in one, "started" in the other).
 */
import { fileURLToPath } from 'node:url';
import { dirname, relative, sep } from 'node:path';
import type { GroupRecord, LiveRecord, PermitRecord, TaskRecord } from './registry.js';

/** `Task "chunk 3"` or `Task #12`. @example taskLabel(record); // 'Task "chunk 3"' */
export function taskLabel(task: TaskRecord): string {
  return task.name === undefined ? `Task #${task.id}` : `Task ${JSON.stringify(task.name)}`;
}

/**
 * `ErrGroup "upload"` or `an unnamed ErrGroup` (with its id, `#5`, when `withId` is set).
 * @example groupLabel(record, true); // 'an unnamed ErrGroup (#5)'
 */
export function groupLabel(group: GroupRecord, withId = false): string {
  if (group.name !== undefined) return `ErrGroup ${JSON.stringify(group.name)}`;
  return withId ? `an unnamed ErrGroup (#${group.id})` : 'an unnamed ErrGroup';
}

/** `Semaphore "db"` or `an unnamed Semaphore`. @example semaphoreLabel(permit); // 'Semaphore "db"' */
export function semaphoreLabel(permit: PermitRecord): string {
  return permit.semaphore === undefined ? 'an unnamed Semaphore' : `Semaphore ${JSON.stringify(permit.semaphore)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function ago(since: number | undefined, now: number): string {
  return `${Math.max(0, now - (since ?? now))} ms ago`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A record described in one sentence, and what its stack shows. */
export interface RecordDescription {
  /** One sentence without a final period, e.g. `Task "chunk 3" in ErrGroup "upload" is still running (…)`. */
  readonly headline: string;
  /** What the stack is the stack of: `created at`, `acquired at`, `acquire called at`. */
  readonly stackLabel: string;
}

/**
 * Describes a record as a leak (`leak: true`: "is still running", "was never released") or as a line of a dump
 * (`leak: false`: "running", "held"). `now` is passed in so that snapshot tests are stable.
 *
 * @example
 * describeRecord(task, Date.now(), true).headline; // 'Task "chunk 3" in ErrGroup "upload" is still running (started 12 ms ago)'
 */
export function describeRecord(record: LiveRecord, now: number, leak: boolean): RecordDescription {
  switch (record.kind) {
    case 'task': {
      const subject = leak ? `${taskLabel(record)} in ${groupLabel(record.group)}` : taskLabel(record);
      const headline = record.state === 'queued'
        ? `${subject} ${leak ? 'is still queued' : 'queued'} for a slot (submitted ${ago(record.createdAt, now)})`
        : `${subject} ${leak ? 'is still running' : 'running'} (started ${ago(record.startedAt ?? record.createdAt, now)})`;
      return { headline, stackLabel: 'created at' };
    }
    case 'group': {
      const swallowed = record.unobservedErrors > 0 ? `, ${plural(record.unobservedErrors, 'error')} swallowed` : '';
      const counts = `${plural(record.unwaited, 'task')} since the last wait()${swallowed}`;
      const headline = leak
        ? `${capitalize(groupLabel(record, true))} was started but never waited (${counts})`
        : `${capitalize(groupLabel(record, true))}: ${record.state}, ${plural(record.pending, 'task')} pending (${counts})`;
      return { headline, stackLabel: 'created at' };
    }
    case 'permit': {
      const subject = `Permit of ${semaphoreLabel(record)} (weight ${record.weight})`;
      if (record.state === 'waiting') {
        return {
          headline: `${subject} ${leak ? 'is still waiting to be acquired' : 'waiting'} (queued ${ago(record.createdAt, now)})`,
          stackLabel: 'acquire called at',
        };
      }
      return {
        headline: leak ? `${subject} was never released` : `${subject} held (granted ${ago(record.grantedAt, now)})`,
        stackLabel: 'acquired at',
      };
    }
  }
}

/**
 * The directory of taskscope's runtime files: `runtime/` from source, `dist/runtime/` when built. This module
 * sits at the top of it, so its own URL locates it in both layouts.
 */
const runtimeDir = dirname(fileURLToPath(import.meta.url)) + sep;
const runtimeUrl = new URL('.', import.meta.url).href;

/** Frames nobody wants to read in a leak report: Node internals, dependencies, the test runner, taskscope itself. */
function isLibraryFrame(line: string): boolean {
  return line.includes('node:internal') ||
    line.includes('(node:') ||
    line.includes('at node:') ||
    line.includes('node_modules') ||
    line.includes('/vitest/') ||
    line.includes('@vitest') ||
    line.includes('(<anonymous>)') ||
    line.includes(runtimeDir) ||
    line.includes(runtimeUrl);
}

/** Rewrites `file:///abs/path` and `/abs/path` under `cwd` to a path relative to it. */
function relativize(line: string, cwd: string): string {
  return line.replace(/(?:file:\/\/)?(\/[^\s():]+|[A-Za-z]:\\[^\s():]+)/g, (match, path: string) => {
    const absolute = match.startsWith('file://') ? fileURLToPath(match) : path;
    const rel = relative(cwd, absolute);
    return rel.startsWith('..') ? absolute : rel;
  });
}

/**
 * The frames of a captured stack that belong to the user, with paths relative to `cwd`, each starting with
 * `at `. When every frame is library code, the first three frames are kept so that the report still points
 * somewhere. Returns `[]` for `undefined`.
 *
 * @example
 * userFrames('Error\n    at save (/app/src/db.ts:3:9)\n    at node:internal/x:1:1', '/app'); // ['at save (src/db.ts:3:9)']
 */
export function userFrames(stack: string | undefined, cwd: string = process.cwd()): string[] {
  if (stack === undefined) return [];
  const frames = stack.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('at '));
  const user = frames.filter((line) => !isLibraryFrame(line));
  return (user.length > 0 ? user : frames.slice(0, 3)).map((line) => relativize(line, cwd));
}

/** Said where a stack would be when none was captured. @example `(${noStackHint})` */
export const noStackHint = 'no stack captured: set TASKSCOPE_DEBUG=1, or install the leak detector before this is created';

/**
 * The indented block under a headline: the stack label and the trimmed frames, or the hint when no stack was
 * captured. `indent` is the indentation of the label; frames get two more spaces.
 *
 * @example
 * stackBlock(task, 'created at', '     '); // ['     created at:', '       at uploadAll (src/upload.ts:41:11)']
 */
export function stackBlock(record: LiveRecord, label: string, indent: string, cwd?: string): string[] {
  const frames = userFrames(record.stack, cwd);
  if (frames.length === 0) return [`${indent}(${noStackHint})`];
  return [`${indent}${label}:`, ...frames.map((frame) => `${indent}  ${frame}`)];
}
