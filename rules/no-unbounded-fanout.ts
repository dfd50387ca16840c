import { typeMatchesSomeSpecifier, typeOrValueSpecifiersSchema, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import ts from './utils/typescript.cjs';
import { isPromiseArray, isPromiseLike, taskscopePrimitive } from './facts.js';
import { receiverTypeOf } from './facts/declared-types.js';
import {
  callbackBound,
  callbackWork,
  errGroupLimit,
  expressionWork,
  fanOutBound,
  isArrayish,
  isGlobalArray,
  isPromiseCombinator,
  iterationBound,
  spawnBound,
  type FanOutBound,
  type FanOutFacts,
} from './facts/fanout.js';
import { createNativeRule } from './native/rule.js';
import { describeNode, isAsyncFunction, isFunctionExpression, parentOf, skipParentheses } from './native/syntax.js';
import { fileIndex } from './native/file-index.js';
import { localVariable } from './native/variables.js';
import { describeInput } from './utils/no-unbounded-fanout-describe.js';

/** Options of `no-unbounded-fanout`. */
export interface NoUnboundedFanoutOptions {
  /**
   * Input types that are bounded although the code does not show it, such as a `BoundedArray<T>` brand, as
   * typescript-eslint type specifiers (a string names a type or alias).
   * @default []
   */
  allowedInputs?: TypeOrValueSpecifier[];
  /**
   * The most tasks a constant-size input may start at once. Unset, any constant bound is accepted.
   * @default undefined (no limit)
   */
  maxConstant?: number;
}

const META = {
  type: 'problem',
  docs: {
    description: 'Require a concurrency bound when starting one task per element of an input whose size the code does not bound.',
    requiresTypeChecking: true,
  },
  messages: {
    unboundedMap:
      '`{{call}}` starts a task for every element of `{{input}}` at once, and {{size}}. Bound the concurrency: run the tasks in `new ErrGroup({ limit })`, or acquire a `Semaphore` permit before the async work.',
    unboundedPush:
      '`{{array}}` collects a running task for every iteration over `{{input}}` before they are awaited together, and {{size}}. Bound the concurrency: run the tasks in `new ErrGroup({ limit })`, or acquire a `Semaphore` permit before the async work.',
    unboundedGroup:
      '`{{call}}` starts a task for every iteration over `{{input}}` in an ErrGroup created without a `limit`, and {{size}}. Create the group with `new ErrGroup({ limit })`.',
  },
  schema: [
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowedInputs: {
          ...typeOrValueSpecifiersSchema,
          description: 'Input types that are bounded although the code does not show it (e.g. a `BoundedArray<T>` brand), as type specifiers.',
        },
        maxConstant: {
          type: 'integer',
          minimum: 1,
          description: 'The most tasks a constant-size input (a literal, a tuple, `Array.from({ length: n })`) may start at once; unset accepts any constant.',
        },
      },
    },
  ],
} as const;

type MessageIds = 'unboundedMap' | 'unboundedPush' | 'unboundedGroup';

const MAP_METHODS = new Set(['map', 'flatMap']);
const GROUP_METHODS = new Set(['go', 'goBlocking', 'tryGo']);
const COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);
const HANDLERS = new Set(['then', 'catch', 'finally']);
const THENABLES = { checkThenables: true };
// Statements that may hold a `return` of the function they are in; expressions only hold returns inside nested
// functions. A `switch`'s clauses sit in a case block.
const STATEMENT_LIKE = new Set([
  ts.SyntaxKind.Block,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.TryStatement,
  ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.SwitchStatement,
  ts.SyntaxKind.CaseBlock,
  ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.DefaultClause,
  ts.SyntaxKind.LabeledStatement,
  ts.SyntaxKind.WithStatement,
]);

/** Whether an expression may be a call (the only way an expression starts work), looking through `?:`, `&&`, `as`. */
function mayBeCall(node: ts.Expression): boolean {
  if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node) || ts.isAwaitExpression(node)) return true;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) return mayBeCall(node.expression);
  if (ts.isConditionalExpression(node)) return mayBeCall(node.whenTrue) || mayBeCall(node.whenFalse);
  if (ts.isBinaryExpression(node)) {
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AmpersandAmpersandToken:
      case ts.SyntaxKind.BarBarToken:
      case ts.SyntaxKind.QuestionQuestionToken:
        return mayBeCall(node.left) || mayBeCall(node.right);
      // (log(id), fetchUser(id)): the last operand is the value
      case ts.SyntaxKind.CommaToken:
        return mayBeCall(node.right);
      default:
        return false;
    }
  }
  return false;
}

