import { typeMatchesSomeSpecifier, typeOrValueSpecifiersSchema, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { AST_NODE_TYPES, ASTUtils, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
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
import { describeExpression } from './utils/ast.js';
import { createRule } from './utils/create-rule.js';
import { memoizedTypesForFile } from './utils/memoized-types.js';
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

type MessageIds = 'unboundedMap' | 'unboundedPush' | 'unboundedGroup';

const MAP_METHODS = new Set(['map', 'flatMap']);
const GROUP_METHODS = new Set(['go', 'goBlocking', 'tryGo']);
const COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);
const HANDLERS = new Set(['then', 'catch', 'finally']);
const THENABLES = { checkThenables: true };
// Nodes that may hold a `return` of the function they are in; expressions only hold returns inside nested functions.
const STATEMENT_LIKE = /Statement$|^SwitchCase$|^CatchClause$/;

/** Whether an expression may be a call (the only way an expression starts work), looking through `?:`, `&&`, `as`. */
function mayBeCall(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.TaggedTemplateExpression:
    case AST_NODE_TYPES.ImportExpression:
    case AST_NODE_TYPES.AwaitExpression:
      return true;
    case AST_NODE_TYPES.ChainExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
      return mayBeCall(node.expression);
    case AST_NODE_TYPES.ConditionalExpression:
      return mayBeCall(node.consequent) || mayBeCall(node.alternate);
    case AST_NODE_TYPES.LogicalExpression:
      return mayBeCall(node.left) || mayBeCall(node.right);
    case AST_NODE_TYPES.SequenceExpression:
      return node.expressions.length > 0 && mayBeCall(node.expressions[node.expressions.length - 1]!);
    default:
      return false;
  }
}

