import * as tsParser from '@typescript-eslint/parser';
import { Linter, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';
import ts from '../../../rules/utils/typescript.cjs';
import { disabledIn } from '../../../analyzer/collect/directives.js';

// A rule that reports at the start of every node: where ESLint keeps a report, the directive did not turn it off.
const probe: Rule.RuleModule = {
  meta: { type: 'problem', schema: [] },
  create: (context) => ({ '*': (node: Rule.Node) => context.report({ node, message: 'here' }) }),
};
const other: Rule.RuleModule = { meta: { type: 'problem', schema: [] }, create: () => ({}) };

/** The node starts of `text` (`line:column`) where ESLint keeps a report, and where `disabledIn` keeps one. */
function compare(text: string, filename = 'file.ts'): { eslint: string[]; ours: string[] } {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: tsParser },
      plugins: { taskscope: { rules: { probe, other } } },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: { 'taskscope/probe': 'error', 'taskscope/other': 'error' },
    },
  ];
  const reported = (source: string): Set<string> => {
    const messages = linter.verify(source, config, { filename });
    const fatal = messages.find((message) => message.fatal);
    if (fatal) throw new Error(fatal.message);
    return new Set(messages.filter((message) => message.ruleId === 'taskscope/probe').map((message) => `${message.line}:${message.column}`));
  };
  const kept = reported(text);
  // Every ESTree node's start: the same text with its directives spelt so that they are none.
  const everywhere = reported(text.replaceAll('eslint-', 'eslint_'));
  const file = ts.createSourceFile(filename, text, ts.ScriptTarget.Latest, true, filename.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const disabled = disabledIn(file);
  const starts = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (node !== file && node.kind !== ts.SyntaxKind.EndOfFileToken) {
      const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
      starts.add(`${line + 1}:${character + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  // Only where both trees have a node: TypeScript has nodes for some tokens (`=>`), ESTree for some spans (`a?.b`).
  const common = [...starts].filter((at) => everywhere.has(at)).sort();
  const ours = common.filter((at) => {
    const [line, column] = at.split(':').map(Number) as [number, number];
    return !disabled('taskscope/probe', line, column);
  });
  return { eslint: common.filter((at) => kept.has(at)), ours };
}

const CASES: Record<string, string> = {
  'a block disable to the end of the file': 'save();\n/* eslint-disable */\nsave();\nsave();\n',
  'a block disable for one rule, then enabled again': 'save();\n/* eslint-disable taskscope/probe */\nsave();\n/* eslint-enable taskscope/probe */\nsave();\n',
  'an enable for every rule after a disable of one': '/* eslint-disable taskscope/probe */\nsave();\n/* eslint-enable */\nsave();\n',
  'an enable of one rule after a disable of every rule': '/* eslint-disable */\nsave();\n/* eslint-enable taskscope/probe */\nsave();\n',
  'an enable of another rule': '/* eslint-disable */\nsave();\n/* eslint-enable taskscope/other */\nsave();\n',
  'a disable of another rule': '/* eslint-disable taskscope/other */\nsave();\n',
  'a disable in the middle of a line': 'save(); /* eslint-disable */ save();\nsave();\n',
  'a line comment disable, which ESLint ignores': '// eslint-disable\nsave();\n// eslint-disable taskscope/probe\nsave();\n',
  'disable-line, as a line and as a block comment': 'save(); // eslint-disable-line\nsave();\nsave(); /* eslint-disable-line taskscope/probe */\nsave();\n',
  'disable-line in a block comment over two lines, which ESLint refuses': 'save(); /* eslint-disable-line\n taskscope/probe */\nsave();\n',
  'disable-next-line, as a line and as a block comment': '// eslint-disable-next-line\nsave();\nsave();\n/* eslint-disable-next-line\n taskscope/probe */\nsave();\nsave();\n',
  'a rule list with other rules, quotes and a justification':
    '// eslint-disable-next-line no-console, "taskscope/probe" -- the queue owns it\nsave();\n// eslint-disable-next-line taskscope/other -- not this one\nsave();\n',
  'a justification without the spaces, which is part of the rule name': '// eslint-disable-next-line taskscope/probe--why\nsave();\n',
  'directive words in strings, templates and regular expressions':
    "const a = '/* eslint-disable */';\nsave();\nconst b = `// eslint-disable-next-line ${a} /* eslint-disable */`;\nsave();\nconst c = /eslint-disable/;\nsave();\n",
  'a directive between two tokens of one node': 'save(/* eslint-disable-line */);\nsave();\nconst x = [1, /* eslint-disable */ 2];\nsave();\n',
  'a directive inside a template expression': 'const t = `${ /* eslint-disable */ save() }`;\nsave();\n',
  'a directive at the end of a class body and in an empty function':
    'class A {\n  run() {\n    // eslint-disable-next-line\n  } stop() {}\n  /* eslint-disable */\n}\nsave();\n',
  'a JSDoc comment that starts with a directive': '/** eslint-disable */\nsave();\n/*eslint-disable-next-line*/\nsave();\nsave();\n',
  'text after the directive name without a space': '/* eslint-disabled */\nsave();\n/* eslint-disable-next-linex */\nsave();\n',
  'Windows line ends': 'save();\r\n// eslint-disable-next-line\r\nsave();\r\nsave();\r\n',
};

describe('disabledIn', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`turns findings off where ESLint does: ${name}`, () => {
      const { eslint, ours } = compare(text);
      expect(ours).toEqual(eslint);
    });
  }

  it('turns findings off where ESLint does in a TSX file', () => {
    const text = 'export const A = () => (\n  <div>\n    {/* eslint-disable-next-line */}\n    <b>{save()}</b>\n  </div>\n);\nsave();\n';
    const { eslint, ours } = compare(text, 'view.tsx');
    expect(ours).toEqual(eslint);
  });

  it('finds no directive, without walking the tree, in a file that never says `eslint-`', () => {
    const file = ts.createSourceFile('plain.ts', 'save(); // saves in the background\n', ts.ScriptTarget.Latest, true);
    expect(disabledIn(file)('taskscope/probe', 1, 1)).toBe(false);
  });
});
