import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { skipValueWrappers } from './ast.js';

type Variable = TSESLint.Scope.Variable;

/** A receiver the rule can follow: `this`, a variable, or a member chain of either (`this.#writer`, `job.handle`). */
export interface Chain {
  /** Identity of the path: the root's identity plus each property name, so two `writer`s in two scopes differ. */
  key: string;
  /** Whether the chain has a property after its root (`a.b`), as opposed to a bare `this` or variable. */
  member: boolean;
  /** Whether the root is `this` or a variable of the function being analysed, which only this function can reach. */
  local: boolean;
  /**
   * Whether the rule can follow it: not when a nested function assigns the root variable, since any call could run
   * that function and reopen the resource (rejected: guessing which calls do).
   */
  followable: boolean;
}

/** Whether `key` is `prefix` or a property path under it (`a.b` and `a.b.c` are under `a.b`; `a.bc` is not). */
export function isUnder(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(`${prefix}.`);
}

const FUNCTIONS = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
]);

/** The function (or program) whose code path contains `node`. */
export function enclosingFunction(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.parent && !FUNCTIONS.has(current.type)) current = current.parent;
  return current;
}

/**
 * Names receivers by identity: variables are resolved through scopes, never compared by name.
 */
export class ChainResolver {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #ids = new WeakMap<Variable, number>();
  readonly #variables = new Map<string, Variable>();
  #next = 0;

  constructor(sourceCode: Readonly<TSESLint.SourceCode>) {
    this.#sourceCode = sourceCode;
  }

  /** The chain an expression denotes, or `undefined` for anything else (a call result, a computed member). */
  chainOf(node: TSESTree.Node): Chain | undefined {
    const expression = skipValueWrappers(node);
    switch (expression.type) {
      case AST_NODE_TYPES.ThisExpression:
        return { key: 'this', member: false, local: true, followable: true };
      case AST_NODE_TYPES.Identifier:
        return this.#variableChain(expression);
      case AST_NODE_TYPES.MemberExpression: {
        const name = propertyName(expression);
        const object = name === undefined ? undefined : this.chainOf(expression.object);
        return object && { key: `${object.key}.${name}`, member: true, local: object.local, followable: object.followable };
      }
      default:
        return undefined;
    }
  }

  /** The chains a write target assigns: `x`, `this.writer`, and each name in a destructuring pattern. */
  written(target: TSESTree.Node): Chain[] {
    switch (target.type) {
      case AST_NODE_TYPES.ArrayPattern:
        return target.elements.flatMap((element) => (element ? this.written(element) : []));
      case AST_NODE_TYPES.ObjectPattern:
        return target.properties.flatMap((property) => this.written(property.type === AST_NODE_TYPES.Property ? property.value : property));
      case AST_NODE_TYPES.RestElement:
        return this.written(target.argument);
      case AST_NODE_TYPES.AssignmentPattern:
        return this.written(target.left);
      default: {
        const chain = this.chainOf(target);
        return chain ? [chain] : [];
      }
    }
  }

  /** Whether a chain is a variable assigned after its declaration (`closed = true`), as a flag is. */
  isReassigned(chain: Chain): boolean {
    const variable = chain.member ? undefined : this.#variables.get(chain.key);
    return variable?.references.some((reference) => reference.isWrite() && !reference.init) ?? false;
  }

  #variableChain(identifier: TSESTree.Identifier): Chain | undefined {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(identifier), identifier);
    if (!variable) return { key: `global:${identifier.name}`, member: false, local: false, followable: true };
    const home = variable.scope.variableScope;
    const followable = !variable.references.some((reference) => reference.isWrite() && reference.from.variableScope !== home);
    let id = this.#ids.get(variable);
    if (id === undefined) {
      id = this.#next++;
      this.#ids.set(variable, id);
      this.#variables.set(`v${id}`, variable);
    }
    const fn = enclosingFunction(identifier);
    const local = variable.defs.some((def) => enclosingFunction(def.name) === fn);
    return { key: `v${id}`, member: false, local, followable };
  }
}

/** A member's property as it appears in a chain key: `name`, `#name`, or a literal `['name']`. */
function propertyName(member: TSESTree.MemberExpression): string | undefined {
  const property = member.property;
  if (property.type === AST_NODE_TYPES.PrivateIdentifier) return `#${property.name}`;
  if (!member.computed) return property.type === AST_NODE_TYPES.Identifier ? property.name : undefined;
  return property.type === AST_NODE_TYPES.Literal && (typeof property.value === 'string' || typeof property.value === 'number')
    ? String(property.value)
    : undefined;
}
