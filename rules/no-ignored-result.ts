import { typeMatchesSomeSpecifier, typeOrValueSpecifiersSchema, valueMatchesSomeSpecifier, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { AST_NODE_TYPES, ESLintUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type ts from 'typescript';
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
import { calleeName, describeExpression, prefixFix, skipValueWrappers } from './utils/ast.js';
import { callSignature } from './utils/call-signature.js';
import { createRule } from './utils/create-rule.js';

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
  node: TSESTree.Expression;
  /** The computation it names (`repo.save(user)`, without the `await`). */
  origin: TSESTree.Expression;
  kind: 'ignored' | 'discarded';
}

// Initialisers that compute a value here. A variable initialised from a reference (`const r = this.last`) only
// aliases a Result computed, and judged, elsewhere; literals and functions never are one. Skipped before any type lookup.
const COMPUTING = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.AwaitExpression,
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.LogicalExpression,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.TaggedTemplateExpression,
]);

// Where a `void <expression>;` statement may replace a `const r = <expression>;` declaration.
const STATEMENT_LISTS = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.BlockStatement,
  AST_NODE_TYPES.Program,
  AST_NODE_TYPES.StaticBlock,
  AST_NODE_TYPES.SwitchCase,
]);

/**
 * `no-ignored-result`: a Result (taskscope's, or any `isOk()`/`isErr()` type such as neverthrow's) must be looked at.
 * Go's `errcheck` for TypeScript. See `docs/rules/no-ignored-result.md`.
 *
 * @example
 * // eslint.config.mjs
 * rules: { 'taskscope/no-ignored-result': ['error', { ignoreVoid: true, allowedCalls: [] }] }
 */
