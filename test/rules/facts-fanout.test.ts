import ts from 'typescript';
import { inMemoryProgram } from './in-memory-program.js';
import { describe, expect, it } from 'vitest';
import {
  callbackBound,
  callbackWork,
  count,
  errGroupLimit,
  expressionWork,
  fanOutBound,
  isElementMethodCall,
  isLimiterCall,
  isPromiseCombinator,
  isSemaphoreLike,
  iterationBound,
  loopBound,
  multiply,
  spawnBound,
  type FanOutBound,
} from '../../rules/facts/fanout.js';

// One in-memory program: minimal taskscope primitives under /app/runtime/ (where the shared facts look for them), and
// probes in main.ts: `const probe_<name> = <expression>;`, labelled loops `<name>: for …`, and `spawn('<name>')` calls.
const SOURCES: Record<string, string> = {
  '/app/runtime/err-group.ts': `
    export interface ErrGroupOptions { signal?: AbortSignal; limit?: number; name?: string }
    export class ErrGroup {
      constructor(options?: ErrGroupOptions) {}
      go(task: (signal: AbortSignal) => unknown): void {}
      goBlocking(task: (signal: AbortSignal) => unknown): Promise<void> { return Promise.resolve(); }
      wait(): Promise<void> { return Promise.resolve(); }
    }
  `,
  '/app/runtime/semaphore.ts': `
    export interface Permit extends Disposable { release(): void }
    export class Semaphore { constructor(capacity: number) {} acquire(): Promise<Permit> { return Promise.resolve({ release() {}, [Symbol.dispose]() {} }); } }
  `,
  '/app/main.ts': `
    import { ErrGroup, type ErrGroupOptions } from './runtime/err-group.js';
    import { Semaphore } from './runtime/semaphore.js';
    declare function work(item: string): Promise<void>;
    declare function spawn(name: string): Promise<void>;
    declare function retry<T>(task: () => Promise<T>): Promise<T>;
    declare function createLimiter(n: number): <T>(task: () => PromiseLike<T>) => Promise<T>;
    declare const pLimited: { <T>(task: () => PromiseLike<T>): Promise<T>; concurrency: number };
    declare function makeLooseLimit(n: number): (fn: Function, ...args: unknown[]) => Promise<unknown>;
    interface Conn { readonly id: string; close(): Promise<void> }
    declare const conns: Conn[];
    declare const results: Record<string, Promise<number>>;
    declare const jobs: { done: Promise<string> }[];
    declare function reindex(page: string): Promise<void>;
    declare function closeConn(conn: Conn): Promise<void>;
    declare function openStream(name: string): { on(event: string, listener: () => void): void };
    declare const deadline: number;
    declare const lease: AsyncDisposable;
    declare const pool: { minimum: number };
    declare const sema: { acquire(): Promise<void>; release(): void };
    declare const notSema: { acquire(): void };
    declare const xs: string[];
    declare const pair: [string, string];
    declare const n: number;
    declare const i: number;
    declare const queue: string[];
    declare const set: Set<string>;
    declare const fixed: { a: 1; b: 2; c: 3 };
    declare const record: Record<string, number>;
    declare const keyed: Record<'eu' | 'us', number>;
    declare const flag: boolean;
    declare const options: ErrGroupOptions;
    declare const Q: { all(values: unknown[]): Promise<unknown[]> };
    type Bounded<T> = readonly T[] & { readonly __bounded: true };
    declare const branded: Bounded<string>;
    const REGIONS = ['eu', 'us', 'ap'] as const;
    const WORKERS = 8;
    const BATCH = 10;
    const limit = createLimiter(4);
    const looseLimit = makeLooseLimit(4);
    const semaphore = new Semaphore(2);
    const limited = new ErrGroup({ limit: 4 });
    const unlimited = new ErrGroup({ name: 'all' });
    const infinite = new ErrGroup({ limit: Infinity });
    const bare = new ErrGroup();
    const fromOptions = new ErrGroup(options);
    const batch = xs.slice(i, i + 5);
    const files = xs;
    async function acquiresFirst(item: string): Promise<void> { using _p = await semaphore.acquire(); await work(item); }

    const probe_literal = ['a', 'b', 'c'];
    const probe_spreadUnbounded = ['a', ...xs];
    const probe_spreadConstant = [...REGIONS, 'x'];
    const probe_tuple = pair;
    const probe_asConst = REGIONS;
    const probe_fromLength = Array.from({ length: 8 });
    const probe_fromConstLength = Array.from({ length: WORKERS }, () => 0);
    const probe_fromChosenLength = Array.from({ length: n });
    const probe_fromInputLength = Array.from({ length: xs.length });
    const probe_arrayFill = Array(4).fill(0);
    const probe_keysSpread = [...Array(6).keys()];
    const probe_arrayOf = Array.of(1, 2);
    const probe_slice = xs.slice(i, i + BATCH);
    const probe_sliceMin = xs.slice(i, Math.min(i + BATCH, xs.length));
    const probe_sliceChosen = xs.slice(0, n);
    const probe_sliceTail = xs.slice(1);
    const probe_sliceLast = xs.slice(-3);
    const probe_splice = queue.splice(0, 5);
    const probe_keysFixed = Object.keys(fixed);
    const probe_entriesRecord = Object.entries(record);
    const probe_entriesKeyed = Object.entries(keyed);
    const probe_alias = batch;
    const probe_unboundedAlias = files;
    const probe_conditional = flag ? ['a'] : ['a', 'b'];
    const probe_set = [...set];
    const probe_chain = xs.filter(Boolean).map((x) => x.trim());
    const probe_concat = pair.concat(['x'], 'y');
    const probe_branded = branded;
    const probe_count = Math.min(n, 16);

    const probe_acquireFirst = async (item: string) => { using _p = await semaphore.acquire(); await work(item); };
    const probe_acquireLate = async (item: string) => { await work(item); using _p = await semaphore.acquire(); };
    const probe_limiter = (item: string) => limit(() => work(item));
    const probe_pLimited = (item: string) => pLimited(() => work(item));
    const probe_retry = (item: string) => retry(() => work(item));
    const probe_named = acquiresFirst;
    const probe_helper = (item: string) => acquiresFirst(item);
    const probe_limitedGroup = (item: string) => limited.goBlocking(() => work(item));
    const probe_unlimitedGroup = (item: string) => unlimited.goBlocking(() => work(item));
    const probe_structural = async (item: string) => { await sema.acquire(); try { await work(item); } finally { sema.release(); } };
    const probe_then = (item: string) => semaphore.acquire().then((p) => work(item).finally(() => p.release()));
    const probe_looseLimiter = (item: string) => looseLimit(() => work(item));
    const probe_wrapValue = () => Promise.resolve('reply');
    const probe_awaitExisting = async (key: string) => (await results[key]) ?? 0;
    const probe_rejectError = () => Promise.reject(new Error('closed'));
    const probe_combinator = (key: string) => Promise.all([results[key], results['other']]);
    const probe_inlineHandler = (job: { done: Promise<string> }) => job.done.catch(() => '');
    const probe_namedHandler = (job: { done: Promise<string> }) => job.done.then(reindex);
    const probe_bookkeeping = async (key: string) => { const seen: number[] = []; seen.push(await results[key]!); return seen; };
    const probe_wrapCall = (item: string) => Promise.resolve(work(item));
    const probe_stream = (item: string) => { const stream = openStream(item); return Promise.resolve(stream); };
    const probe_named_work = work;
    const probe_awaitUsing = async () => { await using _lease = lease; };
    const probe_elementClose = conns.map((conn) => conn.close());
    const probe_elementQuiet = conns.map(async (conn) => { try { await conn.close(); } catch { return conn.id; } });
    const probe_elementToHelper = conns.map((conn) => closeConn(conn));
    const probe_notElement = (conn: Conn) => conn.close();
    const probe_readDone = jobs[0]!.done;
    const probe_iife = (async () => { using _p = await semaphore.acquire(); await work('x'); })();
    const probe_all = Promise.all([work('a')]);
    const probe_qAll = Q.all([work('a')]);

    export async function loops(): Promise<void> {
      counted: for (let j = 0; j < 8; j++) void spawn('counted');
      inclusive: for (let j = 0; j <= 8; j++) void spawn('inclusive');
      overInput: for (let j = 0; j < xs.length; j++) void spawn('overInput');
      down: for (let j = n; j > 0; j--) void spawn('down');
      whileLoop: while (queue.length > 0) void spawn('whileLoop');
      configured: while (queue.length < pool.minimum) void spawn('configured');
      conjunction: while (queue.length < 4 && queue[0] !== undefined) void spawn('conjunction');
      inclusiveWhile: do void spawn('inclusiveWhile'); while (i <= WORKERS);
      overInputWhile: while (i < xs.length) void spawn('overInputWhile');
      untilDeadline: while (Date.now() < deadline) void spawn('untilDeadline');
      for (const conn of conns) void conn.close();
      for (const [, conn] of conns.entries()) void conn.close();
      for (const job of jobs) void job.done.then(reindex);
      keys: for (const key in fixed) void spawn(key);
      outer: for (const region of REGIONS) {
        for (let j = 0; j < 2; j++) void spawn('nested');
      }
      xs.forEach(() => void spawn('forEach'));
      for (const row of [['a'], ['a', 'b'], []]) {
        for (const cell of row) void spawn('row');
      }
      void spawn('single');
      for (const item of xs) {
        const tasks: Promise<void>[] = [];
        for (const region of REGIONS) tasks.push(spawn('scoped'));
        await Promise.all(tasks);
      }
    }
  `,
};

