import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isUnder, type Chain, type ChainResolver } from './no-double-close-receivers.js';

/** A condition a close runs under: the `if`, `?:` or `&&`/`||` that decides it, and its test. */
interface Condition {
  owner: TSESTree.Node;
  test: TSESTree.Node;
}

/**
 * What a test reads: the chains it names (`closed`, `this.#done`, `permit.released`), and the receivers and
 * arguments of the calls it makes (`this` in `this.isOpen()`, `writer` in `isClosed(writer)`).
 */
interface TestReads {
  chains: Chain[];
  callTargets: Chain[];
}

const FUNCTIONS = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
]);

/** Whether a statement always leaves: `return`, `throw`, `break`, `continue`, or a block that ends with one. */
function exits(statement: TSESTree.Statement): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.ThrowStatement:
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
      return true;
    case AST_NODE_TYPES.BlockStatement: {
      const last = statement.body[statement.body.length - 1];
      return last !== undefined && exits(last);
    }
    default:
      return false;
  }
}

/**
 * The conditions `node` runs under inside its own function: the tests of enclosing `if`s, `?:`s and `&&`/`||`/`??`
 * whose branch holds it, and of earlier `if (…) return;` statements it comes after (an early exit decides it too).
 */
function conditionsOf(node: TSESTree.Node): Condition[] {
  const conditions: Condition[] = [];
  for (let child = node, parent = node.parent; parent && !FUNCTIONS.has(child.type); child = parent, parent = parent.parent) {
    if ((parent.type === AST_NODE_TYPES.IfStatement || parent.type === AST_NODE_TYPES.ConditionalExpression) && child !== parent.test) {
      conditions.push({ owner: parent, test: parent.test });
    } else if (parent.type === AST_NODE_TYPES.LogicalExpression && child === parent.right) {
      conditions.push({ owner: parent, test: parent.left });
    }
    const siblings =
      parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program
        ? parent.body
        : parent.type === AST_NODE_TYPES.SwitchCase
          ? parent.consequent
          : [];
    for (const sibling of siblings) {
      if (sibling === child) break;
      if (sibling.type === AST_NODE_TYPES.IfStatement && !sibling.alternate && exits(sibling.consequent)) {
        conditions.push({ owner: sibling, test: sibling.test });
      }
    }
  }
  return conditions;
}

const SKIPPED_KEYS = new Set(['parent', 'typeAnnotation', 'typeArguments', 'loc', 'range']);

/** What a test reads, not looking into nested functions. A callee is not a read: `Math.random()` is no flag. */
function readsOf(test: TSESTree.Node, resolver: ChainResolver): TestReads {
  const reads: TestReads = { chains: [], callTargets: [] };
  const visit = (node: TSESTree.Node): void => {
    if (FUNCTIONS.has(node.type)) return;
    if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) {
      const callee = node.callee.type === AST_NODE_TYPES.MemberExpression ? node.callee.object : undefined;
      for (const part of callee ? [callee, ...node.arguments] : node.arguments) {
        const chain = resolver.chainOf(part);
        if (chain) reads.callTargets.push(chain);
        visit(part);
      }
      return;
    }
    if (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.MemberExpression || node.type === AST_NODE_TYPES.ThisExpression) {
      const chain = resolver.chainOf(node);
      if (chain) {
        reads.chains.push(chain);
        return;
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (SKIPPED_KEYS.has(key)) continue;
      // `a.b` and `{ b: 1 }` name a property, not a variable `b`
      if ((key === 'property' || key === 'key') && !(node as { computed?: boolean }).computed) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item && typeof item === 'object' && typeof (item as TSESTree.Node).type === 'string') visit(item as TSESTree.Node);
      }
    }
  };
  visit(test);
  return reads;
}

/**
 * Whether a close runs under a guard that records the close, so a second run is not a second close:
 *
 *   if (!closed) { closed = true; controller.close(); }   // a flag this function assigns
 *   if (!permit.released) permit.release();                // the resource's own state
 *   if (this.#state !== 'open') return; this.#writer.close(); // an early exit on a member
 *   if (!isClosed(writer)) await writer.close();            // a query about the receiver
 *
 * A test that only reads the receiver itself (`if (reader) reader.releaseLock()`) is a null check, not a guard, and
 * a call about something else (`if (Math.random() < 0.5)`) is no flag. Flags the code path cannot see through
 * (members, reassigned variables) count as guards: the rule stays quiet rather than guess which value they hold.
 */
export function isGuarded(close: TSESTree.Node, receiver: string, resolver: ChainResolver): boolean {
  return conditionsOf(close).some(({ test }) => {
    const reads = readsOf(test, resolver);
    if (reads.callTargets.some((chain) => isUnder(chain.key, receiver) || isUnder(receiver, chain.key))) return true;
    return reads.chains.some((chain) => {
      if (chain.key !== receiver && isUnder(chain.key, receiver)) return true;
      if (isUnder(receiver, chain.key)) return false;
      return chain.member || resolver.isReassigned(chain);
    });
  });
}

/**
 * Whether two closes are decided by related tests that are not shared by both: `if (failed) a.close(); …
 * if (!failed) a.close();` reads `failed` twice, and the path through both closes is most likely infeasible.
 * Code-path analysis does not correlate branches, so the rule stays quiet here rather than report that path.
 */
export function areCorrelated(first: TSESTree.Node, second: TSESTree.Node, resolver: ChainResolver): boolean {
  const firstConditions = conditionsOf(first);
  const secondConditions = conditionsOf(second);
  const shared = new Set(firstConditions.map((condition) => condition.owner).filter((owner) => secondConditions.some((c) => c.owner === owner)));
  const keys = (conditions: Condition[]): string[] =>
    conditions.filter((condition) => !shared.has(condition.owner)).flatMap((condition) => readsOf(condition.test, resolver).chains.map((chain) => chain.key));
  const firstKeys = keys(firstConditions);
  return keys(secondConditions).some((key) => firstKeys.some((other) => isUnder(key, other) || isUnder(other, key)));
}
