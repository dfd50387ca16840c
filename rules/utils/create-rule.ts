import { ESLintUtils } from '@typescript-eslint/utils';

/** What every taskscope rule says about itself in `meta.docs`. */
export interface TaskscopeRuleDocs {
  /** Every taskscope rule reads types: the flat configs assume a typed parser setup. */
  requiresTypeChecking: true;
}

/**
 * Creates a typed taskscope rule whose `meta.docs.url` points at `docs/rules/<id>.md`.
 *
 * Why a shared creator: the docs-consistency test relies on every rule linking its doc the same way, and the
 * `<Options, MessageIds>` type parameters make a misspelt message id a compile error rather than a runtime crash.
 *
 * @example
 * export default createRule<[], 'floating'>({ name: 'no-floating-task', meta: { ... }, defaultOptions: [], create });
 */
export const createRule = ESLintUtils.RuleCreator<TaskscopeRuleDocs>(
  (name) => `https://github.com/taskscope/taskscope/blob/main/docs/rules/${name}.md`,
);
