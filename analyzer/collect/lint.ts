import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { SourceCode } from 'eslint';
// `Linter` alone: the package's main entry also loads the `ESLint` class (file enumeration, caching, formatters), 38
// modules the analyzer never uses.
import { Linter } from 'eslint/universal';
import * as tsParser from '@typescript-eslint/parser';
import ts from '../../rules/utils/typescript.cjs';
import plugin from '../../rules/index.js';
import type { Finding, RuleId, Severity } from '../graph/types.js';
import { AnalyzerError } from './analyzer-error.js';
import type { LoadedProject } from './load-project.js';
import { isNativeRule } from '../../rules/native/rule.js';
import { lineText, nativeLinter } from './native-lint.js';

/** How one rule runs: off, or a severity with the rule's options (as in an ESLint config, without the prefix). */
export type RuleSetting = 'off' | 'warn' | 'error' | readonly ['off' | 'warn' | 'error', ...unknown[]];

// The five rule ids of the contract: graph findings use them even before (or without) the plugin rule being loaded.
const CONTRACT_RULES = ['no-floating-task', 'propagate-abort-signal', 'no-double-close', 'no-unbounded-fanout', 'no-ignored-result'];

// TypeScript and, in a program with `allowJs`, JavaScript: every kind of file the program can hold.
const LINTED_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];

/** The rule ids the plugin has right now, read from the plugin so new rules are picked up without a change here. */
export function lintRuleIds(): string[] {
  return Object.keys(plugin.rules).sort();
}

/**
 * Each plugin rule's effective setting: the `recommended` config's, overridden by `overrides` (keys with or without
 * the `taskscope/` prefix). A rule the recommended config does not mention runs as an error.
 */
