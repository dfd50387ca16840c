import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny } from '../../../analyzer/collect/glob.js';

describe('globToRegExp', () => {
  const matches = (glob: string, path: string): boolean => globToRegExp(glob).test(path);

  it('matches any number of folders with **', () => {
    expect(matches('src/**/*.ts', 'src/a.ts')).toBe(true);
    expect(matches('src/**/*.ts', 'src/a/b/c.ts')).toBe(true);
    expect(matches('src/**/*.ts', 'lib/a.ts')).toBe(false);
  });

  it('keeps * and ? within one folder', () => {
    expect(matches('src/*.ts', 'src/a/b.ts')).toBe(false);
    expect(matches('src/?.ts', 'src/a.ts')).toBe(true);
    expect(matches('src/?.ts', 'src/ab.ts')).toBe(false);
  });

  it('picks alternatives with braces', () => {
    expect(matches('src/*.{ts,tsx}', 'src/a.tsx')).toBe(true);
    expect(matches('src/*.{ts,tsx}', 'src/a.js')).toBe(false);
  });

  it('matches everything inside a folder given by name, and escapes regex characters', () => {
    expect(matches('src/legacy', 'src/legacy/a.ts')).toBe(true);
    expect(matches('a+b/(x).ts', 'a+b/(x).ts')).toBe(true);
    expect(matches('a.ts', 'abts')).toBe(false);
  });
});

describe('matchesAny', () => {
  it('is true when one glob matches', () => {
    expect(matchesAny('test/a.test.ts', [globToRegExp('src/**'), globToRegExp('test/**')])).toBe(true);
    expect(matchesAny('bench/a.ts', [globToRegExp('src/**')])).toBe(false);
  });
});
