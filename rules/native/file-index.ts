/**
 * One walk of a file for every native rule: its nodes in source order, and its identifiers by name.
 *
 * Why: each native rule used to walk the file itself, and three of them built their own index of its identifiers
 * (to find a variable's references, to tell which names the file binds, to see how a global is used), where ESLint's
 * traversal and scope analysis had answered the ESTree rules outside their stopwatch. On the 1,000-file bench project
 * that was a tenth of the rules' time (bench/README.md, session 12). Now the first rule to ask about a file walks it,
 * and the others iterate the arrays it left.
 *
 * One file at a time, as files are linted (by ESLint and by the analyzer): an index kept for every file of a program
 * would live as long as the program.
 */
import ts from '../utils/typescript.cjs';
import { isPropertyName } from './syntax.js';

/** What one walk of a file gives; see {@link fileIndex}. */
export interface FileIndex {
  readonly file: ts.SourceFile;
  /** Every node of the file, the file first, parents before children, in source order: what `forEachChild` reaches. */
  readonly nodes: readonly ts.Node[];
  /** For the node at `nodes[i]`, the index just past its last descendant: `nodes.slice(i, ends[i])` is its subtree. */
  readonly ends: readonly number[];
  /** Every identifier with this text, in source order (property names and type positions included). */
  identifiersNamed(name: string): readonly ts.Identifier[];
  /** Whether an identifier is inside a type annotation (see {@link isTypeAnnotation}): `Promise<Response>`, `(signal: AbortSignal) => void`. */
  inTypePosition(identifier: ts.Identifier): boolean;
  /** Whether any declaration of the file, of a value or a type, in any scope, is named `name`: see {@link isDeclarationName}. */
  declares(name: string): boolean;
  /** The file's declaration names with this text (see {@link isDeclarationName}), in source order. */
  declarationsNamed(name: string): readonly ts.Identifier[];
  /** The nodes of one kind, in source order. */
  ofKind(kind: ts.SyntaxKind): readonly ts.Node[];
}

let last: FileIndex | undefined;

/**
 * The index of `file`, walked on the first question about it.
 *
 * @example for (const node of fileIndex(file).nodes) if (ts.isCallExpression(node)) check(node);
 */
export function fileIndex(file: ts.SourceFile): FileIndex {
  if (last?.file === file) return last;
  const nodes: ts.Node[] = [];
  const ends: number[] = [];
  const byName = new Map<string, ts.Identifier[]>();
  const inTypes = new Set<ts.Identifier>();
  let typeDepth = 0;
  const visit = (node: ts.Node): void => {
    const at = nodes.length;
    nodes.push(node);
    ends.push(at + 1);
    if (node.kind === ts.SyntaxKind.Identifier) {
      const identifier = node as ts.Identifier;
      const list = byName.get(identifier.text);
      if (list) list.push(identifier);
      else byName.set(identifier.text, [identifier]);
      if (typeDepth > 0) inTypes.add(identifier);
      return;
    }
    const annotation = isTypeAnnotation(node);
    if (annotation) typeDepth++;
    ts.forEachChild(node, visit);
    if (annotation) typeDepth--;
    ends[at] = nodes.length;
  };
  visit(file);
  const declared = new Map<string, readonly ts.Identifier[]>();
  const declaresName = new Map<string, boolean>();
  const kinds = new Map<ts.SyntaxKind, readonly ts.Node[]>();
  const declarationsNamed = (name: string): readonly ts.Identifier[] => {
    let found = declared.get(name);
    if (!found) declared.set(name, (found = (byName.get(name) ?? []).filter(isDeclarationName)));
    return found;
  };
  last = {
    file,
    nodes,
    ends,
    identifiersNamed: (name) => byName.get(name) ?? [],
    inTypePosition: (identifier) => inTypes.has(identifier),
    declares(name) {
      let known = declaresName.get(name);
      if (known === undefined) declaresName.set(name, (known = declared.has(name) ? declared.get(name)!.length > 0 : (byName.get(name)?.some(isDeclarationName) ?? false)));
      return known;
    },
    declarationsNamed,
    ofKind(kind) {
      let found = kinds.get(kind);
      if (!found) kinds.set(kind, (found = nodes.filter((node) => node.kind === kind)));
      return found;
    },
  };
  return last;
}

/**
 * Whether an identifier is the name a declaration introduces: a variable's, a parameter's, a function's, a class's,
 * an import's, a type's. Properties and `{ x }` shorthands are not; an export's name is counted.
 */
export function isDeclarationName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if ((parent as ts.NamedDeclaration).name !== identifier || isPropertyName(identifier)) return false;
  return !ts.isShorthandPropertyAssignment(parent) && !ts.isJsxAttribute(parent);
}

/**
 * Whether a node is a type annotation, where names narrow nothing and no statement, call or function is: a type node
 * other than `typeof x` and a heritage clause's `Base<T>` (whose expression is a value).
 */
export function isTypeAnnotation(node: ts.Node): boolean {
  return ts.isTypeNode(node) && node.kind !== ts.SyntaxKind.TypeQuery && node.kind !== ts.SyntaxKind.ExpressionWithTypeArguments;
}