const { program, checker, main } = inMemoryProgram(SOURCES, { lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'], types: [] });
const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));

function find<T extends ts.Node>(test: (node: ts.Node) => node is T, what: string): T {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && test(node)) found = node;
    ts.forEachChild(node, visit);
  };
  visit(main);
  if (!found) throw new Error(`no ${what} in main.ts`);
  return found;
}

/** The initializer of `const probe_<name>`. */
function probe(name: string): ts.Expression {
  const declaration = find((node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && node.name.getText() === `probe_${name}`, `probe_${name}`);
  return declaration.initializer!;
}

function loop(label: string): ts.IterationStatement {
  const labelled = find((node): node is ts.LabeledStatement => ts.isLabeledStatement(node) && node.label.text === label, `loop ${label}`);
  return labelled.statement as ts.IterationStatement;
}

function spawnCall(name: string): ts.CallExpression {
  return find(
    (node): node is ts.CallExpression =>
      ts.isCallExpression(node) && node.expression.getText() === 'spawn' && node.arguments[0]?.getText() === `'${name}'`,
    `spawn('${name}')`,
  );
}

/** A bound without its node, for comparisons: `{ kind: 'unbounded', input: 'xs' }`. */
function plain(bound: FanOutBound): unknown {
  return bound.kind === 'unbounded' ? { kind: 'unbounded', input: bound.input.getText() } : bound;
}

const bound = (name: string): unknown => plain(fanOutBound(checker, probe(name)));

describe('the probe program', () => {
  it('typechecks, so every fact below sees real types', () => {
    expect(diagnostics).toEqual([]);
  });
});

describe('fanOutBound', () => {
  it('counts array literals, adding the bounds of their spreads', () => {
    expect(bound('literal')).toEqual({ kind: 'constant', n: 3, by: 'literal' });
    expect(bound('spreadConstant')).toEqual({ kind: 'constant', n: 4, by: 'tuple' });
    expect(bound('spreadUnbounded')).toEqual({ kind: 'unbounded', input: 'xs' });
  });

  it('reads a fixed size from tuple types and as-const arrays', () => {
    expect(bound('tuple')).toEqual({ kind: 'constant', n: 2, by: 'tuple' });
    expect(bound('asConst')).toEqual({ kind: 'constant', n: 3, by: 'tuple' });
  });

  it('bounds Array.from({ length }) by its count, and a length read from an input by that input', () => {
    expect(bound('fromLength')).toEqual({ kind: 'constant', n: 8, by: 'length' });
    expect(bound('fromConstLength')).toEqual({ kind: 'constant', n: 8, by: 'length' });
    expect(bound('fromChosenLength')).toEqual({ kind: 'bounded', by: 'length' });
    expect(bound('fromInputLength')).toEqual({ kind: 'unbounded', input: 'xs' });
  });

  it('knows Array(n), its keys and Array.of', () => {
    expect(bound('arrayFill')).toEqual({ kind: 'constant', n: 4, by: 'length' });
    expect(bound('keysSpread')).toEqual({ kind: 'constant', n: 6, by: 'length' });
    expect(bound('arrayOf')).toEqual({ kind: 'constant', n: 2, by: 'literal' });
  });

  it('bounds a slice by its width, and an open-ended slice by its receiver', () => {
    expect(bound('slice')).toEqual({ kind: 'constant', n: 10, by: 'slice' });
    expect(bound('sliceMin')).toEqual({ kind: 'constant', n: 10, by: 'slice' });
    expect(bound('sliceChosen')).toEqual({ kind: 'bounded', by: 'length' });
    expect(bound('sliceLast')).toEqual({ kind: 'constant', n: 3, by: 'slice' });
    expect(bound('splice')).toEqual({ kind: 'constant', n: 5, by: 'slice' });
    expect(bound('sliceTail')).toEqual({ kind: 'unbounded', input: 'xs' });
  });

  it('counts the keys of a fixed-key type, not of an index signature', () => {
    expect(bound('keysFixed')).toEqual({ kind: 'constant', n: 3, by: 'record' });
    expect(bound('entriesRecord')).toEqual({ kind: 'unbounded', input: 'record' });
    // a mapped type over known keys (a generic one, `Record<K, T>` in a function over `K`, is in the rule's tests)
    expect(bound('entriesKeyed')).toEqual({ kind: 'constant', n: 2, by: 'record' });
  });

  it('follows const aliases and names the alias when it stays unbounded', () => {
    expect(bound('alias')).toEqual({ kind: 'constant', n: 5, by: 'slice' });
    expect(bound('unboundedAlias')).toEqual({ kind: 'unbounded', input: 'files' });
  });

  it('takes the larger branch of a conditional, and passes bounds through map, filter and concat', () => {
    expect(bound('conditional')).toEqual({ kind: 'constant', n: 2, by: 'literal' });
    expect(bound('chain')).toEqual({ kind: 'unbounded', input: 'xs' });
    expect(bound('concat')).toEqual({ kind: 'constant', n: 4, by: 'tuple' });
    expect(bound('set')).toEqual({ kind: 'unbounded', input: 'set' });
  });

  it('accepts types the caller allows', () => {
    expect(bound('branded')).toEqual({ kind: 'unbounded', input: 'branded' });
    const isAllowed = (type: ts.Type): boolean => type.aliasSymbol?.getName() === 'Bounded';
    expect(fanOutBound(checker, probe('branded'), { isAllowed })).toEqual({ kind: 'bounded', by: 'allowed' });
  });
});

describe('count', () => {
  it('takes the least constant of Math.min', () => {
    expect(count(checker, probe('count'))).toEqual({ kind: 'constant', n: 16, by: 'min' });
  });
});

describe('multiply', () => {
  it('multiplies constants and lets unbounded win', () => {
    const four: FanOutBound = { kind: 'constant', n: 4, by: 'literal' };
    expect(multiply(four, { kind: 'constant', n: 2, by: 'length' })).toEqual({ kind: 'constant', n: 8, by: 'length' });
    expect(multiply(four, { kind: 'bounded', by: 'slice' })).toEqual({ kind: 'bounded', by: 'slice' });
    expect(multiply(four, { kind: 'unbounded', input: main }).kind).toBe('unbounded');
  });
});

describe('loopBound', () => {
  it('counts for loops by their test', () => {
    expect(plain(loopBound(checker, loop('counted')))).toEqual({ kind: 'constant', n: 8, by: 'length' });
    expect(plain(loopBound(checker, loop('inclusive')))).toEqual({ kind: 'constant', n: 9, by: 'length' });
    expect(plain(loopBound(checker, loop('overInput')))).toEqual({ kind: 'unbounded', input: 'xs' });
    expect(plain(loopBound(checker, loop('down')))).toEqual({ kind: 'bounded', by: 'length' });
  });

  it('calls while loops unbounded, named by their condition, and counts for…in keys', () => {
    expect(plain(loopBound(checker, loop('whileLoop')))).toEqual({ kind: 'unbounded', input: 'queue.length > 0' });
    expect(plain(loopBound(checker, loop('keys')))).toEqual({ kind: 'constant', n: 3, by: 'record' });
  });
});

describe('loopBound of while and do loops', () => {
  it('bounds a counter below a count the code chose, as a for loop', () => {
    expect(plain(loopBound(checker, loop('configured')))).toEqual({ kind: 'bounded', by: 'length' });
    expect(plain(loopBound(checker, loop('conjunction')))).toEqual({ kind: 'constant', n: 4, by: 'length' });
    expect(plain(loopBound(checker, loop('inclusiveWhile')))).toEqual({ kind: 'constant', n: 9, by: 'length' });
  });

  it('keeps a count read from an input, and a clock, unbounded', () => {
    expect(plain(loopBound(checker, loop('overInputWhile')))).toEqual({ kind: 'unbounded', input: 'xs' });
    expect(plain(loopBound(checker, loop('untilDeadline')))).toEqual({ kind: 'unbounded', input: 'Date.now() < deadline' });
  });
});

describe('callbackWork', () => {
  const work = (name: string): string => callbackWork(checker, probe(name));
  const mapped = (name: string): string => callbackWork(checker, (probe(name) as ts.CallExpression).arguments[0]!);

  it('finds nothing started by wrapping values or awaiting existing promises', () => {
    expect(work('wrapValue')).toBe('nothing');
    expect(work('awaitExisting')).toBe('nothing');
    expect(work('rejectError')).toBe('nothing');
    expect(work('combinator')).toBe('nothing');
    expect(work('inlineHandler')).toBe('nothing');
    expect(work('bookkeeping')).toBe('nothing');
  });

  it('calls a method of the element itself element work, only for an iteration callback', () => {
    expect(mapped('elementClose')).toBe('element');
    expect(mapped('elementQuiet')).toBe('element');
    expect(work('notElement')).toBe('new');
  });

  it('calls everything else new work', () => {
    expect(mapped('elementToHelper')).toBe('new');
    expect(work('namedHandler')).toBe('new');
    expect(work('wrapCall')).toBe('new');
    expect(work('stream')).toBe('new');
    expect(work('named_work')).toBe('new');
    expect(work('awaitUsing')).toBe('new');
  });
});

describe('expressionWork', () => {
  it('finds nothing started by reading a promise', () => {
    expect(expressionWork(checker, probe('readDone'))).toBe('nothing');
  });
});

describe('isElementMethodCall', () => {
  // `void x.method()` statements directly in a for…of
  const calls = (method: string): ts.CallExpression[] => {
    const found: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method && ts.isForOfStatement(node.parent.parent.parent)) {
        found.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(main);
    return found;
  };

  it('recognises a method call on a for…of element, destructured or not', () => {
    expect(calls('close').map((call) => isElementMethodCall(checker, call))).toEqual([true, true]);
  });

  it('does not take a handler on the element\'s promise for the element\'s method', () => {
    expect(calls('then').map((call) => isElementMethodCall(checker, call))).toEqual([false]);
  });
});

describe('iterationBound', () => {
  it('multiplies the loops around a spawn', () => {
    expect(plain(iterationBound(checker, spawnCall('nested')))).toEqual({ kind: 'constant', n: 6, by: 'length' });
  });

  it('treats an iteration callback as a loop over its receiver', () => {
    expect(plain(iterationBound(checker, spawnCall('forEach')))).toEqual({ kind: 'unbounded', input: 'xs' });
  });

  it('gives one outside any loop', () => {
    expect(iterationBound(checker, spawnCall('single'))).toEqual({ kind: 'constant', n: 1, by: 'single' });
  });

  it('bounds a loop over a row of a literal table by the longest row', () => {
    expect(plain(iterationBound(checker, spawnCall('row')))).toEqual({ kind: 'constant', n: 6, by: 'literal' });
  });

  it('stops at the scope that declares the collector', () => {
    const tasks = find((node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && node.name.getText() === 'tasks', 'tasks');
    expect(plain(iterationBound(checker, spawnCall('scoped'), tasks))).toEqual({ kind: 'constant', n: 3, by: 'tuple' });
    expect(plain(iterationBound(checker, spawnCall('scoped')))).toEqual({ kind: 'unbounded', input: 'xs' });
  });
});

describe('callbackBound', () => {
  const by = (name: string): string | undefined => {
    const verdict = callbackBound(checker, probe(name));
    return verdict.kind === 'limited' ? verdict.by : undefined;
  };

  it('accepts a semaphore permit taken before the first await', () => {
    expect(by('acquireFirst')).toBe('semaphore');
    expect(by('structural')).toBe('semaphore');
    expect(by('then')).toBe('semaphore');
    expect(by('acquireLate')).toBeUndefined();
  });

  it('accepts limiters created by a call or stating a concurrency, not look-alike helpers', () => {
    expect(by('limiter')).toBe('limiter');
    expect(by('pLimited')).toBe('limiter');
    expect(by('retry')).toBeUndefined();
  });

  it('follows named functions and one-call helpers', () => {
    expect(by('named')).toBe('semaphore');
    expect(by('helper')).toBe('semaphore');
  });

  it('accepts a limited ErrGroup only', () => {
    expect(by('limitedGroup')).toBe('errgroup');
    expect(by('unlimitedGroup')).toBeUndefined();
  });
});

describe('spawnBound', () => {
  it('looks into an immediately invoked async function', () => {
    expect(spawnBound(checker, probe('iife')).kind).toBe('limited');
  });
});

describe('isLimiterCall', () => {
  it('needs a limiter, not only the task shape', () => {
    const call = (name: string): ts.CallExpression => {
      const fn = probe(name) as ts.ArrowFunction;
      return fn.body as ts.CallExpression;
    };
    expect(isLimiterCall(checker, call('limiter'))).toBe(true);
    expect(isLimiterCall(checker, call('pLimited'))).toBe(true);
    expect(isLimiterCall(checker, call('looseLimiter'))).toBe(true);
    expect(isLimiterCall(checker, call('retry'))).toBe(false);
  });
});

describe('isSemaphoreLike', () => {
  it('recognises taskscope Semaphore and the acquire/release shape', () => {
    const typeOf = (name: string): ts.Type =>
      checker.getTypeAtLocation(find((node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && node.name.getText() === name, name).name);
    expect(isSemaphoreLike(checker, typeOf('semaphore'))).toBe(true);
    expect(isSemaphoreLike(checker, typeOf('sema'))).toBe(true);
    expect(isSemaphoreLike(checker, typeOf('notSema'))).toBe(false);
  });
});

describe('errGroupLimit', () => {
  const limitOf = (name: string): string => {
    const declaration = find((node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && node.name.getText() === name, name);
    return errGroupLimit(checker, declaration.name as ts.Identifier);
  };

  it('reads the limit from the constructor options', () => {
    expect(limitOf('limited')).toBe('limited');
    expect(limitOf('unlimited')).toBe('unlimited');
    expect(limitOf('bare')).toBe('unlimited');
    expect(limitOf('infinite')).toBe('unlimited');
  });

  it('does not guess about options it cannot see', () => {
    expect(limitOf('fromOptions')).toBe('unknown');
  });
});

describe('isPromiseCombinator', () => {
  it('recognises the built-in Promise combinators only', () => {
    expect(isPromiseCombinator(checker, probe('all') as ts.CallExpression)).toBe(true);
    expect(isPromiseCombinator(checker, probe('qAll') as ts.CallExpression)).toBe(false);
  });
});
