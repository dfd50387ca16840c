import type ts from 'typescript';

/** Per program (checker): the checker seen through {@link memoizedTypes}. */
const MEMOIZED = new WeakMap<ts.TypeChecker, ts.TypeChecker>();

/**
 * The checker, with `getTypeAtLocation` and `getSymbolAtLocation` answered once per node for the whole program; every
 * other method is the checker's own. Why: TypeScript caches the type of an expression only when control-flow analysis went into it, and
 * never for expressions it types on its quick path, such as a call with one non-generic signature: so every time a
 * rule asks about `ids.slice(start, start + 16)`, the checker types `ids.slice` again, and `ids` by flow analysis
 * through the enclosing loop. The program does not change while it is linted, so a node's type does not either.
 *
 * One object per checker, so the per-checker caches of the facts (`oncePer`) keep working across files.
 *
 * @example const checker = memoizedTypes(services.program.getTypeChecker());
 */
export function memoizedTypes(checker: ts.TypeChecker): ts.TypeChecker {
  let memoized = MEMOIZED.get(checker);
  if (!memoized) {
    const types = new WeakMap<ts.Node, ts.Type>();
    const getTypeAtLocation = (node: ts.Node): ts.Type => {
      let type = types.get(node);
      if (!type) types.set(node, (type = checker.getTypeAtLocation(node)));
      return type;
    };
    const symbols = new WeakMap<ts.Node, { readonly symbol: ts.Symbol | undefined }>();
    const getSymbolAtLocation = (node: ts.Node): ts.Symbol | undefined => {
      let known = symbols.get(node);
      if (!known) symbols.set(node, (known = { symbol: checker.getSymbolAtLocation(node) }));
      return known.symbol;
    };
    memoized = Object.create(checker, { getTypeAtLocation: { value: getTypeAtLocation }, getSymbolAtLocation: { value: getSymbolAtLocation } }) as ts.TypeChecker;
    MEMOIZED.set(checker, memoized);
  }
  return memoized;
}
