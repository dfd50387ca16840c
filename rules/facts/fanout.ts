/**
 * Facts about fan-out: how many tasks a piece of code starts at once, and what bounds that number. `no-unbounded-fanout`
 * asks them about `xs.map(f)`, loops that push tasks and `ErrGroup#go` in loops; the analyzer asks the same questions
 * to compute a spawn site's multiplicity (1, a constant, or unbounded) and what bounds it.
 *
 * Like `rules/facts.ts`, this module speaks only plain TypeScript compiler objects and numeric enum constants, so the
 * ts-morph analyzer gets the same answers as the editor. Everything is decided from the syntax of the collection
 * (`[a, b]`, `xs.slice(i, i + 10)`, `Array.from({ length: 8 })`) and from types (tuples, fixed-key records, the
 * taskscope primitives, limiter and semaphore shapes), never from identifier text.
 */
import ts from '../utils/typescript.cjs';
import { DEFAULT_LIB_FILE, isCollectionLookup, isFromDefaultLib, isThenable, skipOuter, namedDeclarations, nonNullableType, returnedValues, returnsThenable, taskscopePrimitive, typeParts } from '../facts.js';
import { enclosingFunctionLike } from '../native/functions.js';
import { callSignature, declaredReturnType } from '../utils/call-signature.js';
import { isDeclaredWhere } from './close.js';
import { declaredMethodType, receiverTypeOf } from './declared-types.js';

/**
 * What bounds a collection's size, or a loop's number of iterations:
 * - `literal`: an array literal (`[a(), b()]`) or `Array.of(a, b)`;
 * - `tuple`: the type is a tuple without a rest element (also what `as const` gives);
 * - `length`: a count the code chose, as in `Array.from({ length: n })`, `Array(n)` or `for (i = 0; i < n; i++)`;
 * - `slice`: a window of a constant or chosen width, `xs.slice(i, i + k)` or `xs.splice(0, k)`;
 * - `min`: `Math.min(k, …)` with a constant `k`;
 * - `record`: `Object.keys/values/entries` of a type with fixed keys and no index signature;
 * - `allowed`: the caller declared the type bounded (the rule's `allowedInputs`);
 * - `single`: no loop at all (a multiplicity of one).
 */
export type BoundSource = 'literal' | 'tuple' | 'length' | 'slice' | 'min' | 'record' | 'allowed' | 'single';

/**
 * A fan-out bound. `constant` means at most `n` (a `Math.min` or a window may give fewer); `bounded` means the code
 * chose the number but it is not a constant (`Array.from({ length: concurrency })`); `unbounded` means the number
 * grows with the input, and `input` is the outermost expression that carries that input (`files`, `queue.length`).
 */
export type FanOutBound =
  | { kind: 'constant'; n: number; by: BoundSource }
  | { kind: 'bounded'; by: BoundSource }
  | { kind: 'unbounded'; input: ts.Node };

/** How a caller tunes {@link fanOutBound}. */
export interface FanOutFacts {
  /**
   * Types the caller declared bounded (a `BoundedArray<T>` brand): asked for each expression the bound is traced
   * through, so a branded value stays bounded through `const` aliases.
   * @default () => false
   */
  isAllowed?: (type: ts.Type) => boolean;
}

/** What makes a task wait its turn: a semaphore permit, a limiter function, or an ErrGroup with a `limit`. */
export type CallbackBound = { kind: 'limited'; by: 'semaphore' | 'limiter' | 'errgroup'; at: ts.Node } | { kind: 'unlimited' };

/** Whether an ErrGroup bounds its tasks: created with a `limit`, without one, or somewhere this code cannot see. */
export type GroupLimit = 'limited' | 'unlimited' | 'unknown';

// How far `const` aliases and called helpers are followed. Enough for `const batch = files.slice(i, i + 10)` behind
// one or two renames; a cycle (`const a = b; const b = a` in a broken file) ends here too.
const MAX_DEPTH = 6;

const SINGLE: FanOutBound = { kind: 'constant', n: 1, by: 'single' };
const COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);
const GROUP_METHODS = new Set(['go', 'goBlocking', 'tryGo']);
// Array methods whose result has at most as many elements as their receiver.
const PASS_THROUGH = new Set(['map', 'filter', 'toSorted', 'toReversed', 'sort', 'reverse', 'with', 'fill', 'keys', 'values', 'entries', 'copyWithin']);
/** Array methods that call their callback once per element: a loop in disguise. */
export const ITERATION_METHODS: ReadonlySet<string> = new Set(['forEach', 'map', 'flatMap']);

// Strips what does not change a value (parentheses, `as`, `satisfies`, `!`, `<T>x`): one definition, in the facts.
export { skipOuter } from '../facts.js';

/** The declaration an identifier or `a.b` refers to, through imports. */
function declarationOf(checker: ts.TypeChecker, node: ts.Expression): ts.Declaration | undefined {
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return undefined;
  let symbol = checker.getSymbolAtLocation(ts.isIdentifier(node) ? node : node.name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.valueDeclaration;
}

/** The initializer of a `const` (or a `readonly` class field) that an identifier or `this.x` refers to. */
function constInitializer(checker: ts.TypeChecker, node: ts.Expression): ts.Expression | undefined {
  const declaration = declarationOf(checker, node);
  if (!declaration) return undefined;
  if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent)) {
    const isConst = (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
    return isConst && ts.isIdentifier(declaration.name) ? declaration.initializer : undefined;
  }
  if (ts.isPropertyDeclaration(declaration)) {
    const readonly = declaration.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ?? false;
    return readonly ? declaration.initializer : undefined;
  }
  return undefined;
}

/** The fixed length of a tuple type (the largest over a union of tuples), or `undefined` for anything else. */
function tupleLength(checker: ts.TypeChecker, type: ts.Type): number | undefined {
  const parts = typeParts(checker, nonNullableType(checker, type));
  let longest = 0;
  for (const part of parts) {
    if (!checker.isTupleType(part)) return undefined;
    const target = (part as ts.TypeReference).target as ts.TupleType;
    if (target.hasRestElement) return undefined;
    longest = Math.max(longest, target.fixedLength);
  }
  return parts.length > 0 ? longest : undefined;
}

function numberLiteral(checker: ts.TypeChecker, node: ts.Expression): number | undefined {
  const type = checker.getTypeAtLocation(node);
  return type.isNumberLiteral() ? type.value : undefined;
}

/** The larger of two bounds: what a `cond ? a : b` or `a ?? b` may hold. */
function larger(a: FanOutBound, b: FanOutBound): FanOutBound {
  if (a.kind === 'unbounded') return a;
  if (b.kind === 'unbounded') return b;
  if (a.kind === 'constant' && b.kind === 'constant') return a.n >= b.n ? a : b;
  return a.kind === 'bounded' ? a : b;
}

/** The product of two bounds: tasks started per iteration of an outer loop, times its iterations. */
export function multiply(outer: FanOutBound, inner: FanOutBound): FanOutBound {
  if (inner.kind === 'unbounded') return inner;
  if (outer.kind === 'unbounded') return outer;
  if (outer.kind === 'constant' && inner.kind === 'constant') {
    return { kind: 'constant', n: outer.n * inner.n, by: inner.by === 'single' ? outer.by : inner.by };
  }
  return { kind: 'bounded', by: outer.kind === 'bounded' ? outer.by : inner.by };
}

/**
 * How many elements a collection expression holds, judged from how the code builds it.
 *
 * Bounded: array literals (spreads add their own bounds), tuple types and `as const`, `Array.from({ length: n })`,
 * `Array(n)`, `Array.of(…)`, `xs.slice(i, i + k)` and `xs.splice(0, k)`, `Object.keys` of a fixed-key type, and
 * anything the caller allows. Methods such as `map`, `filter` and `keys` keep their receiver's bound; `const` aliases
 * are followed. Everything else (a parameter, `readdir(dir)`, a `Set`) is unbounded.
 *
 * A count the code chose (`Array.from({ length: concurrency })`) is `bounded`, not unbounded: the author set the
 * number of workers. A count read from a collection (`{ length: files.length }`) is as unbounded as the collection.
 *
 * @example fanOutBound(checker, expressionOf(`files.slice(i, i + 10)`)) // { kind: 'constant', n: 10, by: 'slice' }
 * @example fanOutBound(checker, expressionOf(`await readdir(dir)`)) // { kind: 'unbounded', input: … }
 */
export function fanOutBound(checker: ts.TypeChecker, collection: ts.Expression, facts: FanOutFacts = {}, depth = 0): FanOutBound {
  const node = skipOuter(collection);
  if (depth > MAX_DEPTH) return { kind: 'unbounded', input: node };
  if (facts.isAllowed?.(checker.getTypeAtLocation(node))) return { kind: 'bounded', by: 'allowed' };
  // [a(), b(), ...extra]
  if (ts.isArrayLiteralExpression(node)) {
    let total: FanOutBound = { kind: 'constant', n: 0, by: 'literal' };
    for (const element of node.elements) {
      const part = ts.isSpreadElement(element) ? fanOutBound(checker, element.expression, facts, depth + 1) : { kind: 'constant' as const, n: 1, by: 'literal' as const };
      total = sum(total, part);
    }
    return total;
  }
  if (ts.isConditionalExpression(node)) {
    return larger(fanOutBound(checker, node.whenTrue, facts, depth + 1), fanOutBound(checker, node.whenFalse, facts, depth + 1));
  }
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return larger(fanOutBound(checker, node.left, facts, depth + 1), fanOutBound(checker, node.right, facts, depth + 1));
  }
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const bound = callBound(checker, node, facts, depth);
    if (bound) return bound;
  }
  const tuple = tupleLength(checker, checker.getTypeAtLocation(node));
  if (tuple !== undefined) return { kind: 'constant', n: tuple, by: 'tuple' };
  // for (const errs of [[], [a], [a, b]]) — a table of literal rows: the longest row
  const row = rowOfTable(checker, node, facts, depth);
  if (row) return row;
  // for (const part of chunk(items, 10)) — one chunk of a splitting helper: as wide as the size it was given
  const chunk = chunkOfSplit(checker, node, facts, depth);
  if (chunk) return chunk;
  // const batch = files.slice(i, i + 10) — follow the alias, but name the alias if it stays unbounded
  const initializer = constInitializer(checker, node);
  // const urls: string[] = []; … urls.push(url) — the literal is where the array starts, not what it holds
  if (initializer && !(ts.isArrayLiteralExpression(skipOuter(initializer)) && isGrown(checker, node))) {
    const bound = fanOutBound(checker, initializer, facts, depth + 1);
    return bound.kind === 'unbounded' ? { kind: 'unbounded', input: node } : bound;
  }
  if (ts.isAwaitExpression(node)) return withInput(fanOutBound(checker, node.expression, facts, depth + 1), node);
  return { kind: 'unbounded', input: node };
}

