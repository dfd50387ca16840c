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
 * (`structuredClone`) of the defaults for every file and rule (~14 µs each: 0.14 s over 2,000 files and five rules).
 * Here the merge (typescript-eslint's own `applyDefault`) runs once per configuration ({@link mergedOptions}). The
 * merged options are a frozen copy: a rule that tried to change them would throw instead of changing them for the next file, and the user's own
 * config objects are never frozen.
 *
 * @example
 * export default createRule<[], 'floating'>({ name: 'no-floating-task', meta: { ... }, defaultOptions: [], create });
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, TaskscopeRuleDocs>>,
): ESLintUtils.RuleModule<MessageIds, Options, TaskscopeRuleDocs> {
  const created = withDocs(rule);
  const optionsOf = mergedOptions((created.meta.defaultOptions ?? rule.defaultOptions ?? []) as Options);
  return {
    ...created,
    create: (context: Readonly<TSESLint.RuleContext<MessageIds, Options>>) => rule.create(context, optionsOf(context.options)),
  };
}

/**
 * The function `createRule` merges a rule's options with: given options (an ESLint rule entry without its severity)
 * merged into `defaults` with typescript-eslint's `applyDefault`, frozen, once per configuration. Looked up by the
 * options object (the ESLint class and the analyzer hand every file of one configuration the same one inside a new
 * array), else by its content (`Linter.verify` with a plain config array copies it for every file).
 *
 * @example mergedOptions([{ ignoreVoid: true }])([{ ignoreVoid: false }]) // [{ ignoreVoid: false }], frozen
 */
export function mergedOptions<Options extends readonly unknown[]>(defaults: Options): (given: Options) => Options {
  const byObject = new WeakMap<object, Options>();
  const byContent = new Map<string, Options>();
  let unset: Options | undefined;
  return (given) => {
    // 'error' alone, the usual entry: no options to look up
    if (given.length === 0) return (unset ??= deepFreeze(structuredClone(ESLintUtils.applyDefault<Options, Options>(defaults, given))));
    const first: unknown = given[0];
    const object = given.length === 1 && typeof first === 'object' && first !== null ? first : undefined;
    let merged = object && byObject.get(object);
    if (merged) return merged;
    const key = JSON.stringify(given);
    merged = byContent.get(key);
    if (!merged) {
      merged = deepFreeze(structuredClone(ESLintUtils.applyDefault<Options, Options>(defaults, given)));
      byContent.set(key, merged);
    }
    if (object) byObject.set(object, merged);
    return merged;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
