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