// Array methods that add elements in place.
const GROWING = new Set(['push', 'unshift', 'splice']);

/**
 * Whether the array a `const` (or a `readonly` field) holds gets elements added in place somewhere in its scope (the
 * block of the `const`, the class of the field): `urls.push(url)`, `this.#queue.unshift(job)`. Such an array's
 * literal initializer says nothing about its size.
 */
function isGrown(checker: ts.TypeChecker, reference: ts.Expression): boolean {
  const declaration = declarationOf(checker, reference);
  const symbol = declaration && ts.isPropertyDeclaration(declaration) ? checker.getSymbolAtLocation(declaration.name) : declaration && checker.getSymbolAtLocation((declaration as ts.VariableDeclaration).name);
  const scope = declaration && ts.isPropertyDeclaration(declaration) ? declaration.parent : declaration?.parent.parent.parent;
  if (!symbol || !scope) return false;
  let grown = false;
  const visit = (node: ts.Node): void => {
    if (grown) return;
    if (ts.isPropertyAccessExpression(node) && GROWING.has(node.name.text) && ts.isCallExpression(node.parent) && node.parent.expression === node) {
      const target = skipOuter(node.expression);
      const named = ts.isPropertyAccessExpression(target) ? target.name : target;
      if ((ts.isIdentifier(named) || ts.isPrivateIdentifier(named)) && checker.getSymbolAtLocation(named) === symbol) {
        grown = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return grown;
}

/** The bound of a `for…of` variable over a literal table of rows (`for (const row of [[a], [a, b]])`): its longest row. */
function rowOfTable(checker: ts.TypeChecker, node: ts.Expression, facts: FanOutFacts, depth: number): FanOutBound | undefined {
  const declaration = declarationOf(checker, node);
  const list = declaration?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !list || !ts.isForOfStatement(list.parent) || list.parent.initializer !== list) return undefined;
  let table = skipOuter(list.parent.expression);
  for (let hops = 0; !ts.isArrayLiteralExpression(table) && hops < MAX_DEPTH; hops++) {
    const initializer = constInitializer(checker, table);
    if (!initializer) return undefined;
    table = skipOuter(initializer);
  }
  if (!ts.isArrayLiteralExpression(table) || table.elements.length === 0 || table.elements.some(ts.isSpreadElement)) return undefined;
  const rows = table.elements.map((element) => fanOutBound(checker, element, facts, depth + 1));
  return withInput(rows.reduce(larger), node);
}

/**
 * The bound of a `for…of` variable over the chunks a splitting call returns (`for (const part of chunk(items, 10))`,
 * also through a `const` alias): the {@link count} of the size the call was given, as for a `slice` window. Only when
 * the helper is known to split by that size (see {@link chunkSizeIndex}); a size read from the input
 * (`chunk(items, items.length)`) is as unbounded as the input, and `undefined` is returned.
 */
function chunkOfSplit(checker: ts.TypeChecker, node: ts.Expression, facts: FanOutFacts, depth: number): FanOutBound | undefined {
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = declarationOf(checker, node);
  const list = declaration?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !list || !ts.isForOfStatement(list.parent) || list.parent.initializer !== list) return undefined;
  let source = skipOuter(list.parent.expression);
  for (let hops = 0; !ts.isCallExpression(source) && hops < MAX_DEPTH; hops++) {
    if (ts.isAwaitExpression(source)) {
      source = skipOuter(source.expression);
      continue;
    }
    const initializer = constInitializer(checker, source);
    if (!initializer) return undefined;
    source = skipOuter(initializer);
  }
  if (!ts.isCallExpression(source) || !isArrayish(checker, checker.getTypeAtLocation(node))) return undefined;
  const at = chunkSizeIndex(checker, source);
  const size = at === undefined ? undefined : source.arguments[at];
  if (!size || ts.isSpreadElement(size)) return undefined;
  const width = count(checker, size, facts, depth + 1);
  return width.kind === 'unbounded' ? undefined : slice(width);
}

/**
 * Which argument of a call is the size of the chunks it splits an array into, when the called function is known to
 * split by it:
 * - its body is in the program and every `slice` it takes of an array is a window `xs.slice(i, i + size)` (or under
 *   `Math.min`) as wide as one and the same parameter, `size` (that the chunks it returns are those windows is
 *   trusted, not checked, as a loop's counter is);
 * - it is only declared (a package's `chunk(array, size)`): it takes one array (or array-like), one number, and
 *   returns arrays of the array's element type.
 * `undefined` for anything else: a helper that splits some other way has chunks of unknown size.
 */
function chunkSizeIndex(checker: ts.TypeChecker, call: ts.CallExpression): number | undefined {
  const signature = calledSignature(checker, call);
  const declaration = signature?.getDeclaration() as ts.Declaration | undefined;
  if (!signature || !declaration || !ts.isFunctionLike(declaration)) return undefined;
  const fn = bodyOf(checker, call);
  if (fn?.body) {
    const parameters = new Map<ts.Symbol, number>();
    fn.parameters.forEach((parameter, index) => {
      const symbol = ts.isIdentifier(parameter.name) ? checker.getSymbolAtLocation(parameter.name) : undefined;
      if (symbol) parameters.set(symbol, index);
    });
    const widths = new Set<number | undefined>();
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'slice' &&
        isArrayish(checker, checker.getTypeAtLocation(node.expression.expression))) {
        const [start, end] = node.arguments;
        widths.add(start && end && !ts.isSpreadElement(start) && !ts.isSpreadElement(end) ? windowParameter(checker, start, end, parameters) : undefined);
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    const [only, ...more] = widths;
    return more.length === 0 ? only : undefined;
  }
  if (!declaration.getSourceFile().isDeclarationFile) return undefined;
  const types = signature.getParameters().map((parameter) => nonNullableType(checker, checker.getTypeOfSymbol(parameter)));
  const lists = types.flatMap((type, index) => (elementType(checker, type) ? [index] : []));
  const sizes = types.flatMap((type, index) => (type.flags & ts.TypeFlags.NumberLike ? [index] : []));
  if (lists.length !== 1 || sizes.length !== 1) return undefined;
  const element = elementType(checker, types[lists[0]!]!)!;
  const chunk = elementType(checker, nonNullableType(checker, signature.getReturnType()));
  const inner = chunk && isArrayish(checker, chunk) ? elementType(checker, chunk) : undefined;
  return inner && checker.isTypeAssignableTo(inner, element) && checker.isTypeAssignableTo(element, inner) ? sizes[0] : undefined;
}

/** The element type of an array or array-like type (not a string), or `undefined`. */
function elementType(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
  if (type.flags & ts.TypeFlags.StringLike || !(type.flags & ts.TypeFlags.Object)) return undefined;
  return checker.getIndexTypeOfType(type, ts.IndexKind.Number);
}

/** The index of the parameter a `slice(start, end)` window is as wide as: `end` is `start + size` (or `Math.min` of one). */
function windowParameter(checker: ts.TypeChecker, start: ts.Expression, end: ts.Expression, parameters: ReadonlyMap<ts.Symbol, number>): number | undefined {
  const to = skipOuter(end);
  if (ts.isCallExpression(to) && isMathMin(checker, to)) {
    const found = to.arguments.map((arg) => (ts.isSpreadElement(arg) ? undefined : windowParameter(checker, start, arg, parameters))).filter((index) => index !== undefined);
    return found.length > 0 && found.every((index) => index === found[0]) ? found[0] : undefined;
  }
  if (!ts.isBinaryExpression(to) || to.operatorToken.kind !== ts.SyntaxKind.PlusToken) return undefined;
  const startText = skipOuter(start).getText();
  const width = skipOuter(to.left).getText() === startText ? skipOuter(to.right) : skipOuter(to.right).getText() === startText ? skipOuter(to.left) : undefined;
  const symbol = width && ts.isIdentifier(width) ? checker.getSymbolAtLocation(width) : undefined;
  return symbol ? parameters.get(symbol) : undefined;
}

function withInput(bound: FanOutBound, input: ts.Node): FanOutBound {
  return bound.kind === 'unbounded' ? { kind: 'unbounded', input } : bound;
}

function sum(a: FanOutBound, b: FanOutBound): FanOutBound {
  if (a.kind === 'unbounded') return a;
  if (b.kind === 'unbounded') return b;
  if (a.kind === 'constant' && b.kind === 'constant') return { kind: 'constant', n: a.n + b.n, by: a.n === 0 ? b.by : a.by };
  return { kind: 'bounded', by: a.kind === 'bounded' ? a.by : b.by };
}

/** The bound of a call or `new` that builds a collection, or `undefined` when the call is not one of the known shapes. */
function callBound(checker: ts.TypeChecker, node: ts.CallExpression | ts.NewExpression, facts: FanOutFacts, depth: number): FanOutBound | undefined {
  const callee = skipOuter(node.expression);
  const args = node.arguments ?? ts.factory.createNodeArray();
  const first = args[0];
  // Array(8), new Array(8)
  if (ts.isIdentifier(callee) && isGlobalArray(checker, callee)) {
    return args.length === 1 && first && !ts.isSpreadElement(first) ? count(checker, first, facts, depth + 1) : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee) || ts.isNewExpression(node)) return undefined;
  const method = callee.name.text;
  const receiver = callee.expression;
  if (ts.isIdentifier(receiver) && isGlobalArray(checker, receiver)) {
    // Array.from({ length: 8 }, worker), Array.from(files, read)
    if (method === 'from' && first && !ts.isSpreadElement(first)) {
      const source = skipOuter(first);
      if (ts.isObjectLiteralExpression(source)) {
        const length = source.properties.find((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'length');
        if (length && ts.isPropertyAssignment(length)) return count(checker, length.initializer, facts, depth + 1);
        if (length && ts.isShorthandPropertyAssignment(length)) return count(checker, length.name, facts, depth + 1);
        return undefined;
      }
      return fanOutBound(checker, first, facts, depth + 1);
    }
    // Array.of(a, b)
    if (method === 'of' && !args.some(ts.isSpreadElement)) return { kind: 'constant', n: args.length, by: 'literal' };
    return undefined;
  }
  // Object.keys(config)
  if (ts.isIdentifier(receiver) && (method === 'keys' || method === 'values' || method === 'entries') && first && isGlobalValue(checker, receiver, 'ObjectConstructor')) {
    return recordBound(checker, first);
  }
  if (!isArrayish(checker, checker.getTypeAtLocation(receiver))) return undefined;
  const whole = (): FanOutBound => fanOutBound(checker, receiver, facts, depth + 1);
  if (PASS_THROUGH.has(method)) return whole();
  // files.slice(i, i + 10), files.slice(-5)
  if (method === 'slice') {
    const [start, end] = args;
    if (!start || ts.isSpreadElement(start)) return whole();
    if (!end) {
      const from = numberLiteral(checker, start);
      return from !== undefined && from < 0 ? { kind: 'constant', n: -from, by: 'slice' } : whole();
    }
    if (ts.isSpreadElement(end)) return whole();
    const width = extent(checker, start, end, facts, depth + 1);
    return width && width.kind !== 'unbounded' ? width : whole();
  }
  // queue.splice(0, 10)
  if (method === 'splice') {
    const deleteCount = args[1];
    if (!deleteCount || ts.isSpreadElement(deleteCount)) return whole();
    const width = count(checker, deleteCount, facts, depth + 1);
    return width.kind === 'unbounded' ? whole() : slice(width);
  }
  // [...a].concat(b, c)
  if (method === 'concat') {
    return args.reduce<FanOutBound>((total, arg) => {
      if (ts.isSpreadElement(arg)) return sum(total, fanOutBound(checker, arg.expression, facts, depth + 1));
      const isList = isArrayish(checker, checker.getTypeAtLocation(arg));
      return sum(total, isList ? fanOutBound(checker, arg, facts, depth + 1) : { kind: 'constant', n: 1, by: 'literal' });
    }, whole());
  }
  return undefined;
}

/** How wide `slice(start, end)` is: `start + k` gives `k`, a literal `0` start gives `end`, `Math.min` its least. */
function extent(checker: ts.TypeChecker, start: ts.Expression, end: ts.Expression, facts: FanOutFacts, depth: number): FanOutBound | undefined {
  const to = skipOuter(end);
  if (ts.isBinaryExpression(to) && to.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const startText = skipOuter(start).getText();
    if (skipOuter(to.left).getText() === startText) return slice(count(checker, to.right, facts, depth));
    if (skipOuter(to.right).getText() === startText) return slice(count(checker, to.left, facts, depth));
  }
  if (ts.isCallExpression(to) && isMathMin(checker, to)) {
    const widths = to.arguments.map((arg) => (ts.isSpreadElement(arg) ? undefined : extent(checker, start, arg, facts, depth)));
    return least(widths);
  }
  const from = numberLiteral(checker, start);
  if (from === 0) return slice(count(checker, end, facts, depth));
  const until = numberLiteral(checker, end);
  if (from !== undefined && until !== undefined) return { kind: 'constant', n: Math.max(0, until - from), by: 'slice' };
  return undefined;
}

function slice(bound: FanOutBound): FanOutBound {
  return bound.kind === 'constant' && bound.by !== 'min' ? { ...bound, by: 'slice' } : bound;
}

/** The smallest of several bounds, ignoring unknown ones: what `Math.min(…)` can be at most. */
function least(bounds: ReadonlyArray<FanOutBound | undefined>): FanOutBound | undefined {
  let best: Exclude<FanOutBound, { kind: 'unbounded' }> | undefined;
  for (const bound of bounds) {
    if (!bound || bound.kind === 'unbounded') continue;
    if (!best || best.kind === 'bounded' || (bound.kind === 'constant' && bound.n < best.n)) best = bound;
  }
  return best ?? bounds.find((bound) => bound !== undefined);
}

/**
 * How large a count expression is: a number literal type gives a constant, `xs.length` the bound of `xs`,
 * `Math.min(k, …)` its least constant, a `const` alias its initializer, and any other number the code chose is
 * `bounded` (`length`).
 */
export function count(checker: ts.TypeChecker, expression: ts.Expression, facts: FanOutFacts = {}, depth = 0): FanOutBound {
  const node = skipOuter(expression);
  const literal = numberLiteral(checker, node);
  if (literal !== undefined) return { kind: 'constant', n: Math.max(0, Math.ceil(literal)), by: 'length' };
  if (depth > MAX_DEPTH) return { kind: 'unbounded', input: node };
  // files.length, files?.length
  if ((ts.isPropertyAccessExpression(node) || ts.isPropertyAccessChain(node)) && node.name.text === 'length') {
    return fanOutBound(checker, node.expression, facts, depth + 1);
  }
  if (ts.isCallExpression(node) && isMathMin(checker, node)) {
    const bounds = node.arguments.map((arg) => (ts.isSpreadElement(arg) ? undefined : count(checker, arg, facts, depth + 1)));
    const best = least(bounds);
    if (best?.kind === 'constant') return { ...best, by: 'min' };
    return best ?? { kind: 'unbounded', input: node };
  }
  const initializer = constInitializer(checker, node);
  if (initializer) return withInput(count(checker, initializer, facts, depth + 1), node);
  return { kind: 'bounded', by: 'length' };
}

/** `Object.keys(x)`: as many as `x`'s type has fixed keys, unless it has an index signature (`Record<string, T>`). */
function recordBound(checker: ts.TypeChecker, object: ts.Expression): FanOutBound {
  const type = nonNullableType(checker, checker.getTypeAtLocation(object));
  const parts = typeParts(checker, type);
  if (parts.length === 0 || parts.some((part) => !(part.flags & ts.TypeFlags.Object) || checker.getIndexInfosOfType(part).length > 0 || isArrayish(checker, part) || isGenericMapped(checker, part))) {
    return { kind: 'unbounded', input: skipOuter(object) };
  }
  return { kind: 'constant', n: Math.max(...parts.map((part) => checker.getPropertiesOfType(part).length)), by: 'record' };
}

/**
 * Whether a type is a mapped type over keys not known here (`Record<K, T>` inside a function generic in `K`): it has
 * no properties and no index signature, yet holds as many keys as its caller's `K` has.
 */
function isGenericMapped(checker: ts.TypeChecker, type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.Object) !== 0 && ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped) !== 0 && checker.getPropertiesOfType(type).length === 0;
}

