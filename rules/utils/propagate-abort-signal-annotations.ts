import ts from './typescript.cjs';
import { fileIndex } from '../native/file-index.js';
import { inNamespace } from '../native/global-values.js';

// Written types that can never be or carry an AbortSignal, so their parameters need no type lookup: asking the
// checker for a parameter's type is the rule's main cost, and most parameters are `string`, `number`, arrays or
// callbacks. Everything else (a named type, an intersection, `any`) goes to the checker, which decides. `null` and
// `true` are literal types.
const NEVER_SIGNAL = new Set([
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword,
  ts.SyntaxKind.VoidKeyword,
  ts.SyntaxKind.UndefinedKeyword,
  ts.SyntaxKind.NeverKeyword,
  ts.SyntaxKind.LiteralType,
  ts.SyntaxKind.TemplateLiteralType,
  ts.SyntaxKind.ArrayType,
  ts.SyntaxKind.TupleType,
  ts.SyntaxKind.FunctionType,
  ts.SyntaxKind.ConstructorType,
]);

/** A written type without the parentheses around it, which ESTree leaves out: `(string | URL)[]`. */
function skipTypeParentheses(type: ts.TypeNode): ts.TypeNode {
  let current = type;
  while (ts.isParenthesizedTypeNode(current)) current = current.type;
  return current;
}

/**
 * Whether a written parameter type surely neither is an AbortSignal nor has a `signal` property: keywords, literals,
 * arrays and tuples (also `readonly`), function types, object literal types without a `signal` member, and unions of these.
 *
 * @example cannotHoldSignal(annotationOf(`(url: string | URL)`)) // false: `URL` is a named type, so the checker decides
 */
export function cannotHoldSignal(written: ts.TypeNode): boolean {
  const type = skipTypeParentheses(written);
  if (NEVER_SIGNAL.has(type.kind)) return true;
  if (ts.isUnionTypeNode(type)) return type.types.every(cannotHoldSignal);
  // readonly string[], readonly [string, number]
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return cannotHoldSignal(type.type);
  if (!ts.isTypeLiteralNode(type)) return false;
  return type.members.every((member) => !ts.isPropertySignature(member) || (ts.isIdentifier(member.name) && member.name.text !== 'signal'));
}

/**
 * Whether a parameter's written type is the bare name `AbortSignal` bound by no declaration in this file (no import,
 * type parameter, local interface or alias of that name): TypeScript then resolves it to the global `AbortSignal`
 * (lib's, with any `declare global` augmentation merged in), the same type at every such parameter of a program. Not
 * inside a `namespace` block, where another file's block of the same namespace may declare the name.
 *
 * Decided as the ESTree rule asked ESLint's scope analysis: a name no declaration of this file has is the global one;
 * where some declaration has it (an import, a type parameter, in any scope), the name is resolved where it is written
 * (`resolveName`, a walk up the scopes that types nothing).
 *
 * @example namesGlobalSignal(checker, file, fnOf(`function f(signal?: AbortSignal) {}`), annotationOf(`signal`)) // true
 */
export function namesGlobalSignal(checker: ts.TypeChecker, file: ts.SourceFile, fn: ts.Node, annotation: ts.TypeNode): boolean {
  if (!ts.isTypeReferenceNode(annotation) || annotation.typeArguments) return false;
  const name = annotation.typeName;
  if (!ts.isIdentifier(name) || name.text !== 'AbortSignal' || inNamespace(fn)) return false;
  if (!fileIndex(file).declares(name.text)) return true;
  const symbol = checker.resolveName(name.text, name, ts.SymbolFlags.Type, false);
  return !symbol?.declarations?.some((declaration) => declaration.getSourceFile() === file);
}
