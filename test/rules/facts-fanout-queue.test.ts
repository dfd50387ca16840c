import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { callbackWork, collectedWork, expressionWork, isSettledPromise, parksSettlement, waitsForEvent } from '../../rules/facts/fanout.js';
import { inMemoryProgram } from './in-memory-program.js';

// Queues, wrappers and caller-chosen functions, written from scratch after the redis corpus findings (issue 5).
// Probes: `const probe_<name> = <expression>;` in main.ts.
const SOURCES: Record<string, string> = {
  '/app/main.ts': `
    import { EventEmitter, once } from 'node:events';
    import { once as otherOnce } from './emitters.js';
    declare const emitter: EventEmitter;
    interface Entry { readonly args: string[]; resolve(value: unknown): void; reject(error: Error): void }
    declare function writeLater(entry: Entry): void;
    declare function send(line: string, done: (error?: Error) => void): void;
    declare function dial(host: string): Promise<void>;
    declare function traced<T>(label: string, run: () => Promise<T>, context?: () => { label: string }): Promise<T>;
    declare function tracedLoose(label: string, run: () => Promise<unknown>): Promise<unknown>;
    declare function describe(line: string): { label: string };

    class Queue {
      readonly #entries: Entry[] = [];
      // parks resolve in an object literal (shorthand)
      add(args: string[]): Promise<unknown> {
        if (this.#entries.length > 100) return Promise.reject(new Error('full'));
        return new Promise((resolve, reject) => {
          this.#entries.push({ args, resolve, reject });
        });
      }
      // parks resolve inside a method of the stored entry
      addWrapped(args: string[]): Promise<void> {
        return new Promise<void>((resolve, reject) => {
          writeLater({ args, resolve() { resolve(); }, reject });
        });
      }
      // parks resolve by assigning it to a property
      addAssigned(args: string[]): Promise<unknown> {
        return new Promise((resolve, reject) => {
          const entry = { args, resolve: (_: unknown) => {}, reject };
          entry.resolve = resolve;
          this.#entries.push(entry);
        });
      }
      // hands resolve to I/O: the write settles it
      write(line: string): Promise<void> {
        return new Promise((resolve, reject) => send(line, (error) => (error ? reject(error) : resolve())));
      }
      // settles at once
      now(value: string): Promise<string> {
        return new Promise((resolve) => resolve(value));
      }
      // parks resolve, but dials a connection per call as well
      dialAndPark(host: string): Promise<unknown> {
        return new Promise((resolve, reject) => {
          void dial(host);
          this.#entries.push({ args: [host], resolve, reject });
        });
      }
      // parks resolve, keeps the promise in a const of its own while it flushes, then returns it
      addHeld(args: string[]): Promise<unknown> {
        const reply = new Promise((resolve, reject) => {
          this.#entries.push({ args, resolve, reject });
        });
        writeLater(this.#entries[0]!);
        return reply;
      }
      // the same in a \`let\`, which anything may have replaced by the return
      addInLet(args: string[]): Promise<unknown> {
        let reply = new Promise((resolve, reject) => {
          this.#entries.push({ args, resolve, reject });
        });
        if (args.length === 0) reply = dial('a');
        return reply;
      }
      // returns a promise parked by someone else, shared by every caller
      addShared(): Promise<unknown> {
        return sharedReply;
      }
      // the const holds a promise of I/O
      addDialled(host: string): Promise<void> {
        const reply = dial(host);
        return reply;
      }
      // async: may await anything before the queue
      async addLater(args: string[]): Promise<unknown> {
        return new Promise((resolve, reject) => this.#entries.push({ args, resolve, reject }));
      }
    }
    const sharedReply = new Promise((resolve) => { pendingResolvers.push({ args: [], resolve, reject: () => {} }); });
    declare const pendingResolvers: Entry[];
    declare const queue: Queue;
    declare const lines: string[];
    interface Conn { close(): Promise<void> }

    const probe_add = queue.add(['GET', 'a']);
    const probe_addWrapped = queue.addWrapped(['GET', 'a']);
    const probe_addAssigned = queue.addAssigned(['GET', 'a']);
    const probe_write = queue.write('a');
    const probe_now = queue.now('a');
    const probe_dialAndPark = queue.dialAndPark('a');
    const probe_addLater = queue.addLater(['a']);
    const probe_addHeld = queue.addHeld(['a']);
    const probe_addInLet = queue.addInLet(['a']);
    const probe_addShared = queue.addShared();
    const probe_addDialled = queue.addDialled('a');
    const probe_nodeOnce = once(emitter, 'exit');
    const probe_staticOnce = EventEmitter.once(emitter, 'exit');
    const probe_otherOnce = otherOnce(emitter, 'exit');
    const probe_instanceOn = emitter.on('exit', () => {});
    const probe_declared = dial('a');
    const probe_rejected = Promise.reject(new Error('closed'));
    const probe_resolved = Promise.resolve(queue);
    const probe_all = Promise.all([dial('a')]);

    declare function keep(tasks: Promise<unknown>[]): void;
    function combine(given: Promise<unknown>[]): void {
      const parked: Promise<unknown>[] = [];
      for (const line of lines) parked.push(queue.add([line]));
      const dialled: Promise<void>[] = [];
      for (const line of lines) dialled.push(dial(line));
      const shared: Promise<unknown>[] = [queue.add(['a'])];
      keep(shared);
      const probe_parkedPushes = Promise.all(parked);
      const probe_dialledPushes = Promise.all(dialled);
      const probe_sharedArray = Promise.all(shared);
      const probe_givenArray = Promise.all(given);
      const probe_parkedLiteral = Promise.all([queue.add(['a']), Promise.resolve(1)]);
      const probe_parkedMap = Promise.all(lines.map((line) => queue.add([line])));
      const probe_dialledMap = Promise.allSettled(Array.from(lines, (line) => dial(line)));
      const dialledA = dial('a');
      const parkedA = queue.add(['a']);
      let parkedLater = queue.add(['b']);
      const probe_dialledConstant = Promise.all([dialledA, parkedA]);
      const probe_parkedConstant = Promise.race([parkedA]);
      const probe_parkedLet = Promise.all([parkedLater]);
    }
    const probe_tracedQueue = lines.map((line) => traced('send', () => queue.add([line]), () => describe(line)));
    const probe_tracedWork = lines.map((line) => traced('dial', () => dial(line)));
    const probe_looseWrapper = lines.map((line) => tracedLoose('send', () => queue.add([line])));

    class Pool {
      readonly #open = new Set<Conn>();
      close(): Promise<void> { return this.#each((conn) => conn.close()); }
      async #each(fn: (conn: Conn) => Promise<void>): Promise<void> {
        await Promise.all(Array.from(this.#open, (conn) => fn(conn)));
      }
      async publicEach(fn: (conn: Conn) => Promise<void>): Promise<void> {
        await Promise.all(Array.from(this.#open, (conn) => fn(conn)));
      }
    }
    export { Pool };
  `,
  '/app/emitters.ts': `
    export function once(target: { on(name: string, listener: () => void): unknown }, name: string): Promise<unknown[]> {
      return fetch('https://hooks.example.test/' + name).then(() => []);
    }
  `,
};

