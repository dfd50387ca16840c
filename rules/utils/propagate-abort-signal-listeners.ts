import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/** One place where a function is made an abort listener. */
export interface AbortRegistration {
  /** The registering call or assignment: `signal.addEventListener('abort', stop)`, `signal.onabort = stop`. */
  node: TSESTree.Node;
  /** What it listens to (`signal`, `req.signal`); `undefined` for a bare global `addEventListener('abort', …)`. */
  target: TSESTree.Node | undefined;
}

const FUNCTIONS = new Set<string>([AST_NODE_TYPES.ArrowFunctionExpression, AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression]);
const isFunction = (node: TSESTree.Node): node is FunctionNode => FUNCTIONS.has(node.type);
const WRAPPERS = new Set<string>([AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSNonNullExpression, AST_NODE_TYPES.TSSatisfiesExpression, AST_NODE_TYPES.ChainExpression]);

/** The function a node is in, or `undefined` at module level. */
function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return current;
  return undefined;
}

/**
 * The registration when `listener` (a function, a reference to one, or any other expression such as
 * `controller.abort.bind(controller)`) is in a listener's position.
 */
export function registrationAt(listener: TSESTree.Node): AbortRegistration | undefined {
  const parent = listener.parent;
  // signal.onabort = () => …
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression) {
    const { left } = parent;
    const onabort = parent.right === listener && left.type === AST_NODE_TYPES.MemberExpression && !left.computed && left.property.type === AST_NODE_TYPES.Identifier && left.property.name === 'onabort';
    return onabort ? { node: parent, target: left.object } : undefined;
  }
  if (parent?.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const member = parent.callee.type === AST_NODE_TYPES.MemberExpression ? parent.callee : undefined;
  const callee = member ? member.property : parent.callee;
  const [first, second] = parent.arguments;
  if (callee.type !== AST_NODE_TYPES.Identifier || second !== listener) return undefined;
  // addAbortListener(signal, () => …) from node:events
  if (callee.name === 'addAbortListener') return { node: parent, target: first };
  // signal.addEventListener('abort', () => …)
  const abort = callee.name === 'addEventListener' && first?.type === AST_NODE_TYPES.Literal && first.value === 'abort';
  return abort ? { node: parent, target: member?.object } : undefined;
}

const REGISTRATIONS = new WeakMap<FunctionNode, AbortRegistration[]>();

/**
 * Where a function is registered as an abort listener: inline (`signal.addEventListener('abort', () => …)`,
 * `signal.onabort = …`, `addAbortListener(signal, …)`), or by the name of a `const` or a function declaration
 * (`const stop = () => …; signal.addEventListener('abort', stop)`, the form that can be removed again). Registrations
 * are found by syntax: `'abort'` is the event's name on every EventTarget that has one.
 */
export function abortRegistrations(sourceCode: Readonly<TSESLint.SourceCode>, fn: FunctionNode): AbortRegistration[] {
  const known = REGISTRATIONS.get(fn);
  if (known) return known;
  const inline = registrationAt(fn);
  let found = inline ? [inline] : [];
  const declarator = fn.parent.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn && fn.parent.parent.kind === 'const' ? fn.parent : undefined;
  const owner = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : declarator;
  const name = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id?.name : declarator?.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : undefined;
  if (!inline && owner && name) {
    const variable = sourceCode.getDeclaredVariables(owner).find((v) => v.name === name);
    found = (variable?.references ?? []).flatMap(({ identifier }) => registrationAt(identifier) ?? []);
  }
  REGISTRATIONS.set(fn, found);
  return found;
}

/**
 * Whether the caller cancels a call's result by hand, so the call needs no signal of its own: the result is bound to
 * a name (`const child = spawn(…)`, `child = spawn(…)`), and an abort listener on the caller's signal, registered in
 * the same function as the call, uses that name (`signal.addEventListener('abort', () => child.kill('SIGINT'))`).
 * A graceful stop by hand is often the point: `spawn`'s own `signal` would kill the process outright. Not when the
 * result is awaited first (`const feed = await openFeed(url)`): the call itself ran without the signal.
 *
 * @param isCallersSignal whether a listened-to expression is the caller's signal (or derived from it).
 */
export function cancelledByHand(
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  isCallersSignal: (target: TSESTree.Node) => boolean,
): boolean {
  let result: TSESTree.Node = call;
  while (result.parent && WRAPPERS.has(result.parent.type)) result = result.parent;
  const parent = result.parent;
  let variable: TSESLint.Scope.Variable | null | undefined;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === result && parent.id.type === AST_NODE_TYPES.Identifier) {
    variable = sourceCode.getDeclaredVariables(parent)[0];
  } else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.operator === '=' && parent.right === result && parent.left.type === AST_NODE_TYPES.Identifier) {
    variable = ASTUtils.findVariable(sourceCode.getScope(parent.left), parent.left);
  }
  if (!variable) return false;
  const home = enclosingFunction(call);
  return variable.references.some(({ identifier }) => {
    for (let current: TSESTree.Node | undefined = identifier.parent; current && current !== home; current = current.parent) {
      if (!isFunction(current)) continue;
      const wired = abortRegistrations(sourceCode, current).some(
        (registration) => registration.target !== undefined && enclosingFunction(registration.node) === home && isCallersSignal(registration.target),
      );
      if (wired) return true;
    }
    return false;
  });
}

/** `signal.removeEventListener(…)`, `signal?.removeEventListener(…)`: the reference is the receiver of that call. */
function receivesRemoval(identifier: TSESTree.Node): boolean {
  const member = identifier.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== identifier || member.computed) return false;
  const call = member.parent;
  return member.property.type === AST_NODE_TYPES.Identifier && member.property.name === 'removeEventListener' && call?.type === AST_NODE_TYPES.CallExpression && call.callee === member;
}

/**
 * A function's parameter bindings (parameters, and names destructured from them at any depth:
 * `({ op: { id, signal } })`) that are used, and used only as the receiver of `removeEventListener`: a listener is
 * taken off a signal that nothing here ever listens to, the mark of a forgotten `addEventListener` (tRPC #7431).
 * Found by syntax alone, so the caller asks the types only of these few. Names starting with `_` are skipped.
 */
export function onlyRemovedParameters(sourceCode: Readonly<TSESLint.SourceCode>, fn: FunctionNode): TSESLint.Scope.Variable[] {
  return sourceCode
    .getDeclaredVariables(fn)
    .filter(
      (variable) =>
        !variable.name.startsWith('_') &&
        variable.defs.some((definition) => definition.type === TSESLint.Scope.DefinitionType.Parameter) &&
        variable.references.length > 0 &&
        variable.references.every(({ identifier }) => receivesRemoval(identifier)),
    );
}
