/**
 * The text edits of `propagate-abort-signal`'s suggestions. Each is computed when the rule reports, never before:
 * finding a parenthesis makes TypeScript create token nodes for the node asked about.
 */
import ts from './typescript.cjs';
import type { TextEdit } from '../native/rule.js';
import { argumentsOf, skipParentheses, textOf } from '../native/syntax.js';

/** `signal` when the signal's expression is `signal` itself, else `signal: <expression>`: the property to add. */
export function signalProperty(text: string): string {
  return text === 'signal' ? 'signal' : `signal: ${text}`;
}

const insertAfter = (node: ts.Node, text: string): TextEdit => ({ range: [node.end, node.end], text });

/** The `(` a call's, a `new`'s or a function's own parameter list or argument list opens with, if it has one. */
function openParenthesis(file: ts.SourceFile, node: ts.Node): ts.Node | undefined {
  return node.getChildren(file).find((child) => child.kind === ts.SyntaxKind.OpenParenToken);
}

/**
 * Appends arguments to a call: `fetch(url)` → `fetch(url, { signal })`, `acquire()` → `acquire(undefined, { signal })`,
 * `new ErrGroup` → `new ErrGroup({ signal })`. The caller checks that every filled-in position may be `undefined`.
 * The text goes after the last argument's closing parenthesis, if any: `load((url))` → `load((url), signal)`, where
 * right after `url` would make `(url, signal)` one comma expression.
 */
export function appendArguments(file: ts.SourceFile, node: ts.CallExpression | ts.NewExpression, texts: readonly string[]): TextEdit[] {
  const joined = texts.join(', ');
  const all = argumentsOf(node);
  const last = all[all.length - 1];
  if (last) return [insertAfter(last, `, ${joined}`)];
  // `new ErrGroup` without parentheses
  const open = node.arguments && openParenthesis(file, node);
  return [open ? insertAfter(open, joined) : insertAfter(node, `(${joined})`)];
}

/**
 * Adds a property to an object literal, on its own line when the literal spans lines (so a formatted `{ method,
 * headers }` block stays formatted), else after the last property; `{}` becomes `{ signal }`.
 */
export function addProperty(file: ts.SourceFile, object: ts.ObjectLiteralExpression, property: string): TextEdit[] {
  const last = object.properties[object.properties.length - 1];
  if (!last) return [{ range: [object.getStart(file), object.end], text: `{ ${property} }` }];
  const line = file.getLineAndCharacterOfPosition(last.getStart(file)).line;
  if (line !== file.getLineAndCharacterOfPosition(object.getStart(file)).line) {
    // the indentation of the line the last property starts on (sticky: matched from the line's start, not copied out)
    const whitespace = /\s*/y;
    whitespace.lastIndex = file.getLineStarts()[line] ?? 0;
    const indent = whitespace.exec(file.text)?.[0] ?? '';
    return [insertAfter(last, `,\n${indent}${property}`)];
  }
  return [insertAfter(last, `, ${property}`)];
}

/**
 * Declares the signal a callback is given but ignores: `async () => …` → `async (signal) => …`, `url => …` →
 * `(url, signal) => …`. Only for the next parameter position (see `undeclaredSignalIndex`). `undefined` when the
 * parameter list cannot be found (a parse error).
 */
export function declareParameter(file: ts.SourceFile, callback: ts.ArrowFunction | ts.FunctionExpression): TextEdit[] | undefined {
  const first = callback.parameters[0];
  const last = callback.parameters[callback.parameters.length - 1];
  const open = openParenthesis(file, callback);
  if (!first || !last) return open ? [insertAfter(open, 'signal')] : undefined;
  // url => …: the single parameter is not in parentheses
  if (!open) return [{ range: [first.getStart(file), first.end], text: `(${textOf(file, first)}, signal)` }];
  return [insertAfter(last, ', signal')];
}

/** Adds `signal` to a destructured parameter that leaves it out: `({ url }: Job)` → `({ url, signal }: Job)`. */
export function declareDestructured(file: ts.SourceFile, pattern: ts.ObjectBindingPattern): TextEdit[] {
  const last = pattern.elements[pattern.elements.length - 1];
  if (last) return [insertAfter(last, ', signal')];
  const start = pattern.getStart(file) + 1;
  return [{ range: [start, start], text: ' signal ' }];
}

/**
 * Whether an argument is short and side-effect free enough to be spread into a new literal (`{ ...init, signal }`):
 * a name, `this`, or a property of one (`this.#init`, `options.request`), not in an optional chain.
 */
export function isSpreadable(node: ts.Expression): boolean {
  const value = skipParentheses(node);
  if (ts.isIdentifier(value) || value.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(value) && !(value.flags & ts.NodeFlags.OptionalChain) && isSpreadable(value.expression);
}
