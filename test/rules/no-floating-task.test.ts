import rule from '../../rules/no-floating-task.js';
import { code, createRuleTester } from './rule-tester.js';

const ruleTester = createRuleTester();
const CATCH = '.catch((error) => console.error(error))';

// The void and catch suggestions for the statement on line `line` (0-based) of `source`, which reads `statement`: the
// two a floating statement outside an async function gets.
const voidOrCatch = (source: string, line: number, statement: string) => {
  const replaced = (text: string): string => source.split('\n').map((each, index) => (index === line ? each.replace(statement, text) : each)).join('\n');
  return [
    { messageId: 'addVoid' as const, output: replaced(`void ${statement}`) },
    { messageId: 'addCatch' as const, output: replaced(`${statement}${CATCH}`) },
  ];
};
/** The `floating` error for `statement`, a statement of its own in `source` outside an async function, with its suggestions. */
const floatingAt = (source: string, statement: string, name: string) => {
  const index = source.split('\n').findIndex((line) => line.includes(`${statement};`));
  if (index === -1) throw new Error(`expected \`${statement};\` in the case`);
  return { messageId: 'floating' as const, line: index + 1, data: { name }, suggestions: voidOrCatch(source, index, statement) };
};
const NEXT = code`
  export function next(queue: Promise<void>[], jobs: { pop(): Promise<void> }, cleanup: () => void): void {
    queue.shift()?.finally(cleanup);
    jobs.pop();
  }
`;
const SAVE_SOME = code`
  export function saveSome(entries: AuditEntry[]): Promise<void[]> {
    const tasks = entries.map(saveAudit);
    tasks.pop();
    entries.map(saveAudit).shift();
    return Promise.all(tasks);
  }
`;
const DROP = code`
  declare function batch(ids: string[]): { tasks: Promise<void>[] };
  export function drop(ids: string[], tasks = ids.map((id) => saveAudit({ id } as AuditEntry))): void {
    batch(ids).tasks.pop();
    tasks.pop();
  }
`;
const NODEBACK_CLIENT = `
  interface ReplyError extends Error { readonly command: string }
  type Callback<T> = (err?: ReplyError | null, result?: T) => void;
  declare const client: {
    get(key: string, callback?: Callback<string>): Promise<string>;
    watch(key: string, onError: (err: Error) => void): Promise<void>;
  };
  declare function timeout<T>(callback: Callback<T>, ms: number): Callback<T>;
  declare function asCallback<T>(promise: Promise<T>, nodeback: ((err: null, value: T) => void) | ((err: Error) => void)): Promise<T>;
`;
const NODEBACK_DROPPED = code`
  ${NODEBACK_CLIENT}
  export function read(key: string, callback?: Callback<string>): void {
    client.get(key, callback);
    client.watch(key, (err) => console.error(err));
    client.get(key, (err) => console.error(err)).finally(() => undefined);
  }
`;
const LISTENERS = `
  import { EventEmitter } from 'node:events';
  interface Message { readonly id: string; readonly body: string }
  declare function report(error: unknown): void;
`;
const LISTENERS_DROPPED = code`
  ${LISTENERS}
  const onMessage = async (message: Message): Promise<void> => {
    await fetchPage(message.body);
  };
  export function listen(bus: EventEmitter): void {
    bus.on('message', onMessage);
    bus.on('reply', async (message?: Message) => {
      const { id } = message!;
      try { await fetchPage(id); } catch (error) { report(error); }
    });
  }
`;
const KEPT = `
  const started: Promise<void> & { label?: string } = saveAudit({ id: 'boot' } as AuditEntry);
  export class Pipeline {
    readonly #result: Promise<string[]> = Promise.all([fetchPage('/a')]);
    exec(): Promise<string[]> {
      if (this.#result === undefined) throw new Error('not started');
      return this.#result;
    }
    ready = (): Promise<void> => Promise.resolve(started);
    async done(): Promise<string[]> {
      return this.#result;
    }
    shutdown(forced: boolean): Promise<string[]> {
      if (forced) return Promise.resolve(this.#result).then(() => { throw new Error('forced'); });
      return this.#result;
    }
    same(work: Promise<void>): Promise<void> {
      return work;
    }
  }
`;
const KEPT_DROPPED = code`
  ${KEPT}
  export function stop(pipeline: Pipeline): void {
    pipeline.done();
    pipeline.shutdown(true);
    pipeline.same(saveAudit({ id: 'stop' } as AuditEntry));
    pipeline.exec().finally(() => undefined);
  }
`;
// A job whose stop() hands back its running work with the rejection already handled, or a settled promise; and
// methods that look alike but can still reject.
const HANDLED_JOB = `
  const noop = (): void => {};
  export class Job {
    #running: Promise<string> | undefined;
    start(url: string): void {
      this.#running = fetch(url).then((response) => response.text());
      this.#running.catch(noop);
    }
    stop(): Promise<void> {
      const running = this.#running;
      this.#running = undefined;
      return running ? running.then(noop).catch(noop) : Promise.resolve();
    }
    settle(): Promise<string | void> {
      if (!this.#running) return Promise.resolve('idle');
      return this.#running.then(undefined, noop);
    }
    cancel = (): Promise<void> => this.#running?.then(noop, noop) ?? Promise.resolve();
    unhandled(): Promise<void> {
      return this.#running ? this.#running.then(noop) : Promise.resolve();
    }
    passOn(): Promise<unknown> {
      return Promise.resolve(this.#running);
    }
    retry(url: string): Promise<string> {
      if (this.#running) return this.#running.catch(noop).then(() => 'done');
      return fetch(url).then((response) => response.text());
    }
  }
`;
const HANDLED_DROPPED = code`
  ${HANDLED_JOB}
  export function restart(job: Job, url: string): void {
    job.unhandled();
    job.passOn();
    job.retry(url);
  }
`;
const ADAPTER = `
  declare function getConnection(callback: (err: Error | null, connection: string) => void): void;
  declare function settle(value: string): void;
`;
const ADAPTER_THROWING = code`
  ${ADAPTER}
  export function acquire(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      getConnection(async (err, connection) => {
        if (err) reject(err);
        else resolve(connection.trim());
      });
      getConnection(async (err, connection) => {
        if (!err) settle(connection);
      });
    });
  }
`;
const TAG_SAVE = code`
  export function tagSave(entry: AuditEntry, extra: { readonly id: string }): void {
    Object.assign(saveAudit(entry), extra);
  }
`;
const TAG_ALL = code`
  declare function deferred(): { promise: Promise<void> };
  export function tagAll(entry: AuditEntry, extra: { readonly id: string }): void {
    const audit = saveAudit(entry);
    const tagged = Object.assign(audit, extra);
    Object.assign(deferred().promise, extra);
  }
`;

/** The three suggestions for a floating statement `statement` in an async function of `source`. */
function floatingSuggestions(source: string, statement: string): { messageId: 'addVoid' | 'addAwait' | 'addCatch'; output: string }[] {
  const at = source.indexOf(`${statement};`);
  if (at === -1 || source.indexOf(`${statement};`, at + 1) !== -1) throw new Error(`expected exactly one \`${statement};\` in the case`);
  const edit = (replacement: string): string => source.slice(0, at) + replacement + source.slice(at + statement.length);
  return [
    { messageId: 'addVoid', output: edit(`void ${statement}`) },
    { messageId: 'addAwait', output: edit(`await ${statement}`) },
    { messageId: 'addCatch', output: edit(`${statement}${CATCH}`) },
  ];
}

