/**
 * The typed RuleTester every rule test uses: typescript-eslint's RuleTester wired to Vitest, linting against the
 * fixture project in `fixtures/rules/` (whose tsconfig maps `taskscope/runtime` to the real sources).
 */
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** The fixture project's folder. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/rules/', import.meta.url));

/** A RuleTester for type-aware rules; cases default to `file.ts` (or `react.tsx` with `filename`). */
export function createRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: [] }, tsconfigRootDir: FIXTURES },
    },
  });
}

/**
 * Dedents a template literal and drops its first and last line breaks, so a case's line 1 is its first line of code.
 *
 * @example code`
 *   await save();
 * ` // 'await save();'
 */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw({ raw: strings }, ...values).replace(/^\n/, '').replace(/\n[ \t]*$/, '');
  const indent = Math.min(...raw.split('\n').filter((line) => line.trim()).map((line) => line.match(/^ */)![0].length));
  return raw.split('\n').map((line) => line.slice(indent)).join('\n');
}