/** Whether a statement returns a value somewhere (not counting nested functions). */
function returnsValue(node: ts.Node): boolean {
  if (ts.isReturnStatement(node)) return node.expression !== undefined;
  if (!STATEMENT_LIKE.has(node.kind)) return false;
  return ts.forEachChild(node, (child) => returnsValue(child) || undefined) ?? false;
}

/**
 * Whether a callback may start async work, judged from syntax before any type is asked for: an `async` function
 * or one given by name may; `(user) => user.name` or a block that returns nothing cannot. Reading a property never
 * starts work (`jobs.map((job) => job.done)` collects promises started elsewhere).
 */
function mayStartWork(callback: ts.Expression): boolean {
  if (!isFunctionExpression(callback)) return true;
  if (isAsyncFunction(callback)) return true;
  return ts.isBlock(callback.body) ? returnsValue(callback.body) : mayBeCall(callback.body);
}

/**
 * `ids.map(async (id) => …)` on an array (the caller checked the receiver's type): the array's own `map`, `flatMap`
 * or `Array.from` collects what an async function returns, a promise, so the call gives an array of promises.
 * Decided without typing the call, which would type the callback's body. Explicit type arguments may say otherwise.
 */
function isAsyncCallback(node: ts.CallExpression, callback: ts.Expression): boolean {
  return !node.typeArguments && isFunctionExpression(callback) && isAsyncFunction(callback) && !(ts.isFunctionExpression(callback) && callback.asteriskToken);
}

/** Whether a value is dropped on the spot, which is `no-floating-task`'s finding rather than a fan-out. */
function isDiscarded(node: ts.Node): boolean {
  let current = node;
  let parent = current.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isAwaitExpression(parent))) {
    current = parent;
    parent = current.parent;
  }
  return ts.isExpressionStatement(parent) || (ts.isVoidExpression(parent) && parent.expression === current);
}