/** Whether every part of a type is an array or a tuple (readonly ones included). */
export function isArrayish(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = typeParts(checker, nonNullableType(checker, type));
  return parts.length > 0 && parts.every((part) => checker.isArrayType(part) || checker.isTupleType(part));
}

/** Whether an expression is the global `Array` constructor (as in `Array.from`, `Array(8)`). */
export function isGlobalArray(checker: ts.TypeChecker, identifier: ts.Expression): boolean {
  return isGlobalValue(checker, identifier, 'ArrayConstructor');
}

/** Whether an identifier is a lib global whose type is the given constructor interface (`Array`, `Object`, `Math`). */
function isGlobalValue(checker: ts.TypeChecker, identifier: ts.Expression, typeName: string): boolean {
  const symbol = checker.getTypeAtLocation(identifier).getSymbol();
  return symbol !== undefined && symbol.getName() === typeName && isFromDefaultLib(symbol);
}

function isMathMin(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'min' && isGlobalValue(checker, callee.expression, 'Math');
}

/**
 * How many times a loop's body runs: a `for…of` over a collection has its {@link fanOutBound}, a `for…in` its
 * object's key count, `for (let i = 0; i < n; i++)` the {@link count} of `n` (also `i > 0` counting down from `n`),
 * a `while`/`do` loop (or a `for` with another test) the bound its condition states (`tasks.length < minimum`, see
 * `conditionBound`), and any other loop is unbounded, named by its condition.
 *
 * @example loopBound(checker, loopOf(`for (let i = 0; i < 8; i++)`)) // { kind: 'constant', n: 8, by: 'length' }
 */
export function loopBound(checker: ts.TypeChecker, loop: ts.IterationStatement, facts: FanOutFacts = {}): FanOutBound {
  if (ts.isForOfStatement(loop)) return fanOutBound(checker, loop.expression, facts);
  if (ts.isForInStatement(loop)) return recordBound(checker, loop.expression);
  if (ts.isForStatement(loop) && loop.condition) {
    const test = skipOuter(loop.condition);
    if (ts.isBinaryExpression(test) && (test.operatorToken.kind === ts.SyntaxKind.GreaterThanToken || test.operatorToken.kind === ts.SyntaxKind.GreaterThanEqualsToken)) {
      // for (let i = n; i > 0; i--)
      const start = loop.initializer && ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0]?.initializer : undefined;
      if (start && numberLiteral(checker, test.right) !== undefined) return count(checker, start, facts);
    }
    return conditionBound(checker, loop.condition, facts) ?? { kind: 'unbounded', input: loop.condition };
  }
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    return conditionBound(checker, loop.expression, facts) ?? { kind: 'unbounded', input: loop.expression };
  }
  return { kind: 'unbounded', input: loop };
}

