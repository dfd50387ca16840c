import { AST_NODE_TYPES, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { declaredTypeOf } from './facts/declared-types.js';
import { BUILTIN_CLOSE_METHODS, isClosableResource, isCloseMethod, reopensResource, type ResourceSpecifier } from './facts/close.js';
import { describeExpression } from './utils/ast.js';
import { trackCodePaths, type Segment } from './utils/code-path.js';
import { createNativeRule } from './native/rule.js';
import { mayCloseTwice } from './utils/no-double-close-candidates.js';
import { findRepeats, type FlowOp, type Repeat } from './utils/no-double-close-flow.js';
import { areCorrelated, isGuarded } from './utils/no-double-close-guards.js';
import { ChainResolver, isUnder, type Chain } from './utils/no-double-close-receivers.js';

/** Options of `no-double-close`. */
export interface NoDoubleCloseOptions {
  /** More resources and their close methods, matched by type and origin. @default [] */
  resources?: ResourceSpecifier[];
}

type MessageIds = 'closedTwice' | 'closedTwiceInLoop' | 'removeSecondClose';

/** A close found during the traversal: the call, its receiver and the method's name for the message. */
interface Close {
  node: TSESTree.CallExpression;
  chain: Chain;
  method: string;
}

/** What a segment does, recorded as the traversal passes; writes and calls are resolved only if the path closes. */
type RawOp =
  | { kind: 'close'; close: Close; reportable: boolean }
  | { kind: 'write'; target: TSESTree.Node }
  | { kind: 'call'; node: TSESTree.CallExpression | TSESTree.NewExpression };

interface PathState {
  ops: Map<Segment, RawOp[]>;
  closes: number;
  /** Segments current where a `try` block or a `catch` body (of a `try` with `finally`) ends. */
  blockEnds: Set<Segment>;
  /** Segments that start a `catch`, or the leaving (returning or throwing) run of a `finally`. */
  handlerEntries: Set<Segment>;
  /** Whether the code path's text names a close method at all; without one, nothing in it is recorded. */
  mayClose: boolean;
}

/**
 * Matches source text that may hold a close: a close method's name, `Symbol.dispose`/`asyncDispose`, or a unicode
 * escape (`x.\u0063lose()` names `close` without spelling it).
 */
function closeWords(methods: Iterable<string>): RegExp {
  const names = [...methods, 'dispose'].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`${names.join('|')}|\\\\u`, 'u');
}

const BUILTIN_CLOSE_WORDS = closeWords(BUILTIN_CLOSE_METHODS);
const BUILTIN_CLOSE_METHOD_SET: ReadonlySet<string> = new Set(BUILTIN_CLOSE_METHODS);

// Methods that may reopen a closed resource, asked about by type only when the name matches (a type lookup per call
// would cost more than the rest of the rule).
const REOPEN_METHODS = new Set(['listen']);

// Parents in which a statement can be deleted without leaving a hole (`if (x) close();` cannot lose its body).
const STATEMENT_LISTS = new Set<AST_NODE_TYPES>([AST_NODE_TYPES.BlockStatement, AST_NODE_TYPES.Program, AST_NODE_TYPES.SwitchCase, AST_NODE_TYPES.StaticBlock]);

/** The close methods and the text that may name one, for the built-in resources plus `resources`. */
function closeMethods(resources: readonly ResourceSpecifier[]): { methods: ReadonlySet<string>; words: RegExp } {
  if (resources.length === 0) return { methods: BUILTIN_CLOSE_METHOD_SET, words: BUILTIN_CLOSE_WORDS };
  const methods = new Set([...BUILTIN_CLOSE_METHODS, ...resources.flatMap((resource) => resource.methods)]);
  return { methods, words: closeWords(methods) };
}

/**
 * `no-double-close` runs on ESLint's code-path analysis, which follows every path through a function, try/finally
 * included: the whole rule is its ESLint part, and it has no native check. The analyzer lints a file with it only
 * where a function (or the file's top level) has two close calls, or one in a loop: with one close call per path
 * and no loop around it, no close can meet an earlier one (`mayCloseTwice`).
 */
