import { typeOrValueSpecifiersSchema, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { ESLintUtils } from '@typescript-eslint/utils';
import ts from './utils/typescript.cjs';
import { awaitsCallbackResult, deliversToCallback, isPromiseArray, isPromiseLike, mayBeNullish, mayReturnPromise, onlyFulfils, passedThroughArguments, returnsKeptPromise, truthiness } from './facts.js';
import { declaredMethodType, declaredTypeOf, methodTypeForReturns } from './facts/declared-types.js';
import { createNativeRule, type NativeSuggestion } from './native/rule.js';
import { describeNode, isAssignmentOperator, isCall, isFunctionExpression, isLogical, isSequence, prefixEdits, skipParentheses } from './native/syntax.js';
import { localVariable } from './native/variables.js';
import { memoizedTypesForFile } from './utils/memoized-types.js';
import { promiseQuestions } from './utils/no-floating-task-promises.js';
import { walkFile } from './utils/no-floating-task-names.js';
import { declarationKeyword, isInAsyncFunction, isOptionalChain } from './utils/no-floating-task-syntax.js';
import { mayReportIn, trackUnownedVariables } from './utils/unowned-variables.js';
import { voidReturnChecker } from './utils/void-return.js';

/** Options of `no-floating-task`: the same names and meanings as typescript-eslint's `no-floating-promises`. */
export interface NoFloatingTaskOptions {
  /** A `void` operator marks a promise as deliberately unowned. @default true */
  ignoreVoid?: boolean;
  /** Immediately invoked async function expressions may float (top-level `main()` style). @default false */
  ignoreIIFE?: boolean;
  /** Count every thenable, not only `Promise` and its subclasses. @default false */
  checkThenables?: boolean;
  /** Promise types that may float. @default [] */
  allowForKnownSafePromises?: TypeOrValueSpecifier[];
  /** Functions whose returned promise may float. @default [] */
  allowForKnownSafeCalls?: TypeOrValueSpecifier[];
}

type MessageIds =
  | 'floating'
  | 'floatingUselessHandler'
  | 'floatingArray'
  | 'unownedVariable'
  | 'unownedOnSomePath'
  | 'voidReturnArgument'
  | 'voidReturnAttribute'
  | 'addAwait'
  | 'addVoid'
  | 'addCatch';

interface Finding {
  kind: 'floating' | 'floatingUselessHandler' | 'floatingArray';
  /** The sub-expression that floats (`Promise.resolve()` in `(Promise.resolve(), 123)`), for the message. */
  node: ts.Expression;
}

/** What the statement check tells the variable check, which runs on ESLint's code paths (see `trackUnownedVariables`). */
interface Found {
  /** Expression statements reported as floating: a read inside one is that report's business. */
  readonly reportedStatements: ReadonlySet<ts.Node>;
  /** Arguments of calls that hand them straight back as statements: reading them there owns nothing. */
  readonly unownedReads: ReadonlySet<ts.Node>;
}

const HANDLER_METHODS = new Set(['then', 'catch', 'finally']);
const CATCH = '.catch((error) => console.error(error))';

const META = {
  type: 'problem',
  docs: {
    description: 'Require every promise to have an owner: awaited, returned, handed on, or given a rejection handler on every path.',
    requiresTypeChecking: true,
  },
  hasSuggestions: true,
  messages: {
    floating: 'Promise from `{{name}}` is never awaited, so its failure is lost. Await it, return it, or hand it to an ErrGroup.',
    floatingUselessHandler:
      'Promise from `{{name}}` has a rejection handler that is not a function, so its failure is lost. Pass a function to `.catch(...)`, or await it.',
    floatingArray:
      'Array of promises from `{{name}}` is never awaited, so their failures are lost. Await `Promise.all(...)` on it, or hand the tasks to an ErrGroup.',
    unownedVariable: 'Promise in `{{name}}` is never awaited, so its failure is lost. Await it, return it, or hand it to an ErrGroup.',
    unownedOnSomePath:
      'Promise in `{{name}}` is awaited on some paths only, so its failure is lost on the others. Await it, return it, or hand it on before every return and throw.',
    voidReturnArgument:
      '{{what}} passed to `{{callee}}` returns a promise that nobody awaits, so its failure is lost. Catch errors inside it, or run the work in a loop with `await` or in an ErrGroup.',
    voidReturnAttribute:
      '{{what}} given to `{{attribute}}` returns a promise that nobody awaits, so its failure is lost. Catch errors inside it, or hand the work to an ErrGroup.',
    addAwait: 'Add `await`.',
    addVoid: 'Add `void` to leave it floating on purpose.',
    addCatch: 'Add `.catch(...)` that logs the error.',
  },
  schema: [
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        ignoreVoid: { type: 'boolean', description: 'Whether a `void` operator marks a promise as deliberately unowned.' },
        ignoreIIFE: { type: 'boolean', description: 'Whether an immediately invoked async function expression may float.' },
        checkThenables: { type: 'boolean', description: 'Whether every thenable counts, not only `Promise` and its subclasses.' },
        allowForKnownSafePromises: { ...typeOrValueSpecifiersSchema, description: 'Promise types that may float.' },
        allowForKnownSafeCalls: { ...typeOrValueSpecifiersSchema, description: 'Functions whose returned promise may float.' },
      },
    },
  ],
} as const;