export function resolveRuleSettings(overrides: Readonly<Record<string, RuleSetting>> = {}): Map<string, RuleSetting> {
  const recommended = (plugin.configs.recommended.rules ?? {}) as Record<string, unknown>;
  const settings = new Map<string, RuleSetting>();
  for (const id of new Set([...CONTRACT_RULES, ...lintRuleIds()])) settings.set(id, normalize(recommended[`taskscope/${id}`]) ?? 'error');
  for (const [key, value] of Object.entries(overrides)) {
    const id = key.replace(/^taskscope\//, '');
    if (!settings.has(id)) {
      throw new AnalyzerError('Unknown rule in options.', `\`${key}\` is not a taskscope rule.`, `Use one of: ${[...settings.keys()].join(', ')}.`);
    }
    settings.set(id, value);
  }
  return settings;
}

function normalize(entry: unknown): RuleSetting | undefined {
  const level = (value: unknown): 'off' | 'warn' | 'error' | undefined =>
    value === 0 || value === 'off' ? 'off' : value === 1 || value === 'warn' ? 'warn' : value === 2 || value === 'error' ? 'error' : undefined;
  if (Array.isArray(entry)) {
    const first = level(entry[0]);
    return first && ([first, ...(entry as unknown[]).slice(1)] as unknown as RuleSetting);
  }
  return level(entry);
}

/** The severity a setting gives its findings, or `undefined` when the rule is off. */
export function severityOf(setting: RuleSetting | undefined): Severity | undefined {
  const level = typeof setting === 'string' ? setting : setting?.[0];
  return level === 'error' ? 'error' : level === 'warn' ? 'warning' : undefined;
}

/**
 * The first syntax error of each file, as a `parse-error` finding: the analyzer never skips a file silently.
 * TypeScript's parser recovers, so the file is still walked for the graph; it is not linted, since rules on a
 * recovered tree would report noise.
 */
export function parseErrors(project: LoadedProject): Map<ts.SourceFile, Finding> {
  const errors = new Map<ts.SourceFile, Finding>();
  for (const file of project.files) {
    const diagnostics = project.program.getSyntacticDiagnostics(file);
    const first = diagnostics[0];
    if (!first) continue;
    const path = project.relativePath(file);
    const { line, character } = file.getLineAndCharacterOfPosition(first.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(first.messageText, ' ').replace(/\.$/, '');
    const more = diagnostics.length > 1 ? ` (${diagnostics.length} syntax errors)` : '';
    const location = { file: path, line: line + 1, column: character + 1 };
    errors.set(file, {
      ...location,
      ruleId: 'parse-error',
      severity: 'error',
      origin: 'lint',
      message: `\`${path}\` does not parse: ${text}${more}. Fix the syntax so the rules and the graph can check this file.`,
      chain: [{ ...location, label: text }],
    });
  }
  return errors;
}

/**
 * Lints files with every rule of the taskscope plugin on the analyzer's own program; the rules written on TypeScript's
 * tree (`rules/native/`) run on it directly (`native-lint.ts`), the others through ESLint (typescript-eslint's `programs`
 * option: no second type-check), and turns the messages into findings with origin `lint` and the same rule ids as in
 * the editor. `eslint-disable` comments for taskscope rules are honoured; messages of other rules (a disable comment
 * naming a rule not loaded here) are ignored. JavaScript files of the program (`allowJs`) are linted like TypeScript
 * ones: the rules ask the same checker.
 *
 * Only a parser failure becomes a `parse-error` finding. ESLint also flags as fatal the configuration comments it
 * refuses (`/* eslint-env *\/`, which ESLint 10 no longer supports; a `/* eslint *\/` or `/* global *\/` comment
 * that does not parse), yet it parses the file and runs the rules all the same: those messages are about the
 * project's own ESLint setup, which reports them, not about the task graph, so they are left out and the file's
 * findings kept.
 *
 * Throws an {@link AnalyzerError} if a rule throws: that is a bug in the rule, and a report without that rule's
 * findings would look clean when it is not.
 */
export function lintFiles(
  project: LoadedProject,
  files: readonly ts.SourceFile[],
  settings: ReadonlyMap<string, RuleSetting>,
  onFile?: (done: number, total: number) => void,
): Finding[] {
  // Rules that are not native run through ESLint on every file; a native rule's ESLint part, on the files it needs.
  const everywhere = [...settings]
    .filter(([id, setting]) => id in plugin.rules && !isNativeRule(plugin.rules[id as keyof typeof plugin.rules]) && severityOf(setting) !== undefined)
    .map(([id]) => id);
  const native = nativeLinter(project, settings);
  // The base path is the file system root, so files outside the tsconfig's folder (`"include": ["../shared"]`) match too.
  const linter = new Linter({ configType: 'flat', cwd: '/' });
  const tokenless = tokenlessParser();
  const configFor = (parser: Linter.Parser, rules: Linter.RulesRecord): Linter.Config[] => [
    {
      files: LINTED_FILES,
      // `lib: []`: no implicit global variables for the lib files (DOM alone declares over a thousand). The scope
      // manager makes them afresh for every file, which was a third of the lint phase and most of its garbage on a
      // 2,000-file project (10 s → 7 s, peak RSS −0.5 GB). The rules ask the type checker about globals, which still
      // knows every lib. In scope terms a lib global now reads as an undeclared one (no variable instead of a variable
      // without definitions); the rules treat both alike, except that no-double-close no longer sees a lib global
      // reassigned elsewhere (`status = …`) before following a close on it.
      languageOptions: { parser, parserOptions: { programs: [project.program], lib: [] } },
      plugins: { taskscope: plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules,
    },
  ];
  // One pair of configs (without and with tokens) per set of rules ESLint runs on a file.
  const configs = new Map<string, { first: Linter.Config[] | undefined; withTokens: () => Linter.Config[] }>();
  const configsFor = (ids: readonly string[]): { first: Linter.Config[] | undefined; withTokens: () => Linter.Config[] } => {
    const key = ids.join(',');
    let known = configs.get(key);
    if (!known) {
      const rules: Linter.RulesRecord = Object.fromEntries(ids.map((id) => [`taskscope/${id}`, settings.get(id) as Linter.RuleEntry]));
      let withTokens: Linter.Config[] | undefined;
      known = { first: tokenless && ready(configFor(tokenless, rules)), withTokens: () => (withTokens ??= ready(configFor(tsParser, rules))) };
      configs.set(key, known);
    }
    return known;
  };
  const findings: Finding[] = [];
  files.forEach((file, index) => {
    const path = project.relativePath(file);
    const gated = native?.needsEslint(file) ?? [];
    const ids = gated.length === 0 ? everywhere : [...everywhere, ...gated].sort();
    let parsed = true;
    if (ids.length > 0) {
      const { first, withTokens } = configsFor(ids);
      let messages: Linter.LintMessage[];
      try {
        messages = verifyOrRetry(linter, file, first, withTokens);
        // `verify` keeps the source code of the file it parsed and none when the parser failed (declared non-null, it
        // is `null` then): the one exact test for a parse failure, since configuration comments ESLint refuses come
        // back marked `fatal` too.
        parsed = (linter.getSourceCode() as SourceCode | null) !== null;
      } catch (error) {
        throw new AnalyzerError('A lint rule crashed.', `${path}: ${(error as Error).message.split('\n')[0]}`, 'Report this as a taskscope bug, with the file if you can share it.');
      } finally {
        forgetTokens(file);
      }
      for (const message of messages) {
        const finding = toFinding(message, parsed, path, file);
        if (finding) findings.push(finding);
      }
    }
    // A file typescript-eslint refuses is a parse error, and no rule's business: as ESLint runs none on it.
    if (parsed && native) findings.push(...native.lint(file, gated));
    onFile?.(index + 1, files.length);
  });
  return findings;
}

const requireHere = createRequire(import.meta.url);

const ready = (config: Linter.Config[]): Linter.Config[] => sharedConfigArray(config) ?? config;

/**
 * Lints `file` with `first` (the tokenless parser's config) and, if a rule throws there, once more with tokens:
 * a suggestion's fixer that reads tokens may throw on a tree without them, while the finding stands. A throw with
 * tokens too is a real rule bug and propagates.
 */
function verifyOrRetry(linter: Linter, file: ts.SourceFile, first: Linter.Config[] | undefined, withTokens: () => Linter.Config[]): Linter.LintMessage[] {
  if (first) {
    try {
      return linter.verify(file.text, first, { filename: file.fileName });
    } catch {
      // fall through: once more with tokens
    }
  }
  return linter.verify(file.text, withTokens(), { filename: file.fileName });
}

/** The part of typescript-estree's and scope-manager's API `tokenlessParser` calls. */
interface EstreeParts {
  parseAndGenerateServices(code: string, options: Record<string, unknown>): { ast: { tokens?: unknown[]; sourceType?: string }; services: Record<string, unknown> };
  analyze(ast: unknown, options: Record<string, unknown>): unknown;
  visitorKeys: unknown;
}

/**
 * typescript-eslint's parser without the token list: the same typescript-estree tree, scope analysis and type
 * services, with `tokens: []`. typescript-eslint's parser always asks for tokens (ESLint's token store needs them), and
 * making them walks every node of the file once more (`getChildren()`) and allocates an object per token: ~0.6 s of
 * CPU and its garbage on a 2,000-file project (parsing and ESLint's token store −15% CPU). The rules read tokens only
 * to build a suggestion's fix, which ESLint computes while a finding is reported and the analyzer drops: with no
 * tokens a fixer finds no token (its suggestion changes or goes, the finding does not) or throws, and then the file is
 * linted again with tokens (`verifyOrRetry`). A rule that read tokens to decide whether to report would miss findings
 * here; none does, and `test/analyzer/collect/lint.test.ts` holds the analyzer's findings to the ESLint class's on
 * every rule fixture.
 *
 * Mirrors typescript-eslint's `parseForESLint` (8.x) for a file of the analyzer's own program: its compiler options
 * give the JSX factory names; the analyzer passes `lib: []` (see `lintFiles`). The two packages are loaded from the
 * installed parser's own dependencies, so they are always the parser's versions; when they cannot be loaded this
 * returns `undefined` and every file is parsed with tokens.
 */
function tokenlessParser(): Linter.Parser | undefined {
  let parts: EstreeParts;
  try {
    const parserRequire = createRequire(requireHere.resolve('@typescript-eslint/parser'));
    const estree = parserRequire('@typescript-eslint/typescript-estree') as Partial<EstreeParts>;
    const scope = parserRequire('@typescript-eslint/scope-manager') as Partial<EstreeParts>;
    const keys = parserRequire('@typescript-eslint/visitor-keys') as Partial<EstreeParts>;
    if (typeof estree.parseAndGenerateServices !== 'function' || typeof scope.analyze !== 'function' || !keys.visitorKeys) return undefined;
    parts = { parseAndGenerateServices: estree.parseAndGenerateServices, analyze: scope.analyze, visitorKeys: keys.visitorKeys };
  } catch {
    return undefined;
  }
  return {
    meta: { name: 'taskscope/tokenless-typescript-eslint-parser' },
    parseForESLint(code: string, options: Record<string, unknown> = {}) {
      const sourceType = options['sourceType'] === 'module' ? 'module' : 'script';
      const ecmaFeatures = (options['ecmaFeatures'] ?? {}) as { jsx?: boolean; globalReturn?: boolean };
      const { ast, services } = parts.parseAndGenerateServices(code, {
        jsx: ecmaFeatures.jsx === true,
        ...options,
        sourceType,
        onUnsupportedTypeScriptVersion: 'ignore',
        errorOnTypeScriptSyntacticAndSemanticIssues: false,
        comment: mayHoldDirective(code),
        loc: true,
        range: true,
        tokens: false,
      });
      ast.tokens = [];
      (ast as { comments?: unknown[] }).comments ??= [];
      ast.sourceType = sourceType;
      const compilerOptions = (services['program'] as ts.Program | null | undefined)?.getCompilerOptions() ?? {};
      const scopeManager = parts.analyze(ast, {
        globalReturn: ecmaFeatures.globalReturn,
        lib: options['lib'] ?? [],
        sourceType,
        jsxPragma: options['jsxPragma'] ?? compilerOptions.jsxFactory?.split('.')[0]?.trim(),
        jsxFragmentName: options['jsxFragmentName'] ?? compilerOptions.jsxFragmentFactory?.split('.')[0]?.trim(),
      });
      services['emitDecoratorMetadata'] ??= options['emitDecoratorMetadata'] === true;
      services['experimentalDecorators'] ??= options['experimentalDecorators'] === true;
      services['isolatedDeclarations'] ??= options['isolatedDeclarations'] === true;
      return { ast, scopeManager, services, visitorKeys: parts.visitorKeys } as unknown as Linter.ESLintParseResult;
    },
  };
}

/**
 * Whether a file's text may hold an ESLint directive comment: every directive starts with `eslint` (`eslint-disable`,
 * `eslint-disable-next-line`, `eslint-enable`, `/* eslint … *\/`), `global`, `globals` or `exported`, so a text
 * without those words has none. Only then does the analyzer need the file's comments: ESLint reads them for
 * directives, and the rules only to place a suggestion's fix, which the analyzer drops. Converting them walks every
 * token of the file again (`forEachComment`): 0.4 s of a 2,000-file project's lint phase, and its garbage.
 *
 * @example mayHoldDirective(`fetch('https://api.example.test') // ok`) // false
 */
export function mayHoldDirective(text: string): boolean {
  return text.includes('eslint') || text.includes('global') || text.includes('exported');
}

/** What `Linter.verify` takes as a ready config array: an array with a `getConfig` method. */
type ConfigArrayLike = Linter.Config[] & { getConfig(filename: string): unknown };

/**
 * `config` as an array `Linter.verify` uses as is, whose per-file config is looked up once per folder and extension.
 * Given a plain array, `verify` builds and normalizes a new config array for every file and matches the file against
 * every pattern (~0.4 ms a file, 0.8 s on 2,000 files); an array with a `getConfig` method it takes as ready. The
 * cache key is exact for this config and ESLint's defaults: their patterns are extensions (`**\/*.ts`) and folders
 * (`**\/node_modules/`). The lookup is ESLint's own `FlatConfigArray`, loaded by path because ESLint does not export
 * it; if a version moves it, this returns `undefined` and linting takes the slower path with the same results.
 */
function sharedConfigArray(config: Linter.Config[]): ConfigArrayLike | undefined {
  type FlatConfigArray = new (configs: Linter.Config[], options: { basePath: string }) => { normalizeSync(): unknown; getConfig(filename: string): unknown };
  let FlatConfigArray: FlatConfigArray | undefined;
  try {
    const eslintLib = dirname(requireHere.resolve('eslint'));
    ({ FlatConfigArray } = requireHere(join(eslintLib, 'config/flat-config-array.js')) as { FlatConfigArray?: FlatConfigArray });
  } catch {
    return undefined;
  }
  if (typeof FlatConfigArray !== 'function') return undefined;
  // The same base path `verify` gives the arrays it builds: the Linter's `cwd`.
  const normalized = new FlatConfigArray(config, { basePath: '/' });
  normalized.normalizeSync();
  const byKind = new Map<string, unknown>();
  const getConfig = (filename: string): unknown => {
    const key = `${dirname(filename)}\n${extname(filename)}`;
    if (!byKind.has(key)) byKind.set(key, normalized.getConfig(filename));
    return byKind.get(key);
  };
  return Object.assign([...config], { getConfig });
}

/**
 * Drops the token nodes typescript-eslint had TypeScript make for `file`. Its token conversion calls `getChildren()`
 * on every node, and TypeScript caches each node's children for the life of the source file: ~30 KB per file of
 * this kind of code that nothing reads again, 60 MB of live heap on 2,000 files. The cache is TypeScript's internal
 * (`transferSourceFileChildren` moves a file's cache to another key; here a throwaway one), so the call is guarded:
 * if a TypeScript version drops it, the tokens stay cached, which costs memory and nothing else. A program from
 * ts-morph's bundled TypeScript keeps its tokens in that copy's cache, which this does not reach.
 */
function forgetTokens(file: ts.SourceFile): void {
  (ts as { transferSourceFileChildren?: (from: ts.SourceFile, to: object) => void }).transferSourceFileChildren?.(file, {});
}

function toFinding(message: Linter.LintMessage, parsed: boolean, path: string, file: ts.SourceFile): Finding | undefined {
  const location = { file: path, line: message.line || 1, column: message.column || 1 };
  if (message.fatal && !parsed) {
    return {
      ...location,
      ruleId: 'parse-error',
      severity: 'error',
      origin: 'lint',
      message: `\`${path}\` does not parse: ${parserText(message)}. Fix the syntax so the rules and the graph can check this file.`,
      chain: [{ ...location, label: parserText(message) }],
    };
  }
  // A rule of the plugin only: `// eslint-disable-line taskscope/no-such-rule` comes back as an error of that
  // unknown id, which is no finding of any rule.
  const id = message.ruleId?.startsWith('taskscope/') ? message.ruleId.slice('taskscope/'.length) : undefined;
  if (id === undefined || !(id in plugin.rules)) return undefined;
  const ruleId = id as RuleId;
  const label = lineText(file, location.line, location.column);
  return {
    ...location,
    ...(message.endLine !== undefined && { endLine: message.endLine }),
    ...(message.endColumn !== undefined && { endColumn: message.endColumn }),
    ruleId,
    severity: message.severity === 2 ? 'error' : 'warning',
    origin: 'lint',
    message: message.message,
    chain: [{ ...location, label }],
  };
}

/** A parser message without ESLint's `Parsing error: ` prefix (the finding says so already) and final period. */
function parserText(message: Linter.LintMessage): string {
  return message.message.replace(/^Parsing error: /, '').replace(/\.$/, '');
}