const { checker, main } = inMemoryProgram(SOURCES, { lib: ['lib.es2023.d.ts'], types: ['node'] });

function probe(name: string): ts.Expression {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === `probe_${name}`) found = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(main);
  if (!found) throw new Error(`no probe_${name} in main.ts`);
  return found;
}

/** The callback of the `Array.from(this.#open, (conn) => fn(conn))` in the named method of `Pool`. */
function poolCallback(method: string): ts.Expression {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isMethodDeclaration(node) && node.name.getText() === method) {
      const inner = (n: ts.Node): void => {
        if (!found && ts.isArrowFunction(n) && n.parent && ts.isCallExpression(n.parent) && n.parent.arguments[1] === n) found = n;
        ts.forEachChild(n, inner);
      };
      inner(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(main);
  if (!found) throw new Error(`no callback in ${method}`);
  return found;
}

describe('parksSettlement', () => {
  const parks = (name: string): boolean => parksSettlement(checker, probe(name) as ts.CallExpression);

  it('recognises a function that stores its resolve for a queue reader', () => {
    expect(parks('add')).toBe(true);
    expect(parks('addWrapped')).toBe(true);
    expect(parks('addAssigned')).toBe(true);
  });

  it('does not take I/O that settles the promise, or a promise settled at once, for a queue', () => {
    expect(parks('write')).toBe(false);
    expect(parks('now')).toBe(false);
  });

  it('does not take an executor that starts a thenable, an async function or a declared function for a queue', () => {
    expect(parks('dialAndPark')).toBe(false);
    expect(parks('addLater')).toBe(false);
    expect(parks('declared')).toBe(false);
  });
});

describe('parksSettlement of a promise kept in a const', () => {
  const parks = (name: string): boolean => parksSettlement(checker, probe(name) as ts.CallExpression);

  it('recognises a request parked in a const of its own and returned after other statements', () => {
    expect(parks('addHeld')).toBe(true);
  });

  it('does not take a let, a promise of another scope or a const holding I/O for a parked request', () => {
    expect(parks('addInLet')).toBe(false);
    expect(parks('addShared')).toBe(false);
    expect(parks('addDialled')).toBe(false);
  });
});

describe('waitsForEvent', () => {
  const waits = (name: string): boolean => waitsForEvent(checker, probe(name) as ts.CallExpression);

  it("recognises Node's events.once, imported or as EventEmitter.once", () => {
    expect(waits('nodeOnce')).toBe(true);
    expect(waits('staticOnce')).toBe(true);
  });

  it('does not take a once of another module, or another method, for an event wait', () => {
    expect(checker.typeToString(checker.getTypeAtLocation(probe('otherOnce')))).toBe('Promise<unknown[]>');
    expect(waits('otherOnce')).toBe(false);
    expect(waits('instanceOn')).toBe(false);
  });

  it('makes an event wait no work, and the same call of another module new work', () => {
    expect(expressionWork(checker, probe('nodeOnce'))).toBe('nothing');
    expect(expressionWork(checker, probe('otherOnce'))).toBe('new');
  });
});

describe('collectedWork', () => {
  const collected = (name: string): string | undefined => collectedWork(checker, probe(name) as ts.CallExpression);

  it('judges the promises a combinator collects when the code in sight makes them all', () => {
    expect(collected('parkedPushes')).toBe('queued');
    expect(collected('dialledPushes')).toBe('new');
    expect(collected('parkedLiteral')).toBe('queued');
    expect(collected('parkedMap')).toBe('queued');
    expect(collected('dialledMap')).toBe('new');
  });

  it('judges a const collected by name by what it was made of', () => {
    expect(collected('dialledConstant')).toBe('new');
    expect(collected('parkedConstant')).toBe('queued');
  });

  it('does not judge an array used otherwise, one made elsewhere, or a let', () => {
    expect(collected('sharedArray')).toBeUndefined();
    expect(collected('givenArray')).toBeUndefined();
    expect(collected('parkedLet')).toBeUndefined();
  });
});

describe('isSettledPromise', () => {
  it('recognises Promise.resolve and Promise.reject of a value', () => {
    expect(isSettledPromise(checker, probe('rejected') as ts.CallExpression)).toBe(true);
    expect(isSettledPromise(checker, probe('resolved') as ts.CallExpression)).toBe(true);
  });

  it('does not take a combinator or another call for a settled promise', () => {
    expect(isSettledPromise(checker, probe('all') as ts.CallExpression)).toBe(false);
    expect(isSettledPromise(checker, probe('declared') as ts.CallExpression)).toBe(false);
  });
});

describe('expressionWork of queued requests', () => {
  it('calls a parked request queued, and other calls new', () => {
    expect(expressionWork(checker, probe('add'))).toBe('queued');
    expect(expressionWork(checker, probe('write'))).toBe('new');
  });
});

describe('callbackWork through wrappers and chosen functions', () => {
  const mapped = (name: string): string => callbackWork(checker, (probe(name) as ts.CallExpression).arguments[0]!);

  it('judges a generic pass-through wrapper by the function it passes through', () => {
    expect(mapped('tracedQueue')).toBe('queued');
    expect(mapped('tracedWork')).toBe('new');
  });

  it('does not see through a wrapper whose type does not pass the promise through', () => {
    expect(mapped('looseWrapper')).toBe('new');
  });

  it('judges a private method\'s function parameter by what its callers pass', () => {
    expect(callbackWork(checker, poolCallback('#each'))).toBe('element');
    expect(callbackWork(checker, poolCallback('publicEach'))).toBe('new');
  });
});
