import { typeMatchesSomeSpecifier, typeOrValueSpecifiersSchema, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { AST_NODE_TYPES, ASTUtils, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { isPromiseArray, isPromiseLike, taskscopePrimitive } from './facts.js';
import {
  callbackBound,
  errGroupLimit,
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
const THENABLES = { checkThenables: true };

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
    const checker = services.program.getTypeChecker();
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
      if (!callback || callback.type === AST_NODE_TYPES.SpreadElement || isDiscarded(node)) return;
      const call = tsExpression(node);
      const owner = tsExpression(callee.object);
      if (isFrom ? !isGlobalArray(checker, owner) : !isArrayish(checker, checker.getTypeAtLocation(owner))) return;
      // given.map((task) => task.catch(log)) chains on promises that were started elsewhere; it starts nothing
      if (!isFrom && isPromiseArray(checker, checker.getTypeAtLocation(owner), THENABLES)) return;
      if (!isPromiseArray(checker, checker.getTypeAtLocation(call), THENABLES)) return;
      const bound = fanOutBound(checker, call, facts);
      const size = excess(bound);
      if (!size || callbackBound(checker, tsExpression(callback)).kind === 'limited') return;
      reportedCallbacks.add(callback);
      const source = isFrom ? node.arguments[0]! : callee.object;
      context.report({ node, messageId: 'unboundedMap', data: { call: describeExpression(sourceCode, node), input: inputName(bound, source), size } });
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
      const task = node.arguments.find((arg) => arg.type !== AST_NODE_TYPES.SpreadElement && !isGroupCall(arg));
      if (!task || !isPromiseLike(checker, checker.getTypeAtLocation(tsNode(task)), THENABLES)) return;
      const bound = iterationBound(checker, tsNode(node), tsNode(declarator), facts);
      const size = excess(bound);
      if (!size || spawnBound(checker, tsExpression(task)).kind === 'limited') return;
      context.report({ node, messageId: 'unboundedPush', data: { array: array.name, input: inputName(bound, array), size } });
    }

    /** `group.go(…)` on an ErrGroup: the group check owns it. */
    function isGroupCall(node: TSESTree.Node): boolean {
      return (
        node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression &&
        node.callee.property.type === AST_NODE_TYPES.Identifier && GROUP_METHODS.has(node.callee.property.name) &&
        taskscopePrimitive(checker, checker.getTypeAtLocation(tsNode(node.callee.object))) === 'ErrGroup'
      );
    }

    // const group = new ErrGroup(); for (const url of urls) group.go((signal) => crawl(url, signal));
    function checkGroup(node: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
      const task = node.arguments[0];
      if (!task || task.type === AST_NODE_TYPES.SpreadElement || insideReportedCallback(node)) return;
      const group = tsExpression(callee.object);
      if (taskscopePrimitive(checker, checker.getTypeAtLocation(group)) !== 'ErrGroup' || errGroupLimit(checker, group) !== 'unlimited') return;
      const declarator = callee.object.type === AST_NODE_TYPES.Identifier ? ASTUtils.findVariable(sourceCode.getScope(node), callee.object)?.defs[0]?.node : undefined;
      const bound = iterationBound(checker, tsNode(node), declarator ? tsNode(declarator) : undefined, facts);
      const size = excess(bound);
      if (!size || callbackBound(checker, tsExpression(task)).kind === 'limited') return;
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