/**
 * The bound a loop condition states: a counter below a count, `i < n`, `tasks.length < options.minimum`,
 * `this.#running < this.limit` (`<=` adds one), is bounded by that {@link count}; in a conjunction
 * (`running < limit && queue.length > 0`) the least bound of its parts wins. Only the counter-first form is read: the
 * counter must not be a call (`Date.now() < deadline` counts time, not iterations) or a constant, and in `x > y`
 * either side may be the counter (`remaining > 0` counts down from an unknown start). As with `for (i = 0; i < n;
 * i++)`, that the body moves the counter towards the count is trusted, not checked. `undefined` when the condition
 * states no bound.
 */
function conditionBound(checker: ts.TypeChecker, condition: ts.Expression, facts: FanOutFacts): FanOutBound | undefined {
  const test = skipOuter(condition);
  if (!ts.isBinaryExpression(test)) return undefined;
  const op = test.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
    return least([conditionBound(checker, test.left, facts), conditionBound(checker, test.right, facts)]);
  }
  if (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.LessThanEqualsToken) return undefined;
  const counter = skipOuter(test.left);
  if (ts.isCallExpression(counter) || ts.isNewExpression(counter) || numberLiteral(checker, counter) !== undefined) return undefined;
  return plusOne(count(checker, test.right, facts), op);
}

function plusOne(bound: FanOutBound, op: ts.SyntaxKind): FanOutBound {
  return bound.kind === 'constant' && op === ts.SyntaxKind.LessThanEqualsToken ? { ...bound, n: bound.n + 1 } : bound;
}

/**
 * The array whose elements an iteration callback runs for: `files` for the arrow in `files.forEach((f) => …)` (also
 * `map` and `flatMap`), and the source of `Array.from(source, (x) => …)`. `undefined` for any other function.
 */
export function iteratedCollection(checker: ts.TypeChecker, fn: ts.Node): ts.Expression | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || (call.arguments[0] !== fn && call.arguments[1] !== fn)) return undefined;
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (callee.name.text === 'from' && call.arguments[1] === fn && ts.isIdentifier(callee.expression) && isGlobalArray(checker, callee.expression)) {
    return call;
  }
  if (call.arguments[0] !== fn || !ITERATION_METHODS.has(callee.name.text)) return undefined;
  return isArrayish(checker, checker.getTypeAtLocation(callee.expression)) ? callee.expression : undefined;
}

/**
 * How many times `node` runs at once relative to `scope` (the declaration of the array or group that collects the
 * tasks): the product of the loops and iteration callbacks (`forEach`, `map`, `flatMap`, `Array.from(x, f)`) between
 * them. Loops that also enclose `scope` do not count — each of their iterations gets a fresh collector — and neither
 * does anything past a function that is not an iteration callback. No loop at all is a multiplicity of one.
 *
 * @example iterationBound(checker, pushCall, tasksDeclaration) // { kind: 'unbounded', input: urls } inside `for (const url of urls)`
 */
export function iterationBound(checker: ts.TypeChecker, node: ts.Node, scope?: ts.Node, facts: FanOutFacts = {}): FanOutBound {
  let bound = SINGLE;
  for (let child = node, parent = node.parent; parent !== undefined; child = parent, parent = parent.parent) {
    if (scope && parent.pos <= scope.pos && scope.end <= parent.end) break;
    if (ts.isIterationStatement(parent, false) && child === parent.statement) {
      // while (true) { … drain(reader); throw error; }: started on the pass that leaves the loop, so once
      if (!leavesLoopAfter(node, parent)) bound = multiply(loopBound(checker, parent, facts), bound);
    } else if (ts.isFunctionLike(parent)) {
      const collection = iteratedCollection(checker, parent);
      if (!collection) break;
      bound = multiply(fanOutBound(checker, collection, facts), bound);
    }
    if (bound.kind === 'unbounded') return bound;
  }
  return bound;
}

/**
 * Whether the pass of a loop that runs `node` always leaves the loop right after: `node` is in a `return` or `throw`,
 * or a statement after it in the same block (or an enclosing block inside the loop) always leaves the loop — a
 * `return`, a `throw`, a `break` of this loop (or of a labelled statement around it), a block holding one, an `if`
 * whose branches both leave. Whatever `node` starts then runs once, on the last pass, not once per pass. A `continue`,
 * or an exit under a condition (`if (done) break;`), leaves the pass count as it is.
 *
 * @example leavesLoopAfter(drainCall, loop) // true in `while (true) { if (bad) { drain(reader); throw error; } … }`
 */
export function leavesLoopAfter(node: ts.Node, loop: ts.IterationStatement): boolean {
  // A `return` or a later statement inside a callback around `node` leaves the callback, not the loop.
  let start = node;
  for (let current: ts.Node = node; current !== loop && current.parent; current = current.parent) {
    if (ts.isFunctionLike(current)) start = current;
  }
  // An unlabelled `break` inside a `switch` or an inner loop leaves that statement, not `loop`.
  let breaksElsewhere = false;
  for (let current: ts.Node = start; current !== loop; current = current.parent) {
    // A `throw` in the `try` block of a `try … catch` inside the loop is caught there: the pass goes on.
    const caught = throwIsCaught(current, loop);
    if (ts.isReturnStatement(current) || (ts.isThrowStatement(current) && !caught)) return true;
    if (ts.isSwitchStatement(current) || ts.isIterationStatement(current, false)) breaksElsewhere = true;
    const parent = current.parent;
    if (!parent) return false;
    const siblings = ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) ? parent.statements : undefined;
    if (!siblings) continue;
    const inCase = ts.isCaseClause(parent) || ts.isDefaultClause(parent);
    for (let index = siblings.indexOf(current as ts.Statement) + 1; index < siblings.length; index++) {
      if (leavesLoop(siblings[index]!, loop, breaksElsewhere || inCase, caught)) return true;
    }
  }
  return false;
}

/** Whether a `throw` at `node` is caught inside `loop`: `node` is in the `try` block of a `try` with a `catch` there. */
function throwIsCaught(node: ts.Node, loop: ts.IterationStatement): boolean {
  for (let child = node, parent = node.parent; parent && parent !== loop; child = parent, parent = parent.parent) {
    if (ts.isTryStatement(parent) && parent.tryBlock === child && parent.catchClause) return true;
  }
  return false;
}

/** Whether a statement always leaves `loop` (see {@link leavesLoopAfter}); a caught `throw` does not. */
function leavesLoop(statement: ts.Statement, loop: ts.IterationStatement, breaksElsewhere: boolean, caught: boolean): boolean {
  if (ts.isReturnStatement(statement) || (ts.isThrowStatement(statement) && !caught)) return true;
  if (ts.isBreakStatement(statement)) {
    if (!statement.label) return !breaksElsewhere;
    // break outer: a label on `loop` or on a statement around it
    for (let around: ts.Node | undefined = loop.parent; around && !ts.isFunctionLike(around); around = around.parent) {
      if (ts.isLabeledStatement(around) && around.label.text === statement.label.text) return true;
    }
    return false;
  }
  if (ts.isBlock(statement)) return statement.statements.some((inner) => leavesLoop(inner, loop, breaksElsewhere, caught));
  if (ts.isIfStatement(statement)) {
    return (
      statement.elseStatement !== undefined &&
      leavesLoop(statement.thenStatement, loop, breaksElsewhere, caught) &&
      leavesLoop(statement.elseStatement, loop, breaksElsewhere, caught)
    );
  }
  return false;
}

/** Whether a call is `Promise.all`, `allSettled`, `any` or `race` on the built-in `Promise`. */
export function isPromiseCombinator(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && COMBINATORS.has(callee.name.text) && isGlobalValue(checker, callee.expression, 'PromiseConstructor');
}

function hasMethod(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  const property = type.getProperty(name);
  return property !== undefined && checker.getTypeOfSymbol(property).getCallSignatures().length > 0;
}

/**
 * Whether a type is a semaphore: taskscope's `Semaphore`, or by shape anything with an `acquire()` that returns a
 * thenable and a `release()` (async-sema's `Sema`, async-mutex's `Mutex` and `Semaphore`).
 */
export function isSemaphoreLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (taskscopePrimitive(checker, type) === 'Semaphore') return true;
  const parts = typeParts(checker, nonNullableType(checker, type));
  return parts.length > 0 && parts.every((part) => {
    const acquire = part.getProperty('acquire');
    if (!acquire || !hasMethod(checker, part, 'release')) return false;
    return checker.getTypeOfSymbol(acquire).getCallSignatures().some((s) => typeParts(checker, s.getReturnType()).some((r) => isThenable(checker, r)));
  });
}

/**
 * Whether a type is the lib's `Function` interface, which has no call signature of its own: loosely typed limiters
 * take their task as `fn: Function` (plimit-lit's `(fn: Function, ...args: any[]) => Promise<any>`).
 */
function isFunctionInterface(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol !== undefined && symbol.getName() === 'Function' && isFromDefaultLib(symbol);
}

/** Whether a function type takes a task as its first argument and returns a thenable: `(fn: () => PromiseLike<T>) => Promise<T>`. */
function hasTaskShape(checker: ts.TypeChecker, type: ts.Type): boolean {
  return typeParts(checker, type).some((part) =>
    part.getCallSignatures().some((signature) => {
      const first = signature.getParameters()[0];
      if (!first || !typeParts(checker, signature.getReturnType()).some((r) => isThenable(checker, r))) return false;
      const firstParts = typeParts(checker, nonNullableType(checker, checker.getTypeOfSymbol(first)));
      return firstParts.length > 0 && firstParts.every((p) => p.getCallSignatures().length > 0 || isFunctionInterface(p));
    }),
  );
}

function hasNumberProperty(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  const property = type.getProperty(name);
  return property !== undefined && (checker.getTypeOfSymbol(property).flags & ts.TypeFlags.NumberLike) !== 0;
}

