import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

const MAX_NAME = 40;

/**
 * A short name for an expression, for messages: `saveAudit(...)`, `new Promise(...)`, `promiseValue`.
 * Long or multi-line callees shrink to their last member (`client.query(...)` rather than a whole chain), and
 * anything else to `this expression`, so a message never quotes half a file.
 */
export function describeExpression(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): string {
  const short = (text: string): string | undefined => (text.length <= MAX_NAME && !text.includes('\n') ? text : undefined);
  const callee = (expression: TSESTree.Expression): string => {
    const text = short(sourceCode.getText(expression));
    if (text) return text;
    if (expression.type === AST_NODE_TYPES.MemberExpression && !expression.computed) return `….${expression.property.name}`;
    return '…';
  };
  switch (node.type) {
    case AST_NODE_TYPES.ChainExpression:
      return describeExpression(sourceCode, node.expression);
    case AST_NODE_TYPES.CallExpression:
      return `${callee(node.callee)}(...)`;
    case AST_NODE_TYPES.NewExpression:
      return `new ${callee(node.callee)}(...)`;
    case AST_NODE_TYPES.TaggedTemplateExpression:
      return `${callee(node.tag)}\`...\``;
    default:
      return short(sourceCode.getText(node)) ?? 'this expression';
  }
}

// Expressions that bind more loosely than a unary operator: `await a ? b : c` would await `a` only.
const LOOSE = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.AssignmentExpression,
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.LogicalExpression,
  AST_NODE_TYPES.SequenceExpression,
  AST_NODE_TYPES.TSAsExpression,
  AST_NODE_TYPES.TSSatisfiesExpression,
  AST_NODE_TYPES.YieldExpression,
]);

/**
 * A fix that puts `keyword` (`await` or `void`) in front of an expression, adding parentheses where the operator
 * would otherwise bind to part of it. An existing `void` is replaced rather than stacked (`void p` → `await p`).
 */
export function prefixFix(node: TSESTree.Expression, keyword: 'await' | 'void'): (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[] {
  return (fixer) => {
    if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === 'void') {
      return [fixer.replaceTextRange([node.range[0], node.range[0] + 'void'.length], keyword)];
    }
    if (LOOSE.has(node.type)) return [fixer.insertTextBefore(node, `${keyword} (`), fixer.insertTextAfter(node, ')')];
    return [fixer.insertTextBefore(node, `${keyword} `)];
  };
}

/** Whether `node` runs inside an async function, where an `await` suggestion is valid syntax. */
export function isInAsyncFunction(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
        return current.async;
      default:
        break;
    }
  }
  return false;
}

/** The name of a call's callee for messages: `forEach` for `items.forEach(...)`, `setTimeout` for a plain call. */
export function calleeName(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const callee = node.callee;
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed) return `${callee.property.name}(...)`;
  return node.type === AST_NODE_TYPES.NewExpression ? `new ${describeExpression(sourceCode, callee)}(...)` : `${describeExpression(sourceCode, callee)}(...)`;
}

/**
 * Skips the wrappers that keep the value inside them: `x!`, `x as T`, `x satisfies T`, `<T>x`, and the
 * `ChainExpression` around `a?.b()`. What a rule asks of `(writer as W).close()` it asks of `writer.close()`.
 */
export function skipValueWrappers<N extends TSESTree.Node>(node: N): N | TSESTree.Expression {
  let current: N | TSESTree.Expression = node;
  while (
    current.type === AST_NODE_TYPES.ChainExpression ||
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.TSTypeAssertion
  ) {
    current = current.expression;
  }
  return current;
}

/**
 * Whether an expression's value can never be a thenable, by its syntax alone: a literal, a template, arithmetic or a
 * comparison (`a === b`, `n + 1`, `!done`, `typeof x`, `i++`), an array, a function, an object literal without a
 * `then` key or a spread, and conditionals, `&&`/`||`/`??` and sequences made only of these. Whatever their operands'
 * types, TypeScript types these as primitives, arrays, functions or the literal's own shape, none with a callable
 * `then`. Anything that reads a value (a name, a member, a call, `x as T`) needs its type: `false`.
 *
 * Why: `items.some((item) => item.id === id)` returns no promise, and knowing that without typing the callback spares
 * typing its callee (`items.some`, and `items` by flow analysis) when no rule needs that otherwise.
 *
 * @example isNeverThenable(expressionOf(`item.id === id`)) // true
 */
export function isNeverThenable(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.UpdateExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
      return true;
    // ({ then(resolve) { … } }) is a thenable; a spread may copy a `then` in; a computed key may be `'then'`
    case AST_NODE_TYPES.ObjectExpression:
      return node.properties.every(
        (property) =>
          property.type === AST_NODE_TYPES.Property &&
          !property.computed &&
          (property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : String((property.key as TSESTree.Literal).value)) !== 'then',
      );
    case AST_NODE_TYPES.ConditionalExpression:
      return isNeverThenable(node.consequent) && isNeverThenable(node.alternate);
    case AST_NODE_TYPES.LogicalExpression:
      return isNeverThenable(node.left) && isNeverThenable(node.right);
    case AST_NODE_TYPES.SequenceExpression:
      return isNeverThenable(node.expressions[node.expressions.length - 1]!);
    default:
      return false;
  }
}
