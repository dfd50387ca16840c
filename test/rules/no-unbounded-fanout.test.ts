import rule from '../../rules/no-unbounded-fanout.js';
import { code, createRuleTester } from './rule-tester.js';

const ruleTester = createRuleTester();
const PACKAGES = '/// <reference path="./no-unbounded-fanout/packages.d.ts" />';
const UNBOUNDED = 'nothing in the code bounds its size, so a large input exhausts sockets, file handles or memory';

ruleTester.run('no-unbounded-fanout', rule, {
  valid: [
    // tasks started once per domain and kept in a map, looked up per domain: nothing new starts per element
    code`
      interface Queue { readonly name: string }
      export class Queues {
        readonly #queues = new Map<string, Promise<Queue>>();
        readonly #list: Array<Promise<Queue>> = [];
        all(domains: string[]): Promise<Queue[]> {
          return Promise.all(domains.map(async (domain) => this.#queues.get(domain)!));
        }
        pick(indexes: number[]): Promise<Array<Queue | undefined>> {
          return Promise.all(indexes.map((index) => this.#list.at(index)));
        }
      }
    `,
    // the loop is left right after the one task it starts: a search for the first match, not a fan-out
    code`
      import { ErrGroup } from 'taskscope/runtime';
      import { runJob, type Job } from './no-unbounded-fanout/app.js';
      export async function runFirstReady(jobs: readonly Job[], isReady: (job: Job) => boolean): Promise<void> {
        const group = new ErrGroup();
        for (const job of jobs) {
          if (isReady(job)) {
            group.go((signal) => runJob(job, signal));
            break;
          }
        }
        await group.wait();
      }
    `,
    // chunks of a size the caller chose: the project's own helper slices windows as wide as its `size` parameter
    code`
      import { upload } from './no-unbounded-fanout/app.js';
      function splitArray<T>(values: T[], size: number): T[][] {
        const out: T[][] = [];
        for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
        return out;
      }
      export async function uploadAll(files: string[], maxParallel: number): Promise<void> {
        for (const part of splitArray(files, maxParallel)) {
          await Promise.all(part.map((file) => upload(file)));
        }
      }
    `,
    // a generator that yields windows capped with Math.min, through a const alias of the chunks
    code`
      import { upload } from './no-unbounded-fanout/app.js';
      function* windows<T>(values: readonly T[], width: number): Generator<T[]> {
        for (let start = 0; start < values.length; start += width) yield values.slice(start, Math.min(values.length, start + width));
      }
      export async function uploadAll(files: string[]): Promise<void> {
        const batches = windows(files, 8);
        for (const batch of batches) await Promise.all(batch.map(async (file) => upload(file)));
      }
    `,
    // a package's chunk(array, size), only declared: takes an array and a number, returns arrays of its elements
    code`
      ${PACKAGES}
      import { chunk } from 'lodash-chunk';
      import { loadUser } from './no-unbounded-fanout/app.js';
      export async function warmCache(ids: string[]): Promise<void> {
        for (const group of chunk(ids, 25)) {
          await Promise.all(group.map((id) => loadUser(id)));
        }
      }
    `,
    // neverthrow's okAsync wraps a value the caller has: it starts no work, like Promise.resolve(value)
    code`
      ${PACKAGES}
      import { okAsync, ResultAsync } from 'neverthrow';
      export function receipts(payments: { id: string; amount: number }[]): ResultAsync<{ paymentId: string }[], never> {
        return ResultAsync.combine(payments.map((payment) => okAsync({ paymentId: payment.id })));
      }
    `,
    // errAsync wraps an error the same way, also under a namespace import
    code`
      ${PACKAGES}
      import * as nt from 'neverthrow';
      export function rejectAll(ids: string[]): nt.ResultAsync<never[], Error> {
        return nt.ResultAsync.combine(ids.map((id) => nt.errAsync<never, Error>(new Error(\`unknown payment \${id}\`))));
      }
    `,
    // an array literal: two tasks, whatever the input
    code`
      import type { Db } from './no-unbounded-fanout/app.js';
      export async function healthy(primary: Db, replica: Db): Promise<boolean[]> {
        return Promise.all([primary, replica].map((db) => db.ping()));
      }
    `,
    // Promise.all over a literal of started promises: no map, no fan-out
    code`
      export async function shutdown(): Promise<void> {
        await Promise.all([flushMetrics(), sleep(100)]);
      }
    `,
    // a parameter typed as a tuple has a fixed size
    code`
      import type { Db } from './no-unbounded-fanout/app.js';
      export async function pingPair(dbs: readonly [Db, Db]): Promise<void> {
        await Promise.all(dbs.map((db) => db.ping()));
      }
    `,
    // an as-const list of regions, followed through its const
    code`
      import { deploy } from './no-unbounded-fanout/app.js';
      const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'] as const;
      export async function deployEverywhere(): Promise<void> {
        await Promise.all(REGIONS.map((region) => deploy(region)));
      }
    `,
    // spreads of constant lists add up to a constant
    code`
      import { deploy } from './no-unbounded-fanout/app.js';
      const PRIMARY = ['eu-west-1'] as const;
      const STANDBY = ['eu-central-1', 'us-east-1'] as const;
      export async function deployAll(): Promise<void> {
        await Promise.all([...PRIMARY, ...STANDBY].map(deploy));
      }
    `,
    // the worker-pool pattern: eight workers drain one queue
    code`
      import { runJob, type Job } from './no-unbounded-fanout/app.js';
      export async function drain(queue: Job[]): Promise<void> {
        const worker = async (): Promise<void> => {
          for (let job = queue.shift(); job; job = queue.shift()) await runJob(job);
        };
        await Promise.all(Array.from({ length: 8 }, worker));
      }
    `,
    // a worker pool sized by the caller: the code chose the count
    code`
      import { runJob, type Job } from './no-unbounded-fanout/app.js';
      export async function drain(queue: Job[], concurrency: number): Promise<void> {
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            for (let job = queue.shift(); job; job = queue.shift()) await runJob(job);
          }),
        );
      }
    `,
    // batches of ten, one batch at a time
    code`
      import { upload } from './no-unbounded-fanout/app.js';
      export async function uploadAll(files: string[]): Promise<void> {
        for (let i = 0; i < files.length; i += 10) {
          const batch = files.slice(i, i + 10);
          await Promise.all(batch.map((file) => upload(file)));
        }
      }
    `,
    // batches clamped with Math.min
    code`
      import { upload } from './no-unbounded-fanout/app.js';
      const BATCH = 25;
      export async function uploadAll(files: string[]): Promise<void> {
        for (let start = 0; start < files.length; start += BATCH) {
          await Promise.all(files.slice(start, Math.min(start + BATCH, files.length)).map(upload));
        }
      }
    `,
    // each upload holds a Semaphore permit before it starts
    code`
      import { Semaphore } from 'taskscope/runtime';
      import { uploadChunk } from './no-unbounded-fanout/app.js';
      const uploads = new Semaphore(4);
      export async function uploadFile(chunks: Uint8Array[]): Promise<void> {
        await Promise.all(
          chunks.map(async (chunk) => {
            using _permit = await uploads.acquire();
            await uploadChunk(chunk);
          }),
        );
      }
    `,
    // a callback given by name that acquires first
    code`
      import { Semaphore } from 'taskscope/runtime';
      import { upload } from './no-unbounded-fanout/app.js';
      const disk = new Semaphore(16);
      async function uploadOne(file: string): Promise<void> {
        using _permit = await disk.acquire();
        await upload(file);
      }
      export async function uploadAll(files: string[]): Promise<void> {
        await Promise.all(files.map(uploadOne));
      }
    `,
    // a p-limit style limiter declared locally, created by a call
    code`
      import { createLimiter } from './no-unbounded-fanout/app.js';
      const limit = createLimiter(4);
      export async function crawlAll(urls: string[]): Promise<string[][]> {
        return Promise.all(urls.map((url) => limit(() => crawl(url))));
      }
    `,
    // the real p-limit, received as a parameter: its type states a concurrency
    code`
      import type { LimitFunction } from 'p-limit';
      export async function crawlAll(urls: string[], limit: LimitFunction): Promise<string[][]> {
        return Promise.all(urls.map((url) => limit(() => crawl(url))));
      }
    `,
    // the real p-limit, created here
    code`
      import pLimit from 'p-limit';
      export async function crawlAll(urls: string[]): Promise<string[][]> {
        const limit = pLimit(6);
        return Promise.all(urls.map((url) => limit(() => crawl(url))));
      }
    `,
    // p-queue: the receiver states its concurrency
    code`
      import PQueue from 'p-queue';
      const queue = new PQueue({ concurrency: 2 });
      export async function crawlAll(urls: string[]): Promise<string[][]> {
        return Promise.all(urls.map((url) => queue.add(() => crawl(url))));
      }
    `,
    // any-typed data, computed members and synchronous spreads are left alone without crashing
    code`
      export function odd(data: any, xs: string[]): unknown {
        const a = data.items.map(fetchPage);
        const b = xs['map']((x) => fetchPage(x));
        const c = [...xs].map(() => 1);
        return [a, b, c];
      }
    `,
    // a mutex's runExclusive, recognised by the semaphore shape
    code`
      import { runJob, type Job } from './no-unbounded-fanout/app.js';
      declare const mutex: { acquire(): Promise<() => void>; release(): void; runExclusive<T>(task: () => Promise<T>): Promise<T> };
      export async function runAll(jobs: Job[]): Promise<void[]> {
        return Promise.all(jobs.map((job) => mutex.runExclusive(() => runJob(job))));
      }
    `,
    // an ErrGroup with a limit in a loop
    code`
      import { ErrGroup } from 'taskscope/runtime';
      export async function fetchAll(urls: string[], signal: AbortSignal): Promise<void> {
        const group = new ErrGroup({ signal, limit: 8, name: 'fetch' });
        for (const url of urls) {
          group.go(async (s) => index(await fetchPage(url, s)));
        }
        await group.wait();
      }
    `,
    // goBlocking on a limited group waits for a slot in the loop
    code`
      import { ErrGroup } from 'taskscope/runtime';
      import { uploadChunk } from './no-unbounded-fanout/app.js';
      export async function uploadChunks(chunks: AsyncIterable<Uint8Array>): Promise<void> {
        const group = new ErrGroup({ limit: 4 });
        for await (const chunk of chunks) {
          await group.goBlocking((signal) => uploadChunk(chunk, signal));
        }
        await group.wait();
      }
    `,
    // a group handed in by the caller: its limit is the caller's business
    code`
      import type { ErrGroup } from 'taskscope/runtime';
      import { runJob, type Job } from './no-unbounded-fanout/app.js';
      export function schedule(group: ErrGroup, jobs: Job[]): void {
        for (const job of jobs) group.go((signal) => runJob(job, signal));
      }
    `,
    // promises created elsewhere: chaining on them starts nothing
    code`
      export async function settleAll(pending: Promise<string>[]): Promise<void> {
        await Promise.all(pending.map((page) => page.catch(() => '')));
        await Promise.all(pending);
      }
    `,
    // health checks over a fixed-key record
    code`
      type Check = () => Promise<boolean>;
      declare const checks: { db: Check; cache: Check; queue: Check };
      export async function health(): Promise<Array<[string, boolean]>> {
        return Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check()] as [string, boolean]));
      }
    `,
    // four workers pushed in a counted loop
    code`
      import { runJob, type Job } from './no-unbounded-fanout/app.js';
      export async function pool(queue: Job[]): Promise<void> {
        const workers: Promise<void>[] = [];
        for (let i = 0; i < 4; i++) {
          workers.push((async () => {
            for (let job = queue.shift(); job; job = queue.shift()) await runJob(job);
          })());
        }
        await Promise.all(workers);
      }
    `,
    // pushes through a limiter
    code`
      import { createLimiter } from './no-unbounded-fanout/app.js';
      const limit = createLimiter(8);
      export async function crawlAll(urls: string[]): Promise<void> {
        const tasks: Promise<string[]>[] = [];
        for (const url of urls) tasks.push(limit(() => crawl(url)));
        await Promise.all(tasks);
      }
    `,
    // a table-driven test: each row is a short literal
    code`
      import { ErrGroup } from 'taskscope/runtime';
      const CASES: (Error | undefined)[][] = [[], [undefined], [new Error('a'), undefined, new Error('b')]];
      export async function table(): Promise<void> {
        for (const errs of CASES) {
          const group = new ErrGroup();
          for (const err of errs) group.go(() => (err ? Promise.reject(err) : Promise.resolve()));
          await group.wait().catch(() => {});
        }
      }
    `,
    // waiting on a group starts no work, however often it is done
    code`
      import { ErrGroup } from 'taskscope/runtime';
      export async function observe(group: ErrGroup, steps: number[]): Promise<void> {
        const waits: Promise<boolean>[] = [];
        for (const _step of steps) waits.push(group.wait().then(() => true, () => false));
        await Promise.all(waits);
      }
    `,
    // sequential: each page is awaited before the next starts
    code`
      export async function crawlInOrder(urls: string[]): Promise<string[]> {
        const pages: string[] = [];
        for (const url of urls) pages.push(await fetchPage(url));
        return pages;
      }
    `,
    // reading a promise that each job already holds starts nothing
    code`
      interface Running { id: string; done: Promise<void> }
      export async function settle(running: Running[]): Promise<void> {
        await Promise.all(running.map((job) => job.done));
      }
    `,
    // a synchronous map is not a fan-out
    code`
      export function normalise(urls: string[]): string[] {
        return urls.map((url) => url.trim().toLowerCase());
      }
    `,
    // a discarded map floats: no-floating-task reports that one
    code`
      export function prefetch(urls: string[]): void {
        urls.map((url) => fetchPage(url));
      }
    `,
    // wrapping a value already in hand in a promise starts nothing
    code`
      export function replyAll(ids: string[], reply: string): Promise<string>[] {
        return ids.map(() => Promise.resolve(reply));
      }
    `,
    // awaiting promises that already exist starts nothing
    code`
      export function pick(results: Record<string, Promise<number>>): Promise<number>[] {
        return Object.keys(results).map(async (key) => (await results[key]) ?? 0);
      }
    `,
    // unwrapping a batch response whose parts another consumer already started
    code`
      type Reply = { result: { data: unknown } } | { error: string };
      export function unwrap(ids: string[], parts: Record<string, Promise<Reply>>): Promise<unknown>[] {
        return ids.map(async (id) => {
          const reply = await Promise.resolve(parts[id]);
          if ('error' in reply) return Promise.reject(new Error(reply.error));
          return { id, data: await Promise.resolve(reply.result.data) };
        });
      }
    `,
    // pushing the promise each request already holds starts nothing
    code`
      interface Pending { id: number; done: Promise<void> }
      export async function drain(pending: Set<Pending>): Promise<void> {
        const waits: Promise<void>[] = [];
        for (const request of pending) waits.push(request.done);
        await Promise.all(waits);
      }
    `,
    // closing sessions that are already open acquires nothing: their creator bounded them
    code`
      import type { Session } from './no-unbounded-fanout/app.js';
      export async function closeAll(sessions: Set<Session>): Promise<void> {
        const closing = Array.from(sessions, (session) => session.close());
        sessions.clear();
        await Promise.all(closing);
      }
    `,
    // a pool closes its idle connections, skipping closed ones
    code`
      interface Connection { readonly isOpen: boolean; close(): Promise<void> }
      export async function closeIdle(idle: Connection[]): Promise<void> {
        const closing: Promise<void>[] = [];
        for (const connection of idle) {
          if (connection.isOpen) closing.push(connection.close().catch(() => undefined));
        }
        await Promise.all(closing);
      }
    `,
    // disposing every running iterator, collecting the errors
    code`
      interface Source { destroy(): Promise<void> }
      export async function disposeAll(sources: Map<string, Source>): Promise<void> {
        const errors: unknown[] = [];
        await Promise.all(
          Array.from(sources.values()).map(async (source) => {
            try {
              await source.destroy();
            } catch (cause) {
              errors.push(cause);
            }
          }),
        );
        if (errors.length > 0) throw new AggregateError(errors);
      }
    `,
    // ending every session of a Map, destructured from its entries
    code`
      interface ClientSession { endSession(): Promise<void> }
      export async function endAll(sessions: Map<string, ClientSession>): Promise<void> {
        const ends: Promise<void>[] = [];
        for (const [, session] of sessions) ends.push(session.endSession());
        await Promise.all(ends);
      }
    `,
    // a pool opens its configured minimum of connections
    code`
      declare function connect(): Promise<void>;
      export async function fill(options: { minimum: number }): Promise<void> {
        const starting: Promise<void>[] = [];
        while (starting.length < options.minimum) starting.push(connect());
        await Promise.all(starting);
      }
    `,
    // workers started while slots are free and jobs wait
    code`
      import { runJob, type Job } from './no-unbounded-fanout/app.js';
      export async function startWorkers(queue: Job[], workers: number): Promise<void> {
        const running: Promise<void>[] = [];
        while (running.length < workers && queue.length > 0) running.push(runJob(queue.shift()!));
        await Promise.all(running);
      }
    `,
    // a limiter typed with Function, created by a call
    code`
      declare function makeLimit(concurrency: number): (fn: Function, ...args: unknown[]) => Promise<unknown>;
      declare function rewrite(file: string): Promise<boolean>;
      const limit = makeLimit(500);
      export async function rewriteAll(files: string[]): Promise<unknown[]> {
        return Promise.all(files.map((file) => limit(() => rewrite(file))));
      }
    `,
    // one connection's command queue: each request parks its resolve for the socket's reader, which answers in order
    code`
      interface Pending { readonly args: readonly string[]; resolve(reply: unknown): void; reject(error: Error): void }
      export class CommandQueue {
        readonly #waiting: Pending[] = [];
        send(args: readonly string[]): Promise<unknown> {
          if (this.#waiting.length > 10_000) return Promise.reject(new Error('queue full'));
          return new Promise((resolve, reject) => {
            this.#waiting.push({ args, resolve, reject });
          });
        }
        pipeline(batch: readonly (readonly string[])[]): Promise<unknown[]> {
          return Promise.all(batch.map((args) => this.send(args)));
        }
      }
    `,
    // a transaction pushes each command onto the same queue; the entry's methods settle it later
    code`
      interface Entry { readonly name: string; done(): void; fail(error: Error): void }
      class Channel {
        readonly #entries = new Set<Entry>();
        subscribe(name: string): Promise<void> {
          return new Promise<void>((resolve, reject) => {
            this.#entries.add({
              name,
              done() { resolve(); },
              fail(error) { reject(error); },
            });
          });
        }
      }
      export async function resubscribe(channel: Channel, names: string[]): Promise<void> {
        const replies: Promise<void>[] = [];
        for (const name of names) replies.push(channel.subscribe(name));
        await Promise.all(replies);
      }
    `,
    // the request's promise is kept in a const while the frame is written, then returned: still a parked request
    code`
      interface Pending { settle(error: Error | null, reply?: string): void }
      export class Connection {
        readonly #outgoing = new Map<number, Pending>();
        #nextId = 0;
        constructor(private readonly write: (frame: string) => void) {}
        request(topic: string): Promise<string> {
          const id = this.#nextId++;
          const reply = new Promise<string>((resolve, reject) => {
            this.#outgoing.set(id, { settle(error, value) { if (error) reject(error); else resolve(value ?? ''); } });
          });
          this.write(id + ' ' + topic);
          return reply;
        }
        async subscribeAll(topics: string[]): Promise<string[]> {
          const replies: Promise<string>[] = [];
          for (const topic of topics) replies.push(this.request(topic));
          return Promise.all(replies);
        }
      }
    `,
    // waiting for each worker's exit event starts nothing: the workers run already
    code`
      import { EventEmitter, once } from 'node:events';
      import { Worker } from 'node:worker_threads';
      export async function waitForExits(workers: Set<Worker>): Promise<void> {
        const exited: Promise<unknown[]>[] = [];
        for (const worker of workers) exited.push(once(worker, 'exit'));
        await Promise.all(exited);
      }
      export async function waitForReady(workers: Worker[]): Promise<void> {
        await Promise.all(workers.map((worker) => EventEmitter.once(worker, 'online')));
      }
    `,
    // a queued request passed through a generic tracing wrapper is still the queued request
    code`
      interface Slot { resolve(value: string): void }
      class Wire {
        readonly #slots: Slot[] = [];
        request(line: string): Promise<string> {
          return new Promise((resolve) => {
            const slot: Slot = { resolve };
            this.#slots.push(slot);
          });
        }
      }
      declare function traced<T>(label: string, run: () => Promise<T>, context: () => { label: string; size: number }): Promise<T>;
      declare function describeLine(line: string): { label: string; size: number };
      export function sendAll(wire: Wire, lines: string[]): Promise<string[]> {
        return Promise.all(lines.map((line) => traced('send', () => wire.request(line), () => describeLine(line))));
      }
    `,
    // a private helper applies the function its callers chose, and every caller chose a method of the client
    code`
      interface Client { quit(): Promise<void>; disconnect(): Promise<void> }
      export class Nodes {
        readonly #clients = new Map<string, Client>();
        quit(): Promise<void> {
          return this.#each((client) => client.quit());
        }
        disconnect(): Promise<void> {
          return this.#each((client) => client.disconnect());
        }
        async #each(fn: (client: Client) => Promise<void>): Promise<void> {
          const pending: Promise<void>[] = [];
          for (const client of this.#clients.values()) pending.push(fn(client));
          await Promise.all(pending);
        }
      }
    `,
    // the same helper held by a local `const`: every call of it is in the function
    code`
      interface Store { purge(): Promise<void>; drop(): Promise<void> }
      export async function reset(stores: Store[], hard: boolean): Promise<void> {
        const each = async (list: Store[], fn: (store: Store) => Promise<void>): Promise<void> => {
          await Promise.all(list.map(async (store) => fn(store)));
        };
        await each(stores, (store) => store.purge());
        if (hard) await each(stores, (store) => store.drop());
      }
    `,
    // a brand type declared bounded with allowedInputs
    {
      code: code`
        type BoundedArray<T> = readonly T[] & { readonly __bounded: true };
        export async function crawlSeeds(seeds: BoundedArray<string>): Promise<string[][]> {
          return Promise.all(seeds.map((seed) => crawl(seed)));
        }
      `,
      options: [{ allowedInputs: ['BoundedArray'] }],
    },
    // a constant bound under maxConstant
    {
      code: code`
        export async function warm(): Promise<string[]> {
          return Promise.all(Array.from({ length: 8 }, (_, i) => fetchPage(\`/page/\${i}\`)));
        }
      `,
      options: [{ maxConstant: 16 }],
    },
  ],
  invalid: [
    // the loop is left only when a condition holds: every pass before it starts a task
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        import { runJob, type Job } from './no-unbounded-fanout/app.js';
        export async function runUntilLast(jobs: readonly Job[], isLast: (job: Job) => boolean): Promise<void> {
          const group = new ErrGroup();
          for (const job of jobs) {
            group.go((signal) => runJob(job, signal));
            if (isLast(job)) break;
          }
          await group.wait();
        }
      `,
      errors: [{ messageId: 'unboundedGroup', line: 6 }],
    },
    // the `throw` after the start is caught inside the loop: the pass goes on, so every job starts a task
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        import { runJob, type Job } from './no-unbounded-fanout/app.js';
        export async function runAll(jobs: readonly Job[], isBad: (job: Job) => boolean): Promise<void> {
          const group = new ErrGroup();
          for (const job of jobs) {
            try {
              group.go((signal) => runJob(job, signal));
              throw new Error('next job');
            } catch {
              if (isBad(job)) continue;
            }
          }
          await group.wait();
        }
      `,
      errors: [{ messageId: 'unboundedGroup', line: 7 }],
    },
    // the chunk size is the input's own length: one chunk holding every element
    {
      code: code`
        import { upload } from './no-unbounded-fanout/app.js';
        function splitArray<T>(values: T[], size: number): T[][] {
          const out: T[][] = [];
          for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
          return out;
        }
        export async function uploadAll(files: string[]): Promise<void> {
          for (const part of splitArray(files, files.length)) await Promise.all(part.map((file) => upload(file)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 8 }],
    },
    // a helper that deals the input into `count` groups: each group grows with the input
    {
      code: code`
        import { upload } from './no-unbounded-fanout/app.js';
        function deal<T>(values: T[], count: number): T[][] {
          return Array.from({ length: count }, (_, k) => values.filter((_, i) => i % count === k));
        }
        export async function uploadAll(files: string[]): Promise<void> {
          for (const hand of deal(files, 4)) await Promise.all(hand.map((file) => upload(file)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 6 }],
    },
    // a package function returning a pair of groups is not a chunker: each group may hold every element
    {
      code: code`
        ${PACKAGES}
        import { partition } from 'lodash-chunk';
        import { upload } from './no-unbounded-fanout/app.js';
        export async function uploadAll(files: string[]): Promise<void> {
          for (const group of partition(files, (file) => file.endsWith('.txt'))) await Promise.all(group.map((file) => upload(file)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 5 }],
    },
    // the const the request returns holds a fetch, not a parked promise: one request per topic
    {
      code: code`
        export class Connection {
          request(topic: string): Promise<Response> {
            const reply = fetch('https://broker.example.test/' + topic);
            console.log('sent', topic);
            return reply;
          }
          async subscribeAll(topics: string[]): Promise<Response[]> {
            const replies: Promise<Response>[] = [];
            for (const topic of topics) replies.push(this.request(topic));
            return Promise.all(replies);
          }
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 9 }],
    },
    // a parked promise shared through a module const is not this call's request: whoever made it decides
    {
      code: code`
        import { upload } from './no-unbounded-fanout/app.js';
        let settleReady: () => void = () => {};
        const ready = new Promise<void>((resolve) => { settleReady = resolve; });
        function whenReady(file: string): Promise<void> {
          void upload(file);
          return ready;
        }
        export async function uploadAll(files: string[]): Promise<void> {
          await Promise.all(files.map((file) => whenReady(file)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 9 }],
    },
    // a \`once\` of the project's own is not Node's event wait: it may start anything
    {
      code: code`
        import { upload } from './no-unbounded-fanout/app.js';
        function once(file: string, _event: string): Promise<void> {
          return upload(file);
        }
        export async function uploadAll(files: string[]): Promise<void> {
          await Promise.all(files.map((file) => once(file, 'done')));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 6 }],
    },
    // ResultAsync.fromPromise(upload(file)) starts the upload per element: neverthrow's wrapper does not make it free
    {
      code: code`
        ${PACKAGES}
        import { ResultAsync } from 'neverthrow';
        import { upload } from './no-unbounded-fanout/app.js';
        export function uploadAll(files: string[]): ResultAsync<void[], Error> {
          return ResultAsync.combine(files.map((file) => ResultAsync.fromPromise(upload(file), () => new Error(file))));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 5 }],
    },
    // an okAsync of the project's own, not neverthrow's: its body is not known to start nothing
    {
      code: code`
        ${PACKAGES}
        import type { ResultAsync } from 'neverthrow';
        declare function okAsync<T>(value: T): ResultAsync<T, never>;
        declare function combine<T>(all: ResultAsync<T, never>[]): ResultAsync<T[], never>;
        export function receipts(payments: { id: string }[]): ResultAsync<{ paymentId: string }[], never> {
          return combine(payments.map((payment) => okAsync({ paymentId: payment.id })));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 6 }],
    },
    // the EMFILE bug: one open file per directory entry, all at once
    {
      code: code`
        import { readdir, readFile } from 'node:fs/promises';
        export async function loadAll(dir: string): Promise<string[]> {
          const files = await readdir(dir);
          return Promise.all(files.map((file) => readFile(\`\${dir}/\${file}\`, 'utf8')));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 4, column: 22, data: { call: 'files.map(...)', input: 'files', size: UNBOUNDED } }],
    },
    // a crawler fetches every link of a page at once
    {
      code: code`
        import { extractLinks } from './no-unbounded-fanout/app.js';
        export async function crawlSite(start: string): Promise<void> {
          const links = extractLinks(await fetchPage(start));
          await Promise.allSettled(
            links.map(async (link) => {
              index(await fetchPage(link));
            }),
          );
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 5, data: { call: 'links.map(...)', input: 'links', size: UNBOUNDED } }],
    },
    // uploads kept in a variable and awaited later
    {
      code: code`
        import { uploadChunk } from './no-unbounded-fanout/app.js';
        export async function uploadFile(chunks: Uint8Array[]): Promise<void> {
          const uploads = chunks.map((chunk) => uploadChunk(chunk));
          await Promise.all(uploads);
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 3, column: 19 }],
    },
    // an optional chain still maps every element
    {
      code: code`
        export async function maybeCrawl(urls?: string[]): Promise<string[][]> {
          return Promise.all(urls?.map((url) => crawl(url)) ?? []);
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 2, column: 22, data: { call: 'urls?.map(...)', input: 'urls', size: UNBOUNDED } }],
    },
    // promises returned to the caller, started all at once
    {
      code: code`
        export function prefetchAll(urls: readonly string[]): Promise<string>[] {
          return urls.map((url) => fetchPage(url));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 2, column: 10 }],
    },
    // a plain function that returns a promise from a block body
    {
      code: code`
        export function prefetchAll(urls: string[]): Promise<Promise<string>[]> {
          const pages = urls.map(function (url) {
            logger.error(\`prefetching \${url}\`);
            return fetchPage(url);
          });
          return Promise.resolve(pages);
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 2, column: 17, data: { call: 'urls.map(...)', input: 'urls', size: UNBOUNDED } }],
    },
    // a callback given by name that starts its work at once
    {
      code: code`
        import { upload } from './no-unbounded-fanout/app.js';
        export async function uploadAll(files: string[]): Promise<void> {
          await Promise.all(files.map(upload));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 3 }],
    },
    // retry() has a limiter's shape but bounds nothing
    {
      code: code`
        import { retry } from './no-unbounded-fanout/app.js';
        export async function crawlAll(urls: string[]): Promise<string[][]> {
          return Promise.all(urls.map((url) => retry(() => crawl(url))));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 3 }],
    },
    // the permit is taken after the fetch, so every fetch runs at once
    {
      code: code`
        import { Semaphore } from 'taskscope/runtime';
        const db = new Semaphore(4);
        export async function archive(urls: string[]): Promise<void> {
          await Promise.all(
            urls.map(async (url) => {
              const page = await fetchPage(url);
              using _permit = await db.acquire();
              await saveAudit({ action: page, important: false });
            }),
          );
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 5 }],
    },
    // an open-ended record of endpoints
    {
      code: code`
        export async function pingAll(endpoints: Record<string, string>): Promise<string[]> {
          return Promise.all(Object.values(endpoints).map((url) => fetchPage(url)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 2, data: { call: 'Object.values(endpoints).map(...)', input: 'endpoints', size: UNBOUNDED } }],
    },
    // a project's own `get` that goes to the network: new work per element, whatever the method is called
    {
      code: code`
        interface Queue { readonly name: string }
        declare const registry: { get(domain: string): Promise<Queue> };
        export function all(domains: string[]): Promise<Queue[]> {
          return Promise.all(domains.map(async (domain) => registry.get(domain)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 4 }],
    },
    // a record keyed by a type parameter: its keys are the caller's, however many they are
    {
      code: code`
        export async function encodeAll<K extends string>(payloads: Record<K, string>): Promise<Array<[K, string]>> {
          return Promise.all(Object.entries(payloads).map(async ([key, url]) => [key as K, (await fetchPage(url)).url] as [K, string]));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 2, data: { call: 'Object.entries(payloads).map(...)', input: 'payloads', size: UNBOUNDED } }],
    },
    // the element handed to another function: that function may acquire anything, once per element
    {
      code: code`
        import type { Session } from './no-unbounded-fanout/app.js';
        declare function archiveSession(session: Session): Promise<void>;
        export async function archiveAll(sessions: Set<Session>): Promise<void> {
          await Promise.all(Array.from(sessions, (session) => archiveSession(session)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 4, column: 21, data: { call: 'Array.from(...)', input: 'sessions', size: UNBOUNDED } }],
    },
    // a method of the element that also starts new work per element is still new work
    {
      code: code`
        import { notify, type User } from './no-unbounded-fanout/app.js';
        interface Account extends User { reload(): Promise<void> }
        export async function remindAll(accounts: Account[]): Promise<void> {
          await Promise.all(
            accounts.map(async (account) => {
              await account.reload();
              await notify(account, 'email');
            }),
          );
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 5, data: { call: 'accounts.map(...)', input: 'accounts', size: UNBOUNDED } }],
    },
    // every command goes through one queue's add(), which this code cannot see serialise anything
    {
      code: code`
        interface CommandQueue { add(args: string[]): Promise<unknown> }
        export function pipeline(queue: CommandQueue, commands: string[][]): Promise<unknown[]> {
          return Promise.all(commands.map((args) => queue.add(args)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 3, column: 22, data: { call: 'commands.map(...)', input: 'commands', size: UNBOUNDED } }],
    },
    // Promise.resolve of a call still starts that call
    {
      code: code`
        export function prefetchAll(urls: string[]): Promise<string>[] {
          return urls.map((url) => Promise.resolve(fetchPage(url)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 2, column: 10 }],
    },
    // a handler given by name starts new work per element when each promise settles
    {
      code: code`
        interface Running { id: string; done: Promise<string> }
        declare function reindex(page: string): Promise<void>;
        export async function reindexAll(running: Running[]): Promise<void> {
          await Promise.all(running.map((job) => job.done.then(reindex)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 4, data: { call: 'running.map(...)', input: 'running', size: UNBOUNDED } }],
    },
    // a length read from the input is as unbounded as the input
    {
      code: code`
        import { upload } from './no-unbounded-fanout/app.js';
        export async function uploadAll(files: string[]): Promise<void> {
          await Promise.all(Array.from({ length: files.length }, (_, i) => upload(files[i]!)));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 3, data: { call: 'Array.from(...)', input: 'files', size: UNBOUNDED } }],
    },
    // slice(1) drops one element; the rest is still unbounded
    {
      code: code`
        import { upload } from './no-unbounded-fanout/app.js';
        export async function uploadRest(files: string[]): Promise<void> {
          await Promise.all(files.slice(1).map(upload));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 3, data: { call: 'files.slice(1).map(...)', input: 'files', size: UNBOUNDED } }],
    },
    // a constant bound above maxConstant
    {
      code: code`
        export async function warm(): Promise<string[]> {
          return Promise.all(Array.from({ length: 500 }, (_, i) => fetchPage(\`/page/\${i}\`)));
        }
      `,
      options: [{ maxConstant: 100 }],
      errors: [
        {
          messageId: 'unboundedMap',
          line: 2,
          data: { call: 'Array.from(...)', input: '{ length: 500 }', size: '500 tasks at once are more than `maxConstant` (100) allows' },
        },
      ],
    },
    // a crawler pushes one task per URL, then waits for all of them
    {
      code: code`
        export async function crawlAll(urls: string[]): Promise<void> {
          const tasks: Promise<string[]>[] = [];
          for (const url of urls) {
            tasks.push(crawl(url));
          }
          await Promise.all(tasks);
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 4, column: 5, data: { array: 'tasks', input: 'urls', size: UNBOUNDED } }],
    },
    // a counted loop over the input's length
    {
      code: code`
        import { loadUser, type User } from './no-unbounded-fanout/app.js';
        export async function loadUsers(ids: string[]): Promise<PromiseSettledResult<User>[]> {
          const pending: Promise<User>[] = [];
          for (let i = 0; i < ids.length; i++) {
            pending.push(loadUser(ids[i]!));
          }
          return Promise.allSettled(pending);
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 5, data: { array: 'pending', input: 'ids', size: UNBOUNDED } }],
    },
    // forEach is a loop too
    {
      code: code`
        export async function auditAll(entries: AuditEntry[]): Promise<void> {
          const writes: Promise<void>[] = [];
          entries.forEach((entry) => {
            writes.push(saveAudit(entry));
          });
          await Promise.all(writes);
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 4, data: { array: 'writes', input: 'entries', size: UNBOUNDED } }],
    },
    // a while loop over an iterator has no bound at all
    {
      code: code`
        import { runJob, type Job } from './no-unbounded-fanout/app.js';
        export async function drain(jobs: Iterator<Job>): Promise<void> {
          const inflight: Promise<void>[] = [];
          let next = jobs.next();
          while (!next.done) {
            inflight.push(runJob(next.value));
            next = jobs.next();
          }
          await Promise.all(inflight);
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 6, data: { array: 'inflight', input: '!next.done', size: UNBOUNDED } }],
    },
    // two channels per user is still one task per user
    {
      code: code`
        import { notify, type User } from './no-unbounded-fanout/app.js';
        export async function announce(users: User[]): Promise<void> {
          const sends: Promise<void>[] = [];
          for (const user of users) {
            for (const channel of ['email', 'sms'] as const) sends.push(notify(user, channel));
          }
          await Promise.all(sends);
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 5, data: { array: 'sends', input: 'users', size: UNBOUNDED } }],
    },
    // a while loop that counts up to the input's length is as unbounded as the input
    {
      code: code`
        import { loadUser, type User } from './no-unbounded-fanout/app.js';
        export async function loadUsers(ids: string[]): Promise<User[]> {
          const loading: Promise<User>[] = [];
          while (loading.length < ids.length) loading.push(loadUser(ids[loading.length]!));
          return Promise.all(loading);
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 4, data: { array: 'loading', input: 'ids', size: UNBOUNDED } }],
    },
    // a loop that runs until a deadline counts time, not tasks
    {
      code: code`
        import type { Db } from './no-unbounded-fanout/app.js';
        export async function hammer(db: Db, deadline: number): Promise<void> {
          const pings: Promise<boolean>[] = [];
          while (Date.now() < deadline) pings.push(db.ping());
          await Promise.all(pings);
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 4, data: { array: 'pings', input: 'Date.now() < deadline', size: UNBOUNDED } }],
    },
    // an ErrGroup without a limit starts every fetch at once
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        export async function fetchAll(urls: string[], signal: AbortSignal): Promise<void> {
          const group = new ErrGroup({ signal });
          for (const url of urls) {
            group.go(async (s) => index(await fetchPage(url, s)));
          }
          await group.wait();
        }
      `,
      errors: [{ messageId: 'unboundedGroup', line: 5, column: 5, data: { call: 'group.go(...)', input: 'urls', size: UNBOUNDED } }],
    },
    // forEach over a group without options
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        export async function auditAll(entries: AuditEntry[]): Promise<void> {
          const group = new ErrGroup();
          entries.forEach((entry) => group.go(() => saveAudit(entry)));
          await group.wait();
        }
      `,
      errors: [{ messageId: 'unboundedGroup', line: 4, data: { call: 'group.go(...)', input: 'entries', size: UNBOUNDED } }],
    },
    // limit: Infinity is no limit, so goBlocking never waits
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        import { uploadChunk } from './no-unbounded-fanout/app.js';
        export async function uploadChunks(chunks: AsyncIterable<Uint8Array>): Promise<void> {
          const group = new ErrGroup({ limit: Infinity, name: 'chunks' });
          for await (const chunk of chunks) {
            await group.goBlocking((signal) => uploadChunk(chunk, signal));
          }
          await group.wait();
        }
      `,
      errors: [{ messageId: 'unboundedGroup', line: 6, data: { call: 'group.goBlocking(...)', input: 'chunks', size: UNBOUNDED } }],
    },
    // a request that stores its resolve but hands it to I/O too is new work per element
    {
      code: code`
        import { request } from 'node:https';
        export class Client {
          readonly #pending = new Map<string, (body: string) => void>();
          get(url: string): Promise<string> {
            return new Promise((resolve) => {
              request(url, () => resolve('')).end();
            });
          }
          getAll(urls: string[]): Promise<string[]> {
            return Promise.all(urls.map((url) => this.get(url)));
          }
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 10, data: { call: 'urls.map(...)', input: 'urls', size: UNBOUNDED } }],
    },
    // a generic wrapper around new work is new work
    {
      code: code`
        import { readFile } from 'node:fs/promises';
        declare function traced<T>(label: string, run: () => Promise<T>): Promise<T>;
        export function readAll(paths: string[]): Promise<string[]> {
          return Promise.all(paths.map((path) => traced('read', () => readFile(path, 'utf8'))));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 4, data: { call: 'paths.map(...)', input: 'paths', size: UNBOUNDED } }],
    },
    // a public helper's function parameter may be anything its callers outside pass
    {
      code: code`
        interface Client { quit(): Promise<void> }
        export class Nodes {
          readonly #clients = new Set<Client>();
          async each(fn: (client: Client) => Promise<void>): Promise<void> {
            const pending: Promise<void>[] = [];
            for (const client of this.#clients) pending.push(fn(client));
            await Promise.all(pending);
          }
        }
      `,
      errors: [{ messageId: 'unboundedPush', line: 6, data: { array: 'pending', input: 'this.#clients', size: UNBOUNDED } }],
    },
    // a private helper one of whose callers starts new work with the element
    {
      code: code`
        interface Client { readonly url: string; quit(): Promise<void> }
        declare function probe(url: string): Promise<void>;
        export class Nodes {
          readonly #clients = new Map<string, Client>();
          quit(): Promise<void> {
            return this.#each((client) => client.quit());
          }
          check(): Promise<void> {
            return this.#each((client) => probe(client.url));
          }
          async #each(fn: (client: Client) => Promise<void>): Promise<void> {
            await Promise.all(Array.from(this.#clients.values(), (client) => fn(client)));
          }
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 12, data: { call: 'Array.from(...)', input: 'this.#clients.values()', size: UNBOUNDED } }],
    },
    // a helper held by an exported `const`: callers in other files may pass anything
    {
      code: code`
        interface Store { purge(): Promise<void> }
        export const each = async (list: Store[], fn: (store: Store) => Promise<void>): Promise<void> => {
          await Promise.all(list.map(async (store) => fn(store)));
        };
        export async function reset(stores: Store[]): Promise<void> {
          await each(stores, (store) => store.purge());
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 3, data: { call: 'list.map(...)', input: 'list', size: UNBOUNDED } }],
    },
    // an array that starts empty and is filled in a loop is as large as its input
    {
      code: code`
        import { readFile } from 'node:fs/promises';
        export async function readMatching(names: string[]): Promise<string[]> {
          const paths: string[] = [];
          for (const name of names) if (name.endsWith('.json')) paths.push(name);
          return Promise.all(paths.map((path) => readFile(path, 'utf8')));
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 5, data: { call: 'paths.map(...)', input: 'paths', size: UNBOUNDED } }],
    },
    // a readonly field that starts empty and is pushed to elsewhere in the class
    {
      code: code`
        declare function deliver(message: string): Promise<void>;
        export class Outbox {
          readonly #pending: string[] = [];
          add(message: string): void {
            this.#pending.push(message);
          }
          async flush(): Promise<void> {
            await Promise.all(this.#pending.map((message) => deliver(message)));
          }
        }
      `,
      errors: [{ messageId: 'unboundedMap', line: 8, data: { call: 'this.#pending.map(...)', input: 'this.#pending', size: UNBOUNDED } }],
    },
    // a service's own group, created without a limit
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        import { runJob, type Job } from './no-unbounded-fanout/app.js';
        export class Scheduler {
          readonly #group = new ErrGroup({ name: 'jobs' });
          submitAll(jobs: readonly Job[]): void {
            for (const job of jobs) this.#group.go((signal) => runJob(job, signal));
          }
        }
      `,
      errors: [{ messageId: 'unboundedGroup', line: 6, data: { call: 'this.#group.go(...)', input: 'jobs', size: UNBOUNDED } }],
    },
  ],
});
