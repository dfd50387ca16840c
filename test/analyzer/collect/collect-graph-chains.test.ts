import { beforeAll, describe, expect, it } from 'vitest';
import type { CollectedGraph } from '../../../analyzer/collect/collect-graph.js';
import { findDroppedSignals } from '../../../analyzer/graph/find-dropped-signals.js';
import { findFanOutChains } from '../../../analyzer/graph/find-fanout-chains.js';
import { collect, nodeAt } from './in-memory.js';

// The chains the graph analyses follow, collected from source: a callback handed to a project function that keeps it
// for later (a handler registered for a later event) is not on the call chain of the function that wrote it, one
// handed to a function that calls it right away still is; a method whose only task besides a deferred is a promise
// already rejected starts no work per call.
const FILES: Record<string, string> = {
  '/src/deferred.ts': `
export async function handshake(signal: AbortSignal): Promise<void> {
  await fetch('https://deferred.test/hello', { signal });
  subscribe();
  now();
}
function subscribe(): void {
  onNotice(async () => { await fetch('https://deferred.test/refresh'); });
}
function now(): void {
  runNow(async () => { await fetch('https://deferred.test/now'); });
}
function onNotice(fetcher: () => Promise<void>): void {
  const refresh = async (): Promise<void> => { await fetcher(); };
  listen(() => void refresh());
}
function listen(handler: () => void): void {
  handlers.push(handler);
}
function runNow(task: () => Promise<void>): void {
  void task();
}
const handlers: Array<() => void> = [];
`,
  '/src/deferred-fanout.ts': `
export function watchAll(ids: string[]): void {
  ids.forEach((id) => watch(id));
}
export function startAll(ids: string[]): void {
  ids.forEach((id) => start(id));
}
function watch(id: string): void {
  later(async () => { void fetch('https://deferred.test/' + id); });
}
function start(id: string): void {
  (async () => { void fetch('https://deferred.test/' + id); })();
}
function later(callback: () => Promise<void>): void {
  pending.push(callback);
}
const pending: Array<() => Promise<void>> = [];
`,
  '/src/settled-send.ts': `
export class Transport {
  closed = false;
  send(message: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('closed: ' + message));
    return new Promise((resolve) => { queueMicrotask(() => { resolve(); }); });
  }
  post(message: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('closed'));
    return fetch('https://settled.test/', { method: 'POST', body: message }).then(() => {});
  }
}
export function route(transport: Transport, messages: string[]): void {
  for (const message of messages) void transport.send(message);
}
export function routePosts(transport: Transport, messages: string[]): void {
  for (const message of messages) void transport.post(message);
}
`,
  '/src/streamed.ts': `
const cache = new Map<string, string>();
async function persist(key: string): Promise<void> {
  await fetch('https://streamed.test/' + key, { method: 'PUT', body: cache.get(key) });
}
function store(key: string, chunk: string): void {
  cache.set(key, (cache.get(key) ?? '') + chunk);
  void persist(key);
}
export async function consume(key: string, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) store(key, chunk);
}
export function consumeAll(key: string, chunks: string[]): void {
  for (const chunk of chunks) store(key, chunk);
}
`,
  '/src/existing.ts': `
interface Job { readonly id: string; readonly done: Promise<string> | undefined }
function settledOf(job: Job): Promise<string> | undefined {
  return job.done?.then((value) => value.trim()).catch(() => 'failed');
}
function fetchedOf(job: Job): Promise<string> {
  return fetch('https://existing.test/' + job.id).then((response) => response.text()).catch(() => 'failed');
}
function describe(job: Job): { id: string; result: Promise<string> | undefined } {
  return { id: job.id, result: settledOf(job) };
}
function describeFetched(job: Job): { id: string; result: Promise<string> } {
  return { id: job.id, result: fetchedOf(job) };
}
export function snapshot(jobs: Job[]): Array<{ id: string }> {
  return jobs.map((job) => describe(job));
}
export function refresh(jobs: Job[]): Array<{ id: string }> {
  return jobs.map((job) => describeFetched(job));
}
`,
  // Node's \`events.once\`, declared as @types/node declares it: in the \`events\` module
  '/src/node-events.d.ts': `
declare module 'events' {
  export function once(emitter: { on(name: string, listener: () => void): unknown }, name: string): Promise<unknown[]>;
}
`,
  '/src/parked.ts': `
import { once } from 'events';
interface Worker { on(name: string, listener: () => void): unknown }
interface Pending { settle(error: Error | null): void }
export class Connection {
  readonly #outgoing = new Map<number, Pending>();
  #nextId = 0;
  constructor(private readonly write: (frame: string) => void) {}
  request(topic: string): Promise<void> {
    const id = this.#nextId++;
    const reply = new Promise<void>((resolve, reject) => {
      this.#outgoing.set(id, { settle(error) { if (error) reject(error); else resolve(); } });
    });
    this.write(id + ' ' + topic);
    return reply;
  }
  subscribe(topic: string, done: (error: Error | null) => void): this {
    this.request(topic).then(() => done(null), done);
    return this;
  }
  resubscribe(topics: string[]): void {
    for (const topic of topics) this.subscribe(topic, () => {});
  }
  publish(topic: string, done: (error: Error | null) => void): this {
    fetch('https://parked.test/' + topic).then(() => done(null), done);
    return this;
  }
  publishAll(topics: string[]): void {
    for (const topic of topics) this.publish(topic, () => {});
  }
  subscribeMany(topics: string[], done: (error: Error | null) => void): void {
    const replies: Promise<void>[] = [];
    for (const topic of topics) replies.push(this.request(topic));
    Promise.all(replies).then(() => done(null), done);
  }
  resubscribeAll(groups: string[][]): void {
    for (const group of groups) this.subscribeMany(group, () => {});
  }
  fetchMany(topics: string[], done: (error: Error | null) => void): void {
    const replies: Promise<Response>[] = [];
    for (const topic of topics) replies.push(fetch('https://parked.test/' + topic));
    Promise.all(replies).then(() => done(null), done);
  }
  refetchAll(groups: string[][]): void {
    for (const group of groups) this.fetchMany(group, () => {});
  }
  fetchPair(a: string, b: string, done: (error: Error | null) => void): void {
    const first = fetch('https://parked.test/' + a);
    const second = fetch('https://parked.test/' + b);
    Promise.all([first, second]).then(() => done(null), done);
  }
  fetchPairs(pairs: Array<[string, string]>): void {
    for (const [a, b] of pairs) this.fetchPair(a, b, () => {});
  }
}
export function watchExits(workers: Worker[], onExit: () => void): void {
  for (const worker of workers) waitForExit(worker, onExit);
}
function waitForExit(worker: Worker, onExit: () => void): void {
  once(worker, 'exit').then(onExit, onExit);
}
`,
};

