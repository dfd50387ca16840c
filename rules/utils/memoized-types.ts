import type ts from 'typescript';

/** Per program (checker): the memoizing view of it, and how to forget what it memoized. */
const MEMOIZED = new WeakMap<ts.TypeChecker, { readonly view: ts.TypeChecker; readonly forget: () => void; file?: ts.SourceFile }>();

/**
 * The checker, with `getTypeAtLocation` and `getSymbolAtLocation` answered once per node of the file being linted;
 * every other method is the checker's own. Call it once per file, from a rule's `create()`: each call forgets the
 * answers about the previous file. Why memoize: TypeScript caches the type of an expression only when control-flow
 * analysis went into it, and never for expressions it types on its quick path, such as a call with one non-generic
 * signature: so every time a rule asks about `ids.slice(start, start + 16)`, the checker types `ids.slice` again,
 * and `ids` by flow analysis through the enclosing loop. The program does not change while a file is linted, so a
 * node's type does not either.
 *
 * Why per file: answers kept for the whole program (a WeakMap keyed by nodes, which live as long as the program)
 * held 55 MB more at the analyzer's peak on the 2,000-file bench project and cost a second of CPU in garbage
 * collection (weak entries are traced apart), for repeats that happen within one function. Plain maps, dropped at
 * the next file, hold nothing past it.
 *
 * One view object per checker, so caches keyed by the checker (`globalCalleeType`) keep working across files. Given
 * `file`, a call about the same file as the call before keeps the answers: the native rules run one after another on
 * a file, each asking for the view.
 *
 * @example const checker = memoizedTypesForFile(services.program.getTypeChecker());
 */
export function memoizedTypesForFile(checker: ts.TypeChecker, file?: ts.SourceFile): ts.TypeChecker {
  let memoized = MEMOIZED.get(checker);
  if (!memoized) {
    const types = new Map<ts.Node, ts.Type>();
    const getTypeAtLocation = (node: ts.Node): ts.Type => {
      let type = types.get(node);
      if (!type) types.set(node, (type = checker.getTypeAtLocation(node)));
      return type;
    };
    const symbols = new Map<ts.Node, { readonly symbol: ts.Symbol | undefined }>();
    const getSymbolAtLocation = (node: ts.Node): ts.Symbol | undefined => {
      let known = symbols.get(node);
      if (!known) symbols.set(node, (known = { symbol: checker.getSymbolAtLocation(node) }));
      return known.symbol;
    };
    // A copy of the checker's methods (closures over the checker, none reads `this`), not an object with the checker
    // as its prototype: the rules' inline caches keep the hidden classes they saw, and a hidden class holds its
    // prototype, so the program outlived the analysis (224 MB still live after it on the bench project, against 63).
    const view: ts.TypeChecker = { ...checker, getTypeAtLocation, getSymbolAtLocation };
    memoized = {
      view,
      forget: () => {
        types.clear();
        symbols.clear();
      },
    };
    MEMOIZED.set(checker, memoized);
  }
  // The native rules of one file (rules/native/) run one after another, each asking with the file: they share answers.
  if (file === undefined || memoized.file !== file) memoized.forget();
  memoized.file = file;
  return memoized.view;
}
