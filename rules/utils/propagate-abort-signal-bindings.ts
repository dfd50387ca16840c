/**
 * The variables of one file, for `propagate-abort-signal`: what the ESTree rule asked ESLint's scope manager (which
 * variable a name refers to, its definitions, its references). A variable is the checker's `ts.Symbol`, and only the
 * file's own count, as in ESLint, whose scope analysis sees one file: a symbol declared only in other files (a global
 * of a lib file, another script's `var`) has no definition here.
 *
 * Why not the checker alone: it resolves one identifier at a time, and the rule asks about the arguments of every
 * call in a function with a signal. Most names are declared once in a file, in a parameter list or a block, which
 * syntax alone resolves (see {@link createResolver}); the checker answers the rest.
 */
import ts from './typescript.cjs';
import { fileIndex } from '../native/file-index.js';
import { isFunctionWithBody } from '../native/functions.js';
import { inNamespace } from '../native/global-values.js';
import { valueSymbolOf } from '../native/variables.js';

/**
 * The variable a declaration's name binds, as its references inside the declaring function resolve to it. A
 * parameter property (`constructor(private signal: AbortSignal)`) binds a parameter and a property: the checker
 * answers the property for its name, the parameter is the variable.
 */
export function declaredSymbol(checker: ts.TypeChecker, name: ts.Identifier): ts.Symbol | undefined {
  const parent = name.parent;
  if (ts.isParameter(parent) && ts.isParameterPropertyDeclaration(parent, parent.parent)) return checker.getSymbolsOfParameterPropertyDeclaration(parent, name.text)[0];
  return checker.getSymbolAtLocation(name);
}

/** The declarations of a symbol in this file: ESLint's definitions of the variable, or none for another file's. */
export function fileDeclarations(symbol: ts.Symbol, file: ts.SourceFile): ts.Declaration[] {
  return symbol.declarations?.filter((declaration) => declaration.getSourceFile() === file) ?? [];
}

/**
 * The variable declaration that binds a declaration's name, also from inside a destructuring pattern: ESLint's
 * `VariableDeclarator` definition of `x` in `const x = …` and in `const { a: { x } } = …`.
 */
export function variableDeclarationOf(declaration: ts.Declaration): ts.VariableDeclaration | undefined {
  let node: ts.Node = declaration;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  return ts.isVariableDeclaration(node) ? node : undefined;
}

/** Whether a variable declaration is `const` (not `let`, `var`, `using` or `await using`). */
export function isConst(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  // `await using` is flagged `Const | Using`
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0 && (list.flags & ts.NodeFlags.Using) === 0;
}

/** Every name a binding pattern (or a plain name) binds, at any depth: `{ op: { id, signal } }` binds `id` and `signal`. */
function boundNames(name: ts.BindingName, out: ts.Identifier[] = []): ts.Identifier[] {
  if (ts.isIdentifier(name)) out.push(name);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) boundNames(element.name, out);
  return out;
}

/** The file last asked about, and the names its variable declarations with an initial value bind. */
let initialised: { readonly file: ts.SourceFile; readonly names: ReadonlySet<string> } | undefined;

/**
 * Whether a variable declaration with an initial value binds this name somewhere in the file (`const x = …`,
 * `let { x } = …`). A name that none binds cannot be a variable whose initialiser says where a signal comes from, so
 * its reference need not be resolved.
 */
export function isInitialisedName(file: ts.SourceFile, name: string): boolean {
  if (initialised?.file !== file) {
    const names = new Set<string>();
    for (const node of fileIndex(file).ofKind(ts.SyntaxKind.VariableDeclaration)) {
      const declaration = node as ts.VariableDeclaration;
      if (declaration.initializer) for (const name of boundNames(declaration.name)) names.add(name.text);
    }
    initialised = { file, names };
  }
  return initialised.names.has(name);
}

