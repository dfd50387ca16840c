import ts from '../../rules/utils/typescript.cjs';
import plugin from '../../rules/index.js';
import { isNativeRule, type NativeRuleModule } from '../../rules/native/rule.js';
import { memoizedTypesForFile } from '../../rules/utils/memoized-types.js';
import type { Finding, RuleId } from '../graph/types.js';
import { AnalyzerError } from './analyzer-error.js';
import { disabledIn } from './directives.js';
import type { RuleSetting } from './lint.js';
import type { LoadedProject } from './load-project.js';

/** A native rule ready to run: its id, the severity its findings get, and its merged options. */
interface NativeRun {
  readonly id: RuleId;
  readonly rule: NativeRuleModule<string, readonly unknown[]>;
  readonly severity: 'error' | 'warning';
  readonly options: readonly unknown[];
}

/** What {@link nativeLinter} gives: which native rules must run through ESLint on a file, and the others' findings. */
export interface NativeLinter {
  /** The ids of the native rules whose ESLint part may report in `file`: lint it with those rules through ESLint. */
  needsEslint(file: ts.SourceFile): string[];
  /** The findings of the native rules in `file`, except those in `skip` (linted through ESLint instead). */
  lint(file: ts.SourceFile, skip: readonly string[]): Finding[];
}

/** The ids of the plugin's rules written on TypeScript's tree, which the analyzer runs without ESLint. */
export function nativeRuleIds(): string[] {
  return Object.entries(plugin.rules)
    .filter(([, rule]) => isNativeRule(rule))
    .map(([id]) => id)
    .sort();
}

/**
 * A linter for the plugin's native rules (see `rules/native/rule.ts`) on files of the analyzer's program: the same
 * `check` ESLint runs in the editor, on the same TypeScript tree and checker, without typescript-estree's copy of the
 * file, a scope analysis or ESLint's traversal. Findings carry the same rule ids, positions and messages as ESLint's,
 * and `eslint-disable` comments for the rule turn them off as in ESLint (`directives.ts`).
 *
 * A rule with an ESLint part (code-path analysis, see `EslintPart`) runs through ESLint instead on the files where
 * that part says it may report: `needsEslint(file)` names those rules, and `lint(file, skip)` leaves them out.
 *
 * `settings` are the effective settings of every rule; rules that are off, or not native, are left alone. Returns
 * `undefined` when no native rule is on.
 *
 * Throws an {@link AnalyzerError} if a rule throws, as `lintFiles` does.
 */
export function nativeLinter(project: LoadedProject, settings: ReadonlyMap<string, RuleSetting>): NativeLinter | undefined {
  const runs: NativeRun[] = [];
  for (const [id, setting] of settings) {
    const rule = (plugin.rules as Record<string, unknown>)[id];
    const level = typeof setting === 'string' ? setting : setting[0];
    if (!isNativeRule(rule) || level === 'off') continue;
    const given = typeof setting === 'string' ? [] : setting.slice(1);
    runs.push({ id: id as RuleId, rule, severity: level === 'error' ? 'error' : 'warning', options: rule.native.options(given) });
  }
  if (runs.length === 0) return undefined;
  const checker = project.program.getTypeChecker();
  // ESLint's default for each extension, as the analyzer's ESLint run has it
  const sourceTypeOf = (file: ts.SourceFile): 'module' | 'commonjs' => (file.fileName.endsWith('.cjs') ? 'commonjs' : 'module');
  const needsEslint = (file: ts.SourceFile): string[] =>
    runs
      .filter((run) => run.rule.native.needsEslint?.({ file, program: project.program, checker: memoizedTypesForFile(checker, file), options: run.options, sourceType: sourceTypeOf(file) }))
      .map((run) => run.id);
  const lint = (file: ts.SourceFile, skip: readonly string[]): Finding[] => {
    const findings: Finding[] = [];
    const path = project.relativePath(file);
    const disabled = disabledIn(file);
    for (const run of runs) {
      if (skip.includes(run.id)) continue;
      const messages: Readonly<Record<string, string>> = run.rule.meta.messages;
      try {
        run.rule.native.check({
          file,
          program: project.program,
          checker: memoizedTypesForFile(checker, file),
          options: run.options,
          sourceType: sourceTypeOf(file),
          report: ({ node, messageId, data }) => {
            const start = file.getLineAndCharacterOfPosition(node.getStart(file));
            const end = file.getLineAndCharacterOfPosition(node.end);
            const location = { file: path, line: start.line + 1, column: start.character + 1 };
            if (disabled(`taskscope/${run.id}`, location.line, location.column)) return;
            findings.push({
              ...location,
              endLine: end.line + 1,
              endColumn: end.character + 1,
              ruleId: run.id,
              severity: run.severity,
              origin: 'lint',
              message: interpolate(messages[messageId] ?? messageId, data),
              chain: [{ ...location, label: lineText(file, location.line, location.column) }],
            });
          },
        });
      } catch (error) {
        throw new AnalyzerError('A lint rule crashed.', `${path}: ${(error as Error).message.split('\n')[0]}`, 'Report this as a taskscope bug, with the file if you can share it.');
      }
    }
    return findings;
  };
  return { needsEslint, lint };
}

/** A message with its `{{ name }}` placeholders filled in, as ESLint fills them: unknown names stay as written. */
function interpolate(text: string, data: Readonly<Record<string, string>> | undefined): string {
  if (!data) return text;
  return text.replace(/\{\{([^{}]+?)\}\}/gu, (whole, name: string) => {
    const key = name.trim();
    return key in data ? String(data[key]) : whole;
  });
}

/** The source from a location to the end of its line, trimmed: the reported code, as a chain label. */
export function lineText(file: ts.SourceFile, line: number, column: number): string {
  const starts = file.getLineStarts();
  const start = (starts[line - 1] ?? 0) + column - 1;
  const end = starts[line] ?? file.text.length;
  const text = file.text.slice(start, end).trim();
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}
