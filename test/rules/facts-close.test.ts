import ts from 'typescript';
import { inMemoryProgram } from './in-memory-program.js';
import { describe, expect, it } from 'vitest';
import { isClosableResource, isCloseMethod, isDeclaredWhere, matchesResource, reopensResource, type ResourceSpecifier } from '../../rules/facts/close.js';

// One in-memory program: an npm package, an ambient `declare module`, the application's own pool, taskscope's
// declarations (standing in under node_modules/taskscope/), and the real lib files and @types/node.
const SOURCES: Record<string, string> = {
  '/app/node_modules/pg/index.d.ts': `
    export declare class Pool { query(sql: string): Promise<unknown>; end(): Promise<void>; }
  `,
  '/app/node_modules/@types/acme__db/index.d.ts': `
    export declare class Connection { close(): void; }
  `,
  '/app/types/redis.d.ts': `
    declare module 'redis' { export class Client { quit(): Promise<void>; } }
  `,
  '/app/node_modules/taskscope/dist/runtime/index.d.ts': `
    export interface Permit extends Disposable { readonly released: boolean; release(): void; }
  `,
  '/app/src/db.ts': `
    export class Pool { end(): void {} }
    export class ReplicaPool extends Pool {}
  `,
  '/app/main.ts': `
    import type { Pool as PgPool } from './node_modules/pg/index.js';
    import type { Pool, ReplicaPool } from './src/db.js';
    import type { Permit } from './node_modules/taskscope/dist/runtime/index.js';
    import type { Client } from 'redis';
    import type { Connection } from './node_modules/@types/acme__db/index.js';
    import type { FileHandle } from 'node:fs/promises';
    import type { Server } from 'node:http';
    declare const pgPool: PgPool;
    declare const ownPool: Pool;
    declare const replica: ReplicaPool;
    declare const redis: Client;
    declare const acme: Connection;
    declare const permit: Permit;
    declare const file: FileHandle;
    declare const server: Server;
    declare const writer: WritableStreamDefaultWriter<string>;
    declare const maybeWriter: WritableStreamDefaultWriter<string> | undefined;
    declare const text: string;
    export {};
  `,
};

const { checker, main } = inMemoryProgram(SOURCES, { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'], roots: ['/app/main.ts', '/app/types/redis.d.ts'] });

/** The declared type of `declare const <name>` in main.ts. */
function typeOf(name: string): ts.Type {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === name) found = node.name;
    ts.forEachChild(node, visit);
  };
  visit(main);
  if (!found) throw new Error(`no declaration of ${name}`);
  return checker.getTypeAtLocation(found);
}

const pg: ResourceSpecifier = { type: 'Pool', from: 'package', package: 'pg', methods: ['end'] };
const own: ResourceSpecifier = { type: 'Pool', from: 'file', path: 'src/db.ts', methods: ['end'] };

describe('isCloseMethod', () => {
  it('knows the built-in close methods', () => {
    expect(isCloseMethod(checker, typeOf('writer'), 'close')).toBe(true);
    expect(isCloseMethod(checker, typeOf('maybeWriter'), 'close')).toBe(true);
    expect(isCloseMethod(checker, typeOf('file'), 'close')).toBe(true);
    expect(isCloseMethod(checker, typeOf('server'), 'close')).toBe(true);
    expect(isCloseMethod(checker, typeOf('permit'), 'release')).toBe(true);
  });

  it('rejects other methods and unknown types', () => {
    expect(isCloseMethod(checker, typeOf('writer'), 'write')).toBe(false);
    expect(isCloseMethod(checker, typeOf('pgPool'), 'end')).toBe(false);
    expect(isCloseMethod(checker, typeOf('text'), 'close')).toBe(false);
  });

  it('adds configured resources, each from where it says', () => {
    expect(isCloseMethod(checker, typeOf('pgPool'), 'end', [pg])).toBe(true);
    expect(isCloseMethod(checker, typeOf('ownPool'), 'end', [pg])).toBe(false);
    expect(isCloseMethod(checker, typeOf('ownPool'), 'end', [own])).toBe(true);
    expect(isCloseMethod(checker, typeOf('pgPool'), 'end', [own])).toBe(false);
    expect(isCloseMethod(checker, typeOf('pgPool'), 'query', [pg])).toBe(false);
  });
});

describe('matchesResource', () => {
  it('matches through base types', () => {
    expect(matchesResource(checker, typeOf('replica'), own)).toBe(true);
  });

  it('matches any declaration without `from`', () => {
    const anywhere: ResourceSpecifier = { type: 'Pool', methods: ['end'] };
    expect(matchesResource(checker, typeOf('pgPool'), anywhere)).toBe(true);
    expect(matchesResource(checker, typeOf('ownPool'), anywhere)).toBe(true);
  });

  it('matches a package declared as an ambient module', () => {
    expect(matchesResource(checker, typeOf('redis'), { type: 'Client', from: 'package', package: 'redis', methods: ['quit'] })).toBe(true);
    expect(matchesResource(checker, typeOf('redis'), { type: 'Client', from: 'package', package: 'ioredis', methods: ['quit'] })).toBe(false);
  });

  it('matches lib types only with `from: lib`', () => {
    expect(matchesResource(checker, typeOf('writer'), { type: 'WritableStreamDefaultWriter', from: 'lib', methods: ['abort'] })).toBe(true);
    expect(matchesResource(checker, typeOf('writer'), { type: 'WritableStreamDefaultWriter', from: 'file', methods: ['abort'] })).toBe(false);
  });
});

describe('isDeclaredWhere', () => {
  it('reads `@types/` packages for scoped names', () => {
    const [declaration] = typeOf('acme').getSymbol()?.getDeclarations() ?? [];
    expect(declaration).toBeDefined();
    expect(isDeclaredWhere(declaration!, { from: 'package', package: '@acme/db' })).toBe(true);
    expect(isDeclaredWhere(declaration!, { from: 'package', package: 'db' })).toBe(false);
    expect(isDeclaredWhere(declaration!, { from: 'package' })).toBe(false);
    expect(isDeclaredWhere(declaration!, { from: 'file' })).toBe(false);
  });
});

describe('isClosableResource', () => {
  it('knows resources a `[Symbol.dispose]()` call gives back', () => {
    expect(isClosableResource(checker, typeOf('permit'))).toBe(true);
    expect(isClosableResource(checker, typeOf('file'))).toBe(true);
    expect(isClosableResource(checker, typeOf('ownPool'))).toBe(false);
    expect(isClosableResource(checker, typeOf('ownPool'), [own])).toBe(true);
  });
});

describe('reopensResource', () => {
  it('knows that a closed server may listen again', () => {
    expect(reopensResource(checker, typeOf('server'), 'listen')).toBe(true);
    expect(reopensResource(checker, typeOf('server'), 'close')).toBe(false);
    expect(reopensResource(checker, typeOf('file'), 'listen')).toBe(false);
  });
});
