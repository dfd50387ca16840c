import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

type Fixer = TSESLint.RuleFixer;
type Fix = TSESLint.RuleFix;
type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression;

/** `signal` when the signal's expression is `signal` itself, else `signal: <expression>`: the property to add. */
export function signalProperty(text: string): string {
  return text === 'signal' ? 'signal' : `signal: ${text}`;
}

/**
 * Appends arguments to a call: `fetch(url)` → `fetch(url, { signal })`, `acquire()` → `acquire(undefined, { signal })`,
 * `new ErrGroup` → `new ErrGroup({ signal })`. The caller checks that every filled-in position may be `undefined`.
 */
export function appendArguments(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.CallExpression | TSESTree.NewExpression,
  texts: readonly string[],
): (fixer: Fixer) => Fix {
  const joined = texts.join(', ');
  const last = node.arguments[node.arguments.length - 1];
  return (fixer) => {
    if (last) return fixer.insertTextAfter(last, `, ${joined}`);
    // `new ErrGroup` without parentheses
    if (sourceCode.getLastToken(node)?.value !== ')') return fixer.insertTextAfter(node, `(${joined})`);
    const open = sourceCode.getTokenAfter(node.typeArguments ?? node.callee, { filter: (token) => token.value === '(' });
    return open ? fixer.insertTextAfter(open, joined) : fixer.insertTextAfter(node, `(${joined})`);
  };
}

/**
 * Adds a property to an object literal, on its own line when the literal spans lines (so a formatted `{ method,
 * headers }` block stays formatted), else after the last property; `{}` becomes `{ signal }`.
 */
export function addProperty(sourceCode: Readonly<TSESLint.SourceCode>, object: TSESTree.ObjectExpression, property: string): (fixer: Fixer) => Fix {
  const last = object.properties[object.properties.length - 1];
  return (fixer) => {
    if (!last) return fixer.replaceText(object, `{ ${property} }`);
    if (last.loc.start.line !== object.loc.start.line) {
      const indent = sourceCode.lines[last.loc.start.line - 1]?.match(/^\s*/)?.[0] ?? '';
      return fixer.insertTextAfter(last, `,\n${indent}${property}`);
    }
    return fixer.insertTextAfter(last, `, ${property}`);
  };
}

/**
 * Declares the signal a callback is given but ignores: `async () => …` → `async (signal) => …`, `url => …` →
 * `(url, signal) => …`. Only for the next parameter position (see `undeclaredSignalIndex`).
 */
export function declareParameter(sourceCode: Readonly<TSESLint.SourceCode>, callback: FunctionNode): ((fixer: Fixer) => Fix) | undefined {
  const first = callback.params[0];
  const last = callback.params[callback.params.length - 1];
  if (!first || !last) {
    const open = sourceCode.getFirstToken(callback, { filter: (token) => token.value === '(' });
    return open ? (fixer) => fixer.insertTextAfter(open, 'signal') : undefined;
  }
  if (sourceCode.getTokenBefore(first)?.value !== '(') return (fixer) => fixer.replaceText(first, `(${sourceCode.getText(first)}, signal)`);
  return (fixer) => fixer.insertTextAfter(last, ', signal');
}

/** Adds `signal` to a destructured parameter that leaves it out: `({ url }: Job)` → `({ url, signal }: Job)`. */
export function declareDestructured(pattern: TSESTree.ObjectPattern): (fixer: Fixer) => Fix {
  const last = pattern.properties[pattern.properties.length - 1];
  return (fixer) =>
    last
      ? fixer.insertTextAfter(last, ', signal')
      : fixer.insertTextAfterRange([pattern.range[0], pattern.range[0] + 1], ' signal ');
}

/** Whether an argument is short and side-effect free enough to be spread into a new literal (`{ ...init, signal }`). */
export function isSpreadable(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.ThisExpression) return true;
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && isSpreadable(node.object);
}
