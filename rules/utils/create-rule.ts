import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';

/** What every taskscope rule says about itself in `meta.docs`. */
export interface TaskscopeRuleDocs {
  /** Every taskscope rule reads types: the flat configs assume a typed parser setup. */
  requiresTypeChecking: true;
}

const withDocs = ESLintUtils.RuleCreator<TaskscopeRuleDocs>((name) => `https://github.com/taskscope/taskscope/blob/main/docs/rules/${name}.md`);

/**
 * Creates a typed taskscope rule whose `meta.docs.url` points at `docs/rules/<id>.md`.
 *
 * Why a shared creator: the docs-consistency test relies on every rule linking its doc the same way, and the
 * `<Options, MessageIds>` type parameters make a misspelt message id a compile error rather than a runtime crash.
 *
 * Why not typescript-eslint's `RuleCreator` as is: its `create` merges the user's options into a deep copy
 * (`structuredClone`) of the defaults for every file, which for five rules over a thousand files is measurable. The
 * options are the same object for every file of one configuration (`context.options` is a new array each time, its
 * elements are not), so the merged options are kept per options object and handed out again: equal to a fresh merge,
 * and no rule writes to its options.
 *
 * @example
 * export default createRule<[], 'floating'>({ name: 'no-floating-task', meta: { ... }, defaultOptions: [], create });
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, TaskscopeRuleDocs>>,
): ESLintUtils.RuleModule<MessageIds, Options, TaskscopeRuleDocs> {
  const created = withDocs(rule);
  const defaults = (created.meta.defaultOptions ?? rule.defaultOptions ?? []) as Options;
  let unconfigured: Options | undefined;
  const configured = new WeakMap<object, Options>();
  const merge = (given: Options): Options => ESLintUtils.applyDefault<Options, Options>(defaults, given);
  /** The options merged with the defaults, as `RuleCreator` merges them, once per options object. */
  function optionsOf(given: Options): Options {
    if (given.length === 0) return (unconfigured ??= merge(given));
    const [first] = given;
    if (given.length > 1 || typeof first !== 'object' || first === null) return merge(given);
    let merged = configured.get(first);
    if (!merged) configured.set(first, (merged = merge(given)));
    return merged;
  }
  return {
    ...created,
    create: (context: Readonly<TSESLint.RuleContext<MessageIds, Options>>) => rule.create(context, optionsOf(context.options)),
  };
}