/**
 * Whether a call runs its task through a limiter, so the task waits for a slot. A limiter is recognised by type shape:
 * the callee takes a function first and returns a thenable (`<T>(fn: () => PromiseLike<T>) => Promise<T>`), and
 * - it states its bound: its type (or its receiver's, for `queue.add(fn)`) has a numeric `concurrency` property
 *   (p-limit's `LimitFunction`, p-queue); or
 * - it is a `const` created by a call (`const limit = pLimit(4)`, `createLimiter(4)`), the mark of a configured
 *   instance rather than a plain helper; or
 * - it is a method of a semaphore ({@link isSemaphoreLike}), as async-mutex's `runExclusive(fn)`.
 * A declared helper of the same shape (`retry(fn)`, `withTimeout(fn)`) is not a limiter.
 */
export function isLimiterCall(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  const calleeType = checker.getTypeAtLocation(callee);
  if (!hasTaskShape(checker, calleeType)) return false;
  if (typeParts(checker, calleeType).some((part) => hasNumberProperty(checker, part, 'concurrency'))) return true;
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = checker.getTypeAtLocation(callee.expression);
    if (isSemaphoreLike(checker, receiver) || typeParts(checker, receiver).some((part) => hasNumberProperty(checker, part, 'concurrency'))) return true;
  }
  const initializer = constInitializer(checker, callee);
  if (!initializer) return false;
  const created = skipOuter(ts.isAwaitExpression(skipOuter(initializer)) ? (skipOuter(initializer) as ts.AwaitExpression).expression : initializer);
  return ts.isCallExpression(created) || ts.isNewExpression(created);
}

/**
 * Whether an ErrGroup bounds its tasks. `new ErrGroup({ limit: 8 })` (or any `limit` other than `Infinity` or
 * `undefined`) is `limited`; `new ErrGroup()` or options without `limit` are `unlimited`; a group received as a
 * parameter, read from a mutable place or built by a spread of unknown options is `unknown`.
 */
export function errGroupLimit(checker: ts.TypeChecker, group: ts.Expression): GroupLimit {
  let node = skipOuter(group);
  for (let depth = 0; !ts.isNewExpression(node); depth++) {
    const initializer = constInitializer(checker, node);
    if (!initializer || depth > MAX_DEPTH) return 'unknown';
    node = skipOuter(initializer);
  }
  const options = node.arguments?.[0];
  if (!options) return 'unlimited';
  if (ts.isSpreadElement(options)) return 'unknown';
  const literal = skipOuter(options);
  if (ts.isObjectLiteralExpression(literal)) {
    let verdict: GroupLimit = 'unlimited';
    for (const property of literal.properties) {
      if (ts.isSpreadAssignment(property)) {
        if (checker.getTypeAtLocation(property.expression).getProperty('limit')) verdict = 'unknown';
        continue;
      }
      if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== 'limit') continue;
      if (ts.isShorthandPropertyAssignment(property)) return 'limited';
      if (!ts.isPropertyAssignment(property)) return 'unknown';
      const value = checker.getTypeAtLocation(property.initializer);
      const text = skipOuter(property.initializer).getText();
      return value.flags & ts.TypeFlags.Undefined || text === 'Infinity' || text === 'Number.POSITIVE_INFINITY' ? 'unlimited' : 'limited';
    }
    return verdict;
  }
  const property = checker.getTypeAtLocation(literal).getProperty('limit');
  if (!property) return 'unlimited';
  return property.flags & ts.SymbolFlags.Optional ? 'unknown' : 'limited';
}

/** Whether a call is `go`, `goBlocking` or `tryGo` on an ErrGroup, whose own body is none of the caller's business. */
function isGroupCall(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && GROUP_METHODS.has(callee.name.text) && taskscopePrimitive(checker, receiverTypeOf(checker, callee.expression)) === 'ErrGroup';
}

/** Why a call makes its task wait for a slot, if it does: a semaphore acquire, a limiter, a limited ErrGroup. */
export function boundingCall(checker: ts.TypeChecker, call: ts.CallExpression): CallbackBound {
  const callee = skipOuter(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (name === 'acquire' && isSemaphoreLike(checker, receiverTypeOf(checker, callee.expression))) return { kind: 'limited', by: 'semaphore', at: call };
    if (isGroupCall(checker, call)) {
      return errGroupLimit(checker, callee.expression) === 'limited' ? { kind: 'limited', by: 'errgroup', at: call } : { kind: 'unlimited' };
    }
  }
  return isLimiterCall(checker, call) ? { kind: 'limited', by: 'limiter', at: call } : { kind: 'unlimited' };
}

/**
 * Whether a callback waits for a slot before its async work: it acquires a semaphore permit, calls a limiter or a
 * limited ErrGroup before its first `await` of anything else (`using permit = await db.acquire()` first,
 * `(url) => limit(() => fetch(url))`). A function given by name (`files.map(upload)`) is followed to its declaration,
 * and an arrow whose body is one call to a local helper is followed into the helper.
 *
 * @example callbackBound(checker, expressionOf(`(url) => limit(() => fetch(url))`)) // { kind: 'limited', by: 'limiter', … }
 */
export function callbackBound(checker: ts.TypeChecker, callback: ts.Expression, depth = 0): CallbackBound {
  const node = skipOuter(callback);
  if (depth > 2) return { kind: 'unlimited' };
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return bodyBound(checker, node, depth);
  const declaration = declarationOf(checker, node);
  if (declaration && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) && declaration.body) {
    return bodyBound(checker, declaration, depth);
  }
  const initializer = constInitializer(checker, node);
  return initializer && (ts.isArrowFunction(skipOuter(initializer)) || ts.isFunctionExpression(skipOuter(initializer)))
    ? callbackBound(checker, initializer, depth + 1)
    : { kind: 'unlimited' };
}

/**
 * What a spawn expression's task waits for: `limit(() => crawl(url))` is limited by the call itself,
 * `(async () => { using p = await sem.acquire(); … })()` and `upload(file)` by what the called function does first.
 */
export function spawnBound(checker: ts.TypeChecker, spawn: ts.Expression): CallbackBound {
  const node = skipOuter(spawn);
  if (!ts.isCallExpression(node)) return { kind: 'unlimited' };
  const direct = boundingCall(checker, node);
  return direct.kind === 'limited' || isGroupCall(checker, node) ? direct : callbackBound(checker, node.expression, 1);
}

