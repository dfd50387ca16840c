import { typeMatchesSomeSpecifier, typeOrValueSpecifiersSchema, valueMatchesSomeSpecifier, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { AST_NODE_TYPES, ASTUtils, ESLintUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from './utils/typescript.cjs';
import { awaitsCallbackResult, cannotReject, declaresPromiseProperty, deliversToCallback, isKnownSafeCallee, isPromiseArray, mayBeNullish, onlyFulfils } from './facts.js';
import { isArrayRemoval, isKeptReference, isPromiseLike, mayReturnPromise, passedThroughArguments, returnsKeptPromise, skipOuter, truthiness, type PromiseFacts } from './facts.js';
import { declaredMethodType, declaredTypeOf, methodTypeForReturns } from './facts/declared-types.js';
import { calleeName, describeExpression, isInAsyncFunction, prefixFix } from './utils/ast.js';
import { createRule } from './utils/create-rule.js';
import { globalCalleeType } from './utils/global-values.js';
import { trackUnownedVariables } from './utils/unowned-variables.js';
import { checkVoidReturnCallbacks } from './utils/void-return.js';

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

type FindingKind = 'floating' | 'floatingUselessHandler' | 'floatingArray';
interface Finding {
  kind: FindingKind;
  /** The sub-expression that floats (`Promise.resolve()` in `(Promise.resolve(), 123)`), for the message. */
  node: TSESTree.Node;
}

const HANDLER_METHODS = new Set(['then', 'catch', 'finally']);

/** The expressions a value may come from: through `?.` chains, `&&`/`||`/`??` and `a ? b : c`. */
function valueBranches(node: TSESTree.Expression): TSESTree.Expression[] {
  switch (node.type) {
    case AST_NODE_TYPES.ChainExpression:
      return valueBranches(node.expression);
    case AST_NODE_TYPES.ConditionalExpression:
      return [...valueBranches(node.consequent), ...valueBranches(node.alternate)];
    case AST_NODE_TYPES.LogicalExpression:
      return [...valueBranches(node.left), ...valueBranches(node.right)];
    default:
      return [node];
  }
}

export default createRule<[NoFloatingTaskOptions], MessageIds>({
  name: 'no-floating-task',
  meta: {
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
  },
  defaultOptions: [{ ignoreVoid: true, ignoreIIFE: false, checkThenables: false, allowForKnownSafePromises: [], allowForKnownSafeCalls: [] }],
  create(context, [options]) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const sourceCode = context.sourceCode;
    const safePromises = options.allowForKnownSafePromises ?? [];
    const safeCalls = options.allowForKnownSafeCalls ?? [];
    const facts: PromiseFacts = {
      checkThenables: options.checkThenables ?? false,
      ...(safePromises.length > 0 && { isKnownSafe: (type: ts.Type) => typeMatchesSomeSpecifier(type, safePromises, services.program) }),
    };
    const typeOf = (node: TSESTree.Node): ts.Type => services.getTypeAtLocation(node);
    const isPromise = (node: TSESTree.Node): boolean => isPromiseLike(checker, typeOf(node), facts);

    /** Whether a call's promise belongs to someone else: `allowForKnownSafeCalls`, or a `node:test` registration. */
    function isSafeCall(node: TSESTree.CallExpression): boolean {
      if (safeCalls.length > 0 && valueMatchesSomeSpecifier(node.callee, safeCalls, services.program, typeOf(node.callee))) return true;
      return isKnownSafeCallee(checker, services.esTreeNodeToTSNodeMap.get(node.callee));
    }

    /** Whether a rejection handler argument is surely a function (`maybeCallable: string | (() => void)` is not). */
    function isHandler(node: TSESTree.CallExpressionArgument): boolean {
      if (node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionExpression) return true;
      if (node.type === AST_NODE_TYPES.SpreadElement) return false;
      const type = typeOf(node);
      if (type.flags & ts.TypeFlags.Any) return true;
      const members = type.isUnion() ? type.types : [type];
      return members.every((member) => member.getCallSignatures().length > 0);
    }

    /** Why an expression statement's value floats, or `undefined` when nothing does. Descends like evaluation does. */
    function classify(node: TSESTree.Node, top = true): Finding | undefined {
      switch (node.type) {
        // a?.b.save()
        case AST_NODE_TYPES.ChainExpression:
          return classify(node.expression, top);
        // (save(), 123) — every operand is evaluated and dropped
        case AST_NODE_TYPES.SequenceExpression:
          for (const expression of node.expressions) {
            const finding = classify(expression, top);
            if (finding) return finding;
          }
          return undefined;
        // ready ? save() : null — the test is consumed as a condition; only the branches can float
        case AST_NODE_TYPES.ConditionalExpression:
          return classify(node.consequent, top) ?? classify(node.alternate, top);
        // cached || refresh() — unless the left side decides statically that the right never runs
        case AST_NODE_TYPES.LogicalExpression:
          return classify(node.left, top) ?? (skipsRight(node) ? undefined : classify(node.right, top));
        // void save()
        case AST_NODE_TYPES.UnaryExpression:
          if (node.operator === 'void') return options.ignoreVoid ? undefined : classify(node.argument, top);
          return byType(node);
        // await Promise.all(tasks) settles; only an awaited array (`await tasks`) still floats. `await group.wait()`
        // is typed from the callee's declarations when they decide it: resolving a generic call (`goEach`) would
        // type its callback's body, which no rule needs
        case AST_NODE_TYPES.AwaitExpression:
          return isPromiseArray(checker, declaredTypeOf(checker, services.esTreeNodeToTSNodeMap.get(node)) ?? typeOf(node), facts)
            ? { kind: 'floatingArray', node }
            : undefined;
        // pending = save() — stored, so owned by whoever reads the target
        case AST_NODE_TYPES.AssignmentExpression:
          return undefined;
        case AST_NODE_TYPES.CallExpression:
          return classifyCall(node, top);
        default:
          return byType(node);
      }
    }

    /** `false && save()`: TypeScript knows the left side's truthiness, and the right side never runs. */
    function skipsRight(node: TSESTree.LogicalExpression): boolean {
      const left = truthiness(checker, typeOf(node.left));
      if (node.operator === '&&') return left === 'falsy';
      if (node.operator === '||') return left === 'truthy';
      return !mayBeNullish(checker, typeOf(node.left));
    }

    function byType(node: TSESTree.Node): Finding | undefined {
      const type = typeOf(node);
      if (isPromiseLike(checker, type, facts)) return { kind: 'floating', node };
      if (isPromiseArray(checker, type, facts)) return { kind: 'floatingArray', node };
      return undefined;
    }

    /** `top`: the call is the statement's own value, where `allowForKnownSafeCalls` applies (not under `.finally`). */
    function classifyCall(node: TSESTree.CallExpression, top: boolean): Finding | undefined {
      const callee = node.callee;
      const method =
        callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
          ? callee.property.name
          : undefined;
      if (callee.type === AST_NODE_TYPES.MemberExpression && method && HANDLER_METHODS.has(method)) {
        if (method !== 'finally' && !isPromise(node)) return undefined;
        const [first, second] = node.arguments;
        // save().catch(report) — handled unless the handler may not be a function
        if (method === 'catch' && first && first.type !== AST_NODE_TYPES.SpreadElement) {
          return isHandler(first) ? undefined : { kind: 'floatingUselessHandler', node };
        }
        // save().then(done, report) — a spread hides which argument is the rejection handler
        if (method === 'then' && first && second && first.type !== AST_NODE_TYPES.SpreadElement) {
          return isHandler(second) ? undefined : { kind: 'floatingUselessHandler', node };
        }
        // save().catch(report).finally(cleanup) — `finally` passes a rejection through, so ask about its receiver
        if (method === 'finally') return isPromise(callee.object) && !holdsOnlyFulfilling(callee.object) ? classify(callee.object, false) : undefined;
        return { kind: 'floating', node };
      }
      // this.pending.splice(0, done.length), stack.pop() — elements an array kept elsewhere held: nothing new floats
      // here. Under `.finally(...)` the chain is new, and floats exactly when one on a stored promise would
      const tsCallee = services.esTreeNodeToTSNodeMap.get(callee);
      if (top && removesStoredElements(tsCallee)) return undefined;
      // save(user) — the callee's declared return type settles most calls without resolving the call itself;
      // permit.release() — a method of a value its declarations type (`const permit = await slots.acquire(…)`);
      // expect(await load()).toBe(user) — and a method of a call's value is read off the declarations, leaving `load()` untyped
      const declared = declaredMethodType(checker, tsCallee) ?? methodTypeForReturns(checker, tsCallee);
      if (!mayReturnPromise(checker, declared ?? typeOf(callee), facts)) return undefined;
      if (!isPromise(node)) return byType(node);
      if (top && isSafeCall(node)) return undefined;
      // client.cluster('SLOTS', (err, slots) => …) — the promise's outcome goes to the Node-style callback, rejection
      // included. Not under `.finally(...)`, whose new promise rejects all the same
      if (top && deliversToCallback(checker, services.esTreeNodeToTSNodeMap.get(node))) return undefined;
      // Object.defineProperties(work, extra) — hands back `work`, which is owned (or not) where it lives; under
      // `.finally(...)` the chain floats exactly when `work.finally(...)` would
      const passed = passedThrough(node);
      if (passed) {
        if (!top) {
          for (const argument of passed) {
            const finding = classify(argument, false);
            if (finding) return finding;
          }
          return undefined;
        }
        for (const argument of passed) if (argument.type === AST_NODE_TYPES.Identifier) unownedReads.add(argument);
        return undefined;
      }
      // worker.release() returning `this.promise` or a closure's `Promise.resolve(promise)` — a promise kept and owned
      // (or not) where it was stored; under `.finally(...)` the chain is new
      if (top && returnsKeptPromise(checker, services.esTreeNodeToTSNodeMap.get(node))) return undefined;
      // (async () => { try { … } catch (error) { report(error); } })() — a promise that cannot reject loses nothing
      return cannotRejectCall(node) ? undefined : { kind: 'floating', node };
    }

    /**
     * `drained.finally(close)`: the receiver is a `new Promise(…)` that can only fulfil, or a `const` initialised with
     * one, so `finally` has no rejection to pass through.
     */
    function holdsOnlyFulfilling(node: TSESTree.Expression): boolean {
      let value: TSESTree.Expression | null | undefined = node;
      if (node.type === AST_NODE_TYPES.Identifier) {
        const definitions = ASTUtils.findVariable(sourceCode.getScope(node), node)?.defs ?? [];
        const declarator = definitions.length === 1 ? definitions[0]?.node : undefined;
        const plain = declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier;
        value = plain && declarator.parent.kind === 'const' ? declarator.init : undefined;
      }
      return value?.type === AST_NODE_TYPES.NewExpression && onlyFulfils(checker, services.esTreeNodeToTSNodeMap.get(value));
    }

    /**
     * `this.pending.splice(0, n)`, `stack.pop()` with the built-in `Array` methods, on an array kept outside this
     * function (a property, a module's or a closure's variable, a parameter): its elements were made, and owned or
     * not, where they were stored. Not on an array this function made (`tasks.pop()` after `const tasks =
     * ids.map(save)` drops a promise made here), nor on a fresh one (`ids.map(save).shift()`).
     */
    function removesStoredElements(tsCallee: ts.Node): boolean {
      if (!ts.isPropertyAccessExpression(tsCallee) || !isArrayRemoval(checker, tsCallee)) return false;
      let root = skipOuter(tsCallee.expression);
      if (!isKeptReference(root) && root.kind !== ts.SyntaxKind.ThisKeyword && root.kind !== ts.SyntaxKind.SuperKeyword) return false;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
      const id = ts.isIdentifier(root) ? services.tsNodeToESTreeNodeMap.get(root) : undefined;
      if (id?.type !== AST_NODE_TYPES.Identifier) return true;
      const scope = sourceCode.getScope(id);
      const variable = ASTUtils.findVariable(scope, id);
      if (!variable) return true;
      if (variable.scope.variableScope !== scope.variableScope) return true;
      // a parameter, unless its default value is an array made here (`tasks = ids.map(save)`)
      const definition = variable.defs[0];
      return definition?.type === TSESLint.Scope.DefinitionType.Parameter && definition.name.parent?.type !== AST_NODE_TYPES.AssignmentPattern;
    }

    /** {@link passedThroughArguments} of a call, as the rule's nodes. */
    function passedThrough(node: TSESTree.CallExpression): readonly TSESTree.Node[] | undefined {
      return passedThroughArguments(checker, services.esTreeNodeToTSNodeMap.get(node))?.map((argument) => services.tsNodeToESTreeNodeMap.get(argument));
    }

    /** Whether a call runs an async function that catches everything it does (by its declaration, when in the program). */
    function cannotRejectCall(node: TSESTree.CallExpression): boolean {
      const callee = node.callee;
      if (callee.type === AST_NODE_TYPES.ArrowFunctionExpression || callee.type === AST_NODE_TYPES.FunctionExpression) {
        return cannotReject(checker, services.esTreeNodeToTSNodeMap.get(callee));
      }
      const declaration = checker.getResolvedSignature(services.esTreeNodeToTSNodeMap.get(node))?.getDeclaration();
      return declaration !== undefined && cannotReject(checker, declaration);
    }

    /**
     * Whether a pass-through call hands this promise on for good: the argument is a local `const`/`let` of this
     * function holding a promise, read nowhere but in this call. `const b = identity(a); await a;` keeps `a` as its
     * owner, and a property (`this.work`) is owned where it lives.
     */
    function movesHere(argument: TSESTree.Node, call: TSESTree.CallExpression): boolean {
      if (argument.type !== AST_NODE_TYPES.Identifier) return false;
      const scope = sourceCode.getScope(argument);
      const variable = ASTUtils.findVariable(scope, argument);
      if (!variable || variable.defs.length !== 1 || variable.defs[0]?.type !== TSESLint.Scope.DefinitionType.Variable || variable.scope.variableScope !== scope.variableScope) return false;
      const inCall = ({ identifier }: TSESLint.Scope.Reference): boolean => identifier.range[0] >= call.range[0] && identifier.range[1] <= call.range[1];
      if (!variable.references.filter((reference) => reference.isValueReference && reference.isRead()).every(inCall)) return false;
      return isPromise(argument) || isPromiseArray(checker, typeOf(argument), facts);
    }

    /** Whether an initialiser may hold a promise that can reject: a branch that calls something that can. */
    function mayReject(node: TSESTree.Expression): boolean {
      return valueBranches(node).some((branch) => {
        switch (branch.type) {
          case AST_NODE_TYPES.CallExpression: {
            if (isSafeCall(branch)) return false;
            // const waiting = this.waiting.splice(0, n) — elements an array kept elsewhere held, owned (or not) where
            // they were stored, as for the statement
            if (removesStoredElements(services.esTreeNodeToTSNodeMap.get(branch.callee))) return false;
            if (returnsKeptPromise(checker, services.esTreeNodeToTSNodeMap.get(branch))) return false;
            // const tagged = Object.assign(audit, extra) — the promise `audit` held lives on in this variable alone
            const passed = passedThrough(branch);
            if (passed) return passed.some((argument) => movesHere(argument, branch));
            return !cannotRejectCall(branch);
          }
          // [`${key}="`] as StringBuffer — a cast changes the type, not the value: a string in an array typed to hold
          // promises too is no promise yet
          case AST_NODE_TYPES.TSAsExpression:
          case AST_NODE_TYPES.TSSatisfiesExpression:
          case AST_NODE_TYPES.TSNonNullExpression:
            return mayReject(branch.expression);
          // [save(user), `${id}`] — an element that may reject; holes and literals cannot
          case AST_NODE_TYPES.ArrayExpression:
            return branch.elements.some((element) => element !== null && mayReject(element.type === AST_NODE_TYPES.SpreadElement ? element.argument : element));
          // new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())) — nothing can reject it
          case AST_NODE_TYPES.NewExpression:
            return !onlyFulfils(checker, services.esTreeNodeToTSNodeMap.get(branch)) && (isPromise(branch) || isPromiseArray(checker, typeOf(branch), facts));
          default:
            return isPromise(branch) || isPromiseArray(checker, typeOf(branch), facts);
        }
      });
    }

    /**
     * Whether an initialiser may hold a promise (or an array of them), judged by its calls' callees: `false` only when
     * every value it can take is a call or `new` whose callee's declared signatures return none. Typing the variable
     * instead resolves every call in the initialiser, which for `declaredType(node) ?? typeOf(services.map.get(node))`
     * instantiated typescript-eslint's node-map types (0.13 s for one declaration in this repository).
     */
    function callsMayGivePromise(node: TSESTree.Expression): boolean {
      return valueBranches(node).some((branch) =>
        branch.type === AST_NODE_TYPES.CallExpression || branch.type === AST_NODE_TYPES.NewExpression
          ? mayReturnPromise(checker, typeOf(branch.callee), facts, branch.type === AST_NODE_TYPES.NewExpression)
          : true,
      );
    }

    function isIIFE(node: TSESTree.Expression): boolean {
      return (
        node.type === AST_NODE_TYPES.CallExpression &&
        (node.callee.type === AST_NODE_TYPES.ArrowFunctionExpression || node.callee.type === AST_NODE_TYPES.FunctionExpression)
      );
    }

    const reportedStatements = new Set<TSESTree.Node>();
    // Arguments of calls that hand them straight back as statements: reading them there owns nothing.
    const unownedReads = new Set<TSESTree.Node>();

    function report(at: TSESTree.Expression, finding: Finding): void {
      const suggest: Array<TSESLint.SuggestionReportDescriptor<MessageIds>> = [];
      if (finding.kind !== 'floatingArray') {
        if (options.ignoreVoid && !(at.type === AST_NODE_TYPES.UnaryExpression && at.operator === 'void')) {
          suggest.push({ messageId: 'addVoid', fix: prefixFix(at, 'void') });
        }
        if (isInAsyncFunction(at)) suggest.push({ messageId: 'addAwait', fix: prefixFix(at, 'await') });
        if (finding.kind === 'floating' && CATCHABLE.has(at.type)) {
          suggest.push({ messageId: 'addCatch', fix: (fixer) => fixer.insertTextAfter(at, '.catch((error) => console.error(error))') });
        }
      }
      context.report({ node: at, messageId: finding.kind, data: { name: describeExpression(sourceCode, finding.node) }, suggest });
    }

    const variables = trackUnownedVariables({
      context,
      isPromiseValued: (declarator) => {
        const init = declarator.init;
        // const user = loadUser(id), const type = declaredType(node) ?? typeOf(node) — the callees' declared types rule
        // most declarations out before any call is typed
        if (init && !callsMayGivePromise(init)) return false;
        const type = typeOf(declarator.id);
        if (!isPromiseLike(checker, type, facts) && !isPromiseArray(checker, type, facts)) return false;
        return !init || mayReject(init);
      },
      // const value: unknown = JSON.parse(text), const body = JSON.stringify(data): the written type, or a global
      // callee's declared type, gives the answer of `isPromiseValued` before the traversal, without typing anything
      surelyNoPromise: (declarator) => {
        const annotation = declarator.id.typeAnnotation?.typeAnnotation;
        if (annotation) {
          const type = checker.getTypeFromTypeNode(services.esTreeNodeToTSNodeMap.get(annotation) as ts.TypeNode);
          return !isPromiseLike(checker, type, facts) && !isPromiseArray(checker, type, facts);
        }
        const init = declarator.init;
        if (init?.type !== AST_NODE_TYPES.CallExpression && init?.type !== AST_NODE_TYPES.NewExpression) return false;
        const global = globalCalleeType(services, sourceCode, init.callee);
        return global !== undefined && !mayReturnPromise(checker, global, facts, init.type === AST_NODE_TYPES.NewExpression);
      },
      // const { promise: connected, reject } = withResolvers() — the deferred object is gone, its promise is ours
      isPromiseBinding: (id, { init }) => {
        const property = id.parent;
        if (property.type !== AST_NODE_TYPES.Property || (init.type === AST_NODE_TYPES.CallExpression && isSafeCall(init))) return false;
        const key = property.computed ? undefined : property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : String(property.key.value);
        const construct = init.type === AST_NODE_TYPES.NewExpression;
        return key !== undefined && declaresPromiseProperty(checker, typeOf(init.callee), key, facts, construct);
      },
      isOwningRead: (read) => !unownedReads.has(read),
      isReportedStatement: (statement) => reportedStatements.has(statement),
      report: (id, everyPath) => context.report({ node: id, messageId: everyPath ? 'unownedVariable' : 'unownedOnSomePath', data: { name: id.name } }),
    });

    return {
      ...variables,
      ...checkVoidReturnCallbacks({
        services,
        sourceCode,
        checker,
        calleeName: (node) => calleeName(sourceCode, node),
        skipCall: (node) => {
          const signature = checker.getResolvedSignature(services.esTreeNodeToTSNodeMap.get(node));
          return signature !== undefined && awaitsCallbackResult(checker, signature);
        },
        report: (node, data) => context.report({ node, messageId: 'attribute' in data ? 'voidReturnAttribute' : 'voidReturnArgument', data }),
      }),
      ExpressionStatement(node): void {
        if (node.directive !== undefined) return;
        if (options.ignoreIIFE && isIIFE(node.expression)) return;
        const finding = classify(node.expression);
        if (!finding) return;
        reportedStatements.add(node);
        report(node.expression, finding);
      },
      // () => void save() — a concise body is a statement in disguise when `void` does not excuse a promise
      'ArrowFunctionExpression > UnaryExpression.body[operator="void"]'(node: TSESTree.UnaryExpression): void {
        if (options.ignoreVoid) return;
        const finding = classify(node.argument);
        if (finding) report(node, finding);
      },
    };
  },
});

// Expressions that take a `.catch(...)` suffix without parentheses and without changing what is caught.
const CATCHABLE = new Set<AST_NODE_TYPES>([
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.ChainExpression,
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.TaggedTemplateExpression,
]);
