/**
 * Questions about TypeScript's tree that `no-floating-task` asks where its ESTree version asked typescript-eslint's
 * tree or ESLint's scope analysis, answered as those did: ESTree's methods are function expressions, its optional
 * chains are a node of their own, and ESLint's variable scopes are functions, class field initialisers, static
 * blocks, namespaces and the file. None of these needs the type checker.
 *
 * They could move to `rules/native/` once a second native rule needs them.
 */
import ts from './typescript.cjs';
import { isFunctionNode, type FunctionNode } from '../native/functions.js';
import { isAssignmentOperator, isAsyncFunction, isLiteral, isLogical, skipParentheses } from '../native/syntax.js';

/**
 * Whether `node` runs inside an async function, where an `await` suggestion is valid syntax: the nearest enclosing
 * function is `async`. As the ESTree rule answered it, climbing ESTree's parents: a class static block or field
 * initialiser is no function there, so it answers for the function around the class.
 */
export function isInAsyncFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return isAsyncFunction(current);
  }
  return false;
}

/**
 * The node whose variable scope (in ESLint's sense) `node` is in: the nearest function (its parameters, type
 * parameters and body, not its computed name or decorators), class field initialiser, class static block or
 * namespace body, else the file. Two references are in the same function's code paths exactly when this gives the
 * same node for both; `variable.scope.variableScope` and `reference.from.variableScope` in ESLint's terms.
 *
 * Signatures and function types are left out, as ESLint gives them no variable scope (`typeof p` in `(x: typeof p)
 * => void` is read from the function around the type).
 *
 * @example variableScopeOf(identifierIn(`async function f() { const p = save(); }`, 'p')) // the function `f`
 */
export function variableScopeOf(node: ts.Node): ts.Node {
  // ESLint visits a method's and its parameters' decorators in the scope around the class member.
  let decorated: ts.Node | undefined;
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (ts.isDecorator(current)) decorated = ts.isParameter(current.parent) ? current.parent.parent : current.parent;
    else if (current === decorated) continue;
    else if (isFunctionNode(current)) {
      if (child !== current.name) return current;
    } else if (ts.isClassStaticBlockDeclaration(current) || ts.isSourceFile(current)) return current;
    else if (ts.isPropertyDeclaration(current) && child === current.initializer) return current;
    else if (ts.isModuleDeclaration(current) && child === current.body) return current;
  }
  return node;
}

/**
 * What declares a binding, as ESLint's definition types have it: `variable` for a `var`/`let`/`const` (also a
 * destructured one, also in a `for … of`), `parameter` for a parameter (also a destructured one), `undefined` for
 * anything else (a `catch` binding, a function, a class, an import).
 */
export function definitionKind(declaration: ts.Node): 'variable' | 'parameter' | undefined {
  let node = declaration;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  if (ts.isParameter(node)) return 'parameter';
  return ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent) ? 'variable' : undefined;
}

/** The keyword a declaration list is written with. `await using` has the `const` and `using` flags both. */
export function declarationKeyword(list: ts.VariableDeclarationList): 'var' | 'let' | 'const' | 'using' | 'await using' {
  const using = (list.flags & ts.NodeFlags.Using) !== 0;
  const constant = (list.flags & ts.NodeFlags.Const) !== 0;
  if (using) return constant ? 'await using' : 'using';
  if (constant) return 'const';
  return (list.flags & ts.NodeFlags.Let) !== 0 ? 'let' : 'var';
}

/**
 * Whether a node is part of an optional chain (`a?.b`, `a?.b.c()`, `a?.[0]!`): ESTree's `ChainExpression` holds the
 * outermost such node.
 */
export function isOptionalChain(node: ts.Node): boolean {
  return (node.flags & ts.NodeFlags.OptionalChain) !== 0;
}

/** `x as const` (and `<const>x`), whose type is the value's own, narrowed: not readable off the written type. */
export function isConstAssertion(type: ts.TypeNode): boolean {
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'const';
}

/**
 * Whether a function body returns a value somewhere (`return value`, not counting nested functions): a function
 * whose block body never does cannot return a promise unless it is `async`.
 */
export function returnsValue(fn: FunctionNode): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return body !== undefined;
  const visit = (node: ts.Node): boolean => {
    if (ts.isReturnStatement(node)) return node.expression !== undefined;
    if (isFunctionNode(node)) return false;
    return ts.forEachChild(node, visit) ?? false;
  };
  return ts.forEachChild(body, visit) ?? false;
}

/**
 * Whether an expression's value can never be a thenable, by its syntax alone: a literal, a template, arithmetic or a
 * comparison (`a === b`, `n + 1`, `!done`, `typeof x`, `i++`), an array, a function, an object literal without a
 * `then` key or a spread, and conditionals, `&&`/`||`/`??` and sequences made only of these. Whatever their operands'
 * types, TypeScript types these as primitives, arrays, functions or the literal's own shape, none with a callable
 * `then`. Anything that reads a value (a name, a member, a call, an assignment, `x as T`) needs its type: `false`.
 *
 * Why: `items.some((item) => item.id === id)` returns no promise, and knowing that without typing the callback spares
 * typing its callee (`items.some`, and `items` by flow analysis) when no rule needs that otherwise.
 *
 * @example isNeverThenable(expressionOf(`item.id === id`)) // true
 */
export function isNeverThenable(expression: ts.Expression): boolean {
  const node = skipParentheses(expression);
  if (isLiteral(node)) return true;
  switch (node.kind) {
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
    case ts.SyntaxKind.PrefixUnaryExpression:
    case ts.SyntaxKind.PostfixUnaryExpression:
    case ts.SyntaxKind.TypeOfExpression:
    case ts.SyntaxKind.VoidExpression:
    case ts.SyntaxKind.DeleteExpression:
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      return true;
    // ({ then(resolve) { … } }) is a thenable; a spread may copy a `then` in; a computed key may be `'then'`
    case ts.SyntaxKind.ObjectLiteralExpression:
      return (node as ts.ObjectLiteralExpression).properties.every((property) => {
        if (ts.isSpreadAssignment(property) || !property.name || ts.isComputedPropertyName(property.name)) return false;
        const key = ts.isNumericLiteral(property.name) ? String(Number(property.name.text)) : property.name.text;
        return key !== 'then';
      });
    case ts.SyntaxKind.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      return isNeverThenable(conditional.whenTrue) && isNeverThenable(conditional.whenFalse);
    }
    case ts.SyntaxKind.BinaryExpression: {
      const binary = node as ts.BinaryExpression;
      const operator = binary.operatorToken.kind;
      if (isLogical(node)) return isNeverThenable(binary.left) && isNeverThenable(binary.right);
      // (log(id), total): the last operand is the value
      if (operator === ts.SyntaxKind.CommaToken) return isNeverThenable(binary.right);
      // total = next: an assignment's value is what was assigned
      return !isAssignmentOperator(operator);
    }
    default:
      return false;
  }
}
