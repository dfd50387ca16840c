import { typeMatchesSomeSpecifier, typeOrValueSpecifiersSchema, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import ts from './utils/typescript.cjs';
import { expectsVoidReturn, mayExpectVoidCallback } from './facts.js';
import {
  canUnwrap,
  cannotFail,
  carriesNoError,
  declaresResult,
  isEmptyError,
  isResultThenable,
  isResultValued,
  mayReturnResult,
  resultErrorTypes,
  returnsResult,
} from './facts/results.js';
import { declaredMethodType, methodTypeForParameter, methodTypeForReturns } from './facts/declared-types.js';
import { createNativeRule, type NativeSuggestion, type TextEdit } from './native/rule.js';
import { calleeNameOf, describeNode, isCall, isLogical, isSequence, outermost, parentOf, prefixEdits, skipParentheses, skipValueWrappers } from './native/syntax.js';
import { fileIndex } from './native/file-index.js';
import { localVariable, referenceKind } from './native/variables.js';
import { callSignature } from './utils/call-signature.js';

/** Options of `no-ignored-result`. */
export interface NoIgnoredResultOptions {
  /** A `void` operator marks a Result as deliberately discarded (errcheck's `_ = f()`). @default true */
  ignoreVoid?: boolean;
  /** Functions whose Result may be dropped, as type or value specifiers. @default [] */
  allowedCalls?: TypeOrValueSpecifier[];
  /** A regular expression for variable names that may hold an unread Result (e.g. `"^_"`). @default undefined */
  ignorePattern?: string;
}

type MessageIds = 'ignored' | 'discarded' | 'unread' | 'ignoredByCallback' | 'addVoid' | 'addUnwrap' | 'replaceWithVoid';

interface Finding {
  /** The Result-valued expression, where the report goes (`await repo.save(user)`). */
  node: ts.Expression;
  /** The computation it names (`repo.save(user)`, without the `await`). */
  origin: ts.Expression;
  kind: 'ignored' | 'discarded';
}

// Initialisers that compute a value here. A variable initialised from a reference (`const r = this.last`) only
// aliases a Result computed, and judged, elsewhere; literals and functions never are one. Skipped before any type lookup.
function computes(node: ts.Expression): boolean {
  return ts.isAwaitExpression(node) || isCall(node) || ts.isConditionalExpression(node) || isLogical(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node);
}

// `saved` in `log(saved)` or `count += saved`: a reference that looks at the value.
function isRead(reference: ts.Identifier): boolean {
  const kind = referenceKind(reference);
  return kind === 'read' || kind === 'read-write';
}

// Where a `void <expression>;` statement may replace a `const r = <expression>;` declaration: a block (a function's
// body, a static block's), the file, a `case`.
const STATEMENT_LISTS = new Set([ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause]);

const META = {
  type: 'problem',
  docs: {
    description: 'Require every computed Result to be looked at: checked, returned, passed on, or discarded explicitly with `void`.',
    requiresTypeChecking: true,
  },
  hasSuggestions: true,
  messages: {
    ignored: 'Result of `{{name}}` is ignored, so its error is lost. Check it with `isErr()`, `match` or `unwrap`{{orVoid}}.',
    discarded: 'Result of `{{name}}` is discarded with `void`, so its error is lost. Check it with `isErr()`, `match` or `unwrap`.',
    unread: 'Result in `{{name}}` is never read, so its error is lost. Check it with `isErr()`, `match` or `unwrap`{{orVoid}}.',
    ignoredByCallback:
      'Result of `{{name}}` is returned to `{{callee}}`, which ignores it, so its error is lost. Check it inside the callback, or loop with `for…of` and check each one.',
    addVoid: 'Add `void` to discard the Result on purpose.',
    addUnwrap: 'Add `.unwrap()` to throw the error instead (this changes behaviour: an `Err` now throws).',
    replaceWithVoid: 'Replace the unread variable with `void` to discard the Result on purpose.',
  },
  schema: [
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        ignoreVoid: { type: 'boolean', description: 'Whether a `void` operator marks a Result as deliberately discarded.' },
        allowedCalls: { ...typeOrValueSpecifiersSchema, description: 'Functions whose Result may be dropped.' },
        ignorePattern: { type: 'string', description: 'A regular expression for variable names that may hold an unread Result.' },
      },
    },
  ],
} as const;

