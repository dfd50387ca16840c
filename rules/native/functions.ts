/**
 * What a function is in TypeScript's tree, and which function a node is in: the one definition the native rules and
 * the analyzer share.
 *
 * There are variants because the callers ask different questions, and each answer is one its caller relies on:
 * - {@link isFunctionNode} takes a function with or without a body. ESLint gives an overload signature or an abstract
 *   method a variable scope of its own (its parameters live there), so `no-floating-task`'s scope questions count it.
 * - {@link isFunctionWithBody} takes only a function with a body: ESTree has no function node for a body-less
 *   declaration (typescript-eslint has a `TSDeclareFunction` or a `TSEmptyBodyFunctionExpression` there), and
 *   `propagate-abort-signal` was first written on ESTree.
 * - {@link enclosingFunction} answers as ESTree does: a method's decorators and its (computed) name belong to the
 *   class member, not to the function expression that is its value, so a call there is not in the method.
 * - {@link enclosingFunctionLike} is the plain walk to the nearest `ts.isFunctionLike` ancestor: decorators and
 *   names included, and it also stops at a signature or a function type. The fan-out facts and the analyzer's
 *   ownership ask "same function?" this way. It differs from {@link enclosingFunction} on valid code: `p` in `let g:
 *   (x: typeof p) => void` is in the function type here, in the function around it there; a call in a method's
 *   decorator is in the method here, outside it there. Rejected: moving those callers onto {@link enclosingFunction}
 *   or onto a walk to the nearest {@link isFunctionNode}: either changes what the analyzer's ownership counts as a use
 *   in the same function (a name in a method's decorator, or in a signature inside the function, would stop counting
 *   as escaping it).
 */
import ts from '../utils/typescript.cjs';

/**
 * A function declared in code, with or without a body: what ESTree has as a function (a method, accessor or
 * constructor is a function expression there, the value of its member), plus the body-less overload signatures and
 * abstract methods of the same kinds. Not a signature (`m(): void` in an interface) nor a function type.
 */
export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

/**
 * Whether a node is a {@link FunctionNode}, body or not. Not a signature or a function type, which have no scope of
 * their own in ESLint.
 *
 * @example isFunctionNode(nodeOf(`function f(): void;`)) // true: an overload signature
 */
export function isFunctionNode(node: ts.Node): node is FunctionNode {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/**
 * Whether a node is a {@link FunctionNode} with a body: a function ESTree has a function node for. An overload
 * signature, an abstract method and a `declare function` have none.
 *
 * @example isFunctionWithBody(nodeOf(`function f(): void;`)) // false
 */
export function isFunctionWithBody(node: ts.Node): node is FunctionNode {
  return isFunctionNode(node) && node.body !== undefined;
}

/** Whether a function is a method, an accessor or a constructor: ESTree's function expression inside a member. */
export function isMethodLike(fn: FunctionNode): fn is ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration | ts.ConstructorDeclaration {
  return !ts.isArrowFunction(fn) && !ts.isFunctionDeclaration(fn) && !ts.isFunctionExpression(fn);
}

/**
 * Whether `child` of `fn` is part of the function as ESTree has it. A method's name (`[key]() {}`) and decorators
 * belong to ESTree's member node, not to its function expression: a call there is not in the method.
 */
function inFunctionValue(fn: FunctionNode, child: ts.Node): boolean {
  return !ts.isDecorator(child) && !(isMethodLike(fn) && child === fn.name);
}

/**
 * The function a node is in, as ESTree has it: the nearest {@link isFunctionWithBody} ancestor whose value holds the
 * node, so a method's decorators and computed name are outside it (see {@link enclosingFunctionLike} for the plain
 * walk). `undefined` at module level, and in a class field or static block that no function holds.
 *
 * @example enclosingFunction(callIn(`class C { @log(save()) m() {} }`)) // undefined: the decorator is outside `m`
 */
export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let child = node, current = node.parent; current; child = current, current = current.parent) {
    if (isFunctionWithBody(current) && inFunctionValue(current, child)) return current;
  }
  return undefined;
}

/**
 * The nearest ancestor of `node` that `ts.isFunctionLike` takes: a {@link FunctionNode} (body or not, decorators and
 * name included), and also a call, construct, method or index signature, a function or constructor type. `undefined`
 * when there is none.
 *
 * @example enclosingFunctionLike(identifierIn(`function f() { let g: (x: typeof p) => void; }`, 'p')) // the function type
 */
export function enclosingFunctionLike(node: ts.Node): ts.SignatureDeclaration | undefined {
  let current = node.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current;
}

/**
 * Where a function starts as ESTree has it: a method's function expression starts at its type parameters or its
 * parameter list, after the name and the decorators.
 */
export function functionStart(file: ts.SourceFile, fn: FunctionNode): number {
  if (!isMethodLike(fn)) return fn.getStart(file);
  return (fn.typeParameters ?? fn.parameters).pos - 1;
}
