/**
 * Rules that run on TypeScript's own syntax tree, in ESLint and in the analyzer alike.
 *
 * A native rule is one function, `check`, that walks a `ts.SourceFile` with the program's type checker and reports
 * TypeScript nodes. In the editor the plugin runs it through an ESLint rule made by {@link createNativeRule}: on the
 * file's `Program` node it finds the TypeScript source file typescript-eslint parsed, runs `check`, and turns each
 * report into an ESLint report at the node's position, with its suggestions as text edits. The analyzer runs the
 * same `check` on the same kind of source file without ESLint (`analyzer/collect/native-lint.ts`), so a finding in CI
 * is the finding in the editor by construction, not by two implementations kept in step.
 *
 * Why: ESLint needs typescript-estree's copy of every file (an ESTree node per TypeScript node), a scope analysis and
 * a traversal with code-path analysis before a rule sees anything. For the analyzer, which already holds the
 * TypeScript tree and walks it for the graph, that was half of its run on a large project (bench/README.md, issue 4).
 * Rejected: keeping the ESTree rules and writing a second, TypeScript-tree version for the analyzer, two rules that
 * could disagree.
 */
import type { ESLintUtils, TSESLint, TSESTree } from '@typescript-eslint/utils';
import type ts from '../utils/typescript.cjs';
import { createRule, mergedOptions, type TaskscopeRuleDocs } from '../utils/create-rule.js';
import { memoizedTypesForFile } from '../utils/memoized-types.js';

/** A replacement of the text in `range` (offsets into the file's text) by `text`; an insertion has an empty range. */
export interface TextEdit {
  readonly range: readonly [start: number, end: number];
  readonly text: string;
}

/** A suggestion: a message and the edits that apply it, all at once. */
export interface NativeSuggestion<MessageIds extends string> {
  readonly messageId: MessageIds;
  readonly data?: Readonly<Record<string, string>>;
  readonly edits: readonly TextEdit[];
}

/** One finding of a native rule: the node it is about (its position without leading trivia) and its message. */
export interface NativeReport<MessageIds extends string> {
  readonly node: ts.Node;
  readonly messageId: MessageIds;
  readonly data?: Readonly<Record<string, string>>;
  readonly suggest?: readonly NativeSuggestion<MessageIds>[];
}

/** What `check` gets for one file. */
export interface NativeContext<MessageIds extends string, Options extends readonly unknown[]> {
  readonly file: ts.SourceFile;
  readonly program: ts.Program;
  /** The program's checker, memoizing node types and symbols for this file (see `memoizedTypesForFile`). */
  readonly checker: ts.TypeChecker;
  /** The rule's options merged into its defaults, frozen. */
  readonly options: Options;
  /**
   * How ESLint reads the file: as a module (the default for every extension but `.cjs`), as CommonJS (`.cjs`, whose
   * top-level bindings are a function's), or as a script (configured), whose top-level bindings are global.
   */
  readonly sourceType: 'module' | 'commonjs' | 'script';
  readonly report: (report: NativeReport<MessageIds>) => void;
}

/** The part of a native rule the analyzer runs: its check, and how options become the merged, frozen ones. */
export interface NativeCheck<MessageIds extends string, Options extends readonly unknown[]> {
  check(context: NativeContext<MessageIds, Options>): unknown;
  /**
   * Whether the rule's ESLint part (see {@link EslintPart}) may report in this file: then the analyzer lints the
   * file with the whole ESLint rule instead of running `check`. Absent when the rule has no ESLint part.
   */
  needsEslint?: (context: Omit<NativeContext<MessageIds, Options>, 'report'>) => boolean;
  /** The given options (an ESLint rule entry without its severity) merged into the defaults, as ESLint would. */
  options(given: readonly unknown[]): Options;
}

/** An ESLint rule that also carries its native check. */
export type NativeRuleModule<MessageIds extends string, Options extends readonly unknown[]> = ESLintUtils.RuleModule<
  MessageIds,
  Options,
  TaskscopeRuleDocs
> & { readonly native: NativeCheck<MessageIds, Options> };

/**
 * The part of a rule that needs ESLint: its code-path analysis, which follows every path through a function
 * (`no-double-close`'s closes, `no-floating-task`'s promises held in variables). Both faces ask `needed` first: in
 * the editor the listeners run next to `check` only in a file where it says they may report; in the analyzer the
 * whole ESLint rule runs on such a file, and `check` alone elsewhere. `needed` must be sound: `false` only where the
 * listeners report nothing.
 *
 * `check` returns what the listeners need of it (`Shared`, e.g. the statements it reported); the listeners get it
 * through `shared()`, which answers once `check` has run (at the `Program` node, before any other listener).
 */