/** A name a string specifier of `allowedCalls` can match: an identifier's, a `#private` name's, a string key's. */
function staticName(node: ts.Node): string | undefined {
  if (ts.isIdentifier(node) || ts.isStringLiteral(node)) return node.text;
  if (ts.isPrivateIdentifier(node)) return node.text.slice(1);
  return undefined;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false);
}

/**
 * `no-ignored-result`: a Result (taskscope's, or any `isOk()`/`isErr()` type such as neverthrow's) must be looked at.
 * Go's `errcheck` for TypeScript. See `docs/rules/no-ignored-result.md`.
 *
 * @example
 * // eslint.config.mjs
 * rules: { 'taskscope/no-ignored-result': ['error', { ignoreVoid: true, allowedCalls: [] }] }
 */
export default createNativeRule<[NoIgnoredResultOptions], MessageIds>({
  name: 'no-ignored-result',
  meta: META,
  defaultOptions: [{ ignoreVoid: true, allowedCalls: [] }],
  check({ file, program, checker, options: [options], sourceType, report }) {
    const allowedCalls = options.allowedCalls ?? [];
    const ignorePattern = options.ignorePattern === undefined ? undefined : new RegExp(options.ignorePattern, 'u');
    const ignoreVoid = options.ignoreVoid ?? true;
    const orVoid = ignoreVoid ? ', or discard it explicitly with `void`' : '';
    const typeOf = (node: ts.Node): ts.Type => checker.getTypeAtLocation(node);
    const isResult = (node: ts.Node): boolean => {
      const type = typeOf(node);
      return isResultValued(checker, type) || isResultThenable(checker, type);
    };

    // A callee matches by its declared name and, for object specifiers, where it is declared (`typeMatches…`); a
    // string also matches a callee bound to a variable (`const record = (event) => …`) by that name. Rejected:
    // matching by the value's name alone, which ignores a `file` specifier's path and never sees a method's name.
    const nameOnly = allowedCalls.filter((specifier) => typeof specifier === 'string');
    function isAllowedCall(node: ts.Expression): boolean {
      if (allowedCalls.length === 0 || !isCall(node)) return false;
      const callee = skipParentheses(node.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
      const calleeType = typeOf(callee);
      if (typeMatchesSomeSpecifier(calleeType, allowedCalls, program)) return true;
      const value = staticName(name);
      return value !== undefined && nameOnly.includes(value);
    }

    /**
     * Whether a computed expression gives a Result that someone must look at. A call's callee is asked first (cheap,
     * and it settles most calls); only a callee that may return a Result makes us resolve the call itself.
     */
    function givesResult(node: ts.Expression, value: ts.Node = node, awaited = false): boolean {
      if (!isCall(node)) return isResult(value) && !errorIsGone(undefined, typeOf(value));
      // expect(parse(text)).toBe(ok) — a method of a call's value is read off the declarations (see `methodTypeForReturns`)
      const callee = skipParentheses(node.expression);
      const calleeType = declaredMethodType(checker, callee) ?? methodTypeForReturns(checker, callee) ?? typeOf(callee);
      if (isAllowedCall(node) || !mayReturnResult(checker, calleeType, awaited) || !isResult(value)) return false;
      return makesResult(node, awaited) && !errorIsGone(node, typeOf(value));
    }

    /**
     * Whether a Result has no error left to lose: it cannot be an `Err` (`ResultAsync<true, never>`, a best-effort
     * helper that logs its own failures), or a method of a Result that could fail handed the error to a callback that
     * kept nothing of it (`fetched.mapErr((error) => { log(error); })` gives a `Result<T, void>`): the error was looked
     * at there. Decided by the types alone: a Result typed `Result<T, void>` from anywhere else (`err()` is a failure
     * without a payload) is still reported.
     */
    function errorIsGone(call: ts.CallExpression | undefined, type: ts.Type): boolean {
      if (cannotFail(checker, type)) return true;
      const callee = call && skipParentheses(call.expression);
      if (!callee || !(ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) || !carriesNoError(checker, type)) return false;
      // The receiver must show an error that carried something: the call is what emptied it.
      const receiver = resultErrorTypes(checker, typeOf(skipParentheses(callee.expression)));
      return receiver !== undefined && !receiver.every(isEmptyError);
    }

    /**
     * Whether a call whose value is a Result made it, rather than handing back one that already existed. A generic
     * return (`T`, `this`) counts only when a callback the call runs returns a Result: `retry(() => parsePort(text))`
     * is reported, `Object.defineProperty(okProto, …)`, `cache.get(key)` and `expect(r).toBeOk()` are not.
     */
    function makesResult(node: ts.CallExpression, awaited: boolean): boolean {
      const signature = callSignature(checker, node, typeOf(skipParentheses(node.expression)));
      if (!signature || declaresResult(checker, signature, awaited)) return true;
      return node.arguments.some((argument) => !ts.isSpreadElement(argument) && returnsResult(checker, typeOf(skipParentheses(argument))));
    }

    /** The Results an expression computes and drops when its value is dropped, descending as evaluation does. */
    function classify(expression: ts.Expression, out: Finding[], kind: Finding['kind'] = 'ignored'): Finding[] {
      const node = skipParentheses(expression);
      const inner = skipValueWrappers(node);
      // (validate(user), save(user)) — every operand is evaluated and dropped
      if (isSequence(inner)) {
        classify(inner.left, out, kind);
        classify(inner.right, out, kind);
      }
      // strict ? validate(user) : parse(text) — the test is consumed as a condition; the branches are dropped
      else if (ts.isConditionalExpression(inner)) {
        classify(inner.whenTrue, out, kind);
        classify(inner.whenFalse, out, kind);
      }
      // dirty && save(user) — either side may be the dropped value; a Result is always truthy, so a Result on the
      // left is dropped without its error being read
      else if (isLogical(inner)) {
        classify(inner.left, out, kind);
        classify(inner.right, out, kind);
      }
      // void save(user) — an explicit discard, unless `ignoreVoid` is off
      else if (ts.isVoidExpression(inner)) {
        if (!ignoreVoid) classify(inner.expression, out, 'discarded');
      }
      // await repo.save(user) — the awaited value is the Result
      else if (ts.isAwaitExpression(inner)) {
        const awaited = skipValueWrappers(inner.expression);
        if (givesResult(awaited, inner, true)) out.push({ node, origin: awaited, kind });
      }
      // parse(text).map(normalise), Result.all(checks), new Ok(1), sql`…`
      else if (isCall(inner) || ts.isNewExpression(inner) || ts.isTaggedTemplateExpression(inner)) {
        if (givesResult(inner, node)) out.push({ node, origin: inner, kind });
      }
      // Not computed here (`r;`, `this.last;`), assigned (owned by the target) or yielded (owned by the consumer).
      return out;
    }

    /** Whether {@link classify} may find something in an expression: the shapes it asks about by type, by syntax. */
    function mayCompute(expression: ts.Expression): boolean {
      const inner = skipValueWrappers(expression);
      if (isSequence(inner) || isLogical(inner)) return mayCompute(inner.left) || mayCompute(inner.right);
      if (ts.isConditionalExpression(inner)) return mayCompute(inner.whenTrue) || mayCompute(inner.whenFalse);
      if (ts.isVoidExpression(inner)) return !ignoreVoid && mayCompute(inner.expression);
      return ts.isAwaitExpression(inner) || isCall(inner) || ts.isNewExpression(inner) || ts.isTaggedTemplateExpression(inner);
    }

    function suggestionsFor(statement: ts.Expression, finding: Finding): Array<NativeSuggestion<MessageIds>> {
      if (finding.kind === 'discarded') return [];
      const suggest: Array<NativeSuggestion<MessageIds>> = [];
      if (ignoreVoid) suggest.push({ messageId: 'addVoid', edits: prefixEdits(file, statement, 'void') });
      // Only where the dropped value is the whole statement: `.unwrap()` on one branch of `a ? b : c` would read oddly.
      const node = finding.node;
      if (node === statement && (isCall(node) || ts.isAwaitExpression(node)) && canUnwrap(checker, typeOf(node))) {
        const start = node.getStart(file);
        const edits: TextEdit[] = ts.isAwaitExpression(node)
          ? [{ range: [start, start], text: '(' }, { range: [node.end, node.end], text: ').unwrap()' }]
          : [{ range: [node.end, node.end], text: '.unwrap()' }];
        suggest.push({ messageId: 'addUnwrap', edits });
      }
      return suggest;
    }

    function checkDropped(expression: ts.Expression): void {
      const statement = skipParentheses(expression);
      for (const finding of classify(statement, [])) {
        report({
          node: finding.node,
          messageId: finding.kind,
          data: { name: describeNode(file, finding.origin), orVoid },
          suggest: suggestionsFor(statement, finding),
        });
      }
    }

    // users.forEach((user) => validate(user)) — the callback's Result goes to a caller that wants nothing back
    function checkCallback(node: ts.ArrowFunction, call: ts.CallExpression, index: number): void {
      const body = skipParentheses(node.body as ts.Expression);
      if (ts.isVoidExpression(body) || !mayCompute(body)) return;
      // group.go((signal) => fetchUser(id, signal)) — the callee's declared type says first whether it wants nothing
      // back, before the body's callee is typed (for most callbacks, nobody else asks that)
      const spreadBefore = call.arguments.slice(0, index).some((argument) => ts.isSpreadElement(argument));
      const callee = skipParentheses(call.expression);
      const calleeType = declaredMethodType(checker, callee) ?? methodTypeForParameter(checker, callee, index) ?? typeOf(callee);
      if (!call.typeArguments && !spreadBefore && !mayExpectVoidCallback(checker, calleeType, index)) return;
      const findings = classify(body, []);
      if (findings.length === 0) return;
      const contextual = checker.getContextualType(node);
      if (!contextual || !expectsVoidReturn(checker, [contextual])) return;
      for (const finding of findings) {
        report({
          node: finding.node,
          messageId: finding.kind === 'discarded' ? 'discarded' : 'ignoredByCallback',
          data: { name: describeNode(file, finding.origin), callee: calleeNameOf(file, call) },
          suggest: ignoreVoid ? [{ messageId: 'addVoid', edits: prefixEdits(file, body, 'void') }] : [],
        });
      }
    }

    // const saved = await repo.save(user); — and `saved` is never read
    function checkUnread(node: ts.VariableDeclaration): void {
      const init = node.initializer && skipValueWrappers(node.initializer);
      if (!ts.isIdentifier(node.name) || !init || !computes(init)) return;
      const list = node.parent;
      if (!ts.isVariableDeclarationList(list)) return;
      const statement = list.parent;
      if (ts.isVariableStatement(statement) && (hasModifier(statement, ts.SyntaxKind.DeclareKeyword) || hasModifier(statement, ts.SyntaxKind.ExportKeyword))) return;
      if (ignorePattern?.test(node.name.text)) return;
      // A script's globals may be read by another script; a module's (and a function's) bindings may not.
      if (sourceType === 'script' && ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent)) return;
      const variable = localVariable(checker, file, node.name);
      if (!variable) return;
      if (variable.someReference(isRead)) return;
      const awaited = ts.isAwaitExpression(init);
      const computation = awaited ? skipValueWrappers(init.expression) : init;
      if (!(isCall(computation) ? givesResult(computation, node.name, awaited) : isResult(node.name))) return;
      const onlyInitialised = variable.references().every((reference) => referenceKind(reference) === 'init');
      const replaceable = ignoreVoid && onlyInitialised && ts.isVariableStatement(statement) && list.declarations.length === 1 && STATEMENT_LISTS.has(statement.parent.kind);
      const expression = skipParentheses(node.initializer);
      report({
        node: node.name,
        messageId: 'unread',
        data: { name: node.name.text, orVoid },
        suggest: replaceable
          ? [{ messageId: 'replaceWithVoid', edits: [{ range: [statement.getStart(file), expression.getStart(file)], text: '' }, ...prefixEdits(file, expression, 'void')] }]
          : [],
      });
    }

    for (const node of fileIndex(file).nodes) {
      if (ts.isExpressionStatement(node)) checkDropped(node.expression);
      // for (let i = 0; i < n; i++, step()) — the update's value is dropped like a statement's
      else if (ts.isForStatement(node) && node.incrementor) checkDropped(node.incrementor);
      else if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
        const body = skipParentheses(node.body);
        // () => void save(user) — a concise body is a statement in disguise when `void` does not excuse a Result
        if (ts.isVoidExpression(body) && !ignoreVoid) checkDropped(body);
        const call = parentOf(node);
        const index = call && isCall(call) ? call.arguments.indexOf(outermost(node) as ts.Expression) : -1;
        if (call && isCall(call) && index !== -1 && !ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword)) checkCallback(node, call, index);
      } else if (ts.isVariableDeclaration(node)) checkUnread(node);
    }
  },
});
