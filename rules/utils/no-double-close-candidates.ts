import ts from './typescript.cjs';
import { fileIndex } from '../native/file-index.js';

/**
 * Whether a file may hold what `no-double-close` reports, from syntax alone: a function (or the file's top level)
 * with two or more calls that may close something — `x.<method>()` with a close method's name, `x[Symbol.dispose]()`
 * — or one such call inside a loop of its own function. The rule's ESLint part runs only on such files, in the editor and in the analyzer.
 *
 * Sound by construction: the rule reports a close that may run after an earlier close of the same receiver on one
 * path of one code path, so a code path needs two close calls, or one that meets itself through a loop. ESLint also
 * gives class field initialisers and static blocks code paths of their own; counting them with their enclosing
 * function only finds more candidates, never fewer.
 *
 * @example mayCloseTwice(fileOf(`try { await writer.close(); } finally { await writer.close(); }`), new Set(['close'])) // true
 */
export function mayCloseTwice(file: ts.SourceFile, methods: ReadonlySet<string>): boolean {
  const closes = new Map<ts.Node, number>();
  for (const call of fileIndex(file).ofKind(ts.SyntaxKind.CallExpression) as readonly ts.CallExpression[]) {
    if (!mayClose(call, methods)) continue;
    // its unit: the nearest function around it, or the file; a loop between the two runs it again
    let unit: ts.Node = file;
    for (let node = call.parent; node !== file; node = node.parent) {
      if (ts.isFunctionLike(node)) {
        unit = node;
        break;
      }
      if (ts.isIterationStatement(node, false)) return true;
    }
    const count = (closes.get(unit) ?? 0) + 1;
    if (count >= 2) return true;
    closes.set(unit, count);
  }
  return false;
}

/** A call the rule may take for a close: `x.close()`, `x?.release()`, `(x.close)()`, `x[Symbol.dispose]()`. */
function mayClose(call: ts.CallExpression, methods: ReadonlySet<string>): boolean {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (ts.isPropertyAccessExpression(callee)) return ts.isIdentifier(callee.name) && methods.has(callee.name.text);
  if (!ts.isElementAccessExpression(callee)) return false;
  const key = callee.argumentExpression;
  return ts.isPropertyAccessExpression(key) && (key.name.text === 'dispose' || key.name.text === 'asyncDispose');
}