export default createRule<[NoUnboundedFanoutOptions], MessageIds>({
  name: 'no-unbounded-fanout',
  meta: {
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
  },
  defaultOptions: [{ allowedInputs: [] }],
  create(context, [options]) {
    const services = ESLintUtils.getParserServices(context);
    // The same collections are typed by several questions (`isArrayish`, the bound, the call's element type).
    const checker = memoizedTypesForFile(services.program.getTypeChecker());
    const sourceCode = context.sourceCode;
    const allowed = options.allowedInputs ?? [];
    const facts: FanOutFacts = allowed.length > 0 ? { isAllowed: (type) => typeMatchesSomeSpecifier(type, allowed, services.program) } : {};
    const tsNode = (node: TSESTree.Node): ts.Node => services.esTreeNodeToTSNodeMap.get(node);
    const tsExpression = (node: TSESTree.Node): ts.Expression => tsNode(node) as ts.Expression;
    /** Callbacks of reported `map` calls: an ErrGroup call inside one is that report's business. */
    const reportedCallbacks = new Set<TSESTree.Node>();

    /** Why a bound is too large for the message, or `undefined` when the bound is acceptable. */
    function excess(bound: FanOutBound): string | undefined {
      if (bound.kind === 'unbounded') return 'nothing in the code bounds its size, so a large input exhausts sockets, file handles or memory';
      if (bound.kind === 'constant' && options.maxConstant !== undefined && bound.n > options.maxConstant) {
        return `${bound.n} tasks at once are more than \`maxConstant\` (${options.maxConstant}) allows`;
      }
      return undefined;
    }

    function inputName(bound: FanOutBound, fallback: TSESTree.Node): string {
      return bound.kind === 'unbounded' ? describeInput(bound.input) : describeExpression(sourceCode, fallback);
    }

    /** Whether a value is dropped on the spot, which is `no-floating-task`'s finding rather than a fan-out. */
    function isDiscarded(node: TSESTree.Node): boolean {
      let current: TSESTree.Node = node;
      while (
        current.parent &&
        (current.parent.type === AST_NODE_TYPES.ChainExpression || current.parent.type === AST_NODE_TYPES.TSAsExpression ||
          current.parent.type === AST_NODE_TYPES.TSNonNullExpression || current.parent.type === AST_NODE_TYPES.AwaitExpression)
      ) {
        current = current.parent;
      }
      const parent = current.parent;
      return parent?.type === AST_NODE_TYPES.ExpressionStatement || (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void');
    }

    // Promise.all(files.map((file) => readFile(file))), const pages = urls.map(fetchPage), Array.from(ids, load)
    function checkMap(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression, isFrom: boolean): void {
      const callback = node.arguments[isFrom ? 1 : 0];
      if (!callback || callback.type === AST_NODE_TYPES.SpreadElement || isDiscarded(node) || !mayStartWork(callback)) return;
      const call = tsExpression(node);
      const owner = tsExpression(callee.object);
      // Typed once: `ids.slice(start, start + 16)` is not cached by the checker, and typing it types `ids` again.
      const ownerType = isFrom ? undefined : checker.getTypeAtLocation(owner);
      if (ownerType ? !isArrayish(checker, ownerType) : !isGlobalArray(checker, owner)) return;
      // given.map((task) => task.catch(log)) chains on promises that were started elsewhere; it starts nothing
      if (ownerType && isPromiseArray(checker, ownerType, THENABLES)) return;
      // The bound first: it is mostly syntax, where typing the call resolves the callback's signature.
      const bound = fanOutBound(checker, call, facts);
      const size = excess(bound);
      if (!size || !(isAsyncCallback(node, callback) || isPromiseArray(checker, checker.getTypeAtLocation(call), THENABLES))) return;
      // ids.map(() => Promise.resolve(reply)), Array.from(open, (conn) => conn.close()): no new work per element
      if (callbackWork(checker, tsExpression(callback)) !== 'new') return;
      if (callbackBound(checker, tsExpression(callback)).kind === 'limited') return;
      reportedCallbacks.add(callback);
      const source = isFrom ? node.arguments[0]! : callee.object;
      context.report({ node, messageId: 'unboundedMap', data: { call: describeExpression(sourceCode, node), input: inputName(bound, source), size } });
    }

    /**
     * `ids.map(async (id) => …)` on an array (the caller checked the receiver's type): the array's own `map`, `flatMap`
     * or `Array.from` collects what an async function returns, a promise, so the call gives an array of promises.
     * Decided without typing the call, which would type the callback's body. Explicit type arguments may say otherwise.
     */
    function isAsyncCallback(node: TSESTree.CallExpression, callback: TSESTree.Node): boolean {
      return (
        !node.typeArguments &&
        (callback.type === AST_NODE_TYPES.ArrowFunctionExpression || callback.type === AST_NODE_TYPES.FunctionExpression) &&
        callback.async &&
        !callback.generator
      );
    }

    /**
     * Whether a callback may start async work, judged from syntax before any type is asked for: an `async` function
     * or one given by name may; `(user) => user.name` or a block that returns nothing cannot. Reading a property never
     * starts work (`jobs.map((job) => job.done)` collects promises started elsewhere).
     */
    function mayStartWork(callback: TSESTree.Node): boolean {
      if (callback.type !== AST_NODE_TYPES.ArrowFunctionExpression && callback.type !== AST_NODE_TYPES.FunctionExpression) return true;
      if (callback.async) return true;
      return callback.body.type === AST_NODE_TYPES.BlockStatement ? returnsValue(callback.body) : mayBeCall(callback.body);
    }

    /** Whether a statement returns a value somewhere (not counting nested functions). */
    function returnsValue(node: TSESTree.Node): boolean {
      if (node.type === AST_NODE_TYPES.ReturnStatement) return node.argument !== null;
      if (!STATEMENT_LIKE.test(node.type)) return false;
      for (const key of sourceCode.visitorKeys[node.type] ?? []) {
        const value = (node as unknown as Record<string, unknown>)[key];
        for (const child of Array.isArray(value) ? value : [value]) {
          if (child !== null && typeof child === 'object' && 'type' in child && returnsValue(child as TSESTree.Node)) return true;
        }
      }
      return false;
    }

    // for (const url of urls) tasks.push(crawl(url)); … await Promise.all(tasks);
    function checkPush(node: TSESTree.CallExpression, array: TSESTree.Identifier): void {
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), array);
      const declarator = variable?.defs[0]?.node;
      if (!variable || declarator?.type !== AST_NODE_TYPES.VariableDeclarator) return;
      const awaitedTogether = variable.references.some(({ identifier }) => {
        const parent = identifier.parent;
        return (
          parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === identifier &&
          parent.callee.type === AST_NODE_TYPES.MemberExpression && parent.callee.property.type === AST_NODE_TYPES.Identifier &&
          COMBINATORS.has(parent.callee.property.name) && isPromiseCombinator(checker, tsNode(parent) as ts.CallExpression)
        );
      });
      if (!awaitedTogether) return;
      const task = node.arguments.find((arg) => arg.type !== AST_NODE_TYPES.SpreadElement && !isPrimitiveCall(arg));
      if (!task || !isPromiseLike(checker, checker.getTypeAtLocation(tsNode(task)), THENABLES)) return;
      const bound = iterationBound(checker, tsNode(node), tsNode(declarator), facts);
      const size = excess(bound);
      // waits.push(p.done), closing.push(conn.close()): no new work per iteration
      if (!size || expressionWork(checker, tsExpression(task)) !== 'new' || spawnBound(checker, tsExpression(task)).kind === 'limited') return;
      context.report({ node, messageId: 'unboundedPush', data: { array: array.name, input: inputName(bound, array), size } });
    }

    /**
     * A call on a taskscope primitive, also under `.then`/`.catch`/`.finally`: `group.goBlocking(…)` is the group
     * check's business, and `group.wait()` or `semaphore.acquire()` waits for work rather than starting any.
     */
    function isPrimitiveCall(node: TSESTree.Node): boolean {
      let current = node;
      while (
        current.type === AST_NODE_TYPES.CallExpression && current.callee.type === AST_NODE_TYPES.MemberExpression &&
        current.callee.property.type === AST_NODE_TYPES.Identifier && HANDLERS.has(current.callee.property.name)
      ) {
        current = current.callee.object;
      }
      return (
        current.type === AST_NODE_TYPES.CallExpression && current.callee.type === AST_NODE_TYPES.MemberExpression &&
        taskscopePrimitive(checker, checker.getTypeAtLocation(tsNode(current.callee.object))) !== undefined
      );
    }

    // const group = new ErrGroup(); for (const url of urls) group.go((signal) => crawl(url, signal));
    function checkGroup(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
      const task = node.arguments[0];
      if (!task || task.type === AST_NODE_TYPES.SpreadElement || insideReportedCallback(node)) return;
      const group = tsExpression(callee.object);
      if (taskscopePrimitive(checker, receiverTypeOf(checker, group)) !== 'ErrGroup' || errGroupLimit(checker, group) !== 'unlimited') return;
      const declarator = callee.object.type === AST_NODE_TYPES.Identifier ? ASTUtils.findVariable(sourceCode.getScope(node), callee.object)?.defs[0]?.node : undefined;
      const bound = iterationBound(checker, tsNode(node), declarator ? tsNode(declarator) : undefined, facts);
      const size = excess(bound);
      if (!size || callbackWork(checker, tsExpression(task)) !== 'new' || callbackBound(checker, tsExpression(task)).kind === 'limited') return;
      context.report({ node, messageId: 'unboundedGroup', data: { call: describeExpression(sourceCode, node), input: inputName(bound, callee.object), size } });
    }

    function insideReportedCallback(node: TSESTree.Node): boolean {
      for (let current = node.parent; current; current = current.parent) {
        if (reportedCallbacks.has(current)) return true;
      }
      return false;
    }

    return {
      CallExpression(node): void {
        const callee = node.callee;
        if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return;
        const method = callee.property.name;
        if (MAP_METHODS.has(method)) checkMap(node, callee, false);
        else if (method === 'from' && node.arguments.length >= 2) checkMap(node, callee, true);
        else if (method === 'push' && callee.object.type === AST_NODE_TYPES.Identifier) checkPush(node, callee.object);
        else if (GROUP_METHODS.has(method)) checkGroup(node, callee);
      },
    };
  },
});
