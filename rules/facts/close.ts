/**
 * Facts about closing a resource that `no-double-close` (and later the analyzer) needs beyond `closesResource` in
 * `../facts.ts`: user-declared resources with where they come from, whether a `[Symbol.dispose]()` call gives a
 * known resource back, and which calls take a listener off again.
 *
 * Like `../facts.ts`, this speaks only plain TypeScript compiler objects and enum numbers, so a ts-morph checker works
 * here too.
 */
import ts from '../utils/typescript.cjs';
import { closesResource, DEFAULT_LIB_FILE, namedDeclarations } from '../facts.js';

/**
 * A user-declared resource: a type (matched on the receiver's type and its base types) and the methods that give it
 * back. Shaped after typescript-eslint's `TypeOrValueSpecifier`, flattened: `from` says where the type must be
 * declared, so a `Pool` of one library is not mistaken for another's.
 *
 * @example { type: 'Pool', from: 'package', package: 'pg', methods: ['end'] }
 */
export interface ResourceSpecifier {
  /** The name of the class, interface or type alias, as declared (not the variable's name). */
  type: string;
  /** The methods that close the resource; calling any of them twice on one path is reported. */
  methods: readonly string[];
  /**
   * Where the type is declared: `file` (this project, not `node_modules`), `lib` (TypeScript's `lib.*.d.ts`) or
   * `package` (the npm package named by `package`). Without it, a declaration anywhere matches.
   * @default undefined
   */
  from?: 'file' | 'lib' | 'package';
  /** With `from: 'package'`: the package name (`pg`, `@scope/name`); its `@types/` package counts too. */
  package?: string;
  /** With `from: 'file'`: the declaring file's path, matched as a suffix (`src/db.ts`). */
  path?: string;
}

/** The close methods `closesResource` knows for built-in resources (`release` is a taskscope `Permit`'s). */
export const BUILTIN_CLOSE_METHODS: readonly string[] = ['close', 'releaseLock', 'release'];

const NODE_MODULES = /[\\/]node_modules[\\/]/;
const NODE_TYPES = /[\\/]@types[\\/]node[\\/]/;

/** A declaration's enclosing `declare module 'name'`, if any (how `@types` packages declare some modules). */
function ambientModuleName(declaration: ts.Node): string | undefined {
  for (let node: ts.Node | undefined = declaration.parent; node; node = node.parent) {
    if (node.kind === ts.SyntaxKind.ModuleDeclaration) {
      const name = (node as ts.ModuleDeclaration).name;
      if (name.kind === ts.SyntaxKind.StringLiteral) return name.text;
    }
  }
  return undefined;
}

