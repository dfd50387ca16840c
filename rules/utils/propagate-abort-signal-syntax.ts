/**
 * Questions about TypeScript's tree that `propagate-abort-signal` and its helpers share, answered as ESTree has the
 * tree the rule was first written on: what a property of an object literal holds, where ESTree would put a node for
 * an optional chain. Which function a node is in is asked of `rules/native/functions.ts`.
 */
import ts from './typescript.cjs';
import { argumentsOf, skipParentheses } from '../native/syntax.js';

/** A call or `new` as ESTree has them: `import(…)` is an import expression there. */
export function isCallOrNew(node: ts.Node): node is ts.CallExpression | ts.NewExpression {
  return (ts.isCallExpression(node) && node.expression.kind !== ts.SyntaxKind.ImportKeyword) || ts.isNewExpression(node);
}

/** The index of `node` (parentheses around it included) among a call's arguments, or -1. */
export function argumentIndex(call: ts.CallExpression | ts.NewExpression, node: ts.Node): number {
  let outer = node;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return argumentsOf(call).indexOf(outer as ts.Expression);
}

/**
 * What a property of an object literal holds, as ESTree's `Property.value`: `x` of `signal: x` and of `{ x }`, the
 * method itself of `signal() {}` (a function, whose provenance is unknown). Parentheses are skipped.
 */
export function propertyValue(member: ts.ObjectLiteralElementLike): ts.Node {
  if (ts.isPropertyAssignment(member)) return skipParentheses(member.initializer);
  if (ts.isShorthandPropertyAssignment(member)) return member.name;
  return member;
}

/** `{ signal }`, `signal: x`, `signal() {}`: a property named `signal` by an identifier, not computed, not a spread. */
export function isSignalKey(member: ts.ObjectLiteralElementLike): boolean {
  return !ts.isSpreadAssignment(member) && ts.isIdentifier(member.name) && member.name.text === 'signal';
}

/** {@link isSignalKey}, or a `'signal'` string key, computed or not (`{ 'signal': s }`, `{ ['signal']: s }`). */
export function namesSignal(member: ts.ObjectLiteralElementLike): boolean {
  if (ts.isSpreadAssignment(member)) return false;
  const key = member.name;
  if (ts.isComputedPropertyName(key)) {
    const inner = skipParentheses(key.expression);
    return ts.isStringLiteral(inner) && inner.text === 'signal';
  }
  return (ts.isIdentifier(key) || ts.isStringLiteral(key)) && key.text === 'signal';
}

type ChainLink = ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression | ts.NonNullExpression;

function isChainLink(node: ts.Node): node is ChainLink {
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node) || ts.isNonNullExpression(node);
}

/** Whether a link is part of an optional chain; TypeScript leaves a trailing `!` (`a?.b!`) unflagged, ESTree does not. */
function inChain(node: ChainLink): boolean {
  if (node.flags & ts.NodeFlags.OptionalChain) return true;
  return ts.isNonNullExpression(node) && isChainLink(node.expression) && inChain(node.expression);
}

/**
 * Whether a node is the whole of an optional chain (`a?.b.c`, `a?.b!`, not `a?.b` inside either): where ESTree puts a
 * `ChainExpression`, a node TypeScript does not have. A rule that counted ESTree's nodes counts it here.
 */
export function isChainRoot(node: ts.Node): boolean {
  if (!isChainLink(node) || !inChain(node)) return false;
  const parent = node.parent;
  return !(isChainLink(parent) && parent.expression === node && inChain(parent));
}
