import { beforeAll, describe, expect, it } from 'vitest';
import type { CollectedGraph } from '../../../analyzer/collect/collect-graph.js';
import { collect, edgeList, nodeAt } from './in-memory.js';

// One in-memory project for every case (loading the DOM lib once is most of the cost); each case is its own file.
const FILES: Record<string, string> = {
  '/src/ownership.ts': `
export async function save(x: string): Promise<void> {}
export async function owners(xs: string[]): Promise<unknown> {
  save('floating');
  await save('awaited');
  void save('voided');
  save('handled').catch(() => {});
  save('chained').then(() => {});
  const later = save('variable');
  await later;
  const never = save('never used');
  await Promise.all([save('a'), save('b')]);
  queue.push(save('queued'));
  return save('returned');
}
const queue: Promise<void>[] = [];
`,
  '/src/calls/a.ts': `
import { helper } from './b.js';
export async function entry(): Promise<void> {
  await helper();
  format();
}
function format(): string { return 'sync, starts nothing'; }
`,
  '/src/calls/b.ts': `
export const helper = async (): Promise<void> => {
  await fetch('https://b.test/');
};
`,
  '/src/exits.ts': `
export async function drain(reader: ReadableStreamDefaultReader<string>): Promise<void> {
  while (!(await reader.read()).done) {}
}
export async function firstLine(reader: ReadableStreamDefaultReader<string>): Promise<string> {
  while (true) {
    const { done, value } = await reader.read();
    if (done) return '';
    if (value.startsWith('error:')) {
      drain(reader).catch(() => {});
      throw new Error(value);
    }
    if (value.length > 0) return value;
  }
}
export async function prefetch(reader: ReadableStreamDefaultReader<string>, ready: () => boolean): Promise<void> {
  while (true) {
    drain(reader).catch(() => {});
    if (ready()) break;
  }
}
export async function sweep(readers: ReadableStreamDefaultReader<string>[], kind: string): Promise<void> {
  for (const reader of readers) {
    switch (kind) {
      case 'drain':
        drain(reader).catch(() => {});
        break;
    }
  }
}
`,
  '/src/fanout.ts': `
import { ErrGroup, Semaphore } from 'taskscope';
const db = new Semaphore(2);
export async function each(urls: string[]): Promise<void> {
  await Promise.all(urls.map((url) => fetch(url)));
  await Promise.all(['a', 'b', 'c'].map((url) => fetch(url)));
  for (const url of urls) await fetch(url);
  const limited = new ErrGroup({ limit: 4 });
  for (const url of urls) limited.go(() => fetch(url));
  const open = new ErrGroup();
  for (const url of urls) open.go(() => fetch(url));
  await Promise.all(urls.map(async (url) => { using permit = await db.acquire(); await fetch(url); }));
  await Promise.all([limited.wait(), open.wait()]);
}
export function startAll(urls: string[]): void {
  urls.forEach((url) => start(url));
}
function start(url: string): void {
  void fetch(url);
}
`,
  '/src/signals.ts': `
export async function handle(url: string, signal: AbortSignal): Promise<void> {
  await fetch(url, { signal });
  await fetch(url);
  const controller = new AbortController();
  await fetch(url, { signal: controller.signal });
  await fetch(url, { signal: AbortSignal.timeout(1000) });
  await work(url);
}
export async function withOptions(url: string, options: { signal?: AbortSignal }): Promise<void> {
  await fetch(url, options);
}
async function work(url: string): Promise<void> {
  await fetch(url);
}
interface Init { signal?: AbortSignal; method?: string }
declare function send(input: string | Init, init?: Init): Promise<void>;
export async function viaSecond(url: string, init: Init): Promise<void> {
  await send(url, init);
  await send(url, { method: 'GET' });
}
`,
  '/src/permits.ts': `
import { Semaphore } from 'taskscope';
const pool = new Semaphore(3);
export async function use(): Promise<void> {
  const permit = await pool.acquire();
  try {
    await fetch('https://p.test/');
  } finally {
    permit.release();
  }
}
`,
  '/src/deferred.ts': `
function makeTask(url: string): () => Promise<Response> {
  return () => fetch(url);
}
export function plan(urls: string[]): Array<() => Promise<Response>> {
  return urls.map((url) => makeTask(url));
}
export async function oneByOne(urls: string[]): Promise<void> {
  for (const url of urls) {
    const pending = fetch(url);
    await pending;
  }
}
`,
  '/src/teardown.ts': `
export class Conn {
  #reads: AsyncGenerator<string> | undefined;
  destroy(): void {
    void this.#reads?.throw(new Error('closed'));
  }
  abandon(): void {
    void this.#reads?.return(undefined);
  }
  async close(): Promise<void> { await fetch('https://conn.test/bye'); }
  open(): void { void fetch('https://conn.test/'); }
}
export function refuse(): void { void Promise.reject(new Error('full')); }
export async function retry(session: Conn, run: () => Promise<boolean>): Promise<void> {
  let done = false;
  while (!done) {
    session.open();
    try {
      done = await run();
    } catch {}
  }
}
export async function poll(session: Conn, ready: () => boolean, pause: () => Promise<void>): Promise<void> {
  while (!ready()) {
    session.open();
    if (ready()) await pause();
  }
}
`,
  '/src/wired.ts': `
export class Download {
  #options: { signal: AbortSignal };
  constructor(options: { signal: AbortSignal }) {
    this.#options = options;
    const { signal } = this.#options;
    signal.addEventListener('abort', () => this.destroy());
  }
  async body(stream: ReadableStream<string>): Promise<string[]> { return Array.fromAsync(stream); }
  destroy(): void {}
}
export class Job {
  #signal: AbortSignal;
  constructor(signal: AbortSignal) { this.#signal = signal; }
  async run(url: string): Promise<void> { await fetch(url); }
  async select(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => {});
    await fetch('https://job.test/');
  }
}
`,
  '/src/declared.ts': `
declare function eventually<T>(value: T): Promise<T>;
declare function either<U>(value: U): Promise<void> | U;
declare function same<T>(value: T): T;
declare const loose: any;
declare function pull(url: string, options?: { signal?: AbortSignal }): Promise<void>;
declare function get(url: string): Promise<void>;
declare function get(url: string, init: { signal?: AbortSignal }): Promise<void>;
export async function declared(signal: AbortSignal): Promise<void> {
  eventually(1);
  either(loose);
  either(2);
  same(eventually(3));
  // @ts-expect-error: a number for the url
  pull(4, { signal });
  // @ts-expect-error: a number for the url
  pull(5);
  get('a');
  get('b', { signal });
}
`,
  '/src/members.ts': `
export class Client {
  constructor(readonly base = 'https://c.test/') {}
  async send(body: string): Promise<void> { await fetch(this.base, { method: 'POST', body }); }
}
export async function relay(url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal });
  const client = new Client();
  await client.send('x');
  return response.json();
}
export async function loadAll(ids: string[]): Promise<void> {
  const tasks = ids.map(async (id) => {
    await fetch(id);
  });
  await Promise.all(tasks);
}
`,
  '/src/passthrough.ts': `
export async function tag(work: Promise<void>, extra: { id: string }): Promise<void> {
  Object.assign(work, extra);
  Object.assign(fetch('https://p.test/'), extra);
  await work;
}
`,
  '/src/nodeback.ts': `
type Callback<T> = (err?: Error | null, result?: T) => void;
declare function get(key: string, callback?: Callback<string>): Promise<string>;
export function read(key: string, done: Callback<string>, callback?: Callback<string>): void {
  get(key, (err, value) => done(err, value));
  get(key, callback);
}
`,
  '/src/lookup.ts': `
export class Coordinator {
  readonly #inflight = new Map<string, Promise<void>>();
  async prepare(name: string): Promise<void> {
    await this.#inflight.get(name);
    await fetch(name);
  }
}
`,
  '/src/kept.ts': `
export class Pipeline {
  readonly #result: Promise<void> = fetch('https://kept.test/').then(() => undefined);
  exec(): Promise<void> { return this.#result; }
  async done(): Promise<void> { return this.#result; }
  retry(): void {
    this.exec();
    this.done();
  }
}
`,
  '/src/shapes.ts': `
export class Uploader {
  async run(): Promise<void> { await this.#send(); }
  async #send(): Promise<void> {}
}
export default async function (): Promise<void> {}
export const handlers = { async onSave(): Promise<void> {} };
setTimeout(async () => { await fetch('https://top.test/'); }, 1);
function local(): number { return 1; }
export { local };
`,
};