export interface EslintPart<MessageIds extends string, Options extends readonly unknown[], Shared> {
  listeners(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, options: Options, shared: () => Shared): TSESLint.RuleListener;
  needed(context: Omit<NativeContext<MessageIds, Options>, 'report'>): boolean;
}

/** What {@link createNativeRule} takes: an ESLint rule's name, meta and defaults, and a `check` instead of `create`. */
export type NativeRuleDefinition<MessageIds extends string, Options extends readonly unknown[], Shared = void> = Omit<
  ESLintUtils.RuleWithMetaAndName<Options, MessageIds, TaskscopeRuleDocs>,
  'create'
> & { check(context: NativeContext<MessageIds, Options>): Shared; eslintPart?: EslintPart<MessageIds, Options, Shared> };

/** Whether an ESLint rule is a native one, and so can run without ESLint. */
export function isNativeRule(rule: unknown): rule is NativeRuleModule<string, readonly unknown[]> {
  return typeof rule === 'object' && rule !== null && typeof (rule as { native?: { check?: unknown } }).native?.check === 'function';
}

/**
 * A taskscope rule written on TypeScript's tree: an ESLint rule (made by `createRule`, so options merge and docs link
 * as for every rule) whose `create` runs `check` once per file, plus the `native` part the analyzer runs.
 *
 * @example export default createNativeRule<[], 'unread'>({ name: 'no-ignored-result', meta, defaultOptions: [], check });
 */
export function createNativeRule<Options extends readonly unknown[], MessageIds extends string, Shared = void>(
  definition: Readonly<NativeRuleDefinition<MessageIds, Options, Shared>>,
): NativeRuleModule<MessageIds, Options> {
  const { check, eslintPart, ...rest } = definition;
  const rule = createRule<Options, MessageIds>({
    ...rest,
    create(context, options) {
      const services = context.sourceCode.parserServices;
      const program = services?.program;
      if (!program || !services.esTreeNodeToTSNodeMap) {
        throw new Error(`taskscope: ${definition.name} needs type information. Set parserOptions.projectService (or project) in the ESLint config.`);
      }
      const file = services.esTreeNodeToTSNodeMap.get(context.sourceCode.ast);
      const native = {
        file,
        program,
        checker: memoizedTypesForFile(program.getTypeChecker(), file),
        options,
        sourceType: context.languageOptions.sourceType ?? 'module',
      };
      // The ESLint part listens only where its gate says it may report: code-path analysis of every function costs
      // each file's run, and few files hold what the part reports (as in the analyzer, which skips ESLint there).
      let shared: { value: Shared } | undefined;
      const listeners = eslintPart?.needed(native)
        ? eslintPart.listeners(context, options, () => {
            if (!shared) throw new Error(`taskscope: ${definition.name} read what its check found before the check ran.`);
            return shared.value;
          })
        : undefined;
      const onProgram = listeners?.Program;
      return {
        ...listeners,
        Program(node: TSESTree.Program): void {
          shared = { value: check({ ...native, report: (report) => context.report(toEslintReport(file, report)) }) };
          onProgram?.(node);
        },
      };
    },
  });
  // A merger of its own, with its own cache: the analyzer merges once per run, so sharing `createRule`'s gains nothing.
  const merge = mergedOptions((rule.meta.defaultOptions ?? definition.defaultOptions) as Options);
  const native: NativeCheck<MessageIds, Options> = {
    check,
    options: (given) => merge(given as unknown as Options),
    ...(eslintPart && { needsEslint: (context: Omit<NativeContext<MessageIds, Options>, 'report'>) => eslintPart.needed(context) }),
  };
  return Object.assign(rule, { native });
}

/** A native report as an ESLint report: the node's range as a location, each suggestion's edits as its fix. */
function toEslintReport<MessageIds extends string>(file: ts.SourceFile, report: NativeReport<MessageIds>): TSESLint.ReportDescriptor<MessageIds> {
  const start = file.getLineAndCharacterOfPosition(report.node.getStart(file));
  const end = file.getLineAndCharacterOfPosition(report.node.end);
  return {
    loc: { start: { line: start.line + 1, column: start.character }, end: { line: end.line + 1, column: end.character } },
    messageId: report.messageId,
    ...(report.data && { data: report.data }),
    ...(report.suggest && {
      suggest: report.suggest.map((suggestion) => ({
        messageId: suggestion.messageId,
        ...(suggestion.data && { data: suggestion.data }),
        fix: (fixer: TSESLint.RuleFixer) => suggestion.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)),
      })),
    }),
  };
}
