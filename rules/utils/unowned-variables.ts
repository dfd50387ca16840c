import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from './typescript.cjs';
import { fileIndex } from '../native/file-index.js';
import { isCall, isLogical, skipParentheses } from '../native/syntax.js';
import { localVariable, referenceKind } from '../native/variables.js';
import { trackCodePaths, type Segment } from './code-path.js';
import { declarationKeyword, isOptionalChain, variableScopeOf } from './no-floating-task-syntax.js';

/** Inputs of {@link trackUnownedVariables}. */
export interface UnownedVariableCheck {
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
  /**
   * Whether the declared variable holds a promise (or an array of them) that needs an owner. Asked last: only of a
   * variable that is never read, or that some path from its declaration leaves unread.
   */
  isPromiseValued: (declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier }) => boolean;
  /**
   * Whether a binding destructured from a call's result (`const { promise, reject } = withResolvers()`) holds a
   * promise made for this function. Asked last, as `isPromiseValued` is, for plain identifiers in an object pattern only.
   * @default () => false
   */
  isPromiseBinding?: (id: TSESTree.Identifier, declarator: TSESTree.VariableDeclarator & { init: TSESTree.CallExpression | TSESTree.NewExpression }) => boolean;
  /**
   * Whether the declared variable surely holds no promise, answered without typing its initialiser (its written type,
   * a global callee's declared type). Asked of every variable the check could follow, before the traversal, to learn
   * that a file needs none of its listeners: it must answer `true` only where `isPromiseValued` answers `false`.
   * @default () => false
   */
  surelyNoPromise?: (declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier }) => boolean;
  /**
   * Whether a read hands the promise on. `false` for a read whose value comes straight back unowned
   * (`Object.defineProperties(work, extra);`).
   * @default () => true
   */
  isOwningRead?: (read: TSESTree.Identifier) => boolean;
  /** Whether a statement was already reported as floating: a read inside it is that report's business. */
  isReportedStatement: (statement: TSESTree.Node) => boolean;
  /** `everyPath` is true when the variable is never read at all. */
  report: (id: TSESTree.Identifier, everyPath: boolean) => void;
}

interface Tracked {
  id: TSESTree.Identifier;
  reads: TSESTree.Identifier[];
  /** Segments current when the declaration finished: where every path starts. */
  starts: Segment[];
  /** Segments in which the variable is read (after its declaration: `let`/`const` cannot be read before). */
  readIn: Set<Segment>;
  /** Whether the variable holds a promise: asked only of a variable that some path leaves unread. */
  isPromise: () => boolean;
}

// Initialisers that create a promise here. Others only alias one owned elsewhere (`const p = this.pending`), and a
// function or literal never is one, so they are skipped before any type lookup. `isCreating` is its twin on
// TypeScript's tree.
const CREATING = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.ArrayExpression,
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.ChainExpression,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.LogicalExpression,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.TaggedTemplateExpression,
  AST_NODE_TYPES.TSAsExpression,
  AST_NODE_TYPES.TSNonNullExpression,
  AST_NODE_TYPES.TSSatisfiesExpression,
]);

/**
 * Listeners that find a promise bound to a local `const`/`let` that some path from its declaration to the end of the
 * function leaves without a read: `const p = save(); if (ok) await p; return;` loses `p`'s rejection when `ok` is
 * false (Go's `lostcancel` walks every path the same way).
 *
 * Any read counts as taking ownership (awaiting, returning, passing, storing, `.catch`), which keeps the check
 * precise: it only asks whether the promise is looked at on every path. Paths are ESLint's code paths, so `return`,
 * `throw`, `break`, `continue`, short-circuits and loops are all followed; reaching the declaration again in a loop
 * means the previous iteration's promise was dropped.
 *
 * Destructured bindings count only when taken by name from a call's result (`const { promise } = withResolvers()`),
 * since the object they came from is gone. Skipped as unknowable (rejected alternative: guessing): `var` (hoisted),
 * nested and array patterns, exported bindings, reassigned variables, and variables read from a nested function,
 * which may run on any path or never.
 */
