/**
 * What `no-floating-task` learns about a file's names in its one walk of the file: which names the file binds and
 * where, and which it reads where flow analysis could narrow them. Enough to tell, mostly without the checker, which
 * parameter a name refers to and whether a callee is a global value (`fetch`, `Promise.all`) whose type its
 * declarations give: what the ESTree version asked ESLint's scope analysis.
 *
 * They could move to `rules/native/` once a second native rule needs them.
 */
import ts from './typescript.cjs';
import { declaredPropertyType } from '../facts/declared-types.js';
import { inNamespace, isCalleeOrObject, isValueReference } from '../native/global-values.js';
import { skipParentheses } from '../native/syntax.js';
import { variableScopeOf } from './no-floating-task-syntax.js';

/** What one walk of a file tells about its names, for {@link unboundGlobalCalleeType} and {@link parameterOf}. */
interface FileNames {
  readonly file: ts.SourceFile;
  /** Names the file binds as values anywhere (variables, parameters, functions, classes, imports, enums, namespaces). */
  readonly bound: ReadonlyMap<string, readonly ts.Declaration[]>;
  /** Names with a value reference that is neither a callee nor a member's object (`fetch` in `wrap(fetch)`). */
  readonly narrowable: ReadonlySet<string>;
}

/** The file last asked about: one at a time, as files are linted (an index per file of a program would outlive it). */
let names: FileNames | undefined;

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

function namesOf(file: ts.SourceFile): FileNames {
  if (names?.file !== file) walkFile(file, () => undefined, () => undefined);
  return names!;
}

/**
 * Walks a file's expressions and statements once, parents before children, calling `enter` on the way down and
 * `exit` on the way up, and learns the file's names for {@link unboundGlobalCalleeType} and {@link parameterOf} on
 * the way (their answers for this file are only complete once the walk is done). Type annotations are skipped: they
 * hold no statement, call or function (a class's `extends` expression is walked).
 *
 * Why one walk: a rule that walks the file anyway learns the names on the way, where a walk of their own cost
 * ~90 ms more on the 1,000-file bench project (as much as the rule's own walk).
 */
export function walkFile(file: ts.SourceFile, enter: (node: ts.Node) => void, exit: (node: ts.Node) => void): void {
  const bound = new Map<string, ts.Declaration[]>();
  const narrowable = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      if (BINDING_KINDS.has(parent.kind) && (parent as ts.NamedDeclaration).name === node) {
        const declarations = bound.get(node.text);
        if (declarations) declarations.push(parent as ts.Declaration);
        else bound.set(node.text, [parent as ts.Declaration]);
      } else if (isValueReference(node) && !isCalleeOrObject(node)) narrowable.add(node.text);
      return;
    }
    // Type positions (`Promise<Response>`) name the same global and narrow nothing.
    if (ts.isTypeNode(node) && !ts.isTypeQueryNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
    enter(node);
    ts.forEachChild(node, visit);
    exit(node);
  };
  visit(file);
  names = { file, bound, narrowable };
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
  const declarations = namesOf(file).bound.get(identifier.text);
  if (!declarations?.some((declaration) => ts.isParameter(declaration))) return undefined;
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

/** Per program (checker): the global value a name no file binds refers to, and its type, by name. */
const GLOBALS = new WeakMap<ts.TypeChecker, Map<string, { readonly symbol: ts.Symbol; readonly type: ts.Type } | undefined>>();

/**
 * The type of a callee from declarations alone when it is a global value or a member of one (`fetch`, `Promise.all`,
 * `new URL(…)`), as `globalCalleeType` in rules/native/global-values.ts gives it, for a callee whose name the file
 * binds nowhere and never reads where flow analysis could narrow it; `undefined` otherwise, without asking the
 * checker. Never a type where `globalCalleeType` gives none: every reference by the name counts here, where that one
 * counts those that resolve to the global.
 *
 * Why a twin: the native answer asks the checker for the name's symbol and walks the file once per global name, for
 * every callee, where most callees are the file's own functions and imports (the ESTree version ruled those out by
 * ESLint's scope analysis first). Here one walk per file answers for every name. Its callers only choose with it which
 * question to ask first (the type it gives is the callee's type), so a global left to the checker changes no answer.
 *
 * @example unboundGlobalCalleeType(checker, file, calleeOf(`Promise.all(tasks)`)) // PromiseConstructor['all']
 */
export function unboundGlobalCalleeType(checker: ts.TypeChecker, file: ts.SourceFile, callee: ts.Expression): ts.Type | undefined {
  const node = skipParentheses(callee);
  if (ts.isIdentifier(node)) return globalValueType(checker, file, node);
  if (!ts.isPropertyAccessExpression(node) || node.questionDotToken || !ts.isIdentifier(node.name)) return undefined;
  const object = skipParentheses(node.expression);
  const receiver = ts.isIdentifier(object) ? globalValueType(checker, file, object) : undefined;
  return receiver && declaredPropertyType(checker, receiver, node.name);
}

function globalValueType(checker: ts.TypeChecker, file: ts.SourceFile, id: ts.Identifier): ts.Type | undefined {
  const { bound, narrowable } = namesOf(file);
  // Inside `namespace N { … }` a name may be a member another file's `namespace N` declares, unseen here.
  if (bound.has(id.text) || narrowable.has(id.text) || inNamespace(id)) return undefined;
  let known = GLOBALS.get(checker);
  if (!known) GLOBALS.set(checker, (known = new Map<string, { readonly symbol: ts.Symbol; readonly type: ts.Type } | undefined>()));
  if (!known.has(id.text)) {
    // A name a file does not bind refers to the same symbol in every such file: the lib's, or a script's global.
    const symbol = checker.getSymbolAtLocation(id);
    const global = symbol !== undefined && !(symbol.flags & ts.SymbolFlags.Alias) && (symbol.declarations?.length ?? 0) > 0;
    known.set(id.text, global ? { symbol, type: checker.getTypeOfSymbol(symbol) } : undefined);
  }
  const global = known.get(id.text);
  // A script's global declared in this file in a way the walk does not count as binding it: the native answer's test.
  return global && !global.symbol.declarations?.some((declaration) => declaration.getSourceFile() === file) ? global.type : undefined;
}

