/**
 * typescript-eslint's own test cases for `no-floating-promises` and for the void-return half of `no-misused-promises`,
 * replayed against `taskscope/no-floating-task` by the shared scorer. A change in any count, or a new miss, fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PEER_SUITES, writeVoidReturnSuite } from './void-return-suite.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Score {
  summary: string;
  misses: string[];
}

function score(suite: string): Score {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(PEER_SUITES, 'score.mjs'), suite, './rules/index.ts', 'no-floating-task'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  const lines = output.trim().split('\n');
  return { summary: lines.at(-1)!, misses: lines.slice(0, -1) };
}

/**
 * Valid `no-misused-promises` cases where `no-floating-task` deliberately reports more, by index in the filtered
 * suite (`voidReturnSuite()`; the original index is in parentheses). Each is a promise that `no-floating-promises`
 * would report too, or an unowned variable: the rule is the union of both checks, so these are not false positives.
 */
const VOID_RETURN_DEVIATIONS: Record<string, string> = {
  'valid#16 want [] got [1]': '(valid#16) `Promise.resolve() || false;` floats: a statement whose promise nobody handles.',
  'valid#18 want [] got [1]': '(valid#18) `(true && Promise.resolve()) || false;` floats.',
  'valid#19 want [] got [1]': '(valid#19) `false || (true && Promise.resolve());` floats.',
  'valid#20 want [] got [1]': '(valid#20) `(true && Promise.resolve()) || false;` floats.',
  'valid#26 want [] got [1]': '(valid#27) `new Promise((resolve, reject) => resolve());` floats.',
  'valid#27 want [] got [2]': '(valid#29) `Promise.all([...].map(async ...));` floats.',
  'valid#31 want [] got [1]': '(valid#33) `Promise.resolve() ?? false;` floats.',
  'valid#32 want [] got [3]': '(valid#34) `const foo = a ?? Promise.reject();` is never read: an unowned variable.',
  'valid#120 want [] got [2]': '(valid#122) `Promise.reject(3).finally(async () => {});` floats (the async callback itself is fine).',
  'valid#121 want [] got [3]': '(valid#123) `Promise.reject(3)[f](async () => {});` floats.',
  'invalid#1 want [2] got [2,2]': '(invalid#9) `new Promise(async ...)` as a statement: the async executor and the floating promise, both on line 2.',
};

describe('no-floating-task peer suite', () => {
  it('matches no-floating-promises on every one of its cases', () => {
    const { summary, misses } = score('no-floating-promises.json');
    expect(misses).toEqual([]);
    expect(summary).toBe('peer-suite no-floating-promises.json valid 76/76 invalid 104/104 crashes 0');
  });

  it('matches the void-return cases of no-misused-promises except the documented extra reports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskscope-peer-'));
    const { summary, misses } = score(writeVoidReturnSuite(join(dir, 'void-return.json')));
    expect(misses).toEqual(Object.keys(VOID_RETURN_DEVIATIONS));
    expect(summary).toBe('peer-suite void-return.json valid 115/125 invalid 29/30 crashes 0');
  });
});
