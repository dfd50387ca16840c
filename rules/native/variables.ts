/**
 * Variables of the linted file, found through the type checker's symbols: what the ESTree rules asked ESLint's scope
 * manager (`findVariable`, `variable.defs`, `variable.references`).
 *
 * Only a file's own bindings count, as in ESLint, whose scope analysis sees one file: a name bound in another file
 * (an import's target, a global of a lib file) has no declaration here. An import binding's declaration is its
 * import specifier, as ESLint's import definition is.
 */
import ts from '../utils/typescript.cjs';
import { fileIndex } from './file-index.js';
import { isAssignmentOperator, isPropertyName } from './syntax.js';

/** Where a variable of the file is bound, and where the file refers to it. */
export interface LocalVariable {
  readonly symbol: ts.Symbol;
  /** The first declaration in the file: a variable declaration, a parameter, an import specifier, a function, … */
  readonly declaration: ts.Declaration;
  /** Every identifier of the file that refers to the variable, the declaration's own name included, in source order. */
  references(): readonly ts.Identifier[];
  /**
   * Whether some reference passes `test`, which is asked first, of every identifier of the variable's name: only one
   * that passes has its symbol looked up. The cheaper way to ask `references().some(test)` when `test` reads syntax
   * alone (`referenceKind(reference) === 'read'`) and is rarely true of another variable's identifiers.
   */
  someReference(test: (identifier: ts.Identifier) => boolean): boolean;
}

/**
 * The symbol an identifier refers to as a value: for `{ signal }` the variable `signal`, not the property; for
 * `export { signal }` the local variable, not the export.
 */
export function valueSymbolOf(checker: ts.TypeChecker, identifier: ts.Identifier): ts.Symbol | undefined {
  const parent = identifier.parent;
  if (ts.isShorthandPropertyAssignment(parent) && parent.name === identifier) return checker.getShorthandAssignmentValueSymbol(parent);
  if (ts.isExportSpecifier(parent) && !parent.parent.parent.moduleSpecifier) return checker.getExportSpecifierLocalTargetSymbol(parent);
  return checker.getSymbolAtLocation(identifier);
}

/**
 * The variable of `file` an identifier refers to, or `undefined` when the name is bound in another file or nowhere.
 *
 * @example localVariable(checker, file, tasksIdentifier)?.declaration // the `const tasks = []` declaration
 */
export function localVariable(checker: ts.TypeChecker, file: ts.SourceFile, identifier: ts.Identifier): LocalVariable | undefined {
  const symbol = valueSymbolOf(checker, identifier);
  const declaration = symbol?.declarations?.find((node) => node.getSourceFile() === file);
  if (!symbol || !declaration) return undefined;
  let references: ts.Identifier[] | undefined;
  const named = fileIndex(file).identifiersNamed(identifier.text);
  const refersToIt = (name: ts.Identifier): boolean => !isPropertyName(name) && valueSymbolOf(checker, name) === symbol;
  return {
    symbol,
    declaration,
    references: () => (references ??= named.filter(refersToIt)),
    someReference: (test) => (references ? references.some(test) : named.some((name) => test(name) && refersToIt(name))),
  };
}

/**
 * How an identifier that refers to a variable uses it, as ESLint's scope analysis classes references:
 * - `declaration`: the name in a declaration without an initial value (`let last;`, a parameter, an import);
 * - `init`: the name in a declaration with one (`const saved = save(user)`), a write;
 * - `write`: assigned and not read (`last = next`, `[last] = pair`, `for (last of all)`);
 * - `read-write`: `count += 1`, `count++`, `done ||= check()`;
 * - `read`: anything else, `typeof last` in a type included.
 */
export type ReferenceKind = 'declaration' | 'init' | 'write' | 'read-write' | 'read';

export function referenceKind(identifier: ts.Identifier): ReferenceKind {
  const parent = identifier.parent;
  if (ts.isVariableDeclaration(parent) && parent.name === identifier) return parent.initializer || isForInOfVariable(parent) ? 'init' : 'declaration';
  if (ts.isBindingElement(parent) && parent.name === identifier) return 'declaration';
  if ((ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) && parent.name === identifier) {
    return 'declaration';
  }
  let node: ts.Node = identifier;
  let destructured = false;
  for (let up = node.parent; ; node = up, up = up.parent) {
    if (ts.isParenthesizedExpression(up)) continue;
    // [first, ...rest] = pair, ({ a: first, last } = pair), [first = 0] = pair: an assignment target inside a pattern
    if (ts.isArrayLiteralExpression(up) || ts.isSpreadElement(up) || ts.isSpreadAssignment(up) || ts.isObjectLiteralExpression(up)) {
      destructured = true;
      continue;
    }
    if ((ts.isPropertyAssignment(up) && up.initializer === node) || (ts.isShorthandPropertyAssignment(up) && up.name === node)) {
      destructured = true;
      continue;
    }
    if (destructured && ts.isBinaryExpression(up) && up.operatorToken.kind === ts.SyntaxKind.EqualsToken && up.left === node && isPatternElement(up)) continue;
    break;
  }
  const up = node.parent;
  if (ts.isBinaryExpression(up) && up.left === node && isAssignmentOperator(up.operatorToken.kind)) {
    return up.operatorToken.kind === ts.SyntaxKind.EqualsToken ? 'write' : destructured ? 'write' : 'read-write';
  }
  if ((ts.isForOfStatement(up) || ts.isForInStatement(up)) && up.initializer === node) return 'write';
  if (destructured) return 'read';
  if ((ts.isPrefixUnaryExpression(up) || ts.isPostfixUnaryExpression(up)) && (up.operator === ts.SyntaxKind.PlusPlusToken || up.operator === ts.SyntaxKind.MinusMinusToken)) {
    return 'read-write';
  }
  return 'read';
}

function isForInOfVariable(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent.parent;
  return ts.isForOfStatement(statement) || ts.isForInStatement(statement);
}

// `[first = 0] = pair`: a default value inside a destructuring assignment, not an assignment of its own.
function isPatternElement(node: ts.BinaryExpression): boolean {
  const parent = node.parent;
  return ts.isArrayLiteralExpression(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === node);
}