/** `(async () => { … })()`: a call of a function written in place (not an optional call, a chain in ESTree). */
function isIIFE(node: ts.Expression): boolean {
  return isCall(node) && !isOptionalChain(node) && isFunctionExpression(skipParentheses(node.expression));
}

/** Expressions that take a `.catch(...)` suffix without parentheses and without changing what is caught. */
function isCatchable(node: ts.Expression): boolean {
  return (
    isCall(node) || isOptionalChain(node) || ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ||
    ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)
  );
}

function isAssignment(node: ts.Expression): boolean {
  return ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind);
}

/**
 * `no-floating-task`: every promise needs an owner. typescript-eslint's `no-floating-promises` and the void-return
 * half of `no-misused-promises` in one rule, plus promises held in variables that some path leaves unread. See
 * `docs/rules/no-floating-task.md`.
 *
 * Floating statements and void-return callbacks are checked on TypeScript's tree (`check`); a promise in a variable
 * needs every path through its function, which only ESLint's code-path analysis follows, so that part stays an ESLint
 * listener set (`eslintPart`), which the analyzer runs only on files where {@link mayReportIn} finds such a variable.
 *
 * @example
 * // eslint.config.mjs
 * rules: { 'taskscope/no-floating-task': ['error', { ignoreVoid: true, ignoreIIFE: false }] }
 */
