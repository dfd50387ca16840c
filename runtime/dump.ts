/**
 * `dump()`: what is live right now, as Go prints goroutines on SIGQUIT. For a process that hangs, a test that
 * times out, or a `/debug` endpoint.
 *
 * Rejected: a JSON shape. `liveRecords()` already gives the data; this is the text a human reads first.
 */
import { describeRecord, stackBlock } from './describe.js';
import { liveRecords } from './registry.js';
import type { GroupRecord, LiveRecord, PermitRecord } from './registry.js';

/** Options for {@link dump}. */
export interface DumpOptions {
  /**
   * Also write the text here, e.g. `process.stderr`. Anything with a `write(text)` method.
   * @default undefined (only return it)
   */
  write?: { write(text: string): unknown };
  /**
   * The clock ages are measured against, in `Date.now()` milliseconds.
   * @default Date.now()
   */
  now?: number;
  /**
   * Paths in stacks are shown relative to this directory.
   * @default process.cwd()
   */
  cwd?: string;
}

/**
 * Describes every live group, task and permit: tasks under their group, permits by semaphore, each with its
 * state, its age and its creation stack when one was captured (stacks are captured while a leak detector is
 * installed or `TASKSCOPE_DEBUG=1` is set). Returns the text, which ends with a newline; writes it too when
 * `write` is given. Reads the registry only: it changes nothing and never waits.
 *
 * @example
 * process.on('SIGUSR2', () => dump({ write: process.stderr }));
 *
 * @example
 * const text = dump();
 * // taskscope: 1 group, 2 tasks, 0 permits live
 * //
 * // ErrGroup "upload": waiting, 2 tasks pending (2 tasks since the last wait())
 * //   Task "chunk 1" running (started 12 ms ago)
 * //   …
 */
export function dump(options: DumpOptions = {}): string {
  const now = options.now ?? Date.now();
  const records = liveRecords();
  const groups = new Map<GroupRecord, LiveRecord[]>();
  const permits: PermitRecord[] = [];
  for (const record of records) {
    if (record.kind === 'permit') permits.push(record);
    else if (record.kind === 'group') groups.set(record, groups.get(record) ?? []);
    else groups.set(record.group, [...(groups.get(record.group) ?? []), record]);
  }
  const taskCount = records.filter((record) => record.kind === 'task').length;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [`taskscope: ${count(groups.size, 'group')}, ${count(taskCount, 'task')}, ${count(permits.length, 'permit')} live`];

  for (const [group, tasks] of groups) {
    lines.push('');
    // A group that is not live itself (its tasks are) is still described from its record: the state says why.
    const description = describeRecord(group, now, false);
    lines.push(description.headline);
    if (group.stack !== undefined) lines.push(...stackBlock(group, description.stackLabel, '    ', options.cwd));
    for (const task of tasks) {
      const { headline, stackLabel } = describeRecord(task, now, false);
      lines.push(`  ${headline}`, ...stackBlock(task, stackLabel, '    ', options.cwd));
    }
  }
  if (permits.length > 0) {
    lines.push('', 'Permits:');
    for (const permit of permits) {
      const { headline, stackLabel } = describeRecord(permit, now, false);
      lines.push(`  ${headline}`, ...stackBlock(permit, stackLabel, '    ', options.cwd));
    }
  }
  const text = lines.join('\n') + '\n';
  options.write?.write(text);
  return text;
}
