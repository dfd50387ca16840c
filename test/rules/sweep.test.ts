/**
 * Never crash: every rule of the plugin runs over code nobody wrote for it — every `.ts` source under
 * `node_modules` and a deterministic sample of `.d.ts` files — and must not throw. One TypeScript program holds all
 * the files, so the sweep type-checks once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Linter } from 'eslint';
import * as parser from '@typescript-eslint/parser';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import plugin from '../../rules/index.js';

const root = resolve(import.meta.dirname, '../..');
/** Every n-th declaration file, in sorted path order, so the sample is the same on every machine with the same lockfile. */
const DECLARATION_STRIDE = 8;

function walk(dir: string, out: string[]): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && /\.(c|m)?ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

function sweepFiles(): string[] {
  const all = walk(join(root, 'node_modules'), []).sort();
  const sources = all.filter((file) => !/\.d\.(c|m)?ts$/.test(file));
  const declarations = all.filter((file) => /\.d\.(c|m)?ts$/.test(file)).filter((_, i) => i % DECLARATION_STRIDE === 0);
  return [...sources, ...declarations];
}

describe('plugin rules', () => {
  it('never throw on the TypeScript under node_modules', () => {
    const files = sweepFiles();
    expect(files.length).toBeGreaterThan(100);
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowJs: false,
      types: [],
    });
    const ruleIds = Object.keys(plugin.rules);
    const linter = new Linter({ configType: 'flat' });
    const config: Linter.Config[] = [
      {
        files: ['**/*.ts', '**/*.cts', '**/*.mts'],
        languageOptions: { parser, parserOptions: { programs: [program] } },
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
        plugins: { taskscope: plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
        rules: Object.fromEntries(ruleIds.map((id) => [`taskscope/${id}`, 'error'])),
      },
    ];
    const crashes: string[] = [];
    let linted = 0;
    for (const file of files) {
      if (program.getSourceFile(file) === undefined) continue;
      try {
        const messages = linter.verify(readFileSync(file, 'utf8'), config, { filename: file });
        // A fatal message is a parse failure of a file TypeScript accepted: the parser's problem, not a rule's, but
        // it would hide the file from the rules, so it counts too.
        for (const m of messages) if (m.fatal) crashes.push(`${file}: ${m.message}`);
        linted++;
      } catch (error) {
        crashes.push(`${file}: ${String(error).split('\n').slice(0, 3).join(' | ')}`);
      }
    }
    expect(crashes).toEqual([]);
    expect(linted).toBeGreaterThan(100);
  }, 600_000);
});
