import { Linter } from 'eslint';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { loadedProjectOf } from '../../../analyzer/collect/load-project.js';
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

  it('takes no finding from a disable comment naming a taskscope rule that does not exist', async () => {
    const graph = await analyzeFiles({ '/src/typo.ts': 'export const port = 8080; // eslint-disable-line taskscope/no-floating-tasks\n' });
    expect(graph.findings).toEqual([]);
  });

  it('reports a JavaScript file with a real syntax error as a parse error, whatever its comments', async () => {
    const graph = await analyzeFiles({ '/src/broken.js': '/* eslint-env node */\nexport const ports = [80, 443;\n', '/src/ok.js': FLOATING });
    expect(where(graph)).toEqual(['src/broken.js:2:30 parse-error', 'src/ok.js:3:3 no-floating-task']);
  });

  it('reports a file typescript-eslint refuses to parse as a parse error, without ESLint’s prefix', async () => {
    // TypeScript parses the modifier and leaves it to the checker; typescript-eslint's parser throws on it.
    const graph = await analyzeFiles({ '/src/modifier.ts': '/* eslint-env node */\npublic function handle() {}\n' });
    expect(where(graph)).toEqual(['src/modifier.ts:2:1 parse-error']);
    expect(graph.findings[0]!.message).toBe(
      "`src/modifier.ts` does not parse: 'public' modifier cannot appear on a module or namespace element. Fix the syntax so the rules and the graph can check this file.",
    );
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
