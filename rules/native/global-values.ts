/**
 * Types of global values from their declarations, for native rules: what `rules/utils/global-values.ts` answers for
 * ESTree rules, found through the checker's symbols instead of ESLint's scope analysis.
 */
import ts from '../utils/typescript.cjs';
import { declaredPropertyType } from '../facts/declared-types.js';
import { skipParentheses } from './syntax.js';

/** Per program (checker): the type of a global value by name, learnt from the first reference that qualifies. */
const GLOBALS = new WeakMap<ts.TypeChecker, Map<string, ts.Type | undefined>>();

/** Per file: the names of global values every reference of which is a callee or a member's object. */
let answered: { readonly file: ts.SourceFile; readonly byName: Map<string, boolean> } | undefined;

/**
 * The type of a callee from declarations alone when it is a global value or a member of one, `Promise.all`,
 * `JSON.stringify`, `Response.json`, `new URL(…)`: what the checker gives the callee, without typing it there.
 * `undefined` when the checker must answer.
 *
 * A name the file does not bind, whose symbol is declared only in other files and is no import, is the global one:
 * the same symbol in every file of a program, so its type is learnt once per program. It is the type at a reference
 * only when no flow narrowing applies there: so only when every reference of the file is a callee or the object of a
 * member access (`Promise.all`, `new URL(text)`), never a condition, an assignment or an argument.
 *
 * @example globalCalleeType(checker, file, calleeOf(`Promise.all(tasks)`)) // PromiseConstructor['all'], Promise left untyped
 */
export function globalCalleeType(checker: ts.TypeChecker, file: ts.SourceFile, callee: ts.Expression): ts.Type | undefined {
  const node = skipParentheses(callee);
  if (ts.isIdentifier(node)) return globalValueType(checker, file, node);
  if (!ts.isPropertyAccessExpression(node) || node.questionDotToken || !ts.isIdentifier(node.name)) return undefined;
  const object = skipParentheses(node.expression);
  if (!ts.isIdentifier(object)) return undefined;
  const receiver = globalValueType(checker, file, object);
  return receiver && declaredPropertyType(checker, receiver, node.name);
}

function globalValueType(checker: ts.TypeChecker, file: ts.SourceFile, id: ts.Identifier): ts.Type | undefined {
  // Inside `namespace N { … }` a name may be a member another file's `namespace N` declares, unseen here.
  if (inNamespace(id)) return undefined;
  const symbol = checker.getSymbolAtLocation(id);
  // declared in this file (a local, a script's own global) or imported: not the program-wide answer
  if (!symbol || symbol.flags & ts.SymbolFlags.Alias || !symbol.declarations?.length || symbol.declarations.some((declaration) => declaration.getSourceFile() === file)) return undefined;
  if (!onlyCalledOrDereferenced(checker, file, id.text, symbol)) return undefined;
  let known = GLOBALS.get(checker);
  if (!known) GLOBALS.set(checker, (known = new Map<string, ts.Type | undefined>()));
  if (!known.has(id.text)) known.set(id.text, checker.getTypeOfSymbol(symbol));
  return known.get(id.text);
}

/** Whether every value reference of the file to the global `name` is a callee or a member's object. */
function onlyCalledOrDereferenced(checker: ts.TypeChecker, file: ts.SourceFile, name: string, symbol: ts.Symbol): boolean {
  if (answered?.file !== file) answered = { file, byName: new Map() };
  let known = answered.byName.get(name);
  if (known === undefined) {
    known = true;
    const visit = (node: ts.Node): void => {
      if (!known) return;
      // Type positions (`Promise<Response>`) name the same global and narrow nothing.
      if (ts.isTypeNode(node) && !ts.isTypeQueryNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
      if (ts.isIdentifier(node) && node.text === name && isValueReference(node) && !isCalleeOrObject(node) && checker.getSymbolAtLocation(node) === symbol) known = false;
      ts.forEachChild(node, visit);
    };
    visit(file);
    answered.byName.set(name, known);
  }
  return known;
}

/** An identifier that refers to a variable, not a property's or a declaration's own name. */
export function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isQualifiedName(parent)) return parent.left === identifier;
  if (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent)) {
    return parent.name !== identifier;
  }
  if (ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent) || ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isBindingElement(parent)) return parent.propertyName !== identifier && parent.name !== identifier;
  // the name a declaration binds: `const X`, `function X`, `class X`, `(X) =>`, `import { X }`
  return (parent as ts.NamedDeclaration).name !== identifier || ts.isShorthandPropertyAssignment(parent) || ts.isExportSpecifier(parent);
}

/** `X.member` (not optional) or `X(…)` / `new X(…)`: positions where nothing narrows `X`. */
export function isCalleeOrObject(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier && !parent.questionDotToken;
  if (ts.isNewExpression(parent)) return parent.expression === identifier;
  return ts.isCallExpression(parent) && parent.expression === identifier && !parent.questionDotToken;
}

/** Whether a node is inside a `namespace`/`module` block, whose names other files may add to. */
export function inNamespace(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (ts.isModuleBlock(current)) return true;
  return false;
}
