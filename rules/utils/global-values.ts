import { AST_NODE_TYPES, ASTUtils, TSESLint, type ParserServicesWithTypeInformation, type TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { declaredPropertyType } from '../facts/declared-types.js';

/** Per program (checker): the type of a global value by name, learnt from the first reference the checker resolves. */
const GLOBALS = new WeakMap<ts.TypeChecker, Map<string, ts.Type | undefined>>();

/**
 * The type of a callee from declarations alone when it is a global value or a member of one, `Promise.all`,
 * `JSON.stringify`, `Response.json`, `new URL(…)`: what the checker gives the callee, without typing it there.
 * `undefined` when the checker must answer.
 *
 * A name that no declaration of the file binds (ESLint's scope analysis, which knows lib globals as implicit
 * variables) is the global one, the same symbol in every file of a program, so its type is learnt once per program.
 * It is the type at a reference only when no flow narrowing applies there: so only when every reference of the file
 * is a callee or the object of a member access (`Promise.all`, `new URL(text)`), never a condition, an assignment or
 * an argument, as for the `const` receivers of `declaredValueType`.
 *
 * @example globalCalleeType(services, sourceCode, calleeOf(`Promise.all(tasks)`)) // PromiseConstructor['all'], Promise left untyped
 */
export function globalCalleeType(services: ParserServicesWithTypeInformation, sourceCode: Readonly<TSESLint.SourceCode>, callee: TSESTree.Node): ts.Type | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) return globalValueType(services, sourceCode, callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.optional || callee.object.type !== AST_NODE_TYPES.Identifier) return undefined;
  const receiver = globalValueType(services, sourceCode, callee.object);
  const name = services.esTreeNodeToTSNodeMap.get(callee) as ts.PropertyAccessExpression;
  return receiver && declaredPropertyType(services.program.getTypeChecker(), receiver, name.name);
}

// Per reference: `propagate-abort-signal` and `no-floating-task` both ask about most callees, some twice.
const BY_REFERENCE = new WeakMap<TSESTree.Identifier, { readonly type: ts.Type | undefined }>();

/** Per file (its global scope): the names of references no declaration of the file resolves. */
const UNRESOLVED = new WeakMap<TSESLint.Scope.Scope, ReadonlySet<string>>();

function globalValueType(services: ParserServicesWithTypeInformation, sourceCode: Readonly<TSESLint.SourceCode>, id: TSESTree.Identifier): ts.Type | undefined {
  // response.json(), fetchUser(id): a name that is neither a global variable nor unresolved names no global, which
  // settles most callees before their scope is looked up (the answer `findGlobalValueType` gives them too)
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (globalScope && !globalScope.set.has(id.name)) {
    let unresolved = UNRESOLVED.get(globalScope);
    if (!unresolved) UNRESOLVED.set(globalScope, (unresolved = new Set(globalScope.through.map(({ identifier }) => identifier.name))));
    if (!unresolved.has(id.name)) return undefined;
  }
  let known = BY_REFERENCE.get(id);
  if (!known) BY_REFERENCE.set(id, (known = { type: findGlobalValueType(services, sourceCode, id) }));
  return known.type;
}

function findGlobalValueType(services: ParserServicesWithTypeInformation, sourceCode: Readonly<TSESLint.SourceCode>, id: TSESTree.Identifier): ts.Type | undefined {
  // Inside `namespace N { … }` a name may be a member another file's `namespace N` declares, unseen here.
  if (inNamespace(id)) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(id), id);
  // declared in this file (an import, a local, a script's own global): not the program-wide answer
  if (variable && (variable.scope.type !== TSESLint.Scope.ScopeType.global || variable.defs.length > 0)) return undefined;
  // Type positions (`Promise<Response>`) name the same global and narrow nothing.
  const references = (variable ? variable.references : (sourceCode.scopeManager?.globalScope?.through ?? []).filter(({ identifier }) => identifier.name === id.name))
    .filter((reference) => reference.isValueReference);
  if (references.length === 0 || !references.every(({ identifier }) => isCalleeOrObject(identifier))) return undefined;
  const checker = services.program.getTypeChecker();
  let known = GLOBALS.get(checker);
  if (!known) GLOBALS.set(checker, (known = new Map<string, ts.Type | undefined>()));
  if (!known.has(id.name)) {
    const symbol = checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(id));
    known.set(id.name, symbol && checker.getTypeOfSymbol(symbol));
  }
  return known.get(id.name);
}

/** `X.member` (not optional, not computed) or `X(…)` / `new X(…)`: positions where nothing narrows `X`. */
function isCalleeOrObject(identifier: TSESTree.Node): boolean {
  const parent = identifier.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression) return parent.object === identifier && !parent.computed && !parent.optional;
  if (parent?.type === AST_NODE_TYPES.NewExpression) return parent.callee === identifier;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === identifier && !parent.optional;
}

/** Whether a node is inside a `namespace`/`module` block, whose names other files may add to. */
export function inNamespace(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current.type === AST_NODE_TYPES.TSModuleBlock) return true;
  return false;
}