export default createRule<[NoIgnoredResultOptions], MessageIds>({
  name: 'no-ignored-result',
  meta: {
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
  },
  defaultOptions: [{ ignoreVoid: true, allowedCalls: [] }],
  create(context, [options]) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const sourceCode = context.sourceCode;
    const allowedCalls = options.allowedCalls ?? [];
    const ignorePattern = options.ignorePattern === undefined ? undefined : new RegExp(options.ignorePattern, 'u');
    const ignoreVoid = options.ignoreVoid ?? true;
    const orVoid = ignoreVoid ? ', or discard it explicitly with `void`' : '';
    const typeOf = (node: TSESTree.Node): ts.Type => services.getTypeAtLocation(node);
    const isResult = (node: TSESTree.Node): boolean => {
      const type = typeOf(node);
      return isResultValued(checker, type) || isResultThenable(checker, type);
    };

    // A callee matches by its declared name and, for object specifiers, where it is declared (`typeMatches…`); a
    // string also matches a callee bound to a variable (`const record = (event) => …`) by that name. Rejected:
    // `valueMatchesSomeSpecifier` alone, which ignores a `file` specifier's path and never sees a method's name.
    const nameOnly = allowedCalls.filter((specifier) => typeof specifier === 'string');
    function isAllowedCall(node: TSESTree.Expression): boolean {
      if (allowedCalls.length === 0 || node.type !== AST_NODE_TYPES.CallExpression) return false;
      const callee = node.callee.type === AST_NODE_TYPES.MemberExpression && !node.callee.computed ? node.callee.property : node.callee;
      const calleeType = typeOf(node.callee);
      return (
        typeMatchesSomeSpecifier(calleeType, allowedCalls, services.program) ||
        valueMatchesSomeSpecifier(callee, nameOnly, services.program, calleeType)
      );
    }

    /**
     * Whether a computed expression gives a Result that someone must look at. A call's callee is asked first (cheap,
     * and it settles most calls); only a callee that may return a Result makes us resolve the call itself.
     */
    function givesResult(node: TSESTree.Expression, value: TSESTree.Expression = node, awaited = false): boolean {
      if (node.type !== AST_NODE_TYPES.CallExpression) return isResult(value) && !errorIsGone(undefined, typeOf(value));
      // expect(parse(text)).toBe(ok) — a method of a call's value is read off the declarations (see `methodTypeForReturns`)
      const tsCallee = services.esTreeNodeToTSNodeMap.get(node.callee);
      const calleeType = declaredMethodType(checker, tsCallee) ?? methodTypeForReturns(checker, tsCallee) ?? typeOf(node.callee);
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
    function errorIsGone(call: TSESTree.CallExpression | undefined, type: ts.Type): boolean {
      if (cannotFail(checker, type)) return true;
      if (call?.callee.type !== AST_NODE_TYPES.MemberExpression || !carriesNoError(checker, type)) return false;
      // The receiver must show an error that carried something: the call is what emptied it.
      const receiver = resultErrorTypes(checker, typeOf(call.callee.object));
      return receiver !== undefined && !receiver.every(isEmptyError);
    }

    /**
     * Whether a call whose value is a Result made it, rather than handing back one that already existed. A generic
     * return (`T`, `this`) counts only when a callback the call runs returns a Result: `retry(() => parsePort(text))`
     * is reported, `Object.defineProperty(okProto, …)`, `cache.get(key)` and `expect(r).toBeOk()` are not.
     */
    function makesResult(node: TSESTree.CallExpression, awaited: boolean): boolean {
      const signature = callSignature(checker, services.esTreeNodeToTSNodeMap.get(node), typeOf(node.callee));
      if (!signature || declaresResult(checker, signature, awaited)) return true;
      return node.arguments.some((argument) => argument.type !== AST_NODE_TYPES.SpreadElement && returnsResult(checker, typeOf(argument)));
    }

    /** The Results an expression computes and drops when its value is dropped, descending as evaluation does. */
    function classify(node: TSESTree.Expression, out: Finding[], kind: Finding['kind'] = 'ignored'): Finding[] {
      const inner = skipValueWrappers(node);
      switch (inner.type) {
        // (validate(user), save(user)) — every operand is evaluated and dropped
        case AST_NODE_TYPES.SequenceExpression:
          for (const expression of inner.expressions) classify(expression, out, kind);
          break;
        // strict ? validate(user) : parse(text) — the test is consumed as a condition; the branches are dropped
        case AST_NODE_TYPES.ConditionalExpression:
          classify(inner.consequent, out, kind);
          classify(inner.alternate, out, kind);
          break;
        // dirty && save(user) — either side may be the dropped value; a Result is always truthy, so a Result on the
        // left is dropped without its error being read
        case AST_NODE_TYPES.LogicalExpression:
          classify(inner.left, out, kind);
          classify(inner.right, out, kind);
          break;
        // void save(user) — an explicit discard, unless `ignoreVoid` is off
        case AST_NODE_TYPES.UnaryExpression:
          if (inner.operator === 'void' && !ignoreVoid) classify(inner.argument, out, 'discarded');
          break;
        // await repo.save(user) — the awaited value is the Result
        case AST_NODE_TYPES.AwaitExpression: {
          const awaited = skipValueWrappers(inner.argument);
          if (givesResult(awaited, inner, true)) out.push({ node, origin: awaited, kind });
          break;
        }
        // parse(text).map(normalise), Result.all(checks), new Ok(1), sql`…`
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
        case AST_NODE_TYPES.TaggedTemplateExpression:
          if (givesResult(inner, node)) out.push({ node, origin: inner, kind });
          break;
        // Not computed here (`r;`, `this.last;`), assigned (owned by the target) or yielded (owned by the consumer).
        default:
          break;
      }
      return out;
    }

    /** Whether {@link classify} may find something in an expression: the shapes it asks about by type, by syntax. */
    function mayCompute(node: TSESTree.Expression): boolean {
      const inner = skipValueWrappers(node);
      switch (inner.type) {
        case AST_NODE_TYPES.SequenceExpression:
          return inner.expressions.some(mayCompute);
        case AST_NODE_TYPES.ConditionalExpression:
          return mayCompute(inner.consequent) || mayCompute(inner.alternate);
        case AST_NODE_TYPES.LogicalExpression:
          return mayCompute(inner.left) || mayCompute(inner.right);
        case AST_NODE_TYPES.UnaryExpression:
          return inner.operator === 'void' && !ignoreVoid && mayCompute(inner.argument);
        case AST_NODE_TYPES.AwaitExpression:
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
        case AST_NODE_TYPES.TaggedTemplateExpression:
          return true;
        default:
          return false;
      }
    }

    function suggestionsFor(statement: TSESTree.Expression, finding: Finding): Array<TSESLint.SuggestionReportDescriptor<MessageIds>> {
      if (finding.kind === 'discarded') return [];
      const suggest: Array<TSESLint.SuggestionReportDescriptor<MessageIds>> = [];
      if (ignoreVoid) suggest.push({ messageId: 'addVoid', fix: prefixFix(statement, 'void') });
      // Only where the dropped value is the whole statement: `.unwrap()` on one branch of `a ? b : c` would read oddly.
      const node = finding.node;
      if (node === statement && (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.AwaitExpression)) {
        if (canUnwrap(checker, typeOf(node))) {
          suggest.push({
            messageId: 'addUnwrap',
            fix: (fixer) =>
              node.type === AST_NODE_TYPES.AwaitExpression
                ? [fixer.insertTextBefore(node, '('), fixer.insertTextAfter(node, ').unwrap()')]
                : fixer.insertTextAfter(node, '.unwrap()'),
          });
        }
      }
      return suggest;
    }

    function checkDropped(expression: TSESTree.Expression): void {
      for (const finding of classify(expression, [])) {
        context.report({
          node: finding.node,
          messageId: finding.kind,
          data: { name: describeExpression(sourceCode, finding.origin), orVoid },
          suggest: suggestionsFor(expression, finding),
        });
      }
    }

    return {
      ExpressionStatement(node): void {
        if (node.directive === undefined) checkDropped(node.expression);
      },
      // for (let i = 0; i < n; i++, step()) — the update's value is dropped like a statement's
      ForStatement(node): void {
        if (node.update) checkDropped(node.update);
      },
      // () => void save(user) — a concise body is a statement in disguise when `void` does not excuse a Result
      'ArrowFunctionExpression > UnaryExpression.body[operator="void"]'(node: TSESTree.UnaryExpression): void {
        if (!ignoreVoid) checkDropped(node);
      },
      // users.forEach((user) => validate(user)) — the callback's Result goes to a caller that wants nothing back
      'CallExpression > ArrowFunctionExpression[async=false][expression=true]'(node: TSESTree.ArrowFunctionExpression): void {
        const call = node.parent as TSESTree.CallExpression;
        const body = node.body as TSESTree.Expression;
        const index = call.arguments.indexOf(node);
        if (index === -1 || (body.type === AST_NODE_TYPES.UnaryExpression && body.operator === 'void') || !mayCompute(body)) return;
        // group.go((signal) => fetchUser(id, signal)) — the callee's declared type says first whether it wants nothing
        // back, before the body's callee is typed (for most callbacks, nobody else asks that)
        const spreadBefore = call.arguments.slice(0, index).some((argument) => argument.type === AST_NODE_TYPES.SpreadElement);
        const tsCallee = services.esTreeNodeToTSNodeMap.get(call.callee);
        const calleeType = declaredMethodType(checker, tsCallee) ?? methodTypeForParameter(checker, tsCallee, index) ?? typeOf(call.callee);
        if (!call.typeArguments && !spreadBefore && !mayExpectVoidCallback(checker, calleeType, index)) return;
        const findings = classify(body, []);
        if (findings.length === 0) return;
        const contextual = checker.getContextualType(services.esTreeNodeToTSNodeMap.get(node));
        if (!contextual || !expectsVoidReturn(checker, [contextual])) return;
        for (const finding of findings) {
          context.report({
            node: finding.node,
            messageId: finding.kind === 'discarded' ? 'discarded' : 'ignoredByCallback',
            data: { name: describeExpression(sourceCode, finding.origin), callee: calleeName(sourceCode, call) },
            suggest: ignoreVoid ? [{ messageId: 'addVoid', fix: prefixFix(body, 'void') }] : [],
          });
        }
      },
      // const saved = await repo.save(user); — and `saved` is never read
      VariableDeclarator(node): void {
        const init = node.init && skipValueWrappers(node.init);
        if (node.id.type !== AST_NODE_TYPES.Identifier || !init || !COMPUTING.has(init.type)) return;
        const declaration = node.parent;
        if (declaration.declare || declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return;
        if (ignorePattern?.test(node.id.name)) return;
        const [variable] = sourceCode.getDeclaredVariables(node);
        // A script's globals may be read by another script; a module's (and a function's) bindings may not.
        if (!variable || variable.scope.type === TSESLint.Scope.ScopeType.global || variable.references.some((reference) => reference.isRead())) return;
        const awaited = init.type === AST_NODE_TYPES.AwaitExpression;
        const computation = awaited ? skipValueWrappers(init.argument) : init;
        if (!(computation.type === AST_NODE_TYPES.CallExpression ? givesResult(computation, node.id, awaited) : isResult(node.id))) return;
        const onlyInitialised = variable.references.every((reference) => reference.init === true);
        const replaceable = ignoreVoid && onlyInitialised && declaration.declarations.length === 1 && STATEMENT_LISTS.has(declaration.parent.type);
        const expression = node.init!;
        context.report({
          node: node.id,
          messageId: 'unread',
          data: { name: node.id.name, orVoid },
          suggest: replaceable
            ? [{
                messageId: 'replaceWithVoid',
                fix: (fixer) => [fixer.removeRange([declaration.range[0], expression.range[0]]), ...prefixFix(expression, 'void')(fixer)],
              }]
            : [],
        });
      },
    };
  },
});
