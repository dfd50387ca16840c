/**
 * The taskscope ESLint plugin: type-aware rules for async discipline, and flat configs that turn them on.
 *
 * @example
 * // eslint.config.mjs (with a typed typescript-eslint setup: parserOptions.projectService)
 * import taskscope from 'taskscope/eslint-plugin';
 * export default [...tseslint.configs.recommendedTypeChecked, taskscope.configs.recommended];
 */
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import noDoubleClose from './no-double-close.js';
import noFloatingTask from './no-floating-task.js';
import noIgnoredResult from './no-ignored-result.js';
import noUnboundedFanout from './no-unbounded-fanout.js';
import propagateAbortSignal from './propagate-abort-signal.js';

// Read through the package's self-reference (`exports['./package.json']`) so the same line works from `rules/`
// under tsx and from `dist/rules/` once built, where a relative path to package.json would differ.
const { version } = createRequire(import.meta.url)('taskscope/package.json') as { version: string };

/** Every rule of the plugin, by id. The id is the file name, the doc name and the test name. */
export const rules = {
  'no-double-close': noDoubleClose,
  'no-floating-task': noFloatingTask,
  'no-ignored-result': noIgnoredResult,
  'no-unbounded-fanout': noUnboundedFanout,
  'propagate-abort-signal': propagateAbortSignal,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type RuleId = keyof typeof rules;
type Entry = TSESLint.FlatConfig.RuleEntry;

/**
 * How each config sets each rule. `strict` tightens options: `void` no longer excuses a floating promise, so every
 * fire-and-forget must go through an owner (an ErrGroup, a `.catch`).
 */
const levels: Record<RuleId, { recommended: Entry; strict: Entry }> = {
  'no-double-close': { recommended: 'error', strict: 'error' },
  'no-floating-task': { recommended: 'error', strict: ['error', { ignoreVoid: false }] },
  'no-ignored-result': { recommended: 'error', strict: ['error', { ignoreVoid: false }] },
  'no-unbounded-fanout': { recommended: 'error', strict: ['error', { maxConstant: 32 }] },
  'propagate-abort-signal': { recommended: 'error', strict: 'error' },
};

function config(name: 'recommended' | 'strict'): TSESLint.FlatConfig.Config {
  return {
    name: `taskscope/${name}`,
    plugins: { taskscope: plugin },
    rules: Object.fromEntries(Object.entries(levels).map(([id, level]) => [`taskscope/${id}`, level[name]])),
  };
}

const plugin = {
  meta: { name: 'taskscope', version, namespace: 'taskscope' },
  rules,
  configs: {} as { recommended: TSESLint.FlatConfig.Config; strict: TSESLint.FlatConfig.Config },
};
plugin.configs.recommended = config('recommended');
plugin.configs.strict = config('strict');

export default plugin;