export function trackUnownedVariables(check: UnownedVariableCheck): TSESLint.RuleListener {
  const sourceCode = check.context.sourceCode;
  // Nothing to follow in this file: no listeners at all. Why: the `Identifier` listener and the code-path events run
  // for every node of every file (most of the rule's listener calls), while most files declare no such variable.
  if (sourceCode.scopeManager && !mayFollowAny(sourceCode.scopeManager, check.isPromiseBinding !== undefined, check.surelyNoPromise)) return {};
  const byRead = new Map<TSESTree.Node, Tracked>();
  const tracker = trackCodePaths<Tracked[]>({
    start: () => [],
    end: (tracked) => {
      for (const variable of tracked) {
        if (variable.reads.some((read) => isInReportedStatement(read))) continue;
        if (!variable.starts.some((start) => !ownedOnEveryPath(start, variable.readIn, tracker.nextSegments))) continue;
        if (variable.isPromise()) check.report(variable.id, variable.readIn.size === 0);
      }
    },
  });

  function isInReportedStatement(node: TSESTree.Node): boolean {
    for (let current = node.parent; current; current = current.parent) {
      if (current.type === AST_NODE_TYPES.ExpressionStatement) return check.isReportedStatement(current);
      if (current.type.endsWith('Statement') || current.type.includes('Function')) return false;
    }
    return false;
  }

  /**
   * Starts following `id` (declared by `node`) when nothing but this function can read it; whether it holds a promise
   * is asked only once some path is known to leave it unread. Why: typing an initialiser (`const user = await
   * load(id)`, `const rows = db.query(sql)`) is most of this check's cost, and almost every variable is read on every
   * path, so the answer is almost never needed. Rejected: asking first (as before), which typed every `const x =
   * call()` in the program although no-floating-promises types none of them.
   */
  function track(node: TSESTree.VariableDeclarator, id: TSESTree.Identifier, isPromise: () => boolean): void {
    const variable = sourceCode.getDeclaredVariables(node).find((candidate) => candidate.identifiers.includes(id));
    if (!variable) return;
    if (!staysHome(variable)) return;
    const reads = variable.references
      .filter((reference) => reference.isValueReference && reference.isRead())
      .map((reference) => reference.identifier as TSESTree.Identifier);
    if (reads.length === 0) {
      if (isPromise()) check.report(id, true);
      return;
    }
    const tracked: Tracked = { id, reads, starts: [...tracker.segments()], readIn: new Set(), isPromise };
    tracker.state()?.push(tracked);
    for (const read of reads) byRead.set(read, tracked);
  }

  return {
    ...tracker.listeners,
    'VariableDeclarator:exit'(node: TSESTree.VariableDeclarator): void {
      const followed = followedAs(node, check.isPromiseBinding !== undefined);
      // const page = fetchPage(url);
      if (followed === 'identifier') {
        const declarator = node as TSESTree.VariableDeclarator & { id: TSESTree.Identifier };
        track(node, declarator.id, () => check.isPromiseValued(declarator));
        return;
      }
      // const { promise: connected, reject } = withResolvers();
      const isPromiseBinding = check.isPromiseBinding;
      if (followed !== 'bindings' || !isPromiseBinding || node.id.type !== AST_NODE_TYPES.ObjectPattern) return;
      // followedAs answered 'bindings': the initialiser is a call or a `new`
      const declarator = node as TSESTree.VariableDeclarator & { init: TSESTree.CallExpression | TSESTree.NewExpression };
      for (const property of node.id.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.value.type !== AST_NODE_TYPES.Identifier) continue;
        const id = property.value;
        track(node, id, () => isPromiseBinding(id, declarator));
      }
    },
    Identifier(node): void {
      const tracked = byRead.get(node);
      if (tracked && check.isOwningRead?.(node) !== false) for (const segment of tracker.segments()) tracked.readIn.add(segment);
    },
  };
}

/**
 * Whether a file declares any variable that {@link trackUnownedVariables} may follow or report, by the same conditions
 * on its declaration, its initialiser and its references that `VariableDeclarator:exit` applies, from the scope
 * analysis alone (no types, no traversal). `bindings`: whether bindings destructured from a call's result count.
 *
 * @example mayFollowAny(scopeManagerOf(`const n = 1; const user = await load(id);`), true) // false: nothing to follow
 */
export function mayFollowAny(scopeManager: TSESLint.Scope.ScopeManager, bindings: boolean, surelyNoPromise?: UnownedVariableCheck['surelyNoPromise']): boolean {
  return declaredScopes(scopeManager).some((scope) => scope.variables.some((variable) => mayTrack(variable, bindings, surelyNoPromise)));
}