ruleTester.run('no-floating-task', rule, {
  valid: [
    // a crawler that waits for every page
    code`
      export async function crawlAll(urls: string[]): Promise<string[][]> {
        return await Promise.all(urls.map((url) => crawl(url)));
      }
    `,
    // tasks kept in a variable and settled together
    code`
      export async function crawlSome(urls: string[]): Promise<void> {
        const tasks = urls.map((url) => crawl(url));
        await Promise.allSettled(tasks);
      }
    `,
    // fire-and-forget marked with void (ignoreVoid defaults to true)
    code`
      export function onShutdown(): void {
        void flushMetrics();
      }
    `,
    // a rejection handler owns the failure
    code`
      export function audit(entry: AuditEntry): void {
        saveAudit(entry).catch((error: unknown) => logger.error(error));
      }
    `,
    // then(onFulfilled, onRejected)
    code`
      export function audit(entry: AuditEntry, done: () => void): void {
        saveAudit(entry).then(done, logger.error);
      }
    `,
    // the promise is awaited in finally, so on every path
    code`
      export async function handle(entry: AuditEntry, work: () => Promise<void>): Promise<void> {
        const pending = saveAudit(entry);
        try {
          await work();
        } finally {
          await pending;
        }
      }
    `,
    // every path hands the page on: a handler on the early return, an await on the other
    code`
      export async function load(url: string, cached: string | undefined): Promise<string> {
        const page = fetchPage(url);
        if (cached) {
          page.catch(() => {});
          return cached;
        }
        return await page;
      }
    `,
    // returned to the caller, who owns it
    code`
      export function load(url: string): Promise<string> {
        const page = fetchPage(url);
        return page;
      }
    `,
    // stored: whoever reads the map owns the promise
    code`
      const inflight = new Map<string, Promise<string>>();
      export function prefetch(url: string): void {
        inflight.set(url, fetchPage(url));
      }
    `,
    // a listener that catches inside, with a void-returning callback
    code`
      import { EventEmitter } from 'node:events';
      export function listen(jobs: EventEmitter): void {
        jobs.on('job', (entry: AuditEntry) => {
          saveAudit(entry).catch(logger.error);
        });
      }
    `,
    // a retry timer whose callback handles its own failure
    code`
      export function scheduleRetry(retry: () => Promise<void>): void {
        setTimeout(() => {
          retry().catch(logger.error);
        }, 100);
      }
    `,
    // a DOM listener that deliberately drops the promise with void
    code`
      export function wire(button: HTMLButtonElement): void {
        button.addEventListener('click', () => void flushMetrics());
      }
    `,
    // Promise#finally awaits what its callback returns, so an async callback there is owned
    code`
      export async function release(entry: AuditEntry, unlock: () => Promise<void>): Promise<void> {
        await saveAudit(entry).finally(async () => {
          await unlock();
        });
      }
    `,
    // node:test's runner owns the promises test() returns
    code`
      import { test } from 'node:test';
      test('saves the audit entry', async () => {
        await saveAudit({ action: 'login', important: true });
      });
    `,
    // a semaphore permit acquired and released around the work
    code`
      import { Semaphore } from 'taskscope/runtime';
      const db = new Semaphore(4);
      export async function save(entry: AuditEntry): Promise<void> {
        const permit = await db.acquire();
        try {
          await saveAudit(entry);
        } finally {
          permit.release();
        }
      }
    `,
    // tasks handed to an ErrGroup, which owns their failures until wait()
    code`
      import { ErrGroup } from 'taskscope/runtime';
      export async function crawlAll(urls: string[]): Promise<void> {
        const group = new ErrGroup({ limit: 4 });
        for (const url of urls) {
          group.go(async (signal) => index(await fetchPage(url, signal)));
        }
        await group.wait();
      }
    `,
    // the callback parameter accepts a promise, so nothing is lost
    code`
      declare function route(path: string, handler: (body: string) => void | Promise<void>): void;
      route('/audit', async (body) => {
        await saveAudit({ action: body, important: false });
      });
    `,
    // a promise read from a closure may be consumed later: not judged path by path
    code`
      export function lazy(url: string): () => Promise<string> {
        const page = fetchPage(url);
        return () => page;
      }
    `,
    // ignoreIIFE lets a top-level main() float
    {
      code: code`
        (async () => {
          await flushMetrics();
        })();
      `,
      options: [{ ignoreIIFE: true }],
    },
    // the right side never runs: TypeScript knows `false` is falsy
    code`
      export async function maybe(): Promise<void> {
        const enabled = false as const;
        enabled && flushMetrics();
      }
    `,
    // Object.defineProperties gives back the promise it was handed, which is returned on the next line
    code`
      export function decorate(work: Promise<number>, extra: PropertyDescriptorMap): Promise<number> {
        Object.defineProperties(work, extra);
        return work;
      }
    `,
    // Array#splice and Array#pop hand back elements the array held: the statement drops no new promise
    code`
      const entered: [number, Promise<void>][] = [];
      export class Drain {
        private readonly pending: Promise<void>[] = [];
        async flush(): Promise<void> {
          while (this.pending.length > 0) {
            const waitOn = [...this.pending];
            await Promise.all(waitOn);
            this.pending.splice(0, waitOn.length);
          }
        }
        leave(): void {
          entered.pop();
        }
      }
    `,
    // taking a listener off never calls it: the DOM's removeEventListener, undici's (Node's WebSocket global without
    // the DOM lib), EventEmitter's off and removeListener
    code`
      import { EventEmitter } from 'node:events';
      import type { WebSocket } from 'undici-types';
      export function detach(target: EventTarget, socket: WebSocket, jobs: EventEmitter, onChange: () => Promise<void>): void {
        target.removeEventListener('change', onChange);
        socket.removeEventListener('reconnect', onChange);
        jobs.off('job', onChange);
        jobs.removeListener('job', onChange);
      }
    `,
    // a promise-returning API given a Node-style callback hands the outcome, rejection included, to that callback:
    // an inline one, one made by a call, and an optional one once a test has narrowed it to a function
    code`
      ${NODEBACK_CLIENT}
      export function read(key: string, done: Callback<string>, callback?: Callback<string>): void {
        client.get(key, (err, value) => done(err, value));
        client.get(key, timeout((err, value) => done(err, value), 1000));
        if (callback) client.get(key, callback);
        asCallback(client.get(key), (err: Error | null, value?: string) => done(err, value));
      }
    `,
    // pass-through calls of kept values: an alias whose original is awaited, a property returned on one path, and
    // property paths through `!`, `as` and `super`
    code`
      declare function identity<T>(value: T): T;
      class Base { protected readonly work: Promise<void> = Promise.resolve(); }
      export class Holder extends Base {
        async finish(job: { work: Promise<void> } | undefined, extra: PropertyDescriptorMap, early: boolean): Promise<void> {
          const audit = saveAudit({ id: 'a' } as AuditEntry);
          const alias = identity(audit);
          await audit;
          const tagged = Object.defineProperties(this.work, extra);
          if (early) return tagged;
          Object.assign(job!.work, extra);
          Object.assign((this as Holder).work, extra);
          Object.assign(super.work, extra);
        }
      }
    `,
    // Object.assign gives back its target, here the promise returned on the next line
    code`
      export function styled(className: string, extra: { readonly name: string }): Promise<string> {
        const ready = Promise.resolve(className);
        Object.assign(ready, extra);
        return ready;
      }
    `,
    // a generic helper declared to return its argument hands back a promise owned by the class field
    code`
      declare function label<T>(value: T, name: string): T;
      export class Uploader {
        pending: Promise<void> | undefined;
        start(entry: AuditEntry): void {
          this.pending = saveAudit(entry);
          label(this.pending, 'upload');
        }
      }
    `,
    // an async callback that only settles the promise being made around it: resolve and reject never throw
    code`
      ${ADAPTER}
      export function acquire(): Promise<string> {
        return new Promise<string>((resolve, reject) => {
          getConnection(async (err, connection) => {
            if (err) {
              reject(err);
            } else {
              resolve(connection);
            }
          });
        });
      }
    `,
    // calls that give back a promise kept elsewhere (a field, `Promise.resolve` of a module's promise): the promise was
    // made, and is owned or not, where it was stored
    code`
      ${KEPT}
      export function retry(pipeline: Pipeline, eager: boolean): void {
        pipeline.exec();
        pipeline.ready();
        const result = pipeline.exec();
        if (eager) void result.then(index, logger.error);
      }
    `,
    // promises taken off an array the class keeps, into a variable read on one path only: they were made, and are
    // owned or not, where they were stored
    code`
      export class Pool {
        private readonly waiting: Promise<void>[] = [];
        async release(count: number, ready: boolean): Promise<void> {
          const released = this.waiting.splice(0, count);
          if (ready) await Promise.all(released);
        }
      }
    `,
    // listeners that cannot reject, declared apart from the call (a const, a method, a factory's result) or reading
    // the message before their try (a property, a destructuring of a value typed never to be missing)
    code`
      ${LISTENERS}
      const onMessage = async (message: Message): Promise<void> => {
        try { await fetchPage(message.body); } catch (error) { report(error); }
      };
      function replyHandler(prefix: string) {
        return async (message: Message): Promise<void> => {
          try { await fetchPage(prefix + message.id); } catch (error) { report(error); }
        };
      }
      export class Inbox {
        listen(bus: EventEmitter): void {
          bus.on('message', onMessage);
          bus.on('retry', this.onRetry);
          bus.on('reply', replyHandler('/replies/'));
          bus.on('read', async (message: Message) => {
            const id = message.id;
            const { body, ...rest } = message;
            try { await fetchPage(id + body + rest.id); } catch (error) { report(error); }
          });
        }
        async onRetry(message: Message): Promise<void> {
          try { await fetchPage(message.body); } catch (error) { report(error); }
        }
      }
    `,
    // a reconnect timer whose callback clears its handle and leaves early before its try, and shutdown handlers
    // whose finally ends the process: none can reject
    code`
      declare function report(error: unknown): void;
      export class Reconnector {
        timer: ReturnType<typeof setTimeout> | null = null;
        closing = false;
        current: Promise<void> | undefined;
        schedule(url: string): void {
          this.timer = setTimeout(async () => {
            this.timer = null;
            if (this.closing) { this.timer = null; return; }
            try { await fetchPage(url); } catch (error) { report(error); this.schedule(url); }
          }, 1000);
        }
        async drainAndExit(): Promise<void> {
          try { await this.current; } finally { process.exit(process.exitCode ?? 0); }
        }
        listen(): void {
          process.on('SIGTERM', () => this.drainAndExit());
          process.on('SIGINT', async () => { try { await this.current; } finally { process.exit(0); } });
        }
      }
    `,
    // a method whose every return is a promise with its rejection handled, or a settled one: nothing to lose
    code`
      ${HANDLED_JOB}
      export function restart(job: Job, url: string): void {
        job.stop();
        job.settle();
        job.cancel();
        job.start(url);
      }
    `,
    // an async IIFE whose whole body is a try whose catch reports: its promise cannot reject
    code`
      declare function report(error: unknown): void;
      export function start(chunks: string[]): void {
        (async () => {
          const label = 'upload';
          try {
            for (const chunk of chunks) await fetchPage(chunk);
          } catch (error) {
            const message = \`\${label} failed\`;
            report(new Error(message, { cause: error }));
          }
        })();
      }
    `,
    // a private method that catches everything, called as a statement and kept in a variable read on one path only
    code`
      export class BodyReader {
        done = false;
        async #drain(url: string, retries = 3): Promise<boolean> {
          let attempts = 0;
          try {
            while (attempts++ < retries) {
              if ((await fetchPage(url)).length > 0) return true;
            }
          } catch {
            this.done = true;
          } finally {
            this.done = true;
          }
          return false;
        }
        read(url: string, eager: boolean): void {
          this.#drain(url);
          const drained = eager ? this.#drain(url) : undefined;
          if (this.done) return;
          drained?.then(index, logger.error);
        }
      }
    `,
    // a promise whose executor only resolves, read on the backpressure path only: nothing can reject it
    code`
      declare function drained(): Promise<void>;
      export async function pump(chunks: AsyncIterable<string>, write: (chunk: string) => boolean, signal: AbortSignal): Promise<void> {
        const aborted = new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        for await (const chunk of chunks) {
          if (signal.aborted) break;
          if (!write(chunk)) await Promise.race([drained(), aborted]);
        }
      }
    `,
    // a timer that fulfils with a plain value, handed resolve as its callback, awaited on one path only
    code`
      declare function after(ms: number, callback: (late: boolean) => void): void;
      export async function poll(check: () => boolean, ms: number): Promise<boolean> {
        const timeout = new Promise<boolean>((resolve) => after(ms, resolve));
        if (check()) return true;
        return (await timeout) && check();
      }
    `,
    // a sleep raced against the work, dropped when the work wins (Node's setTimeout calls resolve with no arguments)
    code`
      export async function withDeadline(url: string, ms: number): Promise<string[]> {
        const deadline = new Promise<void>((resolve) => setTimeout(resolve, ms));
        const page = await fetchPage(url);
        if (page.length > 0) return page;
        await deadline;
        return [];
      }
    `,
    // an async executor that declares no reject: its throw rejects the executor's own promise (which catches it),
    // never the constructed one, so the path check has nothing to lose on the early return
    code`
      export async function warmCache(urls: string[], signal: AbortSignal): Promise<number> {
        const warmed = new Promise<number>(async (resolve) => {
          try {
            if (signal.aborted) throw new Error('aborted before warming');
            for (const url of urls) await fetchPage(url, signal);
            resolve(urls.length);
          } catch (error) {
            logger.error(error);
            resolve(0);
          }
        });
        if (urls.length === 0) return 0;
        return await warmed;
      }
    `,
    // a sleep that can only fulfil, chained with finally as a statement: finally has no rejection to pass through
    code`
      export function releaseLater(release: () => void, ms: number): void {
        const tick = new Promise<void>((resolve) => setTimeout(resolve, ms));
        tick.finally(release);
      }
    `,
    // the same, inline, with an async executor that catches everything it awaits
    code`
      export function closeWhenDrained(pending: Promise<void>[], close: () => void): void {
        new Promise<void>(async (resolve) => {
          try {
            while (pending.length > 0) await pending.shift();
            resolve();
          } catch (error) {
            logger.error(error);
            resolve();
          }
        }).finally(close);
      }
    `,
    // an array typed to hold promises too, cast from a literal of strings: nothing in it can reject on the early return
    code`
      type Chunks = (string | Promise<string>)[];
      export function attribute(key: string, value: string | null): string | Chunks {
        const chunks = [\`\${key}="\`] as Chunks;
        if (value === null) return '';
        chunks.push(value, '"');
        return chunks;
      }
    `,
    // a promise that can only fulfil, never read: nothing is lost (only the wait is)
    code`
      export function warmUp(signal: AbortSignal): void {
        const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      }
    `,
    // an async listener that catches its own errors: the emitter drops a promise that never rejects
    code`
      import { EventEmitter } from 'node:events';
      export function listen(jobs: EventEmitter): void {
        jobs.on('job', async (entry: AuditEntry) => {
          try {
            await saveAudit(entry);
          } catch (error) {
            logger.error(error);
          }
        });
      }
    `,
    // a deferred destructured from its factory, owned on every path
    code`
      declare function withResolvers<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void };
      export async function connect(useProxy: boolean, onClose: (listener: (error: Error) => void) => void): Promise<void> {
        const { promise: connected, reject } = withResolvers<void>();
        onClose(reject);
        if (useProxy) {
          await connected;
          return;
        }
        connected.catch(logger.error);
      }
    `,
    // the first thing the try does is read the promise: ESLint's guess that an earlier name lookup threw is not a path
    code`
      export async function open(url: string): Promise<string> {
        let html: string;
        const page = fetchPage(url);
        try {
          html = await page;
          return html;
        } catch (error) {
          logger.error(error);
          throw error;
        } finally {
          index('');
        }
      }
    `,
    // a deferred picked out of a container: someone else made it and owns its promise
    code`
      interface Deferred { promise: Promise<void>; resolve: () => void }
      declare function first<T>(items: T[]): T;
      export async function settleFirst(deferreds: Deferred[], wait: boolean): Promise<void> {
        const { promise, resolve } = first(deferreds);
        resolve();
        if (wait) await promise;
      }
    `,
  ],
  invalid: [
    // a non-async request handler that drops the audit write
    {
      code: code`
        export function handle(entry: AuditEntry): number {
          saveAudit(entry);
          return 204;
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2,
          data: { name: 'saveAudit(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              export function handle(entry: AuditEntry): number {
                void saveAudit(entry);
                return 204;
              }
            ` },
            { messageId: 'addCatch', output: code`
              export function handle(entry: AuditEntry): number {
                saveAudit(entry)${CATCH};
                return 204;
              }
            ` },
          ],
        },
      ],
    },
    // a retry loop that forgets to await its back-off
    {
      code: code`
        export async function fetchWithRetry(url: string): Promise<string> {
          for (let attempt = 0; ; attempt++) {
            try {
              return await fetchPage(url);
            } catch (error) {
              if (attempt === 3) throw error;
              sleep(2 ** attempt * 100);
            }
          }
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 7,
          suggestions: [
            { messageId: 'addVoid', output: code`
              export async function fetchWithRetry(url: string): Promise<string> {
                for (let attempt = 0; ; attempt++) {
                  try {
                    return await fetchPage(url);
                  } catch (error) {
                    if (attempt === 3) throw error;
                    void sleep(2 ** attempt * 100);
                  }
                }
              }
            ` },
            { messageId: 'addAwait', output: code`
              export async function fetchWithRetry(url: string): Promise<string> {
                for (let attempt = 0; ; attempt++) {
                  try {
                    return await fetchPage(url);
                  } catch (error) {
                    if (attempt === 3) throw error;
                    await sleep(2 ** attempt * 100);
                  }
                }
              }
            ` },
            { messageId: 'addCatch', output: code`
              export async function fetchWithRetry(url: string): Promise<string> {
                for (let attempt = 0; ; attempt++) {
                  try {
                    return await fetchPage(url);
                  } catch (error) {
                    if (attempt === 3) throw error;
                    sleep(2 ** attempt * 100)${CATCH};
                  }
                }
              }
            ` },
          ],
        },
      ],
    },
    // a stream writer whose write() rejections are dropped
    {
      code: code`
        export async function pipeChunks(writer: WritableStreamDefaultWriter<string>, chunks: string[]): Promise<void> {
          for (const chunk of chunks) writer.write(chunk);
          await writer.close();
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2,
          data: { name: 'writer.write(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              export async function pipeChunks(writer: WritableStreamDefaultWriter<string>, chunks: string[]): Promise<void> {
                for (const chunk of chunks) void writer.write(chunk);
                await writer.close();
              }
            ` },
            { messageId: 'addAwait', output: code`
              export async function pipeChunks(writer: WritableStreamDefaultWriter<string>, chunks: string[]): Promise<void> {
                for (const chunk of chunks) await writer.write(chunk);
                await writer.close();
              }
            ` },
            { messageId: 'addCatch', output: code`
              export async function pipeChunks(writer: WritableStreamDefaultWriter<string>, chunks: string[]): Promise<void> {
                for (const chunk of chunks) writer.write(chunk)${CATCH};
                await writer.close();
              }
            ` },
          ],
        },
      ],
    },
    // a crawler whose forEach drops every page's failure
    {
      code: code`
        export function crawlAll(urls: string[]): void {
          urls.forEach(async (url) => {
            index(await fetchPage(url));
          });
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, data: { what: 'Async function', callee: 'forEach(...)' } }],
    },
    // a crawler that starts every page and keeps none of the promises
    {
      code: code`
        export function crawlAll(urls: string[]): void {
          urls.map((url) => crawl(url));
        }
      `,
      errors: [{ messageId: 'floatingArray', line: 2, data: { name: 'urls.map(...)' } }],
    },
    // a metrics timer: setInterval ignores the promise its callback returns
    {
      code: code`
        export function startMetrics(): NodeJS.Timeout {
          return setInterval(async () => {
            await flushMetrics();
          }, 1_000);
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, data: { what: 'Async function', callee: 'setInterval(...)' } }],
    },
    // the shapes the reconnect and shutdown cases get away with, each one step further: a call before the try, an
    // early return with a value, a finally that ends the process only sometimes
    {
      code: code`
        declare function report(error: unknown): void;
        export function watch(url: string, closing: boolean, current: Promise<void>): void {
          setTimeout(async () => {
            report('reconnecting');
            try { await fetchPage(url); } catch (error) { report(error); }
          }, 1000);
          setTimeout(async () => {
            if (closing) return fetchPage(url);
            try { await fetchPage(url); } catch (error) { report(error); }
          }, 1000);
          process.on('SIGINT', async () => { try { await current; } finally { if (closing) process.exit(0); } });
        }
      `,
      errors: [
        { messageId: 'voidReturnArgument', line: 3, data: { what: 'Async function', callee: 'setTimeout(...)' } },
        { messageId: 'voidReturnArgument', line: 7, data: { what: 'Async function', callee: 'setTimeout(...)' } },
        { messageId: 'voidReturnArgument', line: 11, data: { what: 'Async function', callee: 'on(...)' } },
      ],
    },
    // an EventEmitter listener: emit() does not await listeners
    {
      code: code`
        import { EventEmitter } from 'node:events';
        export function listen(jobs: EventEmitter): void {
          jobs.on('job', async (entry: AuditEntry) => {
            await saveAudit(entry);
          });
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 3, data: { what: 'Async function', callee: 'on(...)' } }],
    },
    // a DOM listener given a promise-returning arrow without async
    {
      code: code`
        export function wire(button: HTMLButtonElement): void {
          button.addEventListener('click', () => flushMetrics());
        }
      `,
      errors: [
        { messageId: 'voidReturnArgument', line: 2, data: { what: 'Function returning a promise', callee: 'addEventListener(...)' } },
      ],
    },
    // a React click handler
    {
      filename: 'react.tsx',
      code: code`
        export function SaveButton({ entry }: { entry: AuditEntry }) {
          return <button onClick={async () => { await saveAudit(entry); }}>Save</button>;
        }
      `,
      errors: [{ messageId: 'voidReturnAttribute', line: 2, data: { what: 'Async function', attribute: 'onClick' } }],
    },
    // awaited in one branch only (typescript-eslint#6766)
    {
      code: code`
        export async function record(entry: AuditEntry): Promise<void> {
          const pending = saveAudit(entry);
          if (entry.important) {
            await pending;
          }
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 2, data: { name: 'pending' } }],
    },
    // a guard that throws before the promise is awaited: the rejection becomes unhandled
    {
      code: code`
        export async function loadValid(url: string): Promise<string> {
          const page = fetchPage(url);
          if (!url.startsWith('https:')) throw new Error('insecure url');
          return await page;
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 2 }],
    },
    // a crawler loop that skips seen URLs after starting the fetch
    {
      code: code`
        export async function crawlNew(urls: string[], seen: Set<string>): Promise<string[]> {
          const pages: string[] = [];
          for (const url of urls) {
            const page = fetchPage(url);
            if (seen.has(url)) continue;
            pages.push(await page);
          }
          return pages;
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 4, data: { name: 'page' } }],
    },
    // one branch of a `??` may start the request: the callees decide before the variable is typed
    {
      code: code`
        export async function warm(url: string, cache: Map<string, string>): Promise<string | undefined> {
          const page = cache.get(url) ?? fetchPage(url);
          const label = cache.get('label') ?? url.trim();
          if (!url.startsWith('https:')) return label;
          return await page;
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 2, data: { name: 'page' } }],
    },
    // a cast or an array literal does not hide a call that can reject
    {
      code: code`
        export async function loadOrSkip(url: string, skip: boolean): Promise<string[]> {
          const page = fetchPage(url) as Promise<string>;
          const both = [fetchPage(url), 'cached'] satisfies Array<Promise<string> | string>;
          if (skip) return [];
          return [await page, ...(await Promise.all(both))];
        }
      `,
      errors: [
        { messageId: 'unownedOnSomePath', line: 2, data: { name: 'page' } },
        { messageId: 'unownedOnSomePath', line: 3, data: { name: 'both' } },
      ],
    },
    // executors that can reject: a declared reject, a throw, resolve adopting a promise, a callback passing `any`
    ...[
      `new Promise<void>((resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))`,
      `new Promise<void>((resolve) => { if (signal.aborted) throw new Error('aborted'); signal.addEventListener('abort', () => resolve()); })`,
      `new Promise<string[]>((resolve) => signal.addEventListener('abort', () => resolve(fetchPage('https://example.com'))))`,
      `new Promise<void>((resolve) => emitter.once('drain', resolve))`,
      // async executors: a declared reject, resolve adopting a promise (each catches its own errors, so only the
      // path check speaks)
      `new Promise<void>(async (resolve, reject) => { try { await saveAudit(entry); resolve(); } catch (error) { reject(error as Error); } })`,
      `new Promise<string>(async (resolve) => { try { resolve(fetchPage('https://example.com')); } catch { resolve(''); } })`,
    ].map((executor) => ({
      code: code`
        import { EventEmitter } from 'node:events';
        declare const emitter: EventEmitter;
        export async function record(entry: AuditEntry, signal: AbortSignal): Promise<void> {
          const done = ${executor};
          if (entry.important) await done;
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath' as const, line: 4, data: { name: 'done' } }],
    })),
    // the vercel/ai shape: the async executor's own promise is lost (reported at the executor), but the constructed
    // one can only fulfil, so its finally chain loses nothing
    {
      code: code`
        export function closeWhenDrained(pending: Promise<void>[], close: () => void): void {
          const drained: Promise<void> = new Promise(async (resolve) => {
            while (pending.length > 0) await pending.shift();
            resolve();
          });
          drained.finally(() => {
            try {
              close();
            } catch {
              // already closed
            }
          });
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, column: 46, data: { what: 'Async function', callee: 'new Promise(...)' } }],
    },
    // finally on a promise whose executor declares reject: the rejection passes through
    {
      code: code`
        export function closeWhenAborted(signal: AbortSignal, close: () => void): void {
          const aborted = new Promise<void>((resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
          aborted.finally(close);
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 3,
          data: { name: 'aborted' },
          suggestions: [
            { messageId: 'addVoid', output: code`
          export function closeWhenAborted(signal: AbortSignal, close: () => void): void {
            const aborted = new Promise<void>((resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
            void aborted.finally(close);
          }
            ` },
            { messageId: 'addCatch', output: code`
          export function closeWhenAborted(signal: AbortSignal, close: () => void): void {
            const aborted = new Promise<void>((resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
            aborted.finally(close)${CATCH};
          }
            ` },
          ],
        },
      ],
    },
    // finally on a variable that is not const: what it holds now may reject
    {
      code: code`
        export function closeWhenAborted(signal: AbortSignal, close: () => void): void {
          let aborted = new Promise<void>((resolve) => setTimeout(resolve, 10)); if (signal.aborted) aborted = Promise.reject(new Error('aborted'));
          aborted.finally(close);
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 3,
          data: { name: 'aborted' },
          suggestions: [
            { messageId: 'addVoid', output: code`
          export function closeWhenAborted(signal: AbortSignal, close: () => void): void {
            let aborted = new Promise<void>((resolve) => setTimeout(resolve, 10)); if (signal.aborted) aborted = Promise.reject(new Error('aborted'));
            void aborted.finally(close);
          }
            ` },
            { messageId: 'addCatch', output: code`
          export function closeWhenAborted(signal: AbortSignal, close: () => void): void {
            let aborted = new Promise<void>((resolve) => setTimeout(resolve, 10)); if (signal.aborted) aborted = Promise.reject(new Error('aborted'));
            aborted.finally(close)${CATCH};
          }
            ` },
          ],
        },
      ],
    },
    // started and never looked at
    {
      code: code`
        export function warmUp(): void {
          const warm = fetchPage('https://example.com/health');
        }
      `,
      errors: [{ messageId: 'unownedVariable', line: 2, data: { name: 'warm' } }],
    },
    // finally() passes the rejection through
    {
      code: code`
        export function audit(entry: AuditEntry, unlock: () => void): void {
          saveAudit(entry).finally(unlock);
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2,
          suggestions: [
            { messageId: 'addVoid', output: code`
              export function audit(entry: AuditEntry, unlock: () => void): void {
                void saveAudit(entry).finally(unlock);
              }
            ` },
            { messageId: 'addCatch', output: code`
              export function audit(entry: AuditEntry, unlock: () => void): void {
                saveAudit(entry).finally(unlock)${CATCH};
              }
            ` },
          ],
        },
      ],
    },
    // a handler that may be undefined is no handler
    {
      code: code`
        export async function audit(entry: AuditEntry): Promise<void> {
          saveAudit(entry).catch(logger.debug);
        }
      `,
      errors: [
        {
          messageId: 'floatingUselessHandler',
          line: 2,
          suggestions: [
            { messageId: 'addVoid', output: code`
              export async function audit(entry: AuditEntry): Promise<void> {
                void saveAudit(entry).catch(logger.debug);
              }
            ` },
            { messageId: 'addAwait', output: code`
              export async function audit(entry: AuditEntry): Promise<void> {
                await saveAudit(entry).catch(logger.debug);
              }
            ` },
          ],
        },
      ],
    },
    // the strict config: void no longer excuses a floating promise
    {
      code: code`
        export async function shutdown(): Promise<void> {
          void flushMetrics();
        }
      `,
      options: [{ ignoreVoid: false }],
      errors: [
        {
          messageId: 'floating',
          line: 2,
          suggestions: [
            { messageId: 'addAwait', output: code`
              export async function shutdown(): Promise<void> {
                await flushMetrics();
              }
            ` },
          ],
        },
      ],
    },
    // a semaphore acquire whose permit nobody receives
    {
      code: code`
        import { Semaphore } from 'taskscope/runtime';
        const db = new Semaphore(2);
        export function reserve(): void {
          db.acquire();
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 4,
          data: { name: 'db.acquire(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              import { Semaphore } from 'taskscope/runtime';
              const db = new Semaphore(2);
              export function reserve(): void {
                void db.acquire();
              }
            ` },
            { messageId: 'addCatch', output: code`
              import { Semaphore } from 'taskscope/runtime';
              const db = new Semaphore(2);
              export function reserve(): void {
                db.acquire()${CATCH};
              }
            ` },
          ],
        },
      ],
    },
    // a group whose wait() nobody awaits: the first task failure is lost
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        export function startCrawl(urls: string[]): void {
          const group = new ErrGroup();
          for (const url of urls) group.go(() => crawl(url));
          group.wait();
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 5,
          data: { name: 'group.wait(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              import { ErrGroup } from 'taskscope/runtime';
              export function startCrawl(urls: string[]): void {
                const group = new ErrGroup();
                for (const url of urls) group.go(() => crawl(url));
                void group.wait();
              }
            ` },
            { messageId: 'addCatch', output: code`
              import { ErrGroup } from 'taskscope/runtime';
              export function startCrawl(urls: string[]): void {
                const group = new ErrGroup();
                for (const url of urls) group.go(() => crawl(url));
                group.wait()${CATCH};
              }
            ` },
          ],
        },
      ],
    },
    // an async Promise executor: a throw inside it never rejects the promise
    {
      code: code`
        export async function readConfig(): Promise<string> {
          const config = new Promise<string>(async (resolve) => {
            resolve(await fetchPage('https://example.com/config'));
          });
          return await config;
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, data: { what: 'Async function', callee: 'new Promise(...)' } }],
    },
    // a promise handed to Object.defineProperties and dropped: the call gives it back, so nothing owns it
    {
      code: code`
        export function tag(entry: AuditEntry, extra: PropertyDescriptorMap): void {
          const audit = saveAudit(entry);
          Object.defineProperties(audit, extra);
        }
      `,
      errors: [{ messageId: 'unownedVariable', line: 2, column: 9, data: { name: 'audit' } }],
    },
    // Object.assign copies from a promise and drops the result: the promise is read here, but owned by nobody
    {
      code: code`
        export function describeSave(entry: AuditEntry, summary: { readonly id: string }): void {
          const audit = saveAudit(entry);
          Object.assign(summary, audit);
        }
      `,
      errors: [{ messageId: 'unownedVariable', line: 2, column: 9, data: { name: 'audit' } }],
    },
    // a `finally` chain on a promise taken out of an array is new, and a method that is not Array's `pop` may make one
    {
      code: NEXT,
      errors: [
        { messageId: 'floating', line: 2, data: { name: 'queue.shift(...)' }, suggestions: voidOrCatch(NEXT, 1, 'queue.shift()?.finally(cleanup)') },
        { messageId: 'floating', line: 3, data: { name: 'jobs.pop(...)' }, suggestions: voidOrCatch(NEXT, 2, 'jobs.pop()') },
      ],
    },
    // an `off` method of another type may call the listener: judged by its declared type
    {
      code: code`
        export function detachAll(bus: { off(name: string, listener: () => void): void }, onChange: () => Promise<void>): void {
          bus.off('change', onChange);
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, column: 21 }],
    },
    // an array this function made (or a fresh one) loses the promise a removal takes out of it
    {
      code: SAVE_SOME,
      errors: [
        { messageId: 'floating', line: 3, data: { name: 'tasks.pop(...)' }, suggestions: voidOrCatch(SAVE_SOME, 2, 'tasks.pop()') },
        { messageId: 'floating', line: 4, data: { name: 'entries.map(saveAudit).shift(...)' }, suggestions: voidOrCatch(SAVE_SOME, 3, 'entries.map(saveAudit).shift()') },
      ],
    },
    // Object.assign into a variable: the promise lives on there, and that variable is never read; a deferred's
    // promise read off a fresh call is held by nobody else
    {
      code: TAG_ALL,
      errors: [
        { messageId: 'unownedVariable', line: 4, data: { name: 'tagged' } },
        { messageId: 'floating', line: 5, data: { name: 'Object.assign(...)' }, suggestions: voidOrCatch(TAG_ALL, 4, 'Object.assign(deferred().promise, extra)') },
      ],
    },
    // a removal from an array a call just made (reached through a property), or from a parameter's default value
    {
      code: DROP,
      errors: [
        { messageId: 'floating', line: 3, data: { name: 'batch(ids).tasks.pop(...)' }, suggestions: voidOrCatch(DROP, 2, 'batch(ids).tasks.pop()') },
        { messageId: 'floating', line: 4, data: { name: 'tasks.pop(...)' }, suggestions: voidOrCatch(DROP, 3, 'tasks.pop()') },
      ],
    },
    // Object.assign onto a fresh promise: nobody else holds it
    {
      code: TAG_SAVE,
      errors: [{ messageId: 'floating', line: 2, data: { name: 'Object.assign(...)' }, suggestions: voidOrCatch(TAG_SAVE, 1, 'Object.assign(saveAudit(entry), extra)') }],
    },
    // callbacks that do more than settle: a call that may throw, and a function that is not the executor's
    {
      code: ADAPTER_THROWING,
      errors: [
        { messageId: 'voidReturnArgument', line: 7, data: { what: 'Async function', callee: 'getConnection(...)' } },
        { messageId: 'voidReturnArgument', line: 11, data: { what: 'Async function', callee: 'getConnection(...)' } },
      ],
    },
    // returns that can still reject: a chain without a handler, Promise.resolve of a promise, a handler that a later
    // step can undo, and another path that makes a new request
    {
      code: HANDLED_DROPPED,
      errors: [
        floatingAt(HANDLED_DROPPED, 'job.unhandled()', 'job.unhandled(...)'),
        floatingAt(HANDLED_DROPPED, 'job.passOn()', 'job.passOn(...)'),
        floatingAt(HANDLED_DROPPED, 'job.retry(url)', 'job.retry(...)'),
      ],
    },
    // an async method's promise is new, so is one of the paths of `shutdown`, a parameter is the caller's (here a new
    // one), and `.finally` makes a new promise
    {
      code: KEPT_DROPPED,
      errors: [
        floatingAt(KEPT_DROPPED, 'pipeline.done()', 'pipeline.done(...)'),
        floatingAt(KEPT_DROPPED, 'pipeline.shutdown(true)', 'pipeline.shutdown(...)'),
        floatingAt(KEPT_DROPPED, "pipeline.same(saveAudit({ id: 'stop' } as AuditEntry))", 'pipeline.same(...)'),
        floatingAt(KEPT_DROPPED, 'pipeline.exec().finally(() => undefined)', 'pipeline.exec(...)'),
      ],
    },
    // promises taken off an array made here, into a variable read on one path only
    {
      code: code`
        export async function saveFirst(entries: AuditEntry[], ready: boolean): Promise<void> {
          const tasks = entries.map(saveAudit);
          const first = tasks.splice(0, 2);
          if (ready) await Promise.all(first);
          await Promise.all(tasks);
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 3, data: { name: 'first' } }],
    },
    // a listener declared apart that can reject, and one that destructures a message that may be missing before its try
    {
      code: LISTENERS_DROPPED,
      errors: [
        { messageId: 'voidReturnArgument', line: 10, data: { what: 'Function returning a promise', callee: 'on(...)' } },
        { messageId: 'voidReturnArgument', line: 11, data: { what: 'Async function', callee: 'on(...)' } },
      ],
    },
    // the callback may be absent, an error listener is no Node-style callback, and `.finally` makes a new promise
    {
      code: NODEBACK_DROPPED,
      errors: [
        floatingAt(NODEBACK_DROPPED, 'client.get(key, callback)', 'client.get(...)'),
        floatingAt(NODEBACK_DROPPED, 'client.watch(key, (err) => console.error(err))', 'client.watch(...)'),
        floatingAt(NODEBACK_DROPPED, 'client.get(key, (err) => console.error(err)).finally(() => undefined)', 'client.get(...)'),
      ],
    },
    // Object.defineProperties on a fresh promise: the call gives back a promise nobody else holds
    {
      code: code`
        export function tag(entry: AuditEntry, extra: PropertyDescriptorMap): void {
          Object.defineProperties(saveAudit(entry), extra);
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2, data: { name: 'Object.defineProperties(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              export function tag(entry: AuditEntry, extra: PropertyDescriptorMap): void {
                void Object.defineProperties(saveAudit(entry), extra);
              }
            ` },
            { messageId: 'addCatch', output: code`
              export function tag(entry: AuditEntry, extra: PropertyDescriptorMap): void {
                Object.defineProperties(saveAudit(entry), extra)${CATCH};
              }
            ` },
          ],
        },
      ],
    },
    // a catch that rethrows: the IIFE's promise rejects, and nobody is listening
    {
      code: code`
        export function start(url: string): void {
          (async () => {
            try {
              index(await fetchPage(url));
            } catch (error) {
              logger.error(error);
              throw error;
            }
          })();
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2,
          data: { name: '…(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              export function start(url: string): void {
                void (async () => {
                  try {
                    index(await fetchPage(url));
                  } catch (error) {
                    logger.error(error);
                    throw error;
                  }
                })();
              }
            ` },
            { messageId: 'addCatch', output: code`
              export function start(url: string): void {
                (async () => {
                  try {
                    index(await fetchPage(url));
                  } catch (error) {
                    logger.error(error);
                    throw error;
                  }
                })()${CATCH};
              }
            ` },
          ],
        },
      ],
    },
    // a catch that awaits: the awaited promise's rejection rejects the function
    {
      code: code`
        export function start(entry: AuditEntry): void {
          (async () => {
            try {
              await saveAudit(entry);
            } catch {
              await saveAudit({ action: 'retry', important: true });
            }
          })();
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2,
          data: { name: '…(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              export function start(entry: AuditEntry): void {
                void (async () => {
                  try {
                    await saveAudit(entry);
                  } catch {
                    await saveAudit({ action: 'retry', important: true });
                  }
                })();
              }
            ` },
            { messageId: 'addCatch', output: code`
              export function start(entry: AuditEntry): void {
                (async () => {
                  try {
                    await saveAudit(entry);
                  } catch {
                    await saveAudit({ action: 'retry', important: true });
                  }
                })()${CATCH};
              }
            ` },
          ],
        },
      ],
    },
    // a promise returned from inside the try settles after the try has exited, so its rejection escapes the catch
    {
      code: code`
        export class Pages {
          async load(url: string): Promise<string> {
            try {
              return fetchPage(url);
            } catch {
              return '';
            }
          }
          warm(url: string): void {
            this.load(url);
          }
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 10, data: { name: 'this.load(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              export class Pages {
                async load(url: string): Promise<string> {
                  try {
                    return fetchPage(url);
                  } catch {
                    return '';
                  }
                }
                warm(url: string): void {
                  void this.load(url);
                }
              }
            ` },
            { messageId: 'addCatch', output: code`
              export class Pages {
                async load(url: string): Promise<string> {
                  try {
                    return fetchPage(url);
                  } catch {
                    return '';
                  }
                }
                warm(url: string): void {
                  this.load(url)${CATCH};
                }
              }
            ` },
          ],
        },
      ],
    },
    // work before the try is not caught
    {
      code: code`
        export function start(url: string): void {
          (async () => {
            const html = await fetchPage(url);
            try {
              index(html);
            } catch (error) {
              logger.error(error);
            }
          })();
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2,
          data: { name: '…(...)' },
          suggestions: [
            { messageId: 'addVoid', output: code`
              export function start(url: string): void {
                void (async () => {
                  const html = await fetchPage(url);
                  try {
                    index(html);
                  } catch (error) {
                    logger.error(error);
                  }
                })();
              }
            ` },
            { messageId: 'addCatch', output: code`
              export function start(url: string): void {
                (async () => {
                  const html = await fetchPage(url);
                  try {
                    index(html);
                  } catch (error) {
                    logger.error(error);
                  }
                })()${CATCH};
              }
            ` },
          ],
        },
      ],
    },
    // an async listener whose catch rethrows still loses its rejection
    {
      code: code`
        import { EventEmitter } from 'node:events';
        export function listen(jobs: EventEmitter): void {
          jobs.on('job', async (entry: AuditEntry) => {
            try {
              await saveAudit(entry);
            } catch (error) {
              throw new Error('audit failed', { cause: error });
            }
          });
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 3, data: { what: 'Async function', callee: 'on(...)' } }],
    },
    // a deferred destructured from its factory and awaited on one branch only: a close before the proxy connects
    // rejects it with nobody listening (the shape of mongodb's NODE-6803)
    {
      code: code`
        declare function withResolvers<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void };
        declare function connectDirect(): Promise<void>;
        export async function connect(useProxy: boolean, onClose: (listener: (error: Error) => void) => void): Promise<void> {
          const { promise: connected, reject } = withResolvers<void>();
          onClose(reject);
          if (useProxy) {
            await connected;
          }
          await connectDirect();
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 4, column: 20, data: { name: 'connected' } }],
    },
    // an explicit throw inside the try skips the await: the catch ends the function without the page
    {
      code: code`
        export async function open(url: string): Promise<void> {
          const page = fetchPage(url);
          try {
            if (!url.startsWith('https:')) throw new Error('insecure url');
            index(await page);
          } catch (error) {
            logger.error(error);
          }
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 2, column: 9, data: { name: 'page' } }],
    },
    // awaited in one branch inside a try: the finally does not read it, so the other branch loses it
    {
      code: code`
        export async function open(url: string, render: boolean): Promise<void> {
          const page = fetchPage(url);
          try {
            if (render) index(await page);
          } finally {
            logger.error('done');
          }
        }
      `,
      errors: [{ messageId: 'unownedOnSomePath', line: 2, column: 9, data: { name: 'page' } }],
    },
    // a conditional that floats on one branch
    {
      code: code`
        export async function refresh(force: boolean): Promise<void> {
          force ? flushMetrics() : undefined;
        }
      `,
      errors: [
        {
          messageId: 'floating',
          line: 2,
          suggestions: [
            { messageId: 'addVoid', output: code`
              export async function refresh(force: boolean): Promise<void> {
                void (force ? flushMetrics() : undefined);
              }
            ` },
            { messageId: 'addAwait', output: code`
              export async function refresh(force: boolean): Promise<void> {
                await (force ? flushMetrics() : undefined);
              }
            ` },
          ],
        },
      ],
    },
  ],
});

// Cases where a shortcut of the rule (a file-level check before any listener, an argument typed before its callee)
// must give the answer of the full check.
// A vitest-like `expect`: a generic first overload that takes any argument, an `Assertion<T>` interface.
const EXPECTING = code`
  interface Assertion<T> { toBe<E>(expected: E): void; not: Assertion<T>; resolves: Promisify<Assertion<T>>; settled(): Promise<T>; flush(): Promise<void>; value(): T }
  type Promisify<O> = { [K in keyof O]: O[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : O[K] };
  declare const expect: { <T>(actual: T, message?: string): Assertion<T>; (value: any, message?: string): unknown };
  declare function load(): Promise<number>;
  export async function check(): Promise<void> {
    expect(await load()).toBe(1);
    expect(await load()).not.toBe(2);
    expect(load()).resolves.toBe(1);
    expect(load()).settled();
    expect(1).flush();
    expect(load()).value();
  }
`;

// A `const` read only as `name.member` is typed from its initialiser, unless such a read may narrow it: a `this is`
// method tested in a condition (directly or through a `const`), or a discriminant of a union.
const NARROWED = code`
  class Worker { isBatch(): this is BatchWorker { return false; } run(): void {} }
  class BatchWorker extends Worker { override run(): Promise<void> { return Promise.reject(new Error('busy')); } }
  interface Idle { busy?: undefined; run(): void }
  interface Busy { busy: true; run(): Promise<void> }
  declare function hire(): Worker;
  declare function pick(): Idle | Busy;
  export async function dispatch(): Promise<void> {
    const worker = hire();
    if (worker.isBatch()) worker.run();
    const other = hire();
    const batch = other.isBatch();
    if (batch) other.run();
    const slot = pick();
    if (slot.busy) slot.run();
  }
`;

ruleTester.run('no-floating-task: shortcuts', rule, {
  valid: [
    // concise callbacks whose body is never a thenable by its syntax: not reported (the invalid cases below keep the
    // shapes that must still be typed)
    code`
      export function tally(items: { id: string; size: number }[], id: string): number {
        let total = 0;
        items.forEach((item) => (total += item.size));
        return items.some((item) => item.id === id) ? items.filter((item) => !item.id || item.size > 0 && \`\${item.id}\` !== '').length : total;
      }
    `,
    // a global callee that does not call its argument: its declared type answers before the argument is typed
    code`
      export function describeRetry(retry: () => Promise<void>): string {
        return JSON.stringify(retry);
      }
    `,
    // a written type that is no promise: the file needs no path tracking at all
    code`
      export function parseEntry(text: string): unknown {
        const value: unknown = JSON.parse(text);
        return value;
      }
    `,
    // an asserted argument whose type is no function
    code`
      export function keep(entries: AuditEntry[], value: unknown): void {
        entries.push(value as AuditEntry);
      }
    `,
  ],
  invalid: [
    // assertions: a method of a call's value is read off the declarations (`toBe` returns void, whatever `load()` is),
    // but not through a mapped type (`resolves`) or a return type that mentions the receiver's type parameter
    {
      code: EXPECTING,
      errors: [
        { messageId: 'floating', line: 8, suggestions: floatingSuggestions(EXPECTING, 'expect(load()).resolves.toBe(1)') },
        { messageId: 'floating', line: 9, suggestions: floatingSuggestions(EXPECTING, 'expect(load()).settled()') },
        { messageId: 'floating', line: 10, suggestions: floatingSuggestions(EXPECTING, 'expect(1).flush()') },
        { messageId: 'floating', line: 11, suggestions: floatingSuggestions(EXPECTING, 'expect(load()).value()') },
      ],
    },
    // a `const` receiver narrowed by a `this is` method or a discriminant: the narrowed type's `run` floats
    {
      code: NARROWED,
      errors: [
        { messageId: 'floating', line: 9, suggestions: floatingSuggestions(NARROWED, 'worker.run()') },
        { messageId: 'floating', line: 12, suggestions: floatingSuggestions(NARROWED, 'other.run()') },
        { messageId: 'floating', line: 14, suggestions: floatingSuggestions(NARROWED, 'slot.run()') },
      ],
    },
    // an object literal with a `then` method is a thenable: not settled by its syntax
    {
      code: code`
        export function announce(ids: string[]): void {
          ids.forEach((id) => ({ then(resolve: (value: string) => void) { resolve(id); } }));
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, column: 15, data: { what: 'Function returning a promise', callee: 'forEach(...)' } }],
    },
    // a conditional and a sequence are settled by syntax only when every value they can give is
    {
      code: code`
        async function save(id: string): Promise<void> {}
        export function saveSome(ids: string[], log: (id: string) => void): void {
          ids.forEach((id) => (id ? save(id) : 0));
          ids.forEach((id) => (log(id), save(id)));
        }
      `,
      errors: [
        { messageId: 'voidReturnArgument', line: 3, column: 15, data: { what: 'Function returning a promise', callee: 'forEach(...)' } },
        { messageId: 'voidReturnArgument', line: 4, column: 15, data: { what: 'Function returning a promise', callee: 'forEach(...)' } },
      ],
    },
    // the asserted type is read off the assertion, and it returns a promise
    {
      code: code`
        export function syncAll(ids: string[], handler: unknown): void {
          ids.forEach(handler as (id: string) => Promise<void>);
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, column: 15, data: { what: 'Function returning a promise', callee: 'forEach(...)' } }],
    },
    // a typed parameter given to a global that calls it and drops its promise
    {
      code: code`
        export function later(retry: () => Promise<void>): void {
          setTimeout(retry, 1000);
        }
      `,
      errors: [{ messageId: 'voidReturnArgument', line: 2, column: 14, data: { what: 'Function returning a promise', callee: 'setTimeout(...)' } }],
    },
    // a written promise type: the file-level check keeps the variable
    {
      code: code`
        export function start(entry: AuditEntry): void {
          const pending: Promise<void> = saveAudit(entry);
        }
      `,
      errors: [{ messageId: 'unownedVariable', line: 2, column: 9, data: { name: 'pending' } }],
    },
    // a global callee whose declared type returns a promise: the file-level check keeps the variable
    {
      code: code`
        export function warm(url: string): void {
          const page = fetch(url);
        }
      `,
      errors: [{ messageId: 'unownedVariable', line: 2, column: 9, data: { name: 'page' } }],
    },
    // a top-level declaration, outside every function: the file-level check looks in the module's scope
    {
      code: code`
        declare const scriptEntry: AuditEntry;
        const unsettledScriptAudit = saveAudit(scriptEntry);
      `,
      errors: [{ messageId: 'unownedVariable', line: 2, column: 7, data: { name: 'unsettledScriptAudit' } }],
    },
  ],
});
