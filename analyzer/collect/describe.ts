import ts from '../../rules/utils/typescript.cjs';
import type { Location } from '../graph/types.js';

// Labels are for people reading a report: long source text is cut, and whitespace collapsed to one line.
const MAX_LABEL = 60;

/** Source text on one line, cut to a readable length. */
export function shortText(node: ts.Node, max = MAX_LABEL): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A call's label: its text when short (`fetch(url)`), else its callee with `(…)`. */
export function callLabel(call: ts.CallExpression | ts.NewExpression): string {
  const text = call.getText().replace(/\s+/g, ' ');
  if (text.length <= MAX_LABEL) return text;
  const prefix = ts.isNewExpression(call) ? 'new ' : '';
  return `${prefix}${shortText(call.expression, MAX_LABEL - 5)}(…)`;
}

/** Where a node starts (after leading trivia), 1-based. */
export function locationOf(node: ts.Node, file: string): Location {
  const sourceFile = node.getSourceFile();
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { file, line: line + 1, column: character + 1 };
}

function nameText(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return shortText(name, 30);
}

/** The name of the class or object literal a member belongs to, for `Uploader.run` labels. */
function ownerName(member: ts.Node): string | undefined {
  const owner = member.parent;
  if (ts.isClassLike(owner)) return owner.name?.text ?? 'class';
  if (ts.isObjectLiteralExpression(owner)) {
    const holder = owner.parent;
    if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) return nameText(holder.name);
  }
  return undefined;
}

/**
 * A function's label: `save`, `Uploader.run`, `get Uploader.size`, `callback of app.get(…)`. For a function
 * expression its binding name (`const save = async () => …`) is its name.
 */
export function functionLabel(fn: ts.SignatureDeclaration): string {
  const qualify = (name: string | undefined): string => {
    const owner = ownerName(fn);
    return owner ? `${owner}.${name ?? 'anonymous'}` : (name ?? 'anonymous');
  };
  if (ts.isConstructorDeclaration(fn)) return qualify('constructor');
  if (ts.isGetAccessorDeclaration(fn)) return `get ${qualify(nameText(fn.name))}`;
  if (ts.isSetAccessorDeclaration(fn)) return `set ${qualify(nameText(fn.name))}`;
  if (ts.isMethodDeclaration(fn)) return qualify(nameText(fn.name));
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text ?? 'default';
  const binding = bindingOf(fn);
  if (binding) {
    if (ts.isVariableDeclaration(binding)) return nameText(binding.name) ?? 'anonymous';
    if (ts.isPropertyDeclaration(binding) || ts.isPropertyAssignment(binding)) return qualify(nameText(binding.name));
    if (ts.isExportAssignment(binding)) return 'default';
  }
  if (ts.isFunctionExpression(fn) && fn.name) return fn.name.text;
  const call = outer(fn).parent;
  if (call && (ts.isCallExpression(call) || ts.isNewExpression(call))) return `callback of ${shortText(call.expression, 40)}(…)`;
  return 'anonymous';
}

/** Skips parentheses and type assertions upwards: what a function expression is really the value of. */
export function outer(node: ts.Node): ts.Node {
  let current = node;
  while (
    ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isSatisfiesExpression(current.parent) ||
    ts.isTypeAssertionExpression(current.parent) || ts.isNonNullExpression(current.parent)
  ) {
    current = current.parent;
  }
  return current;
}

/** The declaration that names a function expression: `const f = …`, a class field, an object property, `export default`. */
export function bindingOf(fn: ts.Node): ts.VariableDeclaration | ts.PropertyDeclaration | ts.PropertyAssignment | ts.ExportAssignment | undefined {
  const value = outer(fn);
  const parent = value.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === value) return parent;
  if (ts.isPropertyDeclaration(parent) && parent.initializer === value) return parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === value) return parent;
  if (ts.isExportAssignment(parent)) return parent;
  return undefined;
}
