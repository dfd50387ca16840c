import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { lintFiles, mayHoldDirective, parseErrors, resolveRuleSettings } from '../../../analyzer/collect/lint.js';
import { loadedProjectOf, loadProject } from '../../../analyzer/collect/load-project.js';
import plugin from '../../../rules/index.js';
import { analyzeLoaded } from '../../../analyzer/collect/pipeline.js';
import type { TaskGraph } from '../../../analyzer/graph/types.js';

/** Analyzes in-memory files (paths under `/src/`) in a program with `allowJs`, as a project with `.js` setup files has. */
function analyzeFiles(files: Record<string, string>): Promise<TaskGraph> {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ['lib.es2023.d.ts'], strict: true },
  });
  for (const [path, text] of Object.entries(files)) project.createSourceFile(path, text);
  return analyzeLoaded(loadedProjectOf(project, '/'));
}

const where = (graph: TaskGraph): string[] => graph.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);

const FLOATING = 'async function save() {}\nexport function handle() {\n  save();\n}\n';

describe('lintFiles', () => {
  it('reports the rule findings of a JavaScript file with an `eslint-env` comment, and no parse error', async () => {
    // ESLint 10 marks the comment fatal ("no longer supported") yet parses the file and runs the rules.
    const graph = await analyzeFiles({ '/src/setup.js': `/* eslint-env node, jest */\n${FLOATING}` });
    expect(where(graph)).toEqual(['src/setup.js:4:3 no-floating-task']);
  });

  it('leaves out the configuration comments ESLint refuses, in TypeScript files too', async () => {
    const graph = await analyzeFiles({
      '/src/config.ts': `/* eslint-env browser */\n/* global jQuery: maybe */\n/* eslint no-console: [broken */\n${FLOATING}`,
    });
    expect(where(graph)).toEqual(['src/config.ts:6:3 no-floating-task']);
  });

  it('parses comments only for a file that may hold a directive, and honours every kind', async () => {
    expect(mayHoldDirective("const API = 'https://api.example.test/v1'; // the v1 API\n/* retried */")).toBe(false);
    for (const directive of ['// eslint-disable-line', '/* eslint-disable */', '/* globals jQuery */', '/* exported main */']) {
      expect(mayHoldDirective(`${directive}\nexport {};`)).toBe(true);
    }
    const graph = await analyzeFiles({
      '/src/plain.ts': `// saves in the background\n${FLOATING}`,
      '/src/line.ts': FLOATING.replace('save();', 'save(); // eslint-disable-line taskscope/no-floating-task'),
      '/src/next.ts': FLOATING.replace('  save();', '  // eslint-disable-next-line taskscope/no-floating-task\n  save();'),
      '/src/block.ts': `/* eslint-disable taskscope/no-floating-task */\n${FLOATING}`,
    });
    expect(where(graph)).toEqual(['src/plain.ts:4:3 no-floating-task']);
  });

  it('takes no finding from a disable comment naming a taskscope rule that does not exist', async () => {
    const graph = await analyzeFiles({ '/src/typo.ts': 'export const port = 8080; // eslint-disable-line taskscope/no-floating-tasks\n' });
    expect(graph.findings).toEqual([]);
  });

  it('reports a JavaScript file with a real syntax error as a parse error, whatever its comments', async () => {
    const graph = await analyzeFiles({ '/src/broken.js': '/* eslint-env node */\nexport const ports = [80, 443;\n', '/src/ok.js': FLOATING });
    expect(where(graph)).toEqual(['src/broken.js:2:30 parse-error', 'src/ok.js:3:3 no-floating-task']);
  });

  it('reports a file typescript-eslint refuses to parse as a parse error where ESLint runs, without ESLint’s prefix', async () => {
    // TypeScript parses the modifier and leaves it to the checker; typescript-eslint's parser throws on it. ESLint runs
    // on the file for no-double-close, which the two releases call for.
    const release = 'export function stop(reader: ReadableStreamDefaultReader<string>): void {\n  reader.releaseLock();\n  reader.releaseLock();\n}\n';
    const graph = await analyzeFiles({ '/src/modifier.ts': `/* eslint-env node */\npublic function handle() {}\n${release}` });
    expect(where(graph)).toEqual(['src/modifier.ts:2:1 parse-error']);
    expect(graph.findings[0]!.message).toBe(
      "`src/modifier.ts` does not parse: 'public' modifier cannot appear on a module or namespace element. Fix the syntax so the rules and the graph can check this file.",
    );
  });
});

