/**
 * What `no-floating-task` learns about a file's names: which names the file binds and where, enough to tell, mostly
 * without the checker, which parameter a name refers to (what the ESTree version asked ESLint's scope analysis). Read
 * off the shared index of the file (`rules/native/file-index.ts`), as is the rule's walk.
 */
import ts from './typescript.cjs';
import { fileIndex, isTypeAnnotation } from '../native/file-index.js';
import { variableScopeOf } from './no-floating-task-syntax.js';

// Declarations that bind a value name in their scope (an enum member inside its enum).
const BINDING_KINDS = new Set([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.EnumMember,
  ts.SyntaxKind.ModuleDeclaration,
]);

/** The file last asked about, and the value declarations of its names, by name (outside type annotations). */
let bindings: { readonly file: ts.SourceFile; readonly byName: Map<string, readonly ts.Declaration[]> } | undefined;

/** The value declarations of the file that bind `name` (variables, parameters, functions, classes, imports, enums, namespaces). */
function declarationsOf(file: ts.SourceFile, name: string): readonly ts.Declaration[] {
  if (bindings?.file !== file) bindings = { file, byName: new Map() };
  let found = bindings.byName.get(name);
  if (!found) {
    const index = fileIndex(file);
    found = index
      .identifiersNamed(name)
      .filter((node) => !index.inTypePosition(node) && BINDING_KINDS.has(node.parent.kind) && (node.parent as ts.NamedDeclaration).name === node)
      .map((node) => node.parent as ts.Declaration);
    bindings.byName.set(name, found);
  }
  return found;
}

/**
 * Visits a file's expressions and statements, parents before children, calling `enter` on the way down and `exit`
 * on the way up: every node but identifiers and type annotations, which hold no statement, call or function (a class's
 * `extends` expression is visited). Replayed from the file's shared index, not a walk of its own.
 */
export function walkFile(file: ts.SourceFile, enter: (node: ts.Node) => void, exit: (node: ts.Node) => void): void {
  const { nodes, ends } = fileIndex(file);
  const open: number[] = [];
  for (let at = 0; at < nodes.length; ) {
    while (open.length > 0 && ends[open[open.length - 1]!]! <= at) exit(nodes[open.pop()!]!);
    const node = nodes[at]!;
    if (node.kind === ts.SyntaxKind.Identifier) at++;
    else if (isTypeAnnotation(node)) at = ends[at]!;
    else {
      enter(node);
      open.push(at++);
    }
  }
  while (open.length > 0) exit(nodes[open.pop()!]!);
}

/**
 * The parameter an identifier refers to, from the file's declarations of its name alone, or `'ask'` when only the
 * checker can tell. Each declaration is taken to reach over its whole function (`variableScopeOf`), which is at least
 * its real scope; a parameter reaches over its own function exactly. Then the innermost declaration that reaches the
 * identifier is the one it refers to when it is the only one that innermost: a parameter, or `undefined` for anything
 * else (and for a name no declaration of the file reaches: a global). Two declarations as far in (`(x) => { { let
 * x; f(x); } }`) need the checker.
 *
 * @example parameterOf(file, identifierIn(`(id: string) => load(id)`, 'id', 1)) // the parameter `id: string`
 */
export function parameterOf(file: ts.SourceFile, identifier: ts.Identifier): ts.ParameterDeclaration | 'ask' | undefined {
  const declarations = declarationsOf(file, identifier.text);
  if (!declarations.some((declaration) => ts.isParameter(declaration))) return undefined;
  let innermost: ts.Node | undefined;
  let found: ts.Declaration | 'ask' | undefined;
  for (const declaration of declarations) {
    const reach = ts.isParameter(declaration) ? declaration.parent : variableScopeOf(declaration);
    if (identifier.pos < reach.pos || identifier.end > reach.end) continue;
    if (innermost === reach) found = 'ask';
    // Reaches that hold the identifier nest, so the one inside the other is the innermost.
    else if (!innermost || (reach.pos >= innermost.pos && reach.end <= innermost.end)) {
      innermost = reach;
      found = declaration;
    }
  }
  if (found === 'ask') return 'ask';
  return found && ts.isParameter(found) ? found : undefined;
}
