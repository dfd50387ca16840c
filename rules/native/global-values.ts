/**
 * Types of global values from their declarations, for native rules: what the ESTree rules learnt from ESLint's scope
 * analysis, found through the file's index (`file-index.ts`) and the checker's symbols.
 */
import ts from '../utils/typescript.cjs';
import { declaredPropertyType } from '../facts/declared-types.js';
import { fileIndex } from './file-index.js';
import { skipParentheses } from './syntax.js';

/** Per program (checker): the type of a global value by name, learnt from the first reference that qualifies. */
const GLOBALS = new WeakMap<ts.TypeChecker, Map<string, ts.Type | undefined>>();

/**
 * Per program (checker), for the file last asked about: the answers for callees whose name no declaration of the file
 * has, by the callee's text. Keyed by the checker, as the answers (types) hold it: a module-level slot kept the
 * analyzer's program alive while it rendered its reports (with one in analyzer/collect/signal-use.ts: a peak of 548
 * against 424 MB on the 2,000-file bench project).
 */
const ANSWERED = new WeakMap<ts.TypeChecker, { readonly file: ts.SourceFile; readonly byCallee: Map<string, { readonly type: ts.Type | undefined }> }>();

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
 * Only a name that no declaration of the file has, in any scope (`fetch`, `JSON`), is asked about: it is that same
 * binding at every reference outside a `namespace` block, so its answer is kept per file, and most callees (the
 * file's own functions, imports, `response.json()`) are ruled out without asking the checker for a symbol. A global
 * whose name the file also declares somewhere is left to the checker, which gives the same type.
 *
 * @example globalCalleeType(checker, file, calleeOf(`Promise.all(tasks)`)) // PromiseConstructor['all'], Promise left untyped
 */
export function globalCalleeType(checker: ts.TypeChecker, file: ts.SourceFile, callee: ts.Expression): ts.Type | undefined {
  const node = skipParentheses(callee);
  let root = node;
  let member: ts.Identifier | undefined;
  if (ts.isPropertyAccessExpression(node)) {
    if (node.questionDotToken || !ts.isIdentifier(node.name)) return undefined;
    root = skipParentheses(node.expression);
    member = node.name;
  }
  if (!ts.isIdentifier(root)) return undefined;
  const index = fileIndex(file);
  // Inside `namespace N { … }` a name may be a member another file's `namespace N` declares, unseen here.
  if (index.declares(root.text) || (index.ofKind(ts.SyntaxKind.ModuleBlock).length > 0 && inNamespace(root))) return undefined;
  const key = member ? `${root.text}.${member.text}` : root.text;
  let answered = ANSWERED.get(checker);
  if (answered?.file !== file) ANSWERED.set(checker, (answered = { file, byCallee: new Map() }));
  let known = answered.byCallee.get(key);
  if (!known) {
    const receiver = globalValueType(checker, file, root);
    answered.byCallee.set(key, (known = { type: member ? receiver && declaredPropertyType(checker, receiver, member) : receiver }));
  }
  return known.type;
}

function globalValueType(checker: ts.TypeChecker, file: ts.SourceFile, id: ts.Identifier): ts.Type | undefined {
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
  const index = fileIndex(file);
  // Type positions (`Promise<Response>`) name the same global and narrow nothing.
  return !index
    .identifiersNamed(name)
    .some((identifier) => !index.inTypePosition(identifier) && isValueReference(identifier) && !isCalleeOrObject(identifier) && checker.getSymbolAtLocation(identifier) === symbol);
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