function bodyBound(checker: ts.TypeChecker, fn: ts.FunctionLikeDeclaration, depth: number): CallbackBound {
  const body = fn.body;
  if (!body) return { kind: 'unlimited' };
  // (file) => upload(file): the helper may take the permit
  const concise = ts.isBlock(body) ? undefined : skipOuter(body);
  if (concise && ts.isCallExpression(concise) && !isGroupCall(checker, concise)) {
    const helper = callbackBound(checker, concise.expression, depth + 1);
    if (helper.kind === 'limited') return helper;
  }
  let verdict: CallbackBound | undefined;
  // Pre-order, as the code reads: the first `await` or bounding call decides. Nested functions run later (or never).
  const visit = (node: ts.Node): void => {
    if (verdict || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      const awaited = ts.isAwaitExpression(node) ? skipOuter(node.expression) : undefined;
      verdict = awaited && ts.isCallExpression(awaited) ? boundingCall(checker, awaited) : { kind: 'unlimited' };
      return;
    }
    if (ts.isCallExpression(node)) {
      const bound = boundingCall(checker, node);
      if (bound.kind === 'limited') {
        verdict = bound;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return verdict ?? { kind: 'unlimited' };
}

/**
 * What one per-element task starts, judged from its code:
 * - `nothing`: it only hands back values or promises that exist already — a property read (`job.done`),
 *   `Promise.resolve(value)`/`Promise.reject(error)`, a Promise combinator over existing promises, `await` of those,
 *   handlers chained on an existing promise, `new Error(…)`, a wait for an event of an emitter that exists already
 *   (Node's `once(worker, 'exit')`, see {@link waitsForEvent}), and synchronous bookkeeping whose result is a
 *   primitive, `void` or an array (`errors.push(e)`, `log(…)`);
 * - `element`: besides that, it calls methods of the element itself (`conn.close()`, `session.endSession()`,
 *   `await it.destroy()`), where the element is an object with methods — something alive that an earlier piece of
 *   code created. It works with what that object holds and acquires nothing new, so it is bounded by whatever created
 *   the objects (a fan-out over them is reported there, if anywhere);
 *   The same holds for a function the caller chose, `fn(client)` where `fn` is a parameter of a private method (or of a
 *   module's own function) and every call of that method in the class (or file) passes a function that only calls
 *   methods of its argument (`this.#destroy((client) => client.close())`);
 * - `queued`: besides that, it calls a function of the program that only parks a request in a queue that something
 *   else drains (see {@link parksSettlement}): `queue.addCommand(args)` on one connection's command queue. The queue's
 *   consumer, one socket, sets the pace, as a Go worker reading a channel does;
 * - `new`: anything else may acquire something new: a call that returns a thenable or an object (a stream, a socket),
 *   a call whose type is unknown, `new` (of anything but an `Error`), `for await`, `await using`, or a function given
 *   by name.
 *
 * A generic wrapper that passes a function's promise through, `trace<T>(name, fn: () => Promise<T>, …): Promise<T>`,
 * does the work of the function it passes through: its type says the promise it returns is the one `fn` makes (it
 * has no other way to make a `Promise<T>` for any `T`). Its other function arguments (a context factory) are its own
 * business and are not judged.
 *
 * The element is the first parameter of an iteration callback (`map`, `flatMap`, `forEach`, `Array.from(xs, f)`) or
 * the variable of a `for…of`, destructured or not. Data elements (strings, numbers, records without methods) passed
 * to another function (`upload(file)`, `fn(client)`) are always `new`: that function is what starts the work.
 *
 * @example callbackWork(checker, expressionOf(`(conn) => conn.close()`)) // 'element'
 * @example callbackWork(checker, expressionOf(`() => Promise.resolve(reply)`)) // 'nothing'
 * @example callbackWork(checker, expressionOf(`(file) => upload(file)`)) // 'new'
 * @example callbackWork(checker, expressionOf(`(args) => queue.addCommand(args)`)) // 'queued' when `addCommand` parks its settlement
 */
export type TaskWork = 'nothing' | 'queued' | 'element' | 'new';

const HANDLERS = new Set(['then', 'catch', 'finally']);
// `await using` among the block-scoped declaration flags (a plain number, to compare with a masked `flags`).
const AWAIT_USING: number = ts.NodeFlags.AwaitUsing;

/** {@link TaskWork} of calling a callback: its body's, or `new` for a function given by name (its body is elsewhere). */
export function callbackWork(checker: ts.TypeChecker, callback: ts.Expression): TaskWork {
  const node = skipOuter(callback);
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) ? workIn(checker, node.body) : 'new';
}

/** {@link TaskWork} of evaluating an expression, such as the argument of `tasks.push(…)`: `p.done` starts nothing. */
export function expressionWork(checker: ts.TypeChecker, expression: ts.Expression): TaskWork {
  return workIn(checker, expression);
}

/**
 * {@link TaskWork} of the promises a Promise combinator collects, when the code in sight makes all of them: an array
 * literal (`Promise.all([save(a), save(b)])`), an iteration (`Promise.all(ids.map((id) => queue.add(id)))`,
 * `Array.from(ids, f)`), or a local array that the function fills by `push` and uses for nothing else (`const
 * replies = []; for (…) replies.push(this.request(topic)); Promise.all(replies)`); a `const` of the same function
 * collected by name counts as what it was made of (`const a = fetch(x); Promise.all([a, …])`). The combinator starts
 * nothing of its own: what runs is what those promises are. `undefined` when some promise comes from elsewhere (a
 * parameter, a field, a `let`, an array used any other way).
 *
 * @example collectedWork(checker, callOf(`Promise.all(replies)`)) // 'queued' when every push is a parked request
 */
export function collectedWork(checker: ts.TypeChecker, call: ts.CallExpression): TaskWork | undefined {
  const first = call.arguments[0];
  if (!first || ts.isSpreadElement(first)) return undefined;
  const collection = skipOuter(first);
  if (ts.isArrayLiteralExpression(collection)) return elementsWork(checker, collection.elements);
  if (ts.isCallExpression(collection)) {
    const callee = skipOuter(collection.expression);
    const callback = ts.isPropertyAccessExpression(callee) && (callee.name.text === 'map' || callee.name.text === 'flatMap')
      ? collection.arguments[0]
      : ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && isGlobalArray(checker, callee.expression) ? collection.arguments[1] : undefined;
    return callback && !ts.isSpreadElement(callback) ? callbackWork(checker, callback) : undefined;
  }
  if (!ts.isIdentifier(collection)) return undefined;
  const declaration = declarationOf(checker, collection);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const initial = skipOuter(declaration.initializer);
  if (!ts.isArrayLiteralExpression(initial)) return undefined;
  const scope = enclosingFunctionLike(declaration);
  if (!scope) return undefined;
  const symbol = checker.getSymbolAtLocation(declaration.name);
  const pushed: ts.Expression[] = [...initial.elements];
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(node) && node !== declaration.name && node.text === collection.text && checker.getSymbolAtLocation(node) === symbol) {
      const access = node.parent;
      const push = access.parent;
      if (ts.isPropertyAccessExpression(access) && access.expression === node && access.name.text === 'push' && ts.isCallExpression(push) && push.expression === access) {
        pushed.push(...push.arguments);
      } else if (node !== collection && !(ts.isPropertyAccessExpression(access) && access.name.text === 'length')) {
        other = true;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return other ? undefined : elementsWork(checker, pushed);
}

/**
 * The strongest {@link TaskWork} of some collected expressions (a spread's of what it spreads). A name collected is
 * judged by what it was made of, when it is a `const` the same function declares (`const reply = fetch(url); …
 * Promise.all([reply, …])`): the combinator is all that owns that promise. Any other name (a `let`, a parameter, a
 * field) holds a promise made out of sight, and the answer is `undefined`.
 */
function elementsWork(checker: ts.TypeChecker, elements: readonly ts.Expression[]): TaskWork | undefined {
  let verdict: TaskWork = 'nothing';
  for (const element of elements) {
    const value = skipOuter(ts.isSpreadElement(element) ? element.expression : element);
    const made = ts.isIdentifier(value) ? sameFunctionConstant(checker, value) : value;
    if (!made) return undefined;
    const work = expressionWork(checker, made);
    if (WORK_RANK[work] > WORK_RANK[verdict]) verdict = work;
    if (verdict === 'new') break;
  }
  return verdict;
}

/**
 * The initialiser of the `const` a name reads, when the function the name is read in declares it (not a closure's or
 * a module's variable, which other code may have settled or shared): `reply` in `const reply = new Promise(…); …
 * return reply;`.
 */
function sameFunctionConstant(checker: ts.TypeChecker, id: ts.Identifier): ts.Expression | undefined {
  const declaration = checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
  if (!ts.isVariableDeclarationList(declaration.parent) || !(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
  return enclosingFunctionLike(declaration) === enclosingFunctionLike(id) ? skipOuter(declaration.initializer) : undefined;
}

/**
 * Whether a call is a method call on the element of the loop or iteration callback around it, where the element is a
 * live object (see {@link TaskWork}): `conn.close()` in `for (const conn of idle)` or `Array.from(open, (conn) => …)`.
 */
export function isElementMethodCall(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && isLiveElement(checker, callee.expression);
}

// Which verdict wins when one task does several things: any new work makes it new.
const WORK_RANK: Readonly<Record<TaskWork, number>> = { nothing: 0, queued: 1, element: 2, new: 3 };

function workIn(checker: ts.TypeChecker, root: ts.Node, elements?: ReadonlySet<ts.Node>): TaskWork {
  let verdict: TaskWork = 'nothing';
  const visit = (node: ts.Node): void => {
    if (verdict === 'new') return;
    if (
      (ts.isNewExpression(node) && !isError(checker, receiverTypeOf(checker, node))) ||
      (ts.isForOfStatement(node) && node.awaitModifier !== undefined) ||
      (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === AWAIT_USING)
    ) {
      verdict = 'new';
      return;
    }
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      // trace(name, () => queue.add(args), context): the passed-through function is the task; the rest is the wrapper's
      const through = ts.isCallExpression(node) ? passedThrough(checker, node) : undefined;
      const work = through ? workIn(checker, through.body, elements) : ts.isCallExpression(node) ? callWork(checker, node, elements) : resultWork(checker, node);
      if (WORK_RANK[work] > WORK_RANK[verdict]) verdict = work;
      if (verdict === 'new') return;
      if (through) {
        visit((node as ts.CallExpression).expression);
        for (const arg of (node as ts.CallExpression).arguments) if (!ts.isFunctionLike(skipOuter(arg))) visit(arg);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return verdict;
}

/**
 * The function argument a generic wrapper passes through (`trace(name, () => work(), context)` gives the arrow): the
 * callee's declared return type is the declared return type of that parameter's function type, a thenable built from
 * the callee's own type parameters (`<T>(fn: () => Promise<T>) => Promise<T>`). `undefined` for any other call.
 */
function passedThrough(checker: ts.TypeChecker, call: ts.CallExpression): (ts.ArrowFunction | ts.FunctionExpression) | undefined {
  // Only a function written at the call can be passed through (see the loop below): without one, the call need not
  // be resolved here.
  if (!call.arguments.some((arg) => ts.isArrowFunction(skipOuter(arg)) || ts.isFunctionExpression(skipOuter(arg)))) return undefined;
  const declaration = calledSignature(checker, call)?.getDeclaration();
  if (!declaration || !ts.isFunctionLike(declaration) || !declaration.typeParameters?.length || !declaration.type) return undefined;
  const returned = checker.getTypeFromTypeNode(declaration.type);
  if (!typeParts(checker, returned).some((part) => isThenable(checker, part))) return undefined;
  for (const [index, parameter] of declaration.parameters.entries()) {
    const arg = call.arguments[index];
    const fn = arg ? skipOuter(arg) : undefined;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !parameter.type) continue;
    const signatures = checker.getTypeFromTypeNode(parameter.type).getCallSignatures();
    if (signatures.length === 1 && signatures[0]!.getReturnType() === returned) return fn;
  }
  return undefined;
}

/** What one call starts by itself (its arguments are visited separately). */
function callWork(checker: ts.TypeChecker, call: ts.CallExpression, elements?: ReadonlySet<ts.Node>): TaskWork {
  const callee = skipOuter(call.expression);
  // okAsync(value), errAsync(error): neverthrow's settled ResultAsync, like Promise.resolve(value)
  if (isWrappedResult(checker, call)) return 'nothing';
  // this.#destroy((client) => client.close()) … fn(client): the callers chose an element method
  const at = ts.isIdentifier(callee) ? call.arguments.findIndex((arg) => isLiveElement(checker, arg, elements)) : -1;
  if (at >= 0) {
    const chosen = chosenFunctions(checker, callee as ts.Identifier);
    if (chosen?.every((fn) => fn.parameters[at] !== undefined && workIn(checker, fn.body, new Set([fn.parameters[at]])) === 'element')) return 'element';
  }
  // once(worker, 'exit'): a listener on an emitter that exists already
  if (waitsForEvent(checker, call)) return 'nothing';
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    // this.#queues.get(domain): a task stored before, looked up
    if (isCollectionLookup(checker, callee)) return 'nothing';
    // Promise.resolve(value), Promise.reject(error), Promise.all(existing)
    if (isSettledPromise(checker, call) || (COMBINATORS.has(method) && isGlobalValue(checker, callee.expression, 'PromiseConstructor'))) {
      return 'nothing';
    }
    // existing.then(…): inline handlers are visited as code; a handler given by name may start work on settlement
    if (HANDLERS.has(method) && typeParts(checker, checker.getTypeAtLocation(callee.expression)).some((part) => isThenable(checker, part))) {
      const byName = call.arguments.some((arg) => !ts.isArrowFunction(skipOuter(arg)) && !ts.isFunctionExpression(skipOuter(arg)) && returnsThenable(checker, checker.getTypeAtLocation(arg)));
      return byName ? 'new' : 'nothing';
    }
    if (isLiveElement(checker, callee.expression, elements)) return 'element';
  }
  return parksSettlement(checker, call) ? 'queued' : resultWork(checker, call);
}

/** A function a call's callee refers to, if the program holds its body (not a declaration file). */
function bodyOf(checker: ts.TypeChecker, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const declaration = calledSignature(checker, call)?.getDeclaration();
  if (!declaration || !(ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isArrowFunction(declaration) || ts.isFunctionExpression(declaration))) {
    return undefined;
  }
  return declaration.body && !declaration.getSourceFile().isDeclarationFile ? declaration : undefined;
}

/**
 * The signature a call resolves to, without resolving it when the callee's type alone decides (one non-generic
 * signature: see `callSignature`). Why: resolving `fetchUser(id, signal)` inside `ids.map(async (id) => …)` types its
 * arguments, and typing `id` resolves the whole `map` call, callback body included, which no other question about
 * the fan-out needs.
 */
function calledSignature(checker: ts.TypeChecker, call: ts.CallExpression): ts.Signature | undefined {
  // slots.acquire() where `const slots = new Semaphore(4)`: the method's type from the receiver's declarations
  return callSignature(checker, call, declaredMethodType(checker, call.expression) ?? checker.getTypeAtLocation(call.expression));
}

/**
 * The type of a call's value: its declared return type when the callee's declarations alone decide it (what TypeScript
 * gives the call then, see `declaredReturnType`), else the checker's answer.
 * An optional call (`a?.()`, `a?.b()`) is left to the checker, which adds `undefined`.
 */
function resultType(checker: ts.TypeChecker, call: ts.Expression): ts.Type {
  if (!ts.isCallExpression(call) || call.flags & ts.NodeFlags.OptionalChain) return checker.getTypeAtLocation(call);
  return declaredReturnType(checker, call, declaredMethodType(checker, call.expression) ?? checker.getTypeAtLocation(call.expression)) ?? checker.getTypeAtLocation(call);
}

/**
 * Whether a call only parks a request in a queue that something else drains: the called function (its body in the
 * program, not `async`) returns `new Promise(executor)` (or `Promise.reject/resolve(…)` on early exits), or a `const`
 * of its own that holds one (`const reply = new Promise(…); this.write(frame); return reply;`), and each executor
 * stores its `resolve` for later — as a property of an object (`{ args, resolve, reject }`, or a method of one that
 * calls it), or assigned to a property — rather than calling it, or handing it to a call as a callback
 * (`socket.write(data, resolve)`, `readFile(path, (err, data) => …)`, which is I/O started here). The executor must
 * not call anything that returns a thenable either. Whoever holds the stored `resolve` — one connection's reader —
 * settles the requests one by one.
 *
 * Known gap: an executor that stores `resolve` and also opens a new connection of its own (`http.request(…)` beside
 * `pending.push({ resolve })`) is taken for a queue.
 *
 * @example parksSettlement(checker, callOf(`queue.addCommand(args)`)) // true when addCommand is `return new Promise((resolve, reject) => this.#toWrite.push({ args, resolve, reject }))`
 */
export function parksSettlement(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const fn = bodyOf(checker, call);
  return fn !== undefined && parksSettlementIn(checker, fn);
}

/**
 * {@link parksSettlement} of a function itself (`request` in `private request(topic) { … }`): what the analyzer asks
 * of a call's resolved callee. Answered once per function.
 */
export function parksSettlementIn(checker: ts.TypeChecker, fn: ts.FunctionLikeDeclaration): boolean {
  let known = PARKS.get(fn);
  if (known === undefined) PARKS.set(fn, (known = findParksSettlement(checker, fn)));
  return known;
}

// Per function: every call of a queue's `add` in a program asks about the same body.
const PARKS = new WeakMap<ts.Node, boolean>();

/**
 * Whether a function (not `async`, its body in the program, returning a value) only hands back what exists: its whole
 * body is {@link TaskWork} `nothing` — handlers written inline and chained on a promise that runs already
 * (`return job.done?.then((value) => value.trim()).catch(() => 'failed')`), property reads, settled promises,
 * bookkeeping. A call of it starts no work of its own. Answered once per function.
 *
 * @example returnsOnlyExisting(checker, declarationOf(`settledOf`)) // true for settledOf(job) { return job.done?.catch(() => 'failed'); }
 */
export function returnsOnlyExisting(checker: ts.TypeChecker, fn: ts.FunctionLikeDeclaration): boolean {
  let known = EXISTING.get(fn);
  if (known === undefined) EXISTING.set(fn, (known = findReturnsOnlyExisting(checker, fn)));
  return known;
}

const EXISTING = new WeakMap<ts.Node, boolean>();

function findReturnsOnlyExisting(checker: ts.TypeChecker, fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body || fn.asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  // The whole body, not each `return` alone: `const promise = new APIPromise(…); return promise;` returns a name,
  // which reads as nothing new, yet the body made it.
  if (!returnedValues(fn).some((value) => value !== undefined)) return false;
  return workIn(checker, fn.body) === 'nothing';
}

function findParksSettlement(checker: ts.TypeChecker, fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  const returned = returnedValues(fn).flatMap((value) => (value ? [skipOuter(value)] : []));
  let parked = false;
  for (const value of returned) {
    if (ts.isCallExpression(value)) {
      if (!isSettledPromise(checker, value)) return false;
      continue;
    }
    const made = ts.isIdentifier(value) ? sameFunctionConstant(checker, value) : value;
    if (!made || !ts.isNewExpression(made) || !isGlobalValue(checker, made.expression, 'PromiseConstructor')) return false;
    const executor = made.arguments?.[0] && skipOuter(made.arguments[0]);
    if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) || !storesResolve(checker, executor)) return false;
    parked = true;
  }
  return parked;
}

/**
 * Whether a call only waits for an event of an emitter the caller already has: Node's `events.once(emitter, name)`
 * (also as `EventEmitter.once`), declared in `@types/node`'s `events` module. It adds a listener and acquires
 * nothing, so one wait per element is no more work than the elements themselves: `exits.push(once(worker, 'exit'))`
 * for every worker of a pool. By declaration, so a `once` of another package (which may start anything) is not one.
 *
 * @example waitsForEvent(checker, callOf(`once(worker, 'exit')`)) // true with `import { once } from 'node:events'`
 */
export function waitsForEvent(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  if (name?.text !== 'once') return false;
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declarations = symbol?.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((declaration) => isDeclaredWhere(declaration, { from: 'package', package: 'events' }));
}

/** Whether a Promise executor stores its `resolve` (see {@link parksSettlement}) and starts no thenable of its own. */
function storesResolve(checker: ts.TypeChecker, executor: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const resolve = executor.parameters[0];
  if (!resolve || !ts.isIdentifier(resolve.name)) return false;
  const symbol = checker.getSymbolAtLocation(resolve.name);
  let stored = false;
  let settlesHere = false;
  // `carrier` is the value that takes `resolve` out of the executor: the reference itself, or the function around it.
  const judge = (carrier: ts.Node): void => {
    const parent = carrier.parent;
    if (
      ts.isShorthandPropertyAssignment(carrier) || ts.isMethodDeclaration(carrier) || ts.isPropertyAssignment(parent) ||
      (ts.isBinaryExpression(parent) && parent.right === carrier && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && !ts.isIdentifier(parent.left))
    ) {
      stored = true;
    } else {
      // resolve(value), setTimeout(resolve, ms), readFile(path, (error, data) => resolve(data)), const done = resolve
      settlesHere = true;
    }
  };
  const visit = (node: ts.Node, nested: ts.Node | undefined): void => {
    if (settlesHere) return;
    if (ts.isCallExpression(node) && typeParts(checker, checker.getTypeAtLocation(node)).some((part) => isThenable(checker, part))) {
      settlesHere = true;
      return;
    }
    if (ts.isShorthandPropertyAssignment(node) && checker.getShorthandAssignmentValueSymbol(node) === symbol) return judge(nested ?? node);
    if (ts.isIdentifier(node) && node !== resolve.name && checker.getSymbolAtLocation(node) === symbol) return judge(nested ?? node);
    const inner = nested ?? (ts.isFunctionLike(node) ? node : undefined);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(executor.body, undefined);
  return stored && !settlesHere;
}

/**
 * The functions the callers of a private method (or of a module's own, unexported function, or of a function held by
 * an unexported `const`) pass for one of its parameters, when `callee` is that parameter and every call is in sight:
 * `[(client) => client.close()]` for `fn` in `async #destroy(fn) { for (const client of clients) tasks.push(fn(client)); }`.
 * `undefined` when a caller passes anything but an inline function, or the function is exported or public (callers
 * outside this file may pass anything).
 */
function chosenFunctions(checker: ts.TypeChecker, callee: ts.Identifier): Array<ts.ArrowFunction | ts.FunctionExpression> | undefined {
  const parameter = declarationOf(checker, callee);
  if (!parameter || !ts.isParameter(parameter)) return undefined;
  const owner = parameter.parent;
  const index = owner.parameters.indexOf(parameter);
  // const each = async (list, fn) => …: the function is known by the `const` that holds it
  const holder = (ts.isArrowFunction(owner) || ts.isFunctionExpression(owner)) && ts.isVariableDeclaration(owner.parent) && owner.parent.initializer === owner ? owner.parent : undefined;
  const name = holder ? holder.name : owner.name;
  const symbol = name && checker.getSymbolAtLocation(name);
  let scope: ts.Node | undefined;
  if (ts.isMethodDeclaration(owner) && ts.isClassLike(owner.parent)) {
    const isPrivate = ts.isPrivateIdentifier(owner.name) || (ts.getCombinedModifierFlags(owner) & ts.ModifierFlags.Private) !== 0;
    scope = isPrivate ? owner.parent : undefined;
  } else if (ts.isFunctionDeclaration(owner) && !(ts.getCombinedModifierFlags(owner) & ts.ModifierFlags.Export)) {
    scope = owner.getSourceFile();
  } else if (holder && ts.isIdentifier(holder.name) && ts.isVariableDeclarationList(holder.parent) && holder.parent.flags & ts.NodeFlags.Const) {
    // a `const` of a function body is seen only there; one of a module only in its file, unless exported
    const statement = holder.parent.parent;
    scope = ts.isVariableStatement(statement) && !(ts.getCombinedModifierFlags(holder) & ts.ModifierFlags.Export) ? statement.parent : undefined;
  }
  if (!scope || !symbol) return undefined;
  const chosen: Array<ts.ArrowFunction | ts.FunctionExpression> = [];
  let seen = true;
  const visit = (node: ts.Node): void => {
    if (!seen) return;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      if (node !== name && checker.getSymbolAtLocation(node) === symbol) {
        // Every reference must be the callee of a call (a reference passed around could be called from anywhere).
        const access = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent : node;
        const call = access.parent;
        const arg = ts.isCallExpression(call) && call.expression === access ? call.arguments[index] : undefined;
        const fn = arg && skipOuter(arg);
        if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) chosen.push(fn);
        else seen = false;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return seen && chosen.length > 0 ? chosen : undefined;
}

/**
 * Whether a call is `Promise.resolve(x)` or `Promise.reject(e)` on the built-in `Promise`: a promise already settled
 * with a value the caller has, which starts no work. (Its argument, if it is a call, starts work of its own.)
 *
 * @example isSettledPromise(checker, callOf(`Promise.reject(new Error('closed'))`)) // true
 */
export function isSettledPromise(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'resolve' || callee.name.text === 'reject') && isGlobalValue(checker, callee.expression, 'PromiseConstructor');
}

// neverthrow's functions that wrap a value the caller has in a settled `ResultAsync`.
const WRAPPED_RESULTS = new Set(['okAsync', 'errAsync']);

/**
 * Whether a call is neverthrow's `okAsync(value)` or `errAsync(error)` (recognised by declaration: a function of that
 * name declared by the `neverthrow` package): a `ResultAsync` already settled with a value the caller has, which
 * starts no work, like {@link isSettledPromise}. (Its argument, if it is a call, starts work of its own.)
 *
 * @example isWrappedResult(checker, callOf(`okAsync({ paymentId })`)) // true when okAsync is imported from neverthrow
 */
export function isWrappedResult(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  if (!name || !ts.isIdentifier(name) || !WRAPPED_RESULTS.has(name.text)) return false;
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declarations = symbol?.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((d) => WRAPPED_RESULTS.has(symbol!.getName()) && isDeclaredWhere(d, { from: 'package', package: 'neverthrow' }));
}

/**
 * Whether a loop body waits on every pass: one of its statements, run on every pass, awaits (`await attempt()`,
 * `const r = await p`, `x = await p`, `for await`), in the body itself or in a block or `try` block of it (or its
 * `finally`). Such a loop runs its passes one after another, paced by what it awaits: a retry loop
 * (`while (!committed) { session.begin(); await run(session); }`), a poll loop. An `await` under an `if`, in a
 * callback, or behind a `continue` that skips it does not count (or, for the `continue`, is not seen).
 *
 * @example awaitsEveryPass(whileLoop.statement) // true for `{ begin(); try { await run(); } catch {} }`
 */
export function awaitsEveryPass(body: ts.Statement): boolean {
  if (ts.isBlock(body)) return body.statements.some(awaitsEveryPass);
  if (ts.isTryStatement(body)) return awaitsEveryPass(body.tryBlock) || (body.finallyBlock !== undefined && awaitsEveryPass(body.finallyBlock));
  if (ts.isForOfStatement(body)) return body.awaitModifier !== undefined;
  if (ts.isVariableStatement(body)) return body.declarationList.declarations.some((d) => d.initializer !== undefined && isAwaited(d.initializer));
  if (ts.isExpressionStatement(body) || ts.isReturnStatement(body) || ts.isThrowStatement(body)) return body.expression !== undefined && isAwaited(body.expression);
  return false;
}

/** `await x`, or an assignment of one (`r = await x`): the expression waits whenever it runs. */
function isAwaited(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  if (ts.isAwaitExpression(node)) return true;
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isAwaited(node.right);
}

// Method names that give back what an object holds (`close` and `release` as in `BUILTIN_CLOSE_METHODS`).
const RELEASE_METHODS = new Set(['close', 'destroy', 'dispose', 'release', 'releaseLock', 'terminate', 'disconnect']);
const DISPOSE_SYMBOLS = new Set(['dispose', 'asyncDispose']);

/**
 * Whether a function is a method that releases what its object holds: a method (or a class field holding a function)
 * named `close`, `destroy`, `dispose`, `release`, `releaseLock`, `terminate` or `disconnect`, or
 * `[Symbol.dispose]`/`[Symbol.asyncDispose]`. What such a method starts (flushing a buffer, ending a socket, closing
 * the pools it owns) is the teardown of what an earlier piece of code acquired: it is bounded by whatever created the
 * object, so a fan-out that reaches it (`for (const server of servers) closeServer(server)`) releases, it does not
 * acquire. Judged by name: a project's own close methods share no type to recognise them by (`no-double-close` needs
 * them configured). A method so named that opens something new is not told apart.
 *
 * @example isReleaseMethod(methodOf(`class Pool { close() { for (const c of this.#idle) c.destroy(); } }`)) // true
 */
export function isReleaseMethod(fn: ts.Node): boolean {
  const name = ts.isMethodDeclaration(fn) ? fn.name : ts.isPropertyDeclaration(fn.parent) && fn.parent.initializer === fn ? fn.parent.name : undefined;
  if (!name) return false;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return RELEASE_METHODS.has(name.text.replace(/^#/, ''));
  // [Symbol.dispose]() / [Symbol.asyncDispose]()
  const key = ts.isComputedPropertyName(name) ? name.expression : undefined;
  return key !== undefined && ts.isPropertyAccessExpression(key) && ts.isIdentifier(key.expression) && key.expression.text === 'Symbol' && DISPOSE_SYMBOLS.has(key.name.text);
}

// The lib's interfaces whose `return(…)`/`throw(…)` finish an iteration that is already running.
const ITERATORS = new Set(['AsyncGenerator', 'AsyncIterator', 'AsyncIterableIterator', 'AsyncIteratorObject', 'Generator', 'Iterator']);

/**
 * Whether a call is `iterator.return(…)` or `iterator.throw(error)` on an (async) generator or iterator of the lib:
 * it tells an iteration the caller already holds to finish (its `finally` blocks run, then it settles), which starts
 * no work of its own. A teardown that throws into the generator it reads from (`this.events?.throw(error)`) is how a
 * connection's `destroy()` ends its pending read; closing many such connections releases them, it acquires nothing.
 *
 * @example endsIteration(checker, callOf(`events.throw(new Error('closed'))`)) // true for an AsyncGenerator `events`
 */
export function endsIteration(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'return' && callee.name.text !== 'throw')) return false;
  const declarations = checker.getSymbolAtLocation(callee.name)?.getDeclarations() ?? [];
  return (
    declarations.length > 0 &&
    declarations.every((d) => DEFAULT_LIB_FILE.test(d.getSourceFile().fileName) && ts.isInterfaceDeclaration(d.parent) && ITERATORS.has(d.parent.name.text))
  );
}

/** Whether a type is the lib's `Error` or derives from it: `new Error(…)` for a rejection is a value, not a resource. */
function isError(checker: ts.TypeChecker, type: ts.Type): boolean {
  return namedDeclarations(checker, type).some(({ name, declarations }) => name === 'Error' && declarations.some((d) => DEFAULT_LIB_FILE.test(d.getSourceFile().fileName)));
}

/** A call outside the known shapes: synchronous bookkeeping when it gives back a primitive, `void` or an array. */
function resultWork(checker: ts.TypeChecker, call: ts.Expression): TaskWork {
  const parts = typeParts(checker, resultType(checker, call));
  const data = parts.every(
    (part) =>
      !(part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) &&
      (!(part.flags & ts.TypeFlags.Object) || checker.isArrayType(part) || checker.isTupleType(part)),
  );
  return data ? 'nothing' : 'new';
}

/**
 * Whether an expression names the element of an enclosing loop or iteration callback, and it is a live object.
 * `elements` adds bindings that stand for an element (the parameter of a function a caller chose, see `callWork`).
 */
function isLiveElement(checker: ts.TypeChecker, expression: ts.Expression, elements?: ReadonlySet<ts.Node>): boolean {
  const node = skipOuter(expression);
  if (!ts.isIdentifier(node)) return false;
  let binding: ts.Node | undefined = declarationOf(checker, node);
  while (binding && ts.isBindingElement(binding)) binding = binding.parent.parent;
  if (!binding) return false;
  const isElement =
    elements?.has(binding) === true ||
    (ts.isParameter(binding) && binding.parent.parameters[0] === binding && iteratedCollection(checker, binding.parent) !== undefined) ||
    (ts.isVariableDeclaration(binding) && ts.isVariableDeclarationList(binding.parent) && ts.isForOfStatement(binding.parent.parent) &&
      binding.parent.parent.initializer === binding.parent);
  if (!isElement) return false;
  const parts = typeParts(checker, nonNullableType(checker, checker.getTypeAtLocation(node)));
  return parts.length > 0 && parts.every(
    (part) => (part.flags & ts.TypeFlags.Object) !== 0 && part.getCallSignatures().length === 0 && !checker.isArrayType(part) && !checker.isTupleType(part),
  );
}
