import ts from './typescript.cjs';

const MAX_NAME = 40;

/**
 * A short name for a fan-out input, for messages: `files`, `queue.length > 0`, `readdir(...)`. The input may sit in
 * another file (a `const` imported from a config module), so this reads the TypeScript node's own text rather than
 * the linted file's. Long text shrinks like `describeExpression` does: a call to its callee, anything else to its
 * start.
 */
export function describeInput(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  if (text.length <= MAX_NAME) return text;
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const callee = node.expression.getText().replace(/\s+/g, ' ');
    const prefix = ts.isNewExpression(node) ? 'new ' : '';
    if (callee.length <= MAX_NAME) return `${prefix}${callee}(...)`;
    if (ts.isPropertyAccessExpression(node.expression)) return `${prefix}….${node.expression.name.text}(...)`;
  }
  if (ts.isAwaitExpression(node)) return `await ${describeInput(node.expression)}`;
  return `${text.slice(0, MAX_NAME - 1)}…`;
}
