/**
 * The questions about promises that `no-floating-task` asks both of floating statements (its native `check`) and of
 * variables (its ESLint part, which follows code paths, and the analyzer's `needed` test for it): is this a promise,
 * may this initialiser reject, is this call's promise someone else's. One implementation on TypeScript's tree, so the
 * statement check, the variable check and the test for whether a file needs the variable check cannot disagree.
 */
import { typeMatchesSomeSpecifier, valueMatchesSomeSpecifier, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import ts from './typescript.cjs';
import { cannotReject, declaresPromiseProperty, isArrayRemoval, isKeptReference, isKnownSafeCallee, isPromiseArray, isPromiseLike, mayReturnPromise } from '../facts.js';
import { onlyFulfils, passedThroughArguments, returnsKeptPromise, skipOuter, type PromiseFacts } from '../facts.js';
import { globalCalleeType } from '../native/global-values.js';
import { isCall, isLogical, isSequence, skipParentheses } from '../native/syntax.js';
import { localVariable, referenceKind } from '../native/variables.js';
import { definitionKind, isNeverThenable, variableScopeOf } from './no-floating-task-syntax.js';

/** The options of `no-floating-task` that decide what counts as a promise needing an owner (see `NoFloatingTaskOptions`). */
export interface PromiseOptions {
  /** Count every thenable, not only `Promise` and its subclasses. @default false */
  checkThenables?: boolean;
  /** Promise types that may float. @default [] */
  allowForKnownSafePromises?: TypeOrValueSpecifier[];
  /** Functions whose returned promise may float. @default [] */
  allowForKnownSafeCalls?: TypeOrValueSpecifier[];
}

/** What {@link promiseQuestions} needs: the file, its program and checker, and the rule's options. */
export interface PromiseContext {
  readonly file: ts.SourceFile;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly options: PromiseOptions;
}

/** The answers, for one file. Every expression is taken without the parentheses around it. */
export interface PromiseQuestions {
  readonly facts: PromiseFacts;
  readonly typeOf: (node: ts.Node) => ts.Type;
  /** Whether a value of the node's type is a promise (by `checkThenables` and `allowForKnownSafePromises`). */
  readonly isPromise: (node: ts.Node) => boolean;
  /** Whether a call's promise belongs to someone else: `allowForKnownSafeCalls`, or a `node:test` registration. */
  readonly isSafeCall: (call: ts.CallExpression) => boolean;
  /** `this.pending.splice(0, n)`: the built-in array removals on an array kept outside this function. */
  readonly removesStoredElements: (callee: ts.Expression) => boolean;
  /** Whether a call runs an async function that catches everything it does (by its declaration, when in the program). */
  readonly cannotRejectCall: (call: ts.CallExpression) => boolean;
  /** Whether a `const p = …` declaration holds a promise (or an array of them) that may reject and needs an owner. */
  readonly isPromiseValued: (declaration: ts.VariableDeclaration) => boolean;
  /** Whether a declaration surely holds no promise, from its written type or a global callee's, typing nothing. */
  readonly surelyNoPromise: (declaration: ts.VariableDeclaration) => boolean;
  /** Whether a binding destructured from a call's result (`const { promise } = withResolvers()`) holds a new promise. */
  readonly isPromiseBinding: (element: ts.BindingElement, declaration: ts.VariableDeclaration) => boolean;
}

/**
 * The promise questions of `no-floating-task` for one file.
 *
 * @example promiseQuestions({ file, program, checker, options }).isPromiseValued(declarationOf(`const p = save(user)`)) // true
 */
export function promiseQuestions(context: PromiseContext): PromiseQuestions {
  const { file, program, checker, options } = context;
  const safePromises = options.allowForKnownSafePromises ?? [];
  const safeCalls = options.allowForKnownSafeCalls ?? [];
  const safeCallNames = new Set(safeCalls.flatMap((specifier) => (typeof specifier === 'string' ? [specifier] : typeof specifier.name === 'string' ? [specifier.name] : specifier.name)));
  const facts: PromiseFacts = {
    checkThenables: options.checkThenables ?? false,
    ...(safePromises.length > 0 && { isKnownSafe: (type: ts.Type) => typeMatchesSomeSpecifier(type, safePromises, program) }),
  };
  const typeOf = (node: ts.Node): ts.Type => checker.getTypeAtLocation(node);
  const isPromise = (node: ts.Node): boolean => isPromiseLike(checker, typeOf(node), facts);
  const holdsPromises = (node: ts.Node): boolean => isPromise(node) || isPromiseArray(checker, typeOf(node), facts);

  function isSafeCall(call: ts.CallExpression): boolean {
    const callee = skipParentheses(call.expression);
    // Only a callee named by an identifier has a name `valueMatchesSomeSpecifier` can match. It takes an ESTree node but
    // reads nothing of it but its type and name, so a stand-in with those two does. Rejected: a copy of its `package`
    // check, which type-utils does not export, kept in step by hand.
    if (ts.isIdentifier(callee) && safeCallNames.has(callee.text)) {
      const name: Pick<TSESTree.Identifier, 'type' | 'name'> = { type: AST_NODE_TYPES.Identifier, name: callee.text };
      if (valueMatchesSomeSpecifier(name as TSESTree.Identifier, safeCalls, program, typeOf(callee))) return true;
    }
    return isKnownSafeCallee(checker, callee);
  }

  /**
   * `this.pending.splice(0, n)`, `stack.pop()` with the built-in `Array` methods, on an array kept outside this
   * function (a property, a module's or a closure's variable, a parameter): its elements were made, and owned or
   * not, where they were stored. Not on an array this function made (`tasks.pop()` after `const tasks =
   * ids.map(save)` drops a promise made here), nor on a fresh one (`ids.map(save).shift()`).
   */
  function removesStoredElements(callee: ts.Expression): boolean {
    if (!ts.isPropertyAccessExpression(callee) || !isArrayRemoval(checker, callee)) return false;
    let root = skipOuter(callee.expression);
    if (!isKeptReference(root) && root.kind !== ts.SyntaxKind.ThisKeyword && root.kind !== ts.SyntaxKind.SuperKeyword) return false;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
    if (!ts.isIdentifier(root)) return true;
    // A name bound in another file (an import's target, a global) is kept outside this function.
    const variable = localVariable(checker, file, root);
    if (!variable || variableScopeOf(variable.declaration) !== variableScopeOf(root)) return true;
    // a parameter, unless its default value is an array made here (`tasks = ids.map(save)`)
    const declaration = variable.declaration;
    return definitionKind(declaration) === 'parameter' && !(ts.isParameter(declaration) || ts.isBindingElement(declaration) ? declaration.initializer : undefined);
  }

  function cannotRejectCall(call: ts.CallExpression): boolean {
    const callee = skipParentheses(call.expression);
    if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) return cannotReject(checker, callee);
    const declaration = checker.getResolvedSignature(call)?.getDeclaration();
    return declaration !== undefined && cannotReject(checker, declaration);
  }

  /**
   * Whether a pass-through call hands this promise on for good: the argument is a local `const`/`let` of this
   * function holding a promise, read nowhere but in this call. `const b = identity(a); await a;` keeps `a` as its
   * owner, and a property (`this.work`) is owned where it lives.
   */
  function movesHere(argument: ts.Expression, call: ts.CallExpression): boolean {
    if (!ts.isIdentifier(argument)) return false;
    const variable = localVariable(checker, file, argument);
    const declarations = variable?.symbol.declarations ?? [];
    if (!variable || declarations.length !== 1 || definitionKind(variable.declaration) !== 'variable' || variableScopeOf(variable.declaration) !== variableScopeOf(argument)) return false;
    const start = call.getStart(file);
    const inCall = (identifier: ts.Identifier): boolean => identifier.getStart(file) >= start && identifier.end <= call.end;
    const reads = variable.references().filter((identifier) => {
      const kind = referenceKind(identifier);
      return kind === 'read' || kind === 'read-write';
    });
    return reads.every(inCall) && holdsPromises(argument);
  }

  /** Whether an initialiser may hold a promise that can reject: a branch that calls something that can. */
  function mayReject(node: ts.Expression): boolean {
    return valueBranches(node).some((branch) => {
      if (isCall(branch)) {
        if (isSafeCall(branch)) return false;
        // const waiting = this.waiting.splice(0, n) — elements an array kept elsewhere held, owned (or not) where
        // they were stored, as for the statement
        if (removesStoredElements(skipParentheses(branch.expression))) return false;
        if (returnsKeptPromise(checker, branch)) return false;
        // const tagged = Object.assign(audit, extra) — the promise `audit` held lives on in this variable alone
        const passed = passedThroughArguments(checker, branch);
        if (passed) return passed.some((argument) => movesHere(argument, branch));
        return !cannotRejectCall(branch);
      }
      // [`${key}="`] as StringBuffer — a cast changes the type, not the value: a string in an array typed to hold
      // promises too is no promise yet
      if (ts.isAsExpression(branch) || ts.isSatisfiesExpression(branch) || ts.isNonNullExpression(branch)) return mayReject(branch.expression);
      // [save(user), `${id}`] — an element that may reject; holes and literals cannot
      if (ts.isArrayLiteralExpression(branch)) {
        return branch.elements.some((element) => !ts.isOmittedExpression(element) && mayReject(ts.isSpreadElement(element) ? element.expression : element));
      }
      // new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())) — nothing can reject it
      if (ts.isNewExpression(branch)) return !onlyFulfils(checker, branch) && holdsPromises(branch);
      return holdsPromises(branch);
    });
  }

  /**
   * Whether an initialiser may hold a promise (or an array of them), judged by its calls' callees: `false` only when
   * every value it can take is a call or `new` whose callee's declared signatures return none, or a value that is
   * neither a thenable nor an array by its syntax (`?? ''`, `? 0 :`, see `isNeverThenable`). Typing the variable
   * instead resolves every call in the initialiser, which for `declaredType(node) ?? typeOf(services.map.get(node))`
   * instantiated typescript-eslint's node-map types (0.13 s for one declaration in this repository).
   */
  function callsMayGivePromise(node: ts.Expression): boolean {
    return valueBranches(node).some((branch) => {
      if (isCall(branch) || ts.isNewExpression(branch)) return mayReturnPromise(checker, typeOf(skipParentheses(branch.expression)), facts, ts.isNewExpression(branch));
      // `[save(user)]` and `(log(), [save(user)])` are never thenables, but may be arrays of promises
      return !isNeverThenable(branch) || ts.isArrayLiteralExpression(branch) || isSequence(branch);
    });
  }

  return {
    facts,
    typeOf,
    isPromise,
    isSafeCall,
    removesStoredElements,
    cannotRejectCall,
    isPromiseValued: (declaration) => {
      const init = declaration.initializer && skipParentheses(declaration.initializer);
      // const user = loadUser(id), const type = declaredType(node) ?? typeOf(node) — the callees' declared types rule
      // most declarations out before any call is typed
      if (init && !callsMayGivePromise(init)) return false;
      const type = typeOf(declaration.name);
      if (!isPromiseLike(checker, type, facts) && !isPromiseArray(checker, type, facts)) return false;
      return !init || mayReject(init);
    },
    // const value: unknown = JSON.parse(text), const body = JSON.stringify(data): the written type, or a global
    // callee's declared type, gives the answer of `isPromiseValued` before the traversal, without typing anything
    surelyNoPromise: (declaration) => {
      if (declaration.type) {
        const type = checker.getTypeFromTypeNode(declaration.type);
        return !isPromiseLike(checker, type, facts) && !isPromiseArray(checker, type, facts);
      }
      const init = declaration.initializer && skipParentheses(declaration.initializer);
      if (!init || !(isCall(init) || ts.isNewExpression(init))) return false;
      const global = globalCalleeType(checker, file, init.expression);
      return global !== undefined && !mayReturnPromise(checker, global, facts, ts.isNewExpression(init));
    },
    // const { promise: connected, reject } = withResolvers() — the deferred object is gone, its promise is ours
    isPromiseBinding: (element, declaration) => {
      const init = declaration.initializer && skipParentheses(declaration.initializer);
      if (!init || !(isCall(init) || ts.isNewExpression(init)) || (isCall(init) && isSafeCall(init))) return false;
      const key = propertyKey(element);
      return key !== undefined && declaresPromiseProperty(checker, typeOf(skipParentheses(init.expression)), key, facts, ts.isNewExpression(init));
    },
  };
}

/**
 * The expressions a value may come from, without parentheses: through `?.` chains (which TypeScript has no node
 * for), `&&`/`||`/`??` and `a ? b : c`.
 */
function valueBranches(expression: ts.Expression): ts.Expression[] {
  const node = skipParentheses(expression);
  if (ts.isConditionalExpression(node)) return [...valueBranches(node.whenTrue), ...valueBranches(node.whenFalse)];
  if (isLogical(node)) return [...valueBranches(node.left), ...valueBranches(node.right)];
  return [node];
}

/** The property a binding is destructured from, as ESTree's key gives it: `undefined` for a computed one. */
function propertyKey(element: ts.BindingElement): string | undefined {
  const name = element.propertyName ?? element.name;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isNumericLiteral(name)) return String(Number(name.text));
  return undefined;
}