describe('lintFiles without tokens', () => {
  // The analyzer parses without typescript-eslint's token list (see `tokenlessParser` in analyzer/collect/lint.ts);
  // ESLint in the editor parses with it. Every fixture project must give the same findings both ways.
  const fixtures = fileURLToPath(new URL('../../../fixtures/analyzer/', import.meta.url));
  const projects = readdirSync(fixtures, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(join(fixtures, entry.name)).includes('src'))
    .map((entry) => entry.name);

  /** ESLint's own parser (with tokens) on the same program, the same rules: what the editor reports. */
  function withTokens(project: ReturnType<typeof loadProject>, files: readonly ts.SourceFile[]): { findings: string[]; suggested: number } {
    const rules: Linter.RulesRecord = {};
    for (const [id, setting] of resolveRuleSettings()) if (id in plugin.rules) rules[`taskscope/${id}`] = setting as Linter.RuleEntry;
    const config: Linter.Config[] = [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser, parserOptions: { programs: [project.program], lib: [] } },
        plugins: { taskscope: plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
        rules,
      },
    ];
    const linter = new Linter({ configType: 'flat', cwd: '/' });
    const findings: string[] = [];
    let suggested = 0;
    for (const file of files) {
      for (const message of linter.verify(file.text, config, { filename: file.fileName })) {
        if (!message.ruleId?.startsWith('taskscope/')) continue;
        findings.push(`${project.relativePath(file)}:${message.line}:${message.column}-${message.endLine}:${message.endColumn} ${message.ruleId?.replace('taskscope/', '')} ${message.message}`);
        if (message.suggestions?.length) suggested++;
      }
    }
    return { findings: findings.sort(), suggested };
  }

  // Native rules run without ESLint there, and the others (and a native rule's ESLint part) without tokens: the
  // positions, end positions and messages must still be ESLint's.
  it.each(projects)('finds in fixtures/analyzer/%s what ESLint finds with tokens', (name) => {
    const project = loadProject({ project: join(fixtures, name) });
    const broken = parseErrors(project);
    const files = project.files.filter((file) => !broken.has(file));
    const tokenless = lintFiles(project, files, resolveRuleSettings()).map((f) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId} ${f.message}`);
    expect(tokenless.sort()).toEqual(withTokens(project, files).findings);
  });

  it('covers suggestions that read tokens, in fixtures/analyzer/suggestions', () => {
    // Without this the comparison above could pass on fixtures whose fixers never touch a token.
    const project = loadProject({ project: join(fixtures, 'suggestions') });
    const reference = withTokens(project, project.files);
    expect(reference.findings.map((line) => line.replace(/-\d+:\d+ /, ' ').split(' ').slice(0, 2).join(' '))).toEqual([
      'src/crawl.ts:23:13 propagate-abort-signal',
      'src/crawl.ts:28:9 propagate-abort-signal',
      'src/crawl.ts:31:11 propagate-abort-signal',
      'src/stream.ts:7:7 no-double-close',
    ]);
    expect(reference.suggested).toBe(4);
  });
});

describe('Linter', () => {
  // The ground the analyzer stands on: if an ESLint version stopped marking these fatal, or stopped parsing such a
  // file, these cases say so before the analyzer's answers change.
  it('marks an `eslint-env` comment fatal and still runs the rules on the file', () => {
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify('/* eslint-env node */\nvar unused = 1;\n', [{ rules: { 'no-unused-vars': 'error' } }], { filename: 'a.js' });
    expect(messages.map((m) => [m.ruleId, m.fatal ?? false])).toEqual([[null, true], ['no-unused-vars', false]]);
    expect(linter.getSourceCode()).not.toBeNull();
  });

  it('keeps no source code when the parser fails', () => {
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify('function (', [{}], { filename: 'a.js' });
    expect(messages).toMatchObject([{ fatal: true, message: expect.stringMatching(/^Parsing error: /) as string }]);
    expect(linter.getSourceCode()).toBeNull();
  });
});