/**
 * The scopes that may hold the file's own `const`/`let` declarations. Not the global scope of a module, which holds
 * only the library's globals (over a thousand implicit variables with the DOM lib): a module's top-level declarations
 * are in its module scope, and `declare global` ones are never followed.
 */
function declaredScopes(scopeManager: TSESLint.Scope.ScopeManager): TSESLint.Scope.Scope[] {
  const scopes = scopeManager.scopes;
  return scopes.some((scope) => scope.type === TSESLint.Scope.ScopeType.module) ? scopes.filter((scope) => scope.type !== TSESLint.Scope.ScopeType.global) : scopes;
}

/**
 * Whether `VariableDeclarator:exit` may follow (or report) this variable, asked of the scope analysis before the
 * traversal with the same two tests it applies ({@link followedAs}, {@link staysHome}), none on types. A file where
 * no variable passes needs none of the listeners.
 */
function mayTrack(variable: TSESLint.Scope.Variable, bindings: boolean, surelyNoPromise: UnownedVariableCheck['surelyNoPromise']): boolean {
  const declarator = variable.defs.find((definition) => definition.type === TSESLint.Scope.DefinitionType.Variable)?.node;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator) return false;
  const followed = followedAs(declarator, bindings);
  if (!followed || !staysHome(variable)) return false;
  return !(followed === 'identifier' && surelyNoPromise?.(declarator as TSESTree.VariableDeclarator & { id: TSESTree.Identifier }));
}

/**
 * How the check may follow what a declarator declares: its one identifier (`const page = fetchPage(url)`), the
 * bindings destructured from a call's result when `bindings` (`const { promise } = withResolvers()`), or not at all:
 * a `var`, an export, an ambient declaration, no initialiser, or an initialiser that creates nothing.
 */
function followedAs(declarator: TSESTree.VariableDeclarator, bindings: boolean): 'identifier' | 'bindings' | undefined {
  const declaration = declarator.parent;
  const init = declarator.init;
  if (!init || (declaration.kind !== 'const' && declaration.kind !== 'let')) return undefined;
  if (declaration.declare || declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return undefined;
  if (declarator.id.type === AST_NODE_TYPES.Identifier) return CREATING.has(init.type) ? 'identifier' : undefined;
  if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || !bindings) return undefined;
  return init.type === AST_NODE_TYPES.CallExpression || init.type === AST_NODE_TYPES.NewExpression ? 'bindings' : undefined;
}

/**
 * Whether only the function that declares a variable uses it, and nothing assigns it after its declaration: then
 * every read is in view of the code paths this check follows.
 */
function staysHome(variable: TSESLint.Scope.Variable): boolean {
  const home = variable.scope.variableScope;
  return !variable.references.some((reference) => reference.isValueReference && (reference.from.variableScope !== home || (reference.isWrite() && !reference.init)));
}

/**
 * Whether every path from `start` to the end of its code path passes a segment that reads the variable. A path that
 * comes back to `start` (a loop around the declaration) has re-declared it, so the earlier promise was dropped.
 */
function ownedOnEveryPath(start: Segment, readIn: ReadonlySet<Segment>, next: (segment: Segment) => readonly Segment[]): boolean {
  if (readIn.has(start)) return true;
  if (start.nextSegments.length === 0) return false;
  const seen = new Set<Segment>([start]);
  const pending = [...next(start)];
  while (pending.length > 0) {
    const segment = pending.pop()!;
    if (segment === start) return false;
    if (seen.has(segment)) continue;
    seen.add(segment);
    if (!segment.reachable || readIn.has(segment)) continue;
    if (segment.nextSegments.length === 0) return false;
    pending.push(...next(segment));
  }
  return true;
}

/** What {@link mayReportIn} asks of the variables the check may follow, on TypeScript's tree. */
export interface FollowedPromises {
  /** As {@link UnownedVariableCheck.surelyNoPromise}: `true` only where `isPromiseValued` answers `false`. */
  surelyNoPromise: (declaration: ts.VariableDeclaration) => boolean;
  /** As {@link UnownedVariableCheck.isPromiseValued}, for the same declaration. */
  isPromiseValued: (declaration: ts.VariableDeclaration) => boolean;
  /** As {@link UnownedVariableCheck.isPromiseBinding}; absent when bindings do not count. */
  isPromiseBinding?: (element: ts.BindingElement, declaration: ts.VariableDeclaration) => boolean;
}

