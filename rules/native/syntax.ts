/**
 * Small questions about TypeScript's tree that native rules ask where the ESTree rules asked ESLint: the text of a
 * node, a short name for messages, the async flag of a function. Where the two trees differ, these answer as ESTree
 * does, so a native rule reports what its ESTree predecessor reported: ESTree has no node for parentheses, so
 * `(files).map(f)` names `files`, and a node's position never includes the parentheses around it.
 */
import ts from '../utils/typescript.cjs';
import type { TextEdit } from './rule.js';

// As in rules/utils/ast.ts: longer names shrink to their callee or to `this expression`.
const MAX_NAME = 40;

/** `node` without the parentheses around it: what ESTree has in its place. */
export function skipParentheses(node: ts.Expression): ts.Expression;
export function skipParentheses(node: ts.Node): ts.Node;
export function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

/** The parent of `node` as ESTree has it: the parentheses around `node` skipped. */
export function parentOf(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current && ts.isParenthesizedExpression(current)) current = current.parent;
  return current;
}

/** The node as it stands in its parent: `node` with the parentheses around it, which ESTree leaves out. */
export function outermost(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}

/** The source text of a node, without leading trivia: what ESLint's `sourceCode.getText(node)` gives. */
export function textOf(file: ts.SourceFile, node: ts.Node): string {
  return file.text.slice(node.getStart(file), node.end);
}

/**
 * A short name for an expression, for messages, as `describeExpression` in rules/utils/ast.ts gives it: the text
 * when it is short and on one line, else `callee(...)`, `new callee(...)` or ``tag`...` `` with a long callee shrunk
 * to `….method`, else `this expression`.
 *
 * @example describeNode(file, callOf(`fetchUser(id, { signal })`)) // 'fetchUser(...)'
 */
export function describeNode(file: ts.SourceFile, node: ts.Node): string {
  const short = (text: string): string | undefined => (text.length <= MAX_NAME && !text.includes('\n') ? text : undefined);
  const callee = (expression: ts.Expression): string => {
    const inner = skipParentheses(expression);
    const text = short(textOf(file, inner));
    if (text) return text;
    if (ts.isPropertyAccessExpression(inner)) return `….${inner.name.text.replace(/^#/, '')}`;
    return '…';
  };
  const inner = skipParentheses(node);
  if (ts.isCallExpression(inner) && inner.expression.kind !== ts.SyntaxKind.ImportKeyword) return `${callee(inner.expression)}(...)`;
  if (ts.isNewExpression(inner)) return `new ${callee(inner.expression)}(...)`;
  if (ts.isTaggedTemplateExpression(inner)) return `${callee(inner.tag)}\`...\``;
  return short(textOf(file, inner)) ?? 'this expression';
}

/** Whether a function is `async` (a method, accessor, arrow, expression or declaration). */
export function isAsyncFunction(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ?? false);
}

/** Whether a function expression or arrow is written as an inline callback: `(x) => …` or `function (x) { … }`. */
export function isFunctionExpression(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/**
 * Skips the wrappers that keep the value inside them: parentheses, `x!`, `x as T`, `x satisfies T`, `<T>x`. What a
 * rule asks of `(writer as W).close()` it asks of `writer.close()`. As `skipValueWrappers` in rules/utils/ast.ts.
 */
export function skipValueWrappers(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** Whether a node is a call, as ESTree has them: `import(…)` is an import expression there, not a call. */
export function isCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && node.expression.kind !== ts.SyntaxKind.ImportKeyword;
}

/** Whether an operator assigns: `=`, `+=`, `||=`, `??=`, … */
export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** A call's arguments; `new Foo` without parentheses has none. */
export function argumentsOf(call: ts.CallExpression | ts.NewExpression): readonly ts.Expression[] {
  return call.arguments ?? [];
}

/** Whether a node is `a && b`, `a || b` or `a ?? b`: ESTree's logical expression. */
export function isLogical(node: ts.Node): node is ts.BinaryExpression {
  if (!ts.isBinaryExpression(node)) return false;
  const kind = node.operatorToken.kind;
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** Whether a node is `a, b`: ESTree's sequence expression, which flattens what TypeScript nests to the left. */
export function isSequence(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken;
}

/**
 * Edits that put `keyword` (`await` or `void`) in front of an expression, with parentheses where the operator would
 * otherwise bind to part of it; an existing `void` is replaced rather than stacked (`void p` → `await p`).
 */
export function prefixEdits(file: ts.SourceFile, node: ts.Expression, keyword: 'await' | 'void'): TextEdit[] {
  const inner = skipParentheses(node);
  const start = inner.getStart(file);
  if (ts.isVoidExpression(inner)) return [{ range: [start, start + 'void'.length], text: keyword }];
  // Expressions that bind more loosely than a unary operator: `await a ? b : c` would await `a` only.
  if (ts.isArrowFunction(inner) || ts.isBinaryExpression(inner) || ts.isConditionalExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner) || ts.isYieldExpression(inner)) {
    return [
      { range: [start, start], text: `${keyword} (` },
      { range: [inner.end, inner.end], text: ')' },
    ];
  }
  return [{ range: [start, start], text: `${keyword} ` }];
}

/** The name of a call's callee for messages: `forEach(...)` for `items.forEach(...)`, `setTimeout(...)` for a plain call. */
export function calleeNameOf(file: ts.SourceFile, node: ts.CallExpression | ts.NewExpression): string {
  const callee = skipParentheses(node.expression);
  if (ts.isPropertyAccessExpression(callee)) return `${callee.name.text.replace(/^#/, '')}(...)`;
  return ts.isNewExpression(node) ? `new ${describeNode(file, callee)}(...)` : `${describeNode(file, callee)}(...)`;
}

/** ESTree's `Literal`: a string, number, bigint, boolean, `null` or regular expression written out (not a template). */
export function isLiteral(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.RegularExpressionLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
    default:
      return false;
  }
}

/**
 * A name that is a property of something, never a variable: `a.name`, `{ name: 1 }`, `class { name() {} }`,
 * `const { name: alias } = a`. Left out before asking the checker, which would type `a` to resolve `a.name`.
 */
export function isPropertyName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === identifier;
  if (ts.isQualifiedName(parent)) return parent.right === identifier;
  if (ts.isBindingElement(parent)) return parent.propertyName === identifier;
  if (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent)) {
    return parent.name === identifier;
  }
  return (ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isMethodSignature(parent)) && parent.name === identifier;
}
