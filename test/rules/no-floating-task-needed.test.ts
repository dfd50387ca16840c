/**
 * The analyzer lints a file with `no-floating-task`'s ESLint part (the unowned-variable check on code paths) only
 * where `needsEslint` says it may report, and runs the native check alone elsewhere (rules/native/rule.ts). So the
 * gate must hold for every file where that part reports, and should be false for typical files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-floating-task.js';
import { inMemoryProgram } from './in-memory-program.js';
import { code, createRuleTester, FIXTURES } from './rule-tester.js';

const GLOBALS = readFileSync(`${FIXTURES}globals.d.ts`, 'utf8');

/** What the native part reports in `text`, and whether it says the ESLint part is needed there. */
function nativeRun(text: string, given: readonly unknown[] = []): { reports: string[]; needed: boolean } {
  const { program, checker, main } = inMemoryProgram({ '/app/main.ts': text, '/app/globals.d.ts': GLOBALS }, { lib: ['lib.es2023.d.ts'], roots: ['/app/main.ts', '/app/globals.d.ts'] });
  const options = rule.native.options(given);
  const reports: string[] = [];
  rule.native.check({ file: main, program, checker, options, sourceType: 'module', report: ({ messageId }) => reports.push(messageId) });
  const needed = rule.native.needsEslint?.({ file: main, program, checker, options, sourceType: 'module' });
  if (needed === undefined) throw new Error('expected no-floating-task to have an ESLint part');
  return { reports, needed };
}

// Files whose only finding is a promise held in a variable: the ESLint part's alone (asserted below by RuleTester).
const UNOWNED_ONLY = [
  {
    name: 'a promise awaited on some paths only',
    code: code`
      export async function save(entry: AuditEntry, dryRun: boolean): Promise<void> {
        const pending = saveAudit(entry);
        if (dryRun) return;
        await pending;
      }
    `,
    errors: [{ messageId: 'unownedOnSomePath' as const, line: 2 }],
  },
  {
    name: 'a promise never read',
    code: code`
      export function warm(url: string): void {
        const page = fetchPage(url);
      }
    `,
    errors: [{ messageId: 'unownedVariable' as const, line: 2 }],
  },
  {
    name: 'a promise a loop drops with `continue`',
    code: code`
      export async function crawlAll(urls: string[]): Promise<void> {
        for (const url of urls) {
          const page = fetchPage(url);
          if (url.endsWith('/')) continue;
          index(await page);
        }
      }
    `,
    errors: [{ messageId: 'unownedOnSomePath' as const, line: 3 }],
  },
  {
    name: 'a promise destructured from a call and never read',
    code: code`
      declare function deferred<T>(): { promise: Promise<T>; resolve(value: T): void };
      export function open(): () => void {
        const { promise: opened, resolve } = deferred<void>();
        return () => resolve();
      }
    `,
    errors: [{ messageId: 'unownedVariable' as const, line: 3 }],
  },
  {
    name: 'a module-level promise never read',
    code: code`
      const warmup = flushMetrics();
      export const ready = true;
    `,
    errors: [{ messageId: 'unownedVariable' as const, line: 1 }],
  },
];

createRuleTester().run('no-floating-task', rule, {
  valid: [],
  invalid: UNOWNED_ONLY.map(({ code: text, errors }) => ({ code: text, errors })),
});

describe('no-floating-task needsEslint', () => {
  for (const item of UNOWNED_ONLY) {
    it(`says ESLint is needed for ${item.name}, which the native check does not report`, () => {
      expect(nativeRun(item.code)).toEqual({ reports: [], needed: true });
    });
  }

  it('says ESLint is not needed for a typical file: awaited calls, values that are no promise', () => {
    const text = code`
      export async function rename(id: string, base: string): Promise<string> {
        const page = await fetchPage(base + '/users/' + id);
        const name = page.trim() || 'anonymous';
        const url = new URL('/users/' + id, base);
        const parts = name.split(' ').map((part) => part.length);
        const label = parts.length > 1 ? name.slice(0, 8) : name;
        await saveAudit({ action: 'rename ' + url.pathname, important: label === name });
        return label;
      }
    `;
    expect(nativeRun(text)).toEqual({ reports: [], needed: false });
  });

  it('says ESLint is not needed for promises it never follows: exported, reassigned, read from a closure', () => {
    const text = code`
      export const ready = flushMetrics();
      export async function retry(url: string): Promise<() => Promise<string>> {
        let current = fetchPage(url);
        current = fetchPage(url + '?retry');
        await current;
        const later = fetchPage(url);
        return () => later;
      }
    `;
    expect(nativeRun(text).needed).toBe(false);
  });

  it('says ESLint is not needed for floating statements, which the native check reports itself', () => {
    const text = code`
      export function audit(entry: AuditEntry): void {
        saveAudit(entry);
      }
    `;
    expect(nativeRun(text)).toEqual({ reports: ['floating'], needed: false });
  });

  it('says ESLint is needed for a promise local that every path reads: only code paths tell the paths apart', () => {
    const text = code`
      export async function load(url: string): Promise<string> {
        const page = fetchPage(url);
        return await page;
      }
    `;
    expect(nativeRun(text)).toEqual({ reports: [], needed: true });
  });

  it('asks about bindings destructured from a call by their property: a promise needs ESLint, a value does not', () => {
    const declarations = 'declare function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; size: number };\n';
    expect(nativeRun(`${declarations}export function f(): number { const { promise } = deferred<void>(); return 1; }`).needed).toBe(true);
    expect(nativeRun(`${declarations}export function f(): number { const { size } = deferred<void>(); return size; }`).needed).toBe(false);
  });
});