export default createNativeRule<[NoDoubleCloseOptions], MessageIds>({
  name: 'no-double-close',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow closing or releasing the same resource twice on one path.',
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      closedTwice:
        '`{{receiver}}` may already be {{verb}} here: `{{first}}` on line {{line}} ran earlier on the same path, and a second close throws or gives back what is no longer held. Close it in one place per path (a single `finally`), or record the close in a flag and check it.',
      closedTwiceInLoop:
        '`{{call}}` runs on every iteration of the loop, but `{{receiver}}` comes from outside it, so the second iteration finds it already {{verb}}. Create `{{receiver}}` inside the loop, or close it once after the loop.',
      removeSecondClose: 'Remove this second `{{call}}`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          resources: {
            type: 'array',
            description: 'More resources: a type (matched on the receiver and its base types) and the methods that close it.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['type', 'methods'],
              properties: {
                type: { type: 'string', description: 'The declared name of the class, interface or type alias.' },
                methods: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'The methods that close it.' },
                from: {
                  type: 'string',
                  enum: ['file', 'lib', 'package'],
                  description: 'Where the type is declared: this project (`file`), TypeScript\'s lib files (`lib`), or an npm package (`package`). Anywhere when omitted.',
                },
                package: { type: 'string', description: 'With `from: "package"`: the package name; its `@types/` package counts too.' },
                path: { type: 'string', description: 'With `from: "file"`: the declaring file, matched as a path suffix (`src/db.ts`).' },
              },
            },
          },
        },
      },
    ],
  },
  defaultOptions: [{ resources: [] }],
  check: () => undefined,
  eslintPart: {
    needed({ file, options: [options] }) {
      const { methods, words } = closeMethods(options.resources ?? []);
      return words.test(file.text) && mayCloseTwice(file, methods);
    },
    listeners(context, [options]) {
      const services = ESLintUtils.getParserServices(context);
      const sourceCode = context.sourceCode;
      const resources = options.resources ?? [];
      const { methods, words } = closeMethods(resources);
      // A file that names no close method closes nothing (each function's text below is part of it): no listeners, so
      // its code paths are not followed at all. The same answer as the per-function check, for the whole file at once.
      if (!words.test(sourceCode.text)) return {};
      const checker = services.program.getTypeChecker();
      const resolver = new ChainResolver(sourceCode);

      const tracker = trackCodePaths<PathState>({
        // Most functions close nothing: their text says so before any of their calls and writes is recorded.
        start: (_codePath, node) => ({
          ops: new Map(),
          closes: 0,
          blockEnds: new Set(),
          handlerEntries: new Set(),
          mayClose: words.test(sourceCode.text.slice(node.range[0], node.range[1])),
        }),
        end: (state, codePath) => {
          if (state.closes === 0) return;
          const closes = new Map<string, Chain>();
          for (const ops of state.ops.values()) for (const op of ops) if (op.kind === 'close') closes.set(op.close.chain.key, op.close.chain);
          const resolved = new Map<RawOp, FlowOp<Close>>();
          const opsOf = (segment: Segment): Array<FlowOp<Close>> =>
            (state.ops.get(segment) ?? []).map((op) => {
              let flow = resolved.get(op);
              if (!flow) resolved.set(op, (flow = resolve(op, closes)));
              return flow;
            });
          // ESLint's edge from the end of a block to its handler stands for "the last statement threw": not a path on
          // which that statement's close completed
          const isExceptional = (from: Segment, to: Segment): boolean => state.blockEnds.has(from) && state.handlerEntries.has(to);
          for (const repeat of findRepeats(codePath.initialSegment, opsOf, isExceptional)) report(repeat);
        },
      });

      function record(op: RawOp): void {
        const state = tracker.state();
        if (!state?.mayClose) return;
        for (const segment of tracker.segments()) {
          const ops = state.ops.get(segment);
          if (ops) ops.push(op);
          else state.ops.set(segment, [op]);
        }
      }

      /** Turns a recorded write or call into what it does to the receivers this code path closes. */
      function resolve(op: RawOp, closes: ReadonlyMap<string, Chain>): FlowOp<Close> {
        switch (op.kind) {
          case 'close':
            return { kind: 'close', key: op.close.chain.key, node: op.close, reportable: op.reportable };
          // writer = stream.getWriter() — a new resource under the old name
          case 'write': {
            const written = resolver.written(op.target).map((chain) => chain.key);
            return { kind: 'kill', kills: (key) => written.some((prefix) => isUnder(key, prefix)) };
          }
          // this.reconnect() or reset(state) may reassign `this.socket` / `state.handle`; an unrelated call may
          // reassign a member of an object this function does not own
          case 'call': {
            const callee = op.node.callee.type === AST_NODE_TYPES.MemberExpression ? resolver.chainOf(op.node.callee.object) : undefined;
            const reached = [callee, ...op.node.arguments.map((argument) => resolver.chainOf(argument))].flatMap((chain) => (chain ? [chain.key] : []));
            return {
              kind: 'kill',
              kills: (key) =>
                reached.some((prefix) => key !== prefix && isUnder(key, prefix)) ||
                (closes.get(key)?.member === true && !closes.get(key)?.local && !(callee && isUnder(callee.key, key))),
            };
          }
        }
      }

      /** The close a call performs, if it is a close method (or an explicit disposal) of a resource the rule knows. */
      function closeOf(node: TSESTree.CallExpression): { close: Close; reportable: boolean } | undefined {
        const callee = node.callee;
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
        const method = !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : undefined;
        const disposal = callee.computed && isDisposeSymbol(callee.property);
        if (!(method !== undefined && methods.has(method)) && !disposal) return undefined;
        const chain = resolver.chainOf(callee.object);
        if (!chain?.followable) return undefined;
        // permit.release() where `const permit = await slots.acquire(…)`: typed from declarations (see `declaredTypeOf`)
        const type = declaredTypeOf(checker, services.esTreeNodeToTSNodeMap.get(callee.object) as ts.Expression) ?? services.getTypeAtLocation(callee.object);
        if (method !== undefined ? !isCloseMethod(checker, type, method, resources) : !isClosableResource(checker, type, resources)) return undefined;
        return { close: { node, chain, method: method ?? 'dispose' }, reportable: method !== undefined };
      }

      function report({ node: close, previous, always }: Repeat<Close>): void {
        const { node, chain } = close;
        if (isGuarded(node, chain.key, resolver)) return;
        const others = [...previous].filter((other) => other !== close && !areCorrelated(other.node, node, resolver));
        if (others.length === 0 && !previous.has(close)) return;
        const call = describeClose(close);
        const receiver = describeReceiver(close);
        const verb = close.method.startsWith('release') ? 'released' : 'closed';
        const earlier = others.filter((other) => other.node.range[0] < node.range[0]);
        const first = earlier.length > 0 ? earlier[earlier.length - 1]! : others[0];
        if (!first) {
          context.report({ node, messageId: 'closedTwiceInLoop', data: { call, receiver, verb } });
          return;
        }
        const statement = removableStatement(node);
        context.report({
          node,
          messageId: 'closedTwice',
          data: { receiver, verb, first: describeClose(first), line: first.node.loc.start.line },
          suggest:
            always && statement && node.arguments.length === 0
              ? [{ messageId: 'removeSecondClose', data: { call }, fix: (fixer) => fixer.removeRange([startOfRemoval(statement), statement.range[1]]) }]
              : [],
        });
      }

      /** The receiver for messages, without `!` or `as` around it: `this.reader`, `permit`. */
      function describeReceiver({ node }: Close): string {
        let object: TSESTree.Node = (node.callee as TSESTree.MemberExpression).object;
        while (object.type === AST_NODE_TYPES.TSNonNullExpression || object.type === AST_NODE_TYPES.TSAsExpression || object.type === AST_NODE_TYPES.TSSatisfiesExpression) {
          object = object.expression;
        }
        return describeExpression(sourceCode, object);
      }

      /** A close call for messages: `writer.close()`, `permit[Symbol.dispose]()`. */
      function describeClose(close: Close): string {
        return close.method === 'dispose' ? `${describeReceiver(close)}[Symbol.dispose]()` : `${describeReceiver(close)}.${close.method}()`;
      }

      /** Removal starts after the previous token (or comment), so the statement's line goes with it. */
      function startOfRemoval(statement: TSESTree.Node): number {
        return sourceCode.getTokenBefore(statement, { includeComments: true })?.range[1] ?? statement.range[0];
      }

      function mark(set: 'blockEnds' | 'handlerEntries', segments: Iterable<Segment> = tracker.segments()): void {
        const state = tracker.state();
        if (state) for (const segment of segments) state[set].add(segment);
      }

      return {
        ...tracker.listeners,
        'TryStatement > BlockStatement.block:exit'(): void {
          mark('blockEnds');
        },
        'TryStatement[finalizer] > CatchClause:exit'(): void {
          mark('blockEnds');
        },
        CatchClause(): void {
          mark('handlerEntries');
        },
        // finally { … } runs once for falling through and once for leaving (return, throw); only the leaving run has
        // predecessors other than the ends of `try` and `catch`
        'TryStatement > BlockStatement.finalizer'(): void {
          const ends = tracker.state()?.blockEnds ?? new Set();
          if (tracker.segments().size < 2) return;
          mark('handlerEntries', [...tracker.segments()].filter((segment) => segment.prevSegments.some((previous) => !ends.has(previous))));
        },
        'CallExpression:exit'(node: TSESTree.CallExpression): void {
          const found = closeOf(node);
          const state = tracker.state();
          if (found && state) {
            if (found.reportable) state.closes++;
            record({ kind: 'close', ...found });
            return;
          }
          record({ kind: 'call', node });
          // server.listen(port) — a closed server may listen again
          const callee = node.callee;
          if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return;
          const method = callee.property.name;
          if (REOPEN_METHODS.has(method) && reopensResource(checker, services.getTypeAtLocation(callee.object), method)) {
            record({ kind: 'write', target: callee.object });
          }
        },
        'NewExpression:exit'(node: TSESTree.NewExpression): void {
          record({ kind: 'call', node });
        },
        'AssignmentExpression:exit'(node: TSESTree.AssignmentExpression): void {
          record({ kind: 'write', target: node.left });
        },
        'UpdateExpression:exit'(node: TSESTree.UpdateExpression): void {
          record({ kind: 'write', target: node.argument });
        },
        'UnaryExpression[operator="delete"]:exit'(node: TSESTree.UnaryExpression): void {
          record({ kind: 'write', target: node.argument });
        },
        'VariableDeclarator:exit'(node: TSESTree.VariableDeclarator): void {
          record({ kind: 'write', target: node.id });
        },
        // for (handle of handles) — a new value each iteration
        ':matches(ForOfStatement, ForInStatement) > :not(VariableDeclaration).left'(node: TSESTree.Node): void {
          record({ kind: 'write', target: node });
        },
      };
    },
  },
});

/** `Symbol.dispose` or `Symbol.asyncDispose`, the keys `using` calls. */
function isDisposeSymbol(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.MemberExpression &&
    !node.computed &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === 'Symbol' &&
    (node.property.name === 'dispose' || node.property.name === 'asyncDispose')
  );
}

/** The statement a close is on its own (`writer.close();`, `await file.close();`), if deleting it leaves valid code. */
function removableStatement(node: TSESTree.CallExpression): TSESTree.ExpressionStatement | undefined {
  let current: TSESTree.Node = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.ChainExpression ||
      current.parent.type === AST_NODE_TYPES.AwaitExpression ||
      (current.parent.type === AST_NODE_TYPES.UnaryExpression && current.parent.operator === 'void'))
  ) {
    current = current.parent;
  }
  const statement = current.parent;
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || !statement.parent || !STATEMENT_LISTS.has(statement.parent.type)) return undefined;
  return statement;
}

export type { ResourceSpecifier } from './facts/close.js';