let graph: CollectedGraph;
beforeAll(() => {
  graph = collect(FILES);
});

/** The lines of a file's fan-out chain findings. */
const chainLines = (file: string): number[] => findFanOutChains(graph).filter((finding) => finding.file === file).map((finding) => finding.line);

describe('collectGraph', () => {
  describe('callbacks kept for later', () => {
    it('gives a callback that a project function only registers a node of its own, and folds one it runs at once into its writer', () => {
      expect(nodeAt(graph, 'spawn', 'src/deferred.ts', 8).parent).toBe(nodeAt(graph, 'function', 'src/deferred.ts', 8).id);
      // subscribe() starts nothing when it runs, so it is not in the graph at all
      expect(graph.nodes.some((node) => node.kind === 'function' && node.file === 'src/deferred.ts' && node.line === 7)).toBe(false);
      expect(nodeAt(graph, 'spawn', 'src/deferred.ts', 11).parent).toBe(nodeAt(graph, 'function', 'src/deferred.ts', 10).id);
    });

    it('keeps a registered callback off the chain of dropped signals, and reports one that runs at once', () => {
      const lines = findDroppedSignals(graph)
        .filter((finding) => finding.file === 'src/deferred.ts')
        .map((finding) => finding.line);
      expect(lines).toEqual([11]);
    });

    it('keeps a registered callback off a fan-out chain, and reports an immediately invoked one', () => {
      expect(chainLines('src/deferred-fanout.ts')).toEqual([6]);
    });
  });

  describe('work that is not new, through a chain', () => {
    it('stays quiet for a send per message that returns a rejected promise or a deferred, and reports one that starts a request', () => {
      expect(chainLines('src/settled-send.ts')).toEqual([17]);
    });

    it('stays quiet for a request per topic parked on one connection and a wait per worker for its exit, and reports a fetch per topic', () => {
      expect(chainLines('src/parked.ts')).toEqual([29, 45, 53]);
      expect(nodeAt(graph, 'spawn', 'src/parked.ts', 18).startsWork).toBe(false); // this.request(topic)
      expect(nodeAt(graph, 'spawn', 'src/parked.ts', 60).startsWork).toBe(false); // once(worker, 'exit')
      expect(nodeAt(graph, 'spawn', 'src/parked.ts', 25).startsWork).toBeUndefined(); // fetch(…)
    });

    it('takes a `for await` loop as paced, as a loop that awaits in its body, and reports a plain loop', () => {
      expect(chainLines('src/streamed.ts')).toEqual([14]);
    });

    it('takes a call of a function that only chains handlers on a running promise for no work, and reports one that fetches', () => {
      expect(chainLines('src/existing.ts')).toEqual([19]);
      expect(nodeAt(graph, 'spawn', 'src/existing.ts', 10).startsWork).toBe(false); // settledOf(job)
      expect(nodeAt(graph, 'spawn', 'src/existing.ts', 13).startsWork).toBeUndefined(); // fetchedOf(job)
    });

    it('takes a combinator over parked requests for no work of its own, and one over fetches, written in it or kept in consts, for the fetches', () => {
      expect(nodeAt(graph, 'spawn', 'src/parked.ts', 34).startsWork).toBe(false); // Promise.all(replies), each a request
      expect(nodeAt(graph, 'spawn', 'src/parked.ts', 42).startsWork).toBeUndefined(); // Promise.all(replies), each a fetch
      expect(nodeAt(graph, 'spawn', 'src/parked.ts', 50).startsWork).toBeUndefined(); // Promise.all([first, second]), two fetches
    });
  });
});