/** Whether a declaration is where `specifier.from` says the type must come from. */
export function isDeclaredWhere(declaration: ts.Declaration, specifier: Pick<ResourceSpecifier, 'from' | 'package' | 'path'>): boolean {
  const file = declaration.getSourceFile().fileName.replaceAll('\\', '/');
  switch (specifier.from) {
    case undefined:
      return true;
    case 'lib':
      return DEFAULT_LIB_FILE.test(file);
    case 'file': {
      if (NODE_MODULES.test(file) || DEFAULT_LIB_FILE.test(file)) return false;
      const path = specifier.path?.replace(/^\.\//, '');
      return path === undefined || file.endsWith(`/${path}`) || file === path;
    }
    case 'package': {
      const name = specifier.package;
      if (!name) return false;
      // `@scope/name` is typed by `@types/scope__name`.
      const typesName = name.startsWith('@') ? name.slice(1).replace('/', '__') : name;
      return (
        file.includes(`/node_modules/${name}/`) ||
        file.includes(`/node_modules/@types/${typesName}/`) ||
        ambientModuleName(declaration) === name
      );
    }
  }
}


/** Whether a type (or one of its bases) is the type a specifier names, declared where it says. */
export function matchesResource(checker: ts.TypeChecker, type: ts.Type, specifier: ResourceSpecifier): boolean {
  return namedDeclarations(checker, type).some(
    ({ name, declarations }) => name === specifier.type && declarations.some((declaration) => isDeclaredWhere(declaration, specifier)),
  );
}

/**
 * Whether calling `method` on a receiver of this type gives a resource back: a built-in pair (`closesResource`:
 * stream controllers and writers, readers' `releaseLock`, `FileHandle`, `http`/`net` `Server`, taskscope's `Permit`)
 * or one of the caller's `resources`.
 *
 * @example isCloseMethod(checker, typeOf(`pool`), 'end', [{ type: 'Pool', from: 'package', package: 'pg', methods: ['end'] }]) // true
 */
export function isCloseMethod(checker: ts.TypeChecker, receiverType: ts.Type, method: string, resources: readonly ResourceSpecifier[] = []): boolean {
  if (BUILTIN_CLOSE_METHODS.includes(method) && closesResource(checker, receiverType, method)) return true;
  return resources.some((resource) => resource.methods.includes(method) && matchesResource(checker, receiverType, resource));
}

/**
 * Whether a type is a resource that one of its methods closes (by {@link isCloseMethod}). Asked for an explicit
 * `resource[Symbol.dispose]()` call, which gives the resource back like its close method does: after it, a `release()`
 * is a second release. Disposal itself is idempotent for these types, so it is never the reported second call.
 */
export function isClosableResource(checker: ts.TypeChecker, type: ts.Type, resources: readonly ResourceSpecifier[] = []): boolean {
  return (
    BUILTIN_CLOSE_METHODS.some((method) => closesResource(checker, type, method)) ||
    resources.some((resource) => matchesResource(checker, type, resource))
  );
}

/**
 * Whether calling `method` on a receiver of this type opens it again after a close, so a later close is a first
 * close: `http`/`net` `Server#listen` (a closed server may listen again). The other built-in resources cannot reopen.
 *
 * @example reopensResource(checker, typeOf(`server`), 'listen') // true for a node:http Server
 */
export function reopensResource(checker: ts.TypeChecker, receiverType: ts.Type, method: string): boolean {
  return (
    method === 'listen' &&
    namedDeclarations(checker, receiverType).some(
      ({ name, declarations }) => name === 'Server' && declarations.some((declaration) => NODE_TYPES.test(declaration.getSourceFile().fileName)),
    )
  );
}

/**
 * Where the platform's classes are declared: TypeScript's lib files, Node's types, and undici's, whose declarations
 * Node's web globals (`fetch`, `Request`, `WebSocket`, `EventSource`) come from in a project without the DOM lib.
 */
export const PLATFORM: ReadonlyArray<Pick<ResourceSpecifier, 'from' | 'package'>> = [
  { from: 'lib' },
  { from: 'package', package: 'node' },
  { from: 'package', package: 'undici-types' },
];

// Methods that take a listener off, and where each is declared: the platform's `EventTarget`s (the DOM's, Node's, and
// undici's `WebSocket` and `EventSource`), and Node's `EventEmitter`'s (`@types/node`'s `events` module).
const LISTENER_REMOVALS: ReadonlyMap<string, ReadonlyArray<Pick<ResourceSpecifier, 'from' | 'package'>>> = new Map([
  ['removeEventListener', PLATFORM],
  ['off', [{ from: 'package', package: 'events' }]],
  ['removeListener', [{ from: 'package', package: 'events' }]],
]);

/**
 * Whether a callee takes a listener off again: a platform `EventTarget#removeEventListener` (see {@link PLATFORM}), or
 * Node's `EventEmitter#off` and `#removeListener`. It never calls the function it is given, so nothing that function
 * returns can be lost there. By declaration, so a method of that name on another type is not one.
 *
 * @example isListenerRemoval(checker, calleeOf(`window.removeEventListener('visibilitychange', onChange)`)) // true
 */
export function isListenerRemoval(checker: ts.TypeChecker, callee: ts.Node): boolean {
  const places = ts.isPropertyAccessExpression(callee) ? LISTENER_REMOVALS.get(callee.name.text) : undefined;
  if (!places) return false;
  const declarations = checker.getSymbolAtLocation((callee as ts.PropertyAccessExpression).name)?.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((declaration) => places.some((where) => isDeclaredWhere(declaration, where)));
}