export default createNativeRule<[NoFloatingTaskOptions], MessageIds, Found>({
  name: 'no-floating-task',
  meta: META,
  defaultOptions: [{ ignoreVoid: true, ignoreIIFE: false, checkThenables: false, allowForKnownSafePromises: [], allowForKnownSafeCalls: [] }],
  check({ file, program, checker, options: [options], report }) {
    const promises = promiseQuestions({ file, program, checker, options });
    const { facts, typeOf, isPromise } = promises;
    const reportedStatements = new Set<ts.Node>();
    const unownedReads = new Set<ts.Node>();

    /** Whether a rejection handler argument is surely a function (`maybeCallable: string | (() => void)` is not). */
    function isHandler(argument: ts.Expression): boolean {
      const node = skipParentheses(argument);
      if (isFunctionExpression(node)) return true;
      if (ts.isSpreadElement(node)) return false;
      const type = typeOf(node);
      if (type.flags & ts.TypeFlags.Any) return true;
      const members = type.isUnion() ? type.types : [type];
      return members.every((member) => member.getCallSignatures().length > 0);
    }

    /** Why an expression statement's value floats, or `undefined` when nothing does. Descends like evaluation does. */
    function classify(expression: ts.Expression, top = true): Finding | undefined {
      const node = skipParentheses(expression);
      // (save(), 123) — every operand is evaluated and dropped
      if (isSequence(node)) return classify(node.left, top) ?? classify(node.right, top);
      // ready ? save() : null — the test is consumed as a condition; only the branches can float
      if (ts.isConditionalExpression(node)) return classify(node.whenTrue, top) ?? classify(node.whenFalse, top);
      // cached || refresh() — unless the left side decides statically that the right never runs
      if (isLogical(node)) return classify(node.left, top) ?? (skipsRight(node) ? undefined : classify(node.right, top));
      // void save()
      if (ts.isVoidExpression(node)) return options.ignoreVoid ? undefined : classify(node.expression, top);
      // await Promise.all(tasks) settles; only an awaited array (`await tasks`) still floats. `await group.wait()`
      // is typed from the callee's declarations when they decide it: resolving a generic call (`goEach`) would
      // type its callback's body, which no rule needs
      if (ts.isAwaitExpression(node)) {
        return isPromiseArray(checker, declaredTypeOf(checker, node) ?? typeOf(node), facts) ? { kind: 'floatingArray', node } : undefined;
      }
      // pending = save(), done ||= save() — stored, so owned by whoever reads the target
      if (isAssignment(node)) return undefined;
      // a?.b.save(), save(user) — an optional chain is no node of its own here
      if (isCall(node)) return classifyCall(node, top);
      return byType(node);
    }

    /** `false && save()`: TypeScript knows the left side's truthiness, and the right side never runs. */
    function skipsRight(node: ts.BinaryExpression): boolean {
      const left = skipParentheses(node.left);
      if (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return truthiness(checker, typeOf(left)) === 'falsy';
      if (node.operatorToken.kind === ts.SyntaxKind.BarBarToken) return truthiness(checker, typeOf(left)) === 'truthy';
      return !mayBeNullish(checker, typeOf(left));
    }

    function byType(node: ts.Expression): Finding | undefined {
      const type = typeOf(node);
      if (isPromiseLike(checker, type, facts)) return { kind: 'floating', node };
      if (isPromiseArray(checker, type, facts)) return { kind: 'floatingArray', node };
      return undefined;
    }

    /** `top`: the call is the statement's own value, where `allowForKnownSafeCalls` applies (not under `.finally`). */
    function classifyCall(node: ts.CallExpression, top: boolean): Finding | undefined {
      const callee = skipParentheses(node.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name) && HANDLER_METHODS.has(callee.name.text)) {
        const method = callee.name.text;
        if (method !== 'finally' && !isPromise(node)) return undefined;
        const [first, second] = node.arguments;
        // save().catch(report) — handled unless the handler may not be a function
        if (method === 'catch' && first && !ts.isSpreadElement(first)) return isHandler(first) ? undefined : { kind: 'floatingUselessHandler', node };
        // save().then(done, report) — a spread hides which argument is the rejection handler
        if (method === 'then' && first && second && !ts.isSpreadElement(first)) return isHandler(second) ? undefined : { kind: 'floatingUselessHandler', node };
        // save().catch(report).finally(cleanup) — `finally` passes a rejection through, so ask about its receiver
        if (method === 'finally') {
          const receiver = skipParentheses(callee.expression);
          return isPromise(receiver) && !holdsOnlyFulfilling(receiver) ? classify(receiver, false) : undefined;
        }
        return { kind: 'floating', node };
      }
      // this.pending.splice(0, done.length), stack.pop() — elements an array kept elsewhere held: nothing new floats
      // here. Under `.finally(...)` the chain is new, and floats exactly when one on a stored promise would
      if (top && promises.removesStoredElements(callee)) return undefined;
      // save(user) — the callee's declared return type settles most calls without resolving the call itself;
      // permit.release() — a method of a value its declarations type (`const permit = await slots.acquire(…)`);
      // expect(await load()).toBe(user) — and a method of a call's value is read off the declarations, leaving `load()` untyped
      const declared = declaredMethodType(checker, callee) ?? methodTypeForReturns(checker, callee);
      if (!mayReturnPromise(checker, declared ?? typeOf(callee), facts)) return undefined;
      if (!isPromise(node)) return byType(node);
      if (top && promises.isSafeCall(node)) return undefined;
      // client.cluster('SLOTS', (err, slots) => …) — the promise's outcome goes to the Node-style callback, rejection
      // included. Not under `.finally(...)`, whose new promise rejects all the same
      if (top && deliversToCallback(checker, node)) return undefined;
      // Object.defineProperties(work, extra) — hands back `work`, which is owned (or not) where it lives; under
      // `.finally(...)` the chain floats exactly when `work.finally(...)` would
      const passed = passedThroughArguments(checker, node);
      if (passed) {
        if (!top) {
          for (const argument of passed) {
            const finding = classify(argument, false);
            if (finding) return finding;
          }
          return undefined;
        }
        for (const argument of passed) if (ts.isIdentifier(argument)) unownedReads.add(argument);
        return undefined;
      }
      // worker.release() returning `this.promise` or a closure's `Promise.resolve(promise)` — a promise kept and owned
      // (or not) where it was stored; under `.finally(...)` the chain is new
      if (top && returnsKeptPromise(checker, node)) return undefined;
      // (async () => { try { … } catch (error) { report(error); } })() — a promise that cannot reject loses nothing
      return promises.cannotRejectCall(node) ? undefined : { kind: 'floating', node };
    }

    /**
     * `drained.finally(close)`: the receiver is a `new Promise(…)` that can only fulfil, or a `const` initialised with
     * one, so `finally` has no rejection to pass through.
     */
    function holdsOnlyFulfilling(node: ts.Expression): boolean {
      let value: ts.Expression | undefined = node;
      if (ts.isIdentifier(node)) {
        const variable = localVariable(checker, file, node);
        const declaration = variable?.symbol.declarations?.length === 1 ? variable.declaration : undefined;
        const plain = declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && ts.isVariableDeclarationList(declaration.parent);
        value = plain && declarationKeyword(declaration.parent) === 'const' ? declaration.initializer : undefined;
      }
      const created = value && skipParentheses(value);
      return created !== undefined && ts.isNewExpression(created) && onlyFulfils(checker, created);
    }

    /** Reports a finding at `at`, a statement's value or a concise body's `void …`, with what would give it an owner. */
    function reportFinding(at: ts.Expression, finding: Finding): void {
      const suggest: Array<NativeSuggestion<MessageIds>> = [];
      if (finding.kind !== 'floatingArray') {
        if (options.ignoreVoid && !ts.isVoidExpression(at)) suggest.push({ messageId: 'addVoid', edits: prefixEdits(file, at, 'void') });
        if (isInAsyncFunction(at)) suggest.push({ messageId: 'addAwait', edits: prefixEdits(file, at, 'await') });
        if (finding.kind === 'floating' && isCatchable(at)) suggest.push({ messageId: 'addCatch', edits: [{ range: [at.end, at.end], text: CATCH }] });
      }
      report({ node: at, messageId: finding.kind, data: { name: describeNode(file, finding.node) }, suggest });
    }

    // save(user); — not a string (a directive such as 'use strict'), which is never a promise and needs no type
    function checkStatement(statement: ts.ExpressionStatement): void {
      const expression = skipParentheses(statement.expression);
      if (ts.isStringLiteral(expression) || (options.ignoreIIFE && isIIFE(expression))) return;
      const finding = classify(expression);
      if (!finding) return;
      reportedStatements.add(statement);
      reportFinding(expression, finding);
    }

    // () => void save() — a concise body is a statement in disguise when `void` does not excuse a promise
    function checkVoidBody(arrow: ts.ArrowFunction): void {
      const body = skipParentheses(arrow.body as ts.Expression);
      if (!ts.isVoidExpression(body)) return;
      const finding = classify(body.expression);
      if (finding) reportFinding(body, finding);
    }

    const voidReturn = voidReturnChecker({
      file,
      checker,
      skipCall: (node) => {
        const signature = checker.getResolvedSignature(node);
        return signature !== undefined && awaitsCallbackResult(checker, signature);
      },
      report: (node, data) => report({ node, messageId: 'attribute' in data ? 'voidReturnAttribute' : 'voidReturnArgument', data }),
    });

    // In the order the ESTree version's listeners saw them: statements and arrows on the way down, calls and JSX
    // attributes on the way up (`:exit`).
    walkFile(
      file,
      (node) => {
        if (ts.isExpressionStatement(node)) checkStatement(node);
        else if (ts.isArrowFunction(node) && !options.ignoreVoid) checkVoidBody(node);
      },
      (node) => {
        if (isCall(node) || ts.isNewExpression(node)) voidReturn.call(node);
        else if (ts.isJsxAttribute(node)) voidReturn.attribute(node);
      },
    );
    return { reportedStatements, unownedReads };
  },
  eslintPart: {
    // const pending = save(user); if (ok) await pending; — the paths that leave `pending` unread are ESLint's code paths
    listeners(context, [options], found) {
      const services = ESLintUtils.getParserServices(context);
      const tsNodes = services.esTreeNodeToTSNodeMap;
      const file = tsNodes.get(context.sourceCode.ast);
      // The same view `check` gets for this file, so the two parts share what the checker answered.
      const checker = memoizedTypesForFile(services.program.getTypeChecker(), file);
      const promises = promiseQuestions({ file, program: services.program, checker, options });
      return trackUnownedVariables({
        context,
        isPromiseValued: (declarator) => promises.isPromiseValued(tsNodes.get(declarator)),
        surelyNoPromise: (declarator) => promises.surelyNoPromise(tsNodes.get(declarator)),
        isPromiseBinding: (id, declarator) => promises.isPromiseBinding(tsNodes.get(id).parent as ts.BindingElement, tsNodes.get(declarator)),
        isOwningRead: (read) => !found().unownedReads.has(tsNodes.get(read)),
        isReportedStatement: (statement) => found().reportedStatements.has(tsNodes.get(statement)),
        report: (id, everyPath) => context.report({ node: id, messageId: everyPath ? 'unownedVariable' : 'unownedOnSomePath', data: { name: id.name } }),
      });
    },
    needed: ({ file, program, checker, options: [options] }) => mayReportIn(file, checker, promiseQuestions({ file, program, checker, options })),
  },
});