/**
 * Whether the listeners of {@link trackUnownedVariables} may report anything in a file, from TypeScript's tree and
 * checker alone: whether the file declares a variable that `VariableDeclarator:exit` follows (the same tests as
 * {@link followedAs} and {@link staysHome}) and that holds a promise by the same question the listeners ask last
 * before they report (`isPromiseValued`, `isPromiseBinding`). The analyzer runs the code-path part of a rule only on
 * the files where this answers `true`.
 *
 * Sound, not exact: `true` whenever the listeners could report, so also for a variable that every path reads (which
 * only code paths tell). The promise question is asked last, of a variable the check would follow, so it costs what
 * the listeners' own question costs, at most once per such variable. Rejected for the analyzer: stopping at the
 * syntax and the scopes as {@link mayFollowAny} does, which most files pass with a `const x = call()` read at home
 * (369 of the 1,000 files of the bench project, each then linted by ESLint whole, where the promise question leaves
 * none, for ~100 ms).
 *
 * @example mayReportIn(file, checker, promises) // false for `const user = await load(id); return user.name;`
 */
export function mayReportIn(file: ts.SourceFile, checker: ts.TypeChecker, promises: FollowedPromises): boolean {
  const isPromiseBinding = promises.isPromiseBinding;
  const mayReport = (declaration: ts.VariableDeclaration): boolean => {
    const followed = followedAsTs(declaration, isPromiseBinding !== undefined);
    // const page = fetchPage(url);
    if (followed === 'identifier') {
      const name = declaration.name as ts.Identifier;
      return !promises.surelyNoPromise(declaration) && staysHomeTs(checker, file, name) && promises.isPromiseValued(declaration);
    }
    // const { promise: connected, reject } = withResolvers();
    if (followed !== 'bindings' || !isPromiseBinding) return false;
    return (declaration.name as ts.ObjectBindingPattern).elements.some(
      (element) => !element.dotDotDotToken && !element.initializer && ts.isIdentifier(element.name) && staysHomeTs(checker, file, element.name) && isPromiseBinding(element, declaration),
    );
  };
  return fileIndex(file).ofKind(ts.SyntaxKind.VariableDeclaration).some((node) => mayReport(node as ts.VariableDeclaration));
}

/** {@link followedAs} on TypeScript's tree. A `catch (error)` binding is a variable declaration there, never followed. */
function followedAsTs(declaration: ts.VariableDeclaration, bindings: boolean): 'identifier' | 'bindings' | undefined {
  const list = declaration.parent;
  if (!declaration.initializer || !ts.isVariableDeclarationList(list)) return undefined;
  const keyword = declarationKeyword(list);
  if (keyword !== 'const' && keyword !== 'let') return undefined;
  const modifiers = ts.isVariableStatement(list.parent) ? ts.getModifiers(list.parent) : undefined;
  if (modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword || modifier.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  if (ts.isIdentifier(declaration.name)) return isCreating(declaration.initializer) ? 'identifier' : undefined;
  if (!ts.isObjectBindingPattern(declaration.name) || !bindings) return undefined;
  const init = skipParentheses(declaration.initializer);
  return isCall(init) || ts.isNewExpression(init) ? 'bindings' : undefined;
}

/**
 * {@link staysHome} on TypeScript's tree: every reference of the variable is in the function that declares it (see
 * `variableScopeOf`), and none assigns it. A name the checker binds to nothing of this file answers `true`: unknown,
 * so it may be followed.
 */
function staysHomeTs(checker: ts.TypeChecker, file: ts.SourceFile, name: ts.Identifier): boolean {
  const variable = localVariable(checker, file, name);
  if (!variable) return true;
  const home = variableScopeOf(name);
  // asked of the syntax first: only a reference that would leave home has its symbol looked up
  return !variable.someReference((reference) => {
    const kind = referenceKind(reference);
    if (kind === 'init' || kind === 'declaration') return false;
    return kind !== 'read' || variableScopeOf(reference) !== home;
  });
}

/**
 * Whether an initialiser creates a promise here ({@link CREATING} on TypeScript's tree): an array, a call (not
 * `import(…)`), an optional chain, `a ? b : c`, `&&`/`||`/`??`, `new`, a tagged template, `as`, `!` or `satisfies`.
 */
export function isCreating(expression: ts.Expression): boolean {
  const node = skipParentheses(expression);
  return (
    ts.isArrayLiteralExpression(node) || isCall(node) || isOptionalChain(node) || ts.isConditionalExpression(node) || isLogical(node) ||
    ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)
  );
}
