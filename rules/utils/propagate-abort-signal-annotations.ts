import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { inNamespace } from './global-values.js';

// Written types that can never be or carry an AbortSignal, so their parameters need no type lookup: asking the
// checker for a parameter's type is the rule's main cost, and most parameters are `string`, `number`, arrays or
// callbacks. Everything else (a named type, an intersection, `any`) goes to the checker, which decides.
const NEVER_SIGNAL = new Set<string>([
  AST_NODE_TYPES.TSStringKeyword,
  AST_NODE_TYPES.TSNumberKeyword,
  AST_NODE_TYPES.TSBooleanKeyword,
  AST_NODE_TYPES.TSBigIntKeyword,
  AST_NODE_TYPES.TSSymbolKeyword,
  AST_NODE_TYPES.TSVoidKeyword,
  AST_NODE_TYPES.TSUndefinedKeyword,
  AST_NODE_TYPES.TSNullKeyword,
  AST_NODE_TYPES.TSNeverKeyword,
  AST_NODE_TYPES.TSLiteralType,
  AST_NODE_TYPES.TSTemplateLiteralType,
  AST_NODE_TYPES.TSArrayType,
  AST_NODE_TYPES.TSTupleType,
  AST_NODE_TYPES.TSFunctionType,
  AST_NODE_TYPES.TSConstructorType,
]);

/**
 * Whether a written parameter type surely neither is an AbortSignal nor has a `signal` property: keywords, literals,
 * arrays and tuples (also `readonly`), function types, object literal types without a `signal` member, and unions of these.
 *
 * @example cannotHoldSignal(annotationOf(`(url: string | URL)`)) // false: `URL` is a named type, so the checker decides
 */
export function cannotHoldSignal(type: TSESTree.TypeNode): boolean {
  if (NEVER_SIGNAL.has(type.type)) return true;
  if (type.type === AST_NODE_TYPES.TSUnionType) return type.types.every(cannotHoldSignal);
  // readonly string[], readonly [string, number]
  if (type.type === AST_NODE_TYPES.TSTypeOperator && type.operator === 'readonly') return type.typeAnnotation !== undefined && cannotHoldSignal(type.typeAnnotation);
  if (type.type !== AST_NODE_TYPES.TSTypeLiteral) return false;
  return type.members.every(
    (member) =>
      member.type !== AST_NODE_TYPES.TSPropertySignature ||
      (!member.computed && member.key.type === AST_NODE_TYPES.Identifier && member.key.name !== 'signal'),
  );
}

/**
 * Whether a parameter's written type is the bare name `AbortSignal` bound by no declaration in this file (no import,
 * type parameter, local interface or alias of that name): TypeScript then resolves it to the global `AbortSignal`
 * (lib's, with any `declare global` augmentation merged in), the same type at every such parameter of a program. Not
 * inside a `namespace` block, where another file's block of the same namespace may declare the name.
 * Decided from ESLint's scope analysis, which resolves type references too; `false` when the reference is not found.
 *
 * @example namesGlobalSignal(sourceCode, fnOf(`function f(signal?: AbortSignal) {}`), annotationOf(`signal`)) // true
 */
export function namesGlobalSignal(sourceCode: Readonly<TSESLint.SourceCode>, fn: TSESTree.Node, annotation: TSESTree.TypeNode): boolean {
  if (annotation.type !== AST_NODE_TYPES.TSTypeReference || annotation.typeArguments) return false;
  const name = annotation.typeName;
  if (name.type !== AST_NODE_TYPES.Identifier || name.name !== 'AbortSignal' || inNamespace(fn)) return false;
  const manager = sourceCode.scopeManager;
  let reference: TSESLint.Scope.Reference | undefined;
  for (const scope of [manager?.acquire(fn, true), manager?.acquire(fn)]) {
    reference = scope?.references.find(({ identifier }) => identifier === name);
    if (reference) break;
  }
  if (!reference) return false;
  const variable = reference.resolved;
  // unresolved: a global ESLint's lib list does not know (say, from @types/node); an implicit lib variable has no definitions
  return variable === null || (variable.scope.type === TSESLint.Scope.ScopeType.global && variable.defs.length === 0);
}