let graph: CollectedGraph;
beforeAll(() => {
  graph = collect(FILES);
});

/** Who owns the spawn at `file:line` (`floating` when nobody does). */
function ownedAt(file: string, line: number): string | undefined {
  const spawn = nodeAt(graph, 'spawn', file, line);
  return spawn.kind === 'spawn' ? (spawn.owned ?? 'floating') : undefined;
}

describe('collectGraph', () => {
  describe('spawn ownership', () => {
    const owned = (line: number, column?: number): string | undefined => {
      const spawns = graph.nodes.filter((node) => node.kind === 'spawn' && node.file === 'src/ownership.ts' && node.line === line);
      const spawn = column === undefined ? spawns[0] : spawns.find((node) => node.column === column);
      if (spawn?.kind !== 'spawn') throw new Error(`no spawn at line ${line}`);
      return spawn.owned ?? 'floating';
    };

    it('marks an expression statement promise as floating', () => expect(owned(4)).toBe('floating'));
    it('marks an awaited promise as awaited', () => expect(owned(5)).toBe('await'));
    it('marks a voided promise as void', () => expect(owned(6)).toBe('void'));
    it('marks a promise with a rejection handler as handled', () => expect(owned(7)).toBe('handler'));
    it('follows `.then(f)` to what owns the chain', () => expect(owned(8)).toBe('floating'));
    it('follows a local variable to its uses', () => expect(owned(9)).toBe('await'));
    it('marks a variable that is never read as floating', () => expect(owned(11)).toBe('floating'));
    it('marks promises in a combinator as collected', () => expect(owned(12, 22)).toBe('collect'));
    it('marks a promise pushed into an array as stored', () => expect(owned(13)).toBe('stored'));
    it('marks a returned promise as returned', () => expect(owned(14)).toBe('return'));

    it('adds owned-by edges to the owning function for awaited spawns only', () => {
      const fn = nodeAt(graph, 'function', 'src/ownership.ts', 3);
      const awaited = nodeAt(graph, 'spawn', 'src/ownership.ts', 5);
      const floating = nodeAt(graph, 'spawn', 'src/ownership.ts', 4);
      expect(edgeList(graph)).toContain(`${awaited.id} owned-by ${fn.id}`);
      expect(edgeList(graph)).not.toContain(`${floating.id} owned-by ${fn.id}`);
    });
  });

  describe('functions and calls', () => {
    it('resolves calls across modules through the checker', () => {
      const entry = nodeAt(graph, 'function', 'src/calls/a.ts', 3);
      const helper = nodeAt(graph, 'function', 'src/calls/b.ts', 2);
      expect(helper.label).toBe('helper');
      expect(edgeList(graph)).toContain(`${entry.id} calls ${helper.id}`);
      expect(nodeAt(graph, 'spawn', 'src/calls/a.ts', 4).callee).toBe(helper.id);
    });

    it('leaves out functions that start no async work', () => {
      expect(graph.nodes.some((node) => node.kind === 'function' && node.label === 'format')).toBe(false);
    });

    it('names methods by class, and default and object-literal functions by their binding', () => {
      const labels = graph.nodes.filter((node) => node.file === 'src/shapes.ts' && node.kind === 'function').map((node) => node.label);
      expect(labels).toEqual(expect.arrayContaining(['Uploader.run', 'Uploader.#send', 'default', 'handlers.onSave', 'callback of setTimeout(…)']));
    });

    it('marks exported functions, including exported classes’ public methods but not private ones', () => {
      const byLabel = new Map(graph.nodes.filter((node) => node.kind === 'function').map((node) => [node.label, node]));
      expect(byLabel.get('Uploader.run')).toMatchObject({ exported: true });
      expect(byLabel.get('Uploader.#send')).toMatchObject({ exported: false });
      expect(byLabel.get('default')).toMatchObject({ exported: true });
      expect(byLabel.get('work')).toMatchObject({ exported: false });
    });

    it('gives ids from kind, file, line and column', () => {
      expect(nodeAt(graph, 'function', 'src/calls/a.ts', 3).id).toBe('function:src/calls/a.ts:3:1');
    });
  });

  describe('fan-outs', () => {
    const fanOut = (line: number) => nodeAt(graph, 'fanout', 'src/fanout.ts', line);

    it('marks a map over a parameter as unbounded, naming the input', () => {
      expect(fanOut(5)).toMatchObject({ multiplicity: { kind: 'unbounded' }, input: 'urls', label: 'for each of urls' });
    });

    it('counts an array literal as a constant', () => {
      expect(fanOut(6).multiplicity).toEqual({ kind: 'constant', n: 3 });
    });

    it('does not count a loop that awaits each call', () => {
      expect(graph.nodes.some((node) => node.kind === 'fanout' && node.file === 'src/fanout.ts' && node.line === 7)).toBe(false);
    });

    it('bounds a limited ErrGroup by its limit, and leaves an unlimited one unbounded', () => {
      expect(fanOut(9).multiplicity).toEqual({ kind: 'bounded', by: 'limit', limit: 4 });
      expect(fanOut(11).multiplicity).toEqual({ kind: 'unbounded' });
    });

    it('bounds a callback that acquires a semaphore first', () => {
      expect(fanOut(12).multiplicity).toEqual({ kind: 'bounded', by: 'semaphore' });
    });

    it('does not count a call to a factory whose returned function starts the work', () => {
      expect(graph.nodes.some((node) => node.kind === 'fanout' && node.file === 'src/deferred.ts' && node.line === 6)).toBe(false);
    });

    it('does not count a loop that awaits each promise through a variable', () => {
      expect(graph.nodes.some((node) => node.kind === 'fanout' && node.file === 'src/deferred.ts' && node.line === 10)).toBe(false);
      expect(nodeAt(graph, 'spawn', 'src/deferred.ts', 10).owned).toBe('await');
    });

    it('does not count a helper call in a loop that awaits on every pass, and counts one whose await is conditional', () => {
      // while (!done) { session.open(); try { done = await run(); } catch {} }: one pass at a time
      expect(graph.nodes.some((node) => node.kind === 'fanout' && node.file === 'src/teardown.ts' && node.line === 17)).toBe(false);
      // while (!ready()) { session.open(); if (ready()) await pause(); }: passes may run back to back
      expect(nodeAt(graph, 'fanout', 'src/teardown.ts', 25).multiplicity).toEqual({ kind: 'unbounded' });
    });

    it('does not count a call on the pass that leaves the loop, and counts one before a conditional exit or a switch break', () => {
      // while (true) { … if (bad) { drain(reader); throw error; } }: started once, on the last pass
      expect(graph.nodes.some((node) => node.kind === 'fanout' && node.file === 'src/exits.ts' && node.line === 10)).toBe(false);
      // while (true) { drain(reader); if (ready()) break; }: one per pass until ready
      expect(nodeAt(graph, 'fanout', 'src/exits.ts', 18).multiplicity).toEqual({ kind: 'unbounded' });
      // for (…) switch (kind) { case 'drain': drain(reader); break; }: the break leaves the switch, not the loop
      expect(nodeAt(graph, 'fanout', 'src/exits.ts', 26).multiplicity).toEqual({ kind: 'unbounded' });
    });

    it('links a per-element call to a helper that starts work, even when it returns nothing', () => {
      const each = fanOut(16);
      const start = nodeAt(graph, 'function', 'src/fanout.ts', 18);
      expect(each.multiplicity).toEqual({ kind: 'unbounded' });
      expect(edgeList(graph)).toContain(`${each.id} calls ${start.id}`);
    });
  });

  describe('spawns by declared return type', () => {
    const spawnsAt = (line: number): number => graph.nodes.filter((node) => node.kind === 'spawn' && node.file === 'src/declared.ts' && node.line === line).length;

    it('counts a call of a function declared to return a promise, whatever its type arguments', () => expect(spawnsAt(10)).toBe(1));
    it('does not count a call whose declared `Promise<void> | U` becomes `any`', () => expect(spawnsAt(11)).toBe(0));
    it('counts a call whose declared union keeps its promise once instantiated', () => expect(spawnsAt(12)).toBe(1));
    it('counts a call that returns its promise argument, and the argument', () => expect(spawnsAt(13)).toBe(2));
    it('does not count a call that hands a kept promise back (Object.assign), as no-floating-task does not report it', () => {
      const at = (line: number): number => graph.nodes.filter((node) => node.kind === 'spawn' && node.file === 'src/passthrough.ts' && node.line === line).length;
      expect(at(3)).toBe(0);
      expect(at(4)).toBe(2); // fetch(…), and Object.assign of that fresh promise
    });
  });

  describe('lookups in built-in collections', () => {
    it('does not count Map#get of a stored task as a spawn, as no new work starts', () => {
      const at = (line: number): number => graph.nodes.filter((node) => node.kind === 'spawn' && node.file === 'src/lookup.ts' && node.line === line).length;
      expect(at(5)).toBe(0);
      expect(at(6)).toBe(1);
    });
  });

  describe('calls that give back a promise kept elsewhere', () => {
    it('marks a floating call whose callee returns a stored promise as stored, as no-floating-task does not report it', () => {
      expect(ownedAt('src/kept.ts', 7)).toBe('stored');
      expect(ownedAt('src/kept.ts', 8)).toBe('floating'); // an async method's promise is new
    });
  });

  describe('calls given a Node-style callback', () => {
    it('marks a call whose outcome goes to its callback as handled, as no-floating-task does not report it', () => {
      expect(ownedAt('src/nodeback.ts', 5)).toBe('handler');
      expect(ownedAt('src/nodeback.ts', 6)).toBe('floating'); // the callback may be absent
    });
  });

  describe('calls on values typed from declarations', () => {
    const spawnsAt = (line: number): number => graph.nodes.filter((node) => node.kind === 'spawn' && node.file === 'src/members.ts' && node.line === line).length;

    it('counts a method call on a `const` made by an awaited call as a spawn', () => expect(spawnsAt(10)).toBe(1));
    it('resolves a method call on a `const` made by `new` to the project method', () => {
      const relay = nodeAt(graph, 'function', 'src/members.ts', 6);
      const send = nodeAt(graph, 'function', 'src/members.ts', 4);
      expect(edgeList(graph)).toContain(`${relay.id} calls ${send.id}`);
      expect(spawnsAt(9)).toBe(1);
    });
    it('does not count `map` as a spawn, only the calls its callback makes', () => {
      expect(spawnsAt(13)).toBe(0);
      expect(spawnsAt(14)).toBe(1);
    });
  });

  describe('work that is not new', () => {
    const spawnAt = (line: number) => nodeAt(graph, 'spawn', 'src/teardown.ts', line);

    it('marks a settled promise and a finished iteration as starting no work', () => {
      expect(spawnAt(13).startsWork).toBe(false); // Promise.reject(new Error('full'))
      expect(spawnAt(5).startsWork).toBe(false); // this.#reads?.throw(new Error('closed'))
      expect(spawnAt(8).startsWork).toBe(false); // this.#reads?.return(undefined)
      expect(spawnAt(11).startsWork).toBeUndefined(); // fetch('https://conn.test/')
    });

    it('marks the methods of a class that listens for the abort of a signal it holds, not of one that only stores it', () => {
      expect(nodeAt(graph, 'function', 'src/wired.ts', 9).wiredSignal).toBe(true); // Download.body
      // Job stores a signal, and listens only on a signal one call was passed
      expect(nodeAt(graph, 'function', 'src/wired.ts', 15).wiredSignal).toBeUndefined(); // Job.run
    });

    it('marks release methods by name', () => {
      expect(nodeAt(graph, 'function', 'src/teardown.ts', 4).releases).toBe(true); // destroy()
      expect(nodeAt(graph, 'function', 'src/teardown.ts', 10).releases).toBe(true); // close()
      expect(nodeAt(graph, 'function', 'src/teardown.ts', 7).releases).toBeUndefined(); // abandon()
      expect(nodeAt(graph, 'function', 'src/teardown.ts', 11).releases).toBeUndefined(); // open()
    });
  });

  describe('groups, semaphores and signals', () => {
    it('records ErrGroups with their limit and group spawns that use them', () => {
      const limited = nodeAt(graph, 'group', 'src/fanout.ts', 8);
      const open = nodeAt(graph, 'group', 'src/fanout.ts', 10);
      expect(limited).toMatchObject({ label: 'limited', limited: true, limit: 4 });
      expect(open).toMatchObject({ label: 'open', limited: false });
      const go = nodeAt(graph, 'spawn', 'src/fanout.ts', 9);
      expect(go).toMatchObject({ via: 'group', owned: 'group' });
      expect(edgeList(graph)).toContain(`${go.id} uses ${limited.id}`);
    });

    it('records semaphores with their capacity, and acquire and release edges', () => {
      const pool = nodeAt(graph, 'semaphore', 'src/permits.ts', 3);
      const use = nodeAt(graph, 'function', 'src/permits.ts', 4);
      expect(pool).toMatchObject({ label: 'pool', capacity: 3 });
      expect(edgeList(graph)).toEqual(expect.arrayContaining([`${use.id} acquires ${pool.id}`, `${use.id} releases ${pool.id}`]));
    });

    it('records signal sources: parameters, controllers and timeouts', () => {
      const sources = graph.nodes.filter((node) => node.kind === 'signal' && node.file === 'src/signals.ts').map((node) => node.kind === 'signal' && node.source);
      expect(sources).toEqual(expect.arrayContaining(['parameter', 'controller', 'timeout']));
      expect(nodeAt(graph, 'function', 'src/signals.ts', 2).hasSignal).toBe(true);
      expect(nodeAt(graph, 'function', 'src/signals.ts', 10).hasSignal).toBe(true);
      expect(nodeAt(graph, 'function', 'src/signals.ts', 13).hasSignal).toBe(false);
    });

    it('marks calls that can take a signal as passed or missing, with signal-flow edges from the source', () => {
      const passed = nodeAt(graph, 'spawn', 'src/signals.ts', 3);
      const missing = nodeAt(graph, 'spawn', 'src/signals.ts', 4);
      const parameter = nodeAt(graph, 'signal', 'src/signals.ts', 2);
      expect(passed.signal).toBe('passed');
      expect(missing.signal).toBe('missing');
      expect(edgeList(graph)).toContain(`${parameter.id} signal-flow ${passed.id}`);
      const controller = nodeAt(graph, 'signal', 'src/signals.ts', 5);
      expect(edgeList(graph)).toContain(`${controller.id} signal-flow ${nodeAt(graph, 'spawn', 'src/signals.ts', 6).id}`);
      expect(nodeAt(graph, 'spawn', 'src/signals.ts', 11).signal).toBe('passed');
    });

    it('counts a signal carried by another argument than the signal slot, as the lint rule does', () => {
      expect(nodeAt(graph, 'spawn', 'src/signals.ts', 19).signal).toBe('passed');
      expect(nodeAt(graph, 'spawn', 'src/signals.ts', 20).signal).toBe('missing');
    });

    it('finds the signal slot of a call that does not type-check, and of the overload a call picks', () => {
      expect(nodeAt(graph, 'spawn', 'src/declared.ts', 15).signal).toBe('passed');
      expect(nodeAt(graph, 'spawn', 'src/declared.ts', 17).signal).toBe('missing');
      expect(nodeAt(graph, 'spawn', 'src/declared.ts', 18).signal).toBeUndefined();
      expect(nodeAt(graph, 'spawn', 'src/declared.ts', 19).signal).toBe('passed');
    });

    it('leaves the signal unset on calls that cannot take one', () => {
      expect(nodeAt(graph, 'spawn', 'src/ownership.ts', 5).signal).toBeUndefined();
    });
  });

  it('folds an anonymous callback into its enclosing function, and gives a module-level callback its own node', () => {
    const each = nodeAt(graph, 'function', 'src/fanout.ts', 4);
    expect(nodeAt(graph, 'spawn', 'src/fanout.ts', 5).parent).toBe(each.id);
    const topLevel = nodeAt(graph, 'function', 'src/shapes.ts', 8);
    expect(nodeAt(graph, 'spawn', 'src/shapes.ts', 8).parent).toBe(topLevel.id);
  });
});
