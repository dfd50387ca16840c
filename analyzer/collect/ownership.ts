import ts from '../../rules/utils/typescript.cjs';
import { isPromiseCombinator } from '../../rules/facts/fanout.js';
import { enclosingFunctionLike } from '../../rules/native/functions.js';
import type { Ownership } from '../graph/types.js';

// When a promise has several uses (`const p = save(); log(p); await p;`), the strongest one says who owns it.
const RANK: readonly Ownership[] = ['await', 'return', 'collect', 'handler', 'group', 'passed', 'stored', 'void'];
// Calls that keep what they are given for later: the promise is stored, not handed to someone who will settle it.
const STORING_METHODS = new Set(['push', 'unshift', 'add', 'set', 'splice']);
// How many `const p = …` hops are followed before giving up and calling the promise stored.
const MAX_DEPTH = 3;

function strongest(values: ReadonlyArray<Ownership | undefined>): Ownership | undefined {
  let best: Ownership | undefined;
  for (const value of values) {
    if (value !== undefined && (best === undefined || RANK.indexOf(value) < RANK.indexOf(best))) best = value;
  }
  return best;
}

/**
 * Who owns the promise an expression evaluates to: `await`, `return`, a combinator that `collect`s it, a rejection
 * `handler`, a call it is `passed` to, a place it is `stored` in, a `void`; `undefined` when nobody does (a floating
 * task). Follows the value upwards through parentheses, `as`, conditionals, `??`, `.then(f)` and `.finally(f)` chains,
 * array literals, and local variables (to their uses in the same function).
 *
 * This is the graph's coarse view, one answer per spawn site; path-sensitive ownership ("awaited on one branch only")
 * stays with the `no-floating-task` rule, whose findings the graph includes.
 *
 * Unknown shapes count as `passed` rather than floating: the value went somewhere this code does not model, and
 * calling it floating would invent findings.
 */
export function ownershipOf(checker: ts.TypeChecker, expression: ts.Node, depth = 0): Ownership | undefined {
  let current = expression;
  for (;;) {
    const parent = current.parent;
    if (!parent) return undefined;
    switch (parent.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        current = parent;
        continue;
      // await save()
      case ts.SyntaxKind.AwaitExpression:
        return 'await';
      // void save()
      case ts.SyntaxKind.VoidExpression:
        return 'void';
      // return save(); yield save(); () => save()
      case ts.SyntaxKind.ReturnStatement:
      case ts.SyntaxKind.YieldExpression:
      case ts.SyntaxKind.ArrowFunction:
        return 'return';
      // save();
      case ts.SyntaxKind.ExpressionStatement:
        return undefined;
      // cond ? save() : other — the condition itself is a promise tested for truth, which owns nothing
      case ts.SyntaxKind.ConditionalExpression:
        if ((parent as ts.ConditionalExpression).condition === current) return undefined;
        current = parent;
        continue;
      case ts.SyntaxKind.BinaryExpression: {
        const binary = parent as ts.BinaryExpression;
        const op = binary.operatorToken.kind;
        // (save(), 1) — the left of a comma is thrown away
        if (op === ts.SyntaxKind.CommaToken) {
          if (binary.left === current) return undefined;
          current = parent;
          continue;
        }
        // p = save(); this.p = save()
        if (op === ts.SyntaxKind.EqualsToken && binary.right === current) {
          return ts.isIdentifier(binary.left) ? variableOwnership(checker, binary.left, depth) : 'stored';
        }
        // cached ?? save()
        if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
          current = parent;
          continue;
        }
        return 'passed';
      }
      // const p = save()
      case ts.SyntaxKind.VariableDeclaration: {
        const declaration = parent as ts.VariableDeclaration;
        if (declaration.initializer !== current) return 'passed';
        return ts.isIdentifier(declaration.name) ? variableOwnership(checker, declaration.name, depth) : 'stored';
      }
      // [save(), load()] — owned as the array is
      case ts.SyntaxKind.ArrayLiteralExpression:
      case ts.SyntaxKind.SpreadElement:
        current = parent;
        continue;
      // { task: save() }, class fields
      case ts.SyntaxKind.PropertyAssignment:
      case ts.SyntaxKind.ShorthandPropertyAssignment:
      case ts.SyntaxKind.PropertyDeclaration:
      case ts.SyntaxKind.ExportAssignment:
        return 'stored';
      case ts.SyntaxKind.PropertyAccessExpression: {
        // save().then(a, onError), save().catch(onError), save().then(f).finally(g)
        const access = parent as ts.PropertyAccessExpression;
        const call = access.parent;
        if (!ts.isCallExpression(call) || call.expression !== access) return undefined;
        const method = access.name.text;
        if ((method === 'catch' && call.arguments.length >= 1) || (method === 'then' && call.arguments.length >= 2)) return 'handler';
        if (method === 'then' || method === 'finally' || method === 'catch') {
          current = call;
          continue;
        }
        return 'passed';
      }
      case ts.SyntaxKind.CallExpression: {
        const call = parent as ts.CallExpression;
        if (call.expression === current) return 'passed';
        // Promise.all([save(), load()])
        if (isPromiseCombinator(checker, call)) return 'collect';
        // tasks.push(save())
        const callee = call.expression;
        if (ts.isPropertyAccessExpression(callee) && STORING_METHODS.has(callee.name.text)) return 'stored';
        return 'passed';
      }
      case ts.SyntaxKind.NewExpression:
        return 'passed';
      default:
        return 'passed';
    }
  }
}

/** Ownership of a promise held in a local variable: the strongest of its uses in the enclosing function. */
function variableOwnership(checker: ts.TypeChecker, name: ts.Identifier, depth: number): Ownership | undefined {
  if (depth >= MAX_DEPTH) return 'stored';
  const symbol = checker.getSymbolAtLocation(name);
  const declaration = symbol?.valueDeclaration;
  // Only locals: a module-level or captured variable may be read anywhere, so it is stored.
  if (!symbol || !declaration || !ts.isVariableDeclaration(declaration)) return 'stored';
  const scope = enclosingFunctionBody(declaration);
  if (!scope) return 'stored';
  const uses: Array<Ownership | undefined> = [];
  let escapes = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const assigned = ts.isBinaryExpression(node.parent) && node.parent.left === node && node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      if (node.text === name.text && !assigned && node !== declaration.name && checker.getSymbolAtLocation(node) === symbol) {
        // Captured by a nested function: it may be awaited whenever that runs.
        if (enclosingFunctionBody(node) !== scope) escapes = true;
        else uses.push(ownershipOf(checker, node, depth + 1));
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return strongest(escapes ? [...uses, 'passed'] : uses);
}

// The body of the function `node` is in, as `ts.isFunctionLike` has it: `undefined` in a signature or a function type
// (`p` in `(x: typeof p) => void`), so a name there counts as escaping the function around it.
function enclosingFunctionBody(node: ts.Node): ts.Node | undefined {
  return (enclosingFunctionLike(node) as ts.FunctionLikeDeclaration | undefined)?.body;
}