export default createNativeRule<[NoUnboundedFanoutOptions], MessageIds>({
  name: 'no-unbounded-fanout',
  meta: META,
  defaultOptions: [{ allowedInputs: [] }],
  check({ file, program, checker, options: [options], report }) {
    const allowed = options.allowedInputs ?? [];
    const facts: FanOutFacts = allowed.length > 0 ? { isAllowed: (type) => typeMatchesSomeSpecifier(type, allowed, program) } : {};
    /** Callbacks of reported `map` calls: an ErrGroup call inside one is that report's business. */
    const reportedCallbacks = new Set<ts.Node>();

    /** Why a bound is too large for the message, or `undefined` when the bound is acceptable. */
    function excess(bound: FanOutBound): string | undefined {
      if (bound.kind === 'unbounded') return 'nothing in the code bounds its size, so a large input exhausts sockets, file handles or memory';
      if (bound.kind === 'constant' && options.maxConstant !== undefined && bound.n > options.maxConstant) {
        return `${bound.n} tasks at once are more than \`maxConstant\` (${options.maxConstant}) allows`;
      }
      return undefined;
    }

    function inputName(bound: FanOutBound, fallback: ts.Node): string {
      return bound.kind === 'unbounded' ? describeInput(bound.input) : describeNode(file, fallback);
    }

    // Promise.all(files.map((file) => readFile(file))), const pages = urls.map(fetchPage), Array.from(ids, load)
    function checkMap(node: ts.CallExpression, callee: ts.PropertyAccessExpression, isFrom: boolean): void {
      const argument = node.arguments[isFrom ? 1 : 0];
      if (!argument || ts.isSpreadElement(argument) || isDiscarded(node)) return;
      const callback = skipParentheses(argument);
      if (!mayStartWork(callback)) return;
      const owner = skipParentheses(callee.expression);
      // Typed once: `ids.slice(start, start + 16)` is not cached by the checker, and typing it types `ids` again.
      const ownerType = isFrom ? undefined : checker.getTypeAtLocation(owner);
      if (ownerType ? !isArrayish(checker, ownerType) : !isGlobalArray(checker, owner)) return;
      // given.map((task) => task.catch(log)) chains on promises that were started elsewhere; it starts nothing
      if (ownerType && isPromiseArray(checker, ownerType, THENABLES)) return;
      // The bound first: it is mostly syntax, where typing the call resolves the callback's signature.
      const bound = fanOutBound(checker, node, facts);
      const size = excess(bound);
      if (!size || !(isAsyncCallback(node, callback) || isPromiseArray(checker, checker.getTypeAtLocation(node), THENABLES))) return;
      // ids.map(() => Promise.resolve(reply)), Array.from(open, (conn) => conn.close()): no new work per element
      if (callbackWork(checker, callback) !== 'new') return;
      if (callbackBound(checker, callback).kind === 'limited') return;
      reportedCallbacks.add(callback);
      const source = isFrom ? node.arguments[0]! : owner;
      report({ node, messageId: 'unboundedMap', data: { call: describeNode(file, node), input: inputName(bound, source), size } });
    }

    // for (const url of urls) tasks.push(crawl(url)); … await Promise.all(tasks);
    function checkPush(node: ts.CallExpression, array: ts.Identifier): void {
      const variable = localVariable(checker, file, array);
      const declarator = variable?.declaration;
      if (!variable || !declarator || !ts.isVariableDeclaration(declarator)) return;
      const awaitedTogether = variable.references().some((identifier) => {
        const parent = parentOf(identifier);
        if (!parent || !ts.isCallExpression(parent) || !parent.arguments[0] || skipParentheses(parent.arguments[0]) !== identifier) return false;
        const combinator = skipParentheses(parent.expression);
        return ts.isPropertyAccessExpression(combinator) && ts.isIdentifier(combinator.name) && COMBINATORS.has(combinator.name.text) && isPromiseCombinator(checker, parent);
      });
      if (!awaitedTogether) return;
      const argument = node.arguments.find((arg) => !ts.isSpreadElement(arg) && !isPrimitiveCall(skipParentheses(arg)));
      const task = argument && skipParentheses(argument);
      if (!task || !isPromiseLike(checker, checker.getTypeAtLocation(task), THENABLES)) return;
      const bound = iterationBound(checker, node, declarator, facts);
      const size = excess(bound);
      // waits.push(p.done), closing.push(conn.close()): no new work per iteration
      if (!size || expressionWork(checker, task) !== 'new' || spawnBound(checker, task).kind === 'limited') return;
      report({ node, messageId: 'unboundedPush', data: { array: array.text, input: inputName(bound, array), size } });
    }

    /**
     * A call on a taskscope primitive, also under `.then`/`.catch`/`.finally`: `group.goBlocking(…)` is the group
     * check's business, and `group.wait()` or `semaphore.acquire()` waits for work rather than starting any.
     */
    function isPrimitiveCall(node: ts.Expression): boolean {
      let current = node;
      for (;;) {
        if (!ts.isCallExpression(current)) return false;
        const callee = skipParentheses(current.expression);
        if (!ts.isPropertyAccessExpression(callee)) return false;
        if (!HANDLERS.has(callee.name.text)) return taskscopePrimitive(checker, checker.getTypeAtLocation(skipParentheses(callee.expression))) !== undefined;
        current = skipParentheses(callee.expression);
      }
    }

    // const group = new ErrGroup(); for (const url of urls) group.go((signal) => crawl(url, signal));
    function checkGroup(node: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
      const argument = node.arguments[0];
      if (!argument || ts.isSpreadElement(argument) || insideReportedCallback(node)) return;
      const task = skipParentheses(argument);
      const group = skipParentheses(callee.expression);
      if (taskscopePrimitive(checker, receiverTypeOf(checker, group)) !== 'ErrGroup' || errGroupLimit(checker, group) !== 'unlimited') return;
      const declarator = ts.isIdentifier(group) ? localVariable(checker, file, group)?.declaration : undefined;
      const bound = iterationBound(checker, node, declarator, facts);
      const size = excess(bound);
      if (!size || callbackWork(checker, task) !== 'new' || callbackBound(checker, task).kind === 'limited') return;
      report({ node, messageId: 'unboundedGroup', data: { call: describeNode(file, node), input: inputName(bound, group), size } });
    }

    function insideReportedCallback(node: ts.Node): boolean {
      for (let current = node.parent; current; current = current.parent) {
        if (reportedCallbacks.has(current)) return true;
      }
      return false;
    }

    for (const node of fileIndex(file).ofKind(ts.SyntaxKind.CallExpression) as readonly ts.CallExpression[]) {
      const callee = skipParentheses(node.expression);
      if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) continue;
      const method = callee.name.text;
      if (MAP_METHODS.has(method)) checkMap(node, callee, false);
      else if (method === 'from' && node.arguments.length >= 2) checkMap(node, callee, true);
      else if (method === 'push' && ts.isIdentifier(skipParentheses(callee.expression))) checkPush(node, skipParentheses(callee.expression) as ts.Identifier);
      else if (GROUP_METHODS.has(method)) checkGroup(node, callee);
    }
  },
});