/**
 * Where a declaration's binding can be referred to, as offsets `[start, end]`, when syntax alone says so: a
 * parameter's in its function from the parameter list on (a method's decorators and name are outside), a `let` or
 * `const`'s in its block, `switch` body or loop, a `var`'s in its function or the file, a `catch` binding's in its
 * clause. `undefined` for the rest (functions, classes, imports, types, anything in a `namespace` or `declare global`
 * block, whose names other blocks may share), which the checker resolves.
 */
function reachOf(name: ts.Identifier): readonly [number, number] | undefined {
  let node: ts.Node = name.parent;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  if (ts.isParameter(node)) {
    const owner = node.parent;
    // a signature's parameter (`(signal: AbortSignal) => void`) is in reach in the signature only
    return isFunctionWithBody(owner) ? [owner.parameters.pos, owner.end] : [owner.pos, owner.end];
  }
  if (!ts.isVariableDeclaration(node)) return undefined;
  const list = node.parent;
  if (ts.isCatchClause(list)) return [list.pos, list.end];
  if (!ts.isVariableDeclarationList(list)) return undefined;
  if (list.flags & ts.NodeFlags.BlockScoped) {
    const holder = list.parent;
    if (ts.isForStatement(holder) || ts.isForInStatement(holder) || ts.isForOfStatement(holder)) return [holder.pos, holder.end];
    const block = holder.parent;
    if (ts.isBlock(block) || ts.isSourceFile(block)) return [block.pos, block.end];
    return ts.isCaseClause(block) || ts.isDefaultClause(block) ? [block.parent.pos, block.parent.end] : undefined;
  }
  for (let current: ts.Node | undefined = list.parent; current; current = current.parent) {
    if (ts.isSourceFile(current) || ts.isClassStaticBlockDeclaration(current)) return [current.pos, current.end];
    if (ts.isModuleBlock(current)) return undefined;
    if (isFunctionWithBody(current)) return [current.parameters.pos, current.end];
  }
  return undefined;
}

/**
 * A resolver of references for one file: the variable of `file` an identifier in a value position refers to, as
 * ESLint's `findVariable` found it; `undefined` (or a symbol of another file, which no caller finds declared here) when
 * it refers to none of the file's.
 *
 * Syntax answers when at most one declaration of that name can reach the reference and the reach of each is known
 * (see `reachOf`): the one in reach is the variable (its symbol is asked once per declaration, a binder lookup), and
 * with none in reach the name is not the file's. The checker resolves the reference otherwise: a name declared in
 * two scopes that both reach it, a function's or an import's name, anything in a `namespace` block. Rejected: always
 * the checker, which resolved every argument of every call in a function with a signal (a third more rule time on the
 * generated bench project).
 */
export function createResolver(checker: ts.TypeChecker, file: ts.SourceFile): (reference: ts.Identifier) => ts.Symbol | undefined {
  return (reference) => {
    if (inNamespace(reference)) return valueSymbolOf(checker, reference);
    let found: ts.Identifier | undefined;
    for (const name of fileIndex(file).declarationsNamed(reference.text)) {
      const reach = reachOf(name);
      if (reach && (reference.pos < reach[0] || reference.end > reach[1])) continue;
      // two declarations reach it (the inner one shadows), or one whose reach syntax does not know
      if (found || !reach) return valueSymbolOf(checker, reference);
      found = name;
    }
    return found && declaredSymbol(checker, found);
  };
}

/** A set of bindings (symbols) that also answers, before any symbol is resolved, whether a name may be one of them. */
export class BindingSet {
  readonly #symbols = new Set<ts.Symbol>();
  readonly #names = new Set<string>();

  /** Adds the binding `name` declares. */
  add(symbol: ts.Symbol, name: ts.Identifier): void {
    this.#symbols.add(symbol);
    this.#names.add(name.text);
  }

  has(symbol: ts.Symbol): boolean {
    return this.#symbols.has(symbol);
  }

  /** Whether a binding of this name is in the set: `false` settles that an identifier of that name is none of them. */
  mayHold(name: string): boolean {
    return this.#names.has(name);
  }
}
