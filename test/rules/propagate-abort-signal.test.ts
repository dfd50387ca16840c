import rule from '../../rules/propagate-abort-signal.js';
import { code, createRuleTester } from './rule-tester.js';

const ruleTester = createRuleTester();

/** An SDK-style client whose sub-clients use the constructor's options, and a job whose optional result is its work. */
const CLIENT = code`
  declare class Client { constructor(options: { base: string; signal?: AbortSignal }); readonly users: { list(): Promise<string[]> } }
  declare class Job { constructor(options?: { signal?: AbortSignal }); readonly result: Promise<void> | undefined }
  export async function listUsers(base: string, signal: AbortSignal): Promise<string[]> {
    await new Job().result;
    return new Client({ base }).users.list();
  }
`;

/** A project's own class that takes a signal in its options: its `done` is the download, and it may start at once. */
const DOWNLOAD = code`
  declare class Download { constructor(url: string, options?: { signal?: AbortSignal }); readonly done: Promise<void>; readonly id: string }
  export async function grab(url: string, signal: AbortSignal): Promise<string> {
    await new Download(url).done;
    return new Download(url).id;
  }
`;

/**
 * A crawler that hands each of `items` (`jobs`, whose `Job` carries a signal, or plain `urls`) to `group.goEach` with
 * `task`, which misses the signal: the one error, on the goEach line, whose suggestion turns `task` into `fixed`.
 */
function goEachCase(items: 'jobs' | 'urls', task: string, fixed: string) {
  const source = (callback: string): string => code`
    import { ErrGroup } from 'taskscope/runtime';
    interface Job { readonly url: string; readonly signal: AbortSignal }
    export async function crawl(jobs: Job[], urls: string[], signal: AbortSignal): Promise<void> {
      const group = new ErrGroup({ signal, limit: 8 });
      await group.goEach(${items}, ${callback});
    }
  `;
  return {
    code: source(task),
    errors: [{ messageId: 'missingSignal' as const, line: 5, suggestions: [{ messageId: 'passSignal' as const, output: source(fixed) }] }],
  };
}

/** Queries that take a signal in their options, and a caller whose tests leave the signal out on some branches. */
const QUERIES = `
  interface QueryOptions { readonly signal?: AbortSignal; readonly timeoutMs?: number }
  declare function query(sql: string, options?: QueryOptions): Promise<string[]>;
  declare function withConnection<T>(run: (connection: { query: typeof query }) => Promise<T>): Promise<T>;
`;
// A queue generic in its options type, as p-queue declares it: \`options: Partial<Options>\` reads \`signal\` as
// \`Options['signal']\`, an AbortSignal by the constraint.
const GENERIC_OPTIONS = code`
  export interface AddOptions { readonly signal?: AbortSignal; readonly priority?: number }
  declare function withTimeout<T>(work: Promise<T>, options: { milliseconds: number; signal?: AbortSignal }): Promise<T>;
  export class Queue<Options extends AddOptions> {
    async add<T>(task: () => Promise<T>, options: Partial<Options> = {}): Promise<T> {
      return withTimeout(task(), { milliseconds: 1_000 });
    }
    async addPlain<T>(task: () => Promise<T>, options: Options): Promise<T> {
      return withTimeout(task(), { milliseconds: 2_000 });
    }
    async addPassed<T>(task: () => Promise<T>, options: Partial<Options> = {}): Promise<T> {
      return withTimeout(task(), { milliseconds: 3_000, signal: options.signal });
    }
  }
`;

const GUARDED = code`
  ${QUERIES}
  export async function run(sql: string, options?: QueryOptions, force = false): Promise<string[]> {
    const { signal } = options || {};
    if (signal?.aborted) return [];
    if (!signal || force) await query(sql);
    if (signal != null) return query(sql, { timeoutMs: 5 });
    return query(sql, { signal: AbortSignal.timeout(1000) });
  }
  export function handler(options?: QueryOptions): ((sql: string, signal: AbortSignal) => Promise<string[]>) | undefined {
    const { signal } = options || {};
    if (!signal) return async (sql: string, inner: AbortSignal) => query(sql);
    return undefined;
  }
  export async function later(sql: string, options?: QueryOptions): Promise<string[]> {
    let signal = options?.signal;
    if (!signal) return withConnection(async (connection) => connection.query(sql));
    signal = undefined;
    return query(sql);
  }
`;

ruleTester.run('propagate-abort-signal', rule, {
  valid: [
    // calls on branches where the caller's signal is missing: no signal to pass, and a timeout of their own is fine
    code`
      ${QUERIES}
      export async function run(sql: string, options?: QueryOptions): Promise<string[]> {
        const { signal } = options || {};
        if (!signal) return await query(sql);
        return query(sql, { signal });
      }
      export async function pooled(sql: string, options?: QueryOptions): Promise<string[]> {
        const { signal } = options || {};
        if (!signal) return withConnection(async (connection) => connection.query(sql));
        return query(sql, { signal });
      }
      export async function pick(sql: string, signal?: AbortSignal): Promise<string[]> {
        if (signal === undefined) await query(sql, { signal: AbortSignal.timeout(1000) });
        if (typeof options === 'undefined' && !signal) await query(sql);
        const rows = signal ? await query(sql, { signal }) : await query(sql, { timeoutMs: 5 });
        if (signal) {
          return rows;
        }
        return query(sql);
      }
      declare const options: QueryOptions | undefined;
    `,
    // a job runner whose callback declares a parameter the runner does not hand over: TypeScript gives the callback no
    // contextual signature, so neither parameter is a signal (the rule must not read the runner's type as giving one)
    code`
      declare function runJob(job: (signal: AbortSignal) => unknown): void;
      export function refresh(url: string): void {
        runJob((signal, attempt) => fetchPage(\`\${url}?attempt=\${String(attempt)}\`));
      }
    `,
    // a fetch wrapper that passes its signal on
    code`
      export async function getUser(id: string, signal: AbortSignal): Promise<unknown> {
        const response = await fetch(\`/users/\${id}\`, { signal, headers: { accept: 'application/json' } });
        return response.json();
      }
    `,
    // a per-call timeout combined with the caller's signal
    code`
      export async function getUser(id: string, signal: AbortSignal): Promise<Response> {
        return fetch(\`/users/\${id}\`, { signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
      }
    `,
    // no signal in scope: nothing to propagate
    code`
      export async function warmCache(urls: string[]): Promise<void> {
        for (const url of urls) await fetch(url);
      }
    `,
    // the callees cannot take a signal
    code`
      export async function crawlSite(root: string, signal: AbortSignal): Promise<void> {
        signal.throwIfAborted();
        const links = await crawl(root);
        await sleep(100);
        index(links.join('\\n'));
      }
    `,
    // the init object is spread, and its type carries the signal
    code`
      export function getJson(url: string, init: RequestInit = {}): Promise<Response> {
        return fetch(url, { ...init, headers: { accept: 'application/json' } });
      }
    `,
    // a group made with the caller's signal; each task passes the group's signal on
    code`
      import { ErrGroup } from 'taskscope/runtime';
      export async function crawlAll(urls: string[], signal: AbortSignal): Promise<void> {
        const group = new ErrGroup({ signal, limit: 4 });
        for (const url of urls) group.go(async (taskSignal) => index(await fetchPage(url, taskSignal)));
        await group.wait();
      }
    `,
    // the group's signal derives from the caller's
    code`
      import { ErrGroup } from 'taskscope/runtime';
      export async function mirror(urls: string[], signal: AbortSignal): Promise<void> {
        const group = new ErrGroup({ signal });
        await fetch(urls[0] ?? '/', { signal: group.signal });
        await group.wait();
      }
    `,
    // a local controller wired to the caller's signal
    code`
      export async function upload(url: string, body: Blob, signal: AbortSignal): Promise<void> {
        const controller = new AbortController();
        signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
        const timer = setTimeout(() => controller.abort(), 30_000);
        try {
          await fetch(url, { method: 'PUT', body, signal: controller.signal });
        } finally {
          clearTimeout(timer);
        }
      }
    `,
    // a local controller linked by hand to an optional signal in optional options, every access an optional chain,
    // through a named listener that is removed again, with the already-aborted case handled first
    code`
      export async function connect(url: string, options?: { signal?: AbortSignal; timeout?: number }): Promise<void> {
        const handshake = new AbortController();
        const onAbort = (): void => handshake.abort(options?.signal?.reason);
        if (options?.signal?.aborted) onAbort();
        options?.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await fetch(url, { method: 'POST', signal: handshake.signal });
        } finally {
          options?.signal?.removeEventListener('abort', onAbort);
        }
      }
    `,
    // linked with node:events' addAbortListener and a listener declared as a function; and with a bound abort
    code`
      import { addAbortListener } from 'node:events';
      export async function mirror(url: string, signal?: AbortSignal): Promise<void> {
        const download = new AbortController();
        const upload = new AbortController();
        using listener = addAbortListener(signal!, stopDownload);
        signal?.addEventListener('abort', upload.abort.bind(upload));
        const body = await fetch(url, { signal: download.signal });
        await fetch(\`\${url}/copy\`, { method: 'PUT', body: await body.blob(), signal: upload.signal });
        function stopDownload(): void {
          download.abort();
        }
      }
    `,
    // an abort listener runs once the signal has aborted: the cancel request must not take it
    code`
      export function watchJob(id: string, signal: AbortSignal): void {
        signal.addEventListener('abort', () => {
          void fetch(\`/jobs/\${id}/cancel\`, { method: 'POST' });
        });
      }
    `,
    // a Request made only to resolve a base URL: it is read once and dropped, never fetched
    code`
      export async function resolveAndFetch(path: string, base: string, signal: AbortSignal): Promise<string> {
        const absolute = new URL(path, new Request(base).url);
        const response = await fetch(absolute, { signal });
        return response.url;
      }
    `,
    // a handler that hands its Request on as a whole
    code`
      export async function proxy(request: Request): Promise<Response> {
        const upstream = new Request(\`https://origin.example\${new URL(request.url).pathname}\`, request);
        return fetch(upstream);
      }
    `,
    // destructured signal, and a signal destructured in the body
    code`
      import type { Job } from './propagate-abort-signal/app.js';
      export async function runJob({ url, signal }: Job): Promise<void> {
        await fetch(url, { signal });
      }
      export async function runOther(job: Job): Promise<void> {
        const { signal } = job;
        await fetch(job.url, { signal });
      }
    `,
    // a known-safe call (see options)
    {
      code: code`
        import { audit } from './propagate-abort-signal/app.js';
        export async function deleteUser(id: string, signal: AbortSignal): Promise<void> {
          await fetch(\`/users/\${id}\`, { method: 'DELETE', signal });
          await audit(\`deleted \${id}\`);
        }
      `,
      options: [{ allowForKnownSafeCalls: [{ from: 'file', name: 'audit', path: 'propagate-abort-signal/app.ts' }] }],
    },
    // calls whose optional run config holds a signal they ignore (an agent framework's events, not an ambient context
    // the rule knows), allowed by package specifier; without the option both are reported (missingSignal)
    {
      code: code`
        /// <reference path="./propagate-abort-signal/agent-events.d.ts" />
        import { currentInput, dispatchCustomEvent } from '@example/agent-events';
        export async function saveNote(note: string, config: { signal?: AbortSignal }): Promise<void> {
          await dispatchCustomEvent('saved', { note, input: currentInput<string>() });
          await fetch('/notes', { method: 'POST', body: note, signal: config.signal });
        }
      `,
      options: [{ allowForKnownSafeCalls: [{ from: 'package', name: ['dispatchCustomEvent', 'currentInput'], package: '@example/agent-events' }] }],
    },
    // a signal whose origin is not visible is trusted; `??` keeps the caller's when there is one
    code`
      interface Options { signal?: AbortSignal; timeoutMs?: number }
      declare function currentSignal(): AbortSignal;
      export async function load(url: string, options: Options = {}): Promise<void> {
        await fetch(url, { signal: options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 5_000) });
        await fetch(url, { signal: currentSignal() });
      }
    `,
    // the overload the call resolves to takes no signal
    code`
      import { exec } from 'node:child_process';
      export function gitStatus(signal: AbortSignal, done: (output: string) => void): void {
        signal.throwIfAborted();
        exec('git status --short', (_error, stdout) => done(stdout));
      }
    `,
    // a controller is a signal's owner, not a caller's signal
    code`
      import { setTimeout as delay } from 'node:timers/promises';
      export async function cancelAfter(controller: AbortController, ms: number): Promise<void> {
        await delay(ms);
        controller.abort(new Error('timed out'));
      }
    `,
    // a process-wide shutdown controller at module level is not a fresh context.Background()
    code`
      const shutdown = new AbortController();
      export async function poll(url: string, signal: AbortSignal): Promise<void> {
        signal.throwIfAborted();
        await fetch(url, { signal: shutdown.signal });
      }
    `,
    // options held in a const that sets the signal; an optional signal passed on as it is
    code`
      export async function publish(url: string, body: string, signal?: AbortSignal): Promise<void> {
        const init = { method: 'POST', body, signal };
        await fetch(url, init);
        await fetchPage(url, signal);
      }
    `,
    // an optional call that passes the handler's signal
    code`
      import { client, route } from './propagate-abort-signal/app.js';
      route('/users/:id', async (req, res) => {
        res.json(await client?.get(\`/api/users/\${req.params.id}\`, { signal: req.signal }));
      });
    `,
    // listener options take a signal only to remove the listener
    code`
      export function onResize(target: EventTarget, signal: AbortSignal, redraw: () => void): void {
        target.addEventListener('resize', redraw, { passive: true });
        signal.throwIfAborted();
      }
    `,
    // out of scope: a signal held in a field is not followed into other methods (see Limitations)
    code`
      export class Crawler {
        constructor(private readonly signal: AbortSignal) {}
        async page(url: string): Promise<string> {
          return (await fetch(url)).text();
        }
      }
    `,
    // code the rule must survive: any-typed callees, computed members, optional calls, bare constructors
    code`
      declare const legacy: any;
      declare const handlers: Record<string, ((url: string) => Promise<void>) | undefined>;
      export async function survive(url: string, signal: AbortSignal): Promise<void> {
        await legacy.get(url, {});
        await legacy(url);
        await handlers['page']?.(url);
        const controller = new AbortController;
        signal.addEventListener('abort', () => controller.abort());
        await fetch(url, { signal: controller.signal, [\`x-\${url}\`]: 1 } as RequestInit);
      }
    `,
    // JSX: a component's callback with no signal in scope
    {
      filename: 'react.tsx',
      code: code`
        export function Refresh({ url }: { url: string }) {
          return <button onClick={() => void fetch(url)}>Refresh</button>;
        }
      `,
    },
    // a request helper whose first parameter takes a URL or options, and the caller's options go in the second
    code`
      interface SendInit { signal?: AbortSignal; method?: string }
      declare function send(input: string | SendInit, init?: SendInit): Promise<void>;
      export async function get(url: string, init: SendInit): Promise<void> {
        await send(url, init);
      }
    `,
    // a retry builds the next request from the caller's options in a later argument: as they are, cast, or spread
    code`
      interface CallInit { signal?: AbortSignal; method?: string; retries?: number }
      declare class Call {
        constructor(input?: string | CallInit, init?: CallInit, defaults?: CallInit);
      }
      declare function makeCall(input: string | CallInit, init?: CallInit, defaults?: CallInit, stream?: boolean): Call;
      declare const defaults: CallInit;
      export function retryWith(url: string, options?: CallInit): Call[] {
        return [
          new Call(undefined, undefined, options),
          new Call(url, options as CallInit, defaults),
          makeCall(url, { ...options, method: 'GET' }, defaults, true),
        ];
      }
    `,
    // the caller's signal itself, or one derived from it, in a later argument
    code`
      interface CopyOptions { signal?: AbortSignal; overwrite?: boolean }
      declare function copy(from: string | CopyOptions, to: string, options?: CopyOptions, signal?: AbortSignal): Promise<void>;
      export async function backup(path: string, signal: AbortSignal): Promise<void> {
        await copy(path, \`\${path}.bak\`, undefined, signal);
        await copy(path, \`\${path}.old\`, { overwrite: true }, AbortSignal.any([signal, AbortSignal.timeout(60_000)]));
      }
    `,
    // a recorder stopped gracefully by hand when the caller aborts: `signal` on spawn would kill it instead
    code`
      import { spawn, type ChildProcess } from 'node:child_process';
      export function record(device: string, signal?: AbortSignal): ChildProcess {
        const child = spawn('arecord', ['-D', device, '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
        signal?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
        return child;
      }
    `,
    // the same wiring through a named listener (removed again when the recording ends) and a `let` bound later
    code`
      import { spawn, type ChildProcess } from 'node:child_process';
      export function capture({ signal, seconds }: { signal?: AbortSignal; seconds: number }): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const chunks: Buffer[] = [];
          let ffmpeg: ChildProcess | undefined;
          const stop = (): void => {
            ffmpeg?.kill('SIGTERM');
          };
          try {
            ffmpeg = spawn('ffmpeg', ['-t', String(seconds), 'pipe:1'], { stdio: ['ignore', 'pipe', 'ignore'] });
            ffmpeg.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
            ffmpeg.on('close', () => {
              signal?.removeEventListener('abort', stop);
              resolve(Buffer.concat(chunks));
            });
            signal?.addEventListener('abort', stop, { once: true });
          } catch (error) {
            reject(error);
          }
        });
      }
    `,
    // a stream closed by hand through `onabort`, with the signal taken from the request
    code`
      import { createReadStream, type ReadStream } from 'node:fs';
      export function download(path: string, req: Request): ReadStream {
        const stream = createReadStream(path);
        req.signal.onabort = () => stream.destroy();
        return stream;
      }
    `,
    // off by default: a signal only ever removed from is not reported unless `reportUnobservedSignals` is on
    code`
      declare function sendBatch(id: string, onDone: () => void): () => void;
      export function request({ op: { id, signal } }: { op: { id: string; signal?: AbortSignal } }): () => void {
        const cancel = sendBatch(id, () => {});
        return () => {
          cancel();
          signal?.removeEventListener('abort', cancel);
        };
      }
    `,
    // with `reportUnobservedSignals`: a listener added and removed again, a signal passed on, an `_`-named signal
    {
      options: [{ reportUnobservedSignals: true }],
      code: code`
        declare function sendBatch(id: string, onDone: () => void): () => void;
        export function request({ op: { id, signal } }: { op: { id: string; signal?: AbortSignal } }): () => void {
          const cancel = sendBatch(id, () => {});
          signal?.addEventListener('abort', cancel, { once: true });
          return () => {
            cancel();
            signal?.removeEventListener('abort', cancel);
          };
        }
        export function poll(url: string, signal: AbortSignal, _legacy?: AbortSignal): Promise<string> {
          return fetchPage(url, signal);
        }
        export function compatible(_signal?: AbortSignal, onStop?: () => void): void {
          if (onStop) _signal?.removeEventListener('abort', onStop);
        }
      `,
    },
    // a type parameter named `AbortSignal` is not the global one: the rule learns the global's type from `getUser`'s
    // parameter once per program and must not hand it to `getTeam`'s, whose written type only looks the same
    code`
      export async function getUser(id: string, signal: AbortSignal): Promise<Response> {
        return fetch(\`/users/\${id}\`, { signal });
      }
      export async function getTeam<AbortSignal extends string>(id: string, signal: AbortSignal): Promise<Response> {
        return fetch(\`/teams/\${id}?trace=\${signal}\`);
      }
    `,
  ],
  invalid: [
    // options of a type parameter's type, or a mapped type of it: the members come from the constraint
    {
      code: GENERIC_OPTIONS,
      errors: [
        { messageId: 'missingSignalProperty', line: 5, suggestions: [{ messageId: 'addSignalProperty', output: GENERIC_OPTIONS.replace('{ milliseconds: 1_000 });\n  }\n  async addPlain', '{ milliseconds: 1_000, signal: options.signal });\n  }\n  async addPlain') }] },
        { messageId: 'missingSignalProperty', line: 8, suggestions: [{ messageId: 'addSignalProperty', output: GENERIC_OPTIONS.replace('{ milliseconds: 2_000 }', '{ milliseconds: 2_000, signal: options.signal }') }] },
      ],
    },
    // a test on something else than the signal's presence, a branch that runs with the signal too, and the branch of a
    // test that finds it present
    {
      code: GUARDED,
      errors: [
        { messageId: 'missingSignal', line: 9, suggestions: [{ messageId: 'passSignal', output: GUARDED.replace('await query(sql);', 'await query(sql, { signal: options?.signal });') }] },
        { messageId: 'missingSignalProperty', line: 10, suggestions: [{ messageId: 'addSignalProperty', output: GUARDED.replace('{ timeoutMs: 5 }', '{ timeoutMs: 5, signal: options?.signal }') }] },
        // a function with a signal of its own, inside a test of the caller's: the test is about another signal
        {
          messageId: 'missingSignal',
          line: 15,
          suggestions: [{ messageId: 'passSignal', output: GUARDED.replace('=> query(sql);', '=> query(sql, { signal: inner });') }],
        },
        // a `let` may change before the callback runs
        {
          messageId: 'missingSignal',
          line: 20,
          suggestions: [{ messageId: 'passSignal', output: GUARDED.replace('connection.query(sql))', 'connection.query(sql, { signal: options?.signal }))') }],
        },
        {
          messageId: 'missingSignal',
          line: 22,
          suggestions: [{ messageId: 'passSignal', output: GUARDED.replace('return query(sql);', 'return query(sql, { signal: options?.signal });') }],
        },
      ],
    },
    // an object read once for a property that is its work (a promise), or off a class of the project's own, which may
    // start work as it is constructed (a string read off it is no proof it idles)
    {
      code: DOWNLOAD,
      errors: [
        { messageId: 'missingSignal', line: 3, suggestions: [{ messageId: 'passSignal', output: DOWNLOAD.replace('new Download(url).done', 'new Download(url, { signal }).done') }] },
        { messageId: 'missingSignal', line: 4, suggestions: [{ messageId: 'passSignal', output: DOWNLOAD.replace('new Download(url).id', 'new Download(url, { signal }).id') }] },
      ],
    },
    // an object read once for an object-valued property is that object's work: an SDK client's sub-client, a job's
    // optional result
    {
      code: CLIENT,
      errors: [
        { messageId: 'missingSignal', line: 4, suggestions: [{ messageId: 'passSignal', output: CLIENT.replace('new Job()', 'new Job({ signal })') }] },
        { messageId: 'missingSignalProperty', line: 5, suggestions: [{ messageId: 'addSignalProperty', output: CLIENT.replace('{ base }', '{ base, signal }') }] },
      ],
    },
    // a function's own `JSON` is not the global one: its `stringify` takes a signal (a global's declared type is learnt
    // once per program, here from `JSON.parse`, and used only where no declaration of the file binds the name)
    {
      code: code`
        export function load(text: string, signal: AbortSignal): unknown {
          signal.throwIfAborted();
          return JSON.parse(text);
        }
        export async function save(item: unknown, signal: AbortSignal): Promise<string> {
          const JSON = { stringify: async (value: unknown, options?: { signal?: AbortSignal }): Promise<string> => String(value) };
          return JSON.stringify(item);
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 7,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                export function load(text: string, signal: AbortSignal): unknown {
                  signal.throwIfAborted();
                  return JSON.parse(text);
                }
                export async function save(item: unknown, signal: AbortSignal): Promise<string> {
                  const JSON = { stringify: async (value: unknown, options?: { signal?: AbortSignal }): Promise<string> => String(value) };
                  return JSON.stringify(item, { signal });
                }
              `,
            },
          ],
        },
      ],
    },
    // `signal: AbortSignal` and `signal?: AbortSignal` side by side: the optional one cannot go into `AbortSignal.any`
    // (the global signal's type is learnt once per program for each spelling, and the two must not be confused)
    {
      code: code`
        export async function getUser(id: string, signal: AbortSignal): Promise<Response> {
          return fetch(\`/users/\${id}\`, { signal: AbortSignal.timeout(5_000) });
        }
        export async function getTeam(id: string, signal?: AbortSignal): Promise<Response> {
          return fetch(\`/teams/\${id}\`, { signal: AbortSignal.timeout(5_000) });
        }
        export async function getOrg(id: string, signal: AbortSignal): Promise<Response> {
          return fetch(\`/orgs/\${id}\`, { signal: AbortSignal.timeout(5_000) });
        }
      `,
      errors: [
        {
          messageId: 'detachedSignal',
          line: 2,
          column: 42,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                export async function getUser(id: string, signal: AbortSignal): Promise<Response> {
                  return fetch(\`/users/\${id}\`, { signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
                }
                export async function getTeam(id: string, signal?: AbortSignal): Promise<Response> {
                  return fetch(\`/teams/\${id}\`, { signal: AbortSignal.timeout(5_000) });
                }
                export async function getOrg(id: string, signal: AbortSignal): Promise<Response> {
                  return fetch(\`/orgs/\${id}\`, { signal: AbortSignal.timeout(5_000) });
                }
              `,
            },
          ],
        },
        { messageId: 'detachedSignal', line: 5, column: 42, suggestions: [] },
        {
          messageId: 'detachedSignal',
          line: 8,
          column: 41,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                export async function getUser(id: string, signal: AbortSignal): Promise<Response> {
                  return fetch(\`/users/\${id}\`, { signal: AbortSignal.timeout(5_000) });
                }
                export async function getTeam(id: string, signal?: AbortSignal): Promise<Response> {
                  return fetch(\`/teams/\${id}\`, { signal: AbortSignal.timeout(5_000) });
                }
                export async function getOrg(id: string, signal: AbortSignal): Promise<Response> {
                  return fetch(\`/orgs/\${id}\`, { signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
                }
              `,
            },
          ],
        },
      ],
    },
    // with `reportUnobservedSignals`: the teardown removes an abort listener that was never added, so an abort of
    // the operation is ignored (tRPC #7431, minimised)
    {
      options: [{ reportUnobservedSignals: true }],
      code: code`
        declare function sendBatch(id: string, onDone: () => void): () => void;
        export function request({ op: { id, signal } }: { op: { id: string; signal?: AbortSignal } }): () => void {
          const cancel = sendBatch(id, () => {});
          return () => {
            cancel();
            signal?.removeEventListener('abort', cancel);
          };
        }
        export function watch(key: string, stop: () => void, signal: AbortSignal, onChange: (key: string) => void): void {
          onChange(key);
          signal.removeEventListener('abort', stop);
        }
      `,
      errors: [
        { messageId: 'unobservedSignal', line: 2, column: 37 },
        { messageId: 'unobservedSignal', line: 9, column: 54 },
      ],
    },
    // the later argument holds options that are not the caller's: the call is still not given its signal
    {
      code: code`
        interface SendInit { signal?: AbortSignal; method?: string }
        declare function send(input: string | SendInit, init?: SendInit): Promise<void>;
        declare const defaults: SendInit;
        export async function post(url: string, signal: AbortSignal): Promise<void> {
          await send(url, defaults);
          await send(url, { ...defaults, method: 'POST' });
        }
      `,
      errors: [
        { messageId: 'missingSignal', line: 5, column: 14, suggestions: [] },
        { messageId: 'missingSignal', line: 6, column: 14, suggestions: [] },
      ],
    },
    // an abort listener that stops something else, or listens to a signal that is not the caller's, does not
    // cancel the child process
    {
      code: code`
        import { spawn } from 'node:child_process';
        export function transcode(input: string, signal: AbortSignal): void {
          const probe = spawn('ffprobe', [input]);
          const child = spawn('ffmpeg', ['-i', input, 'out.mp4']);
          signal.addEventListener('abort', () => probe.kill(), { once: true });
          const deadline = AbortSignal.timeout(60_000);
          deadline.addEventListener('abort', () => child.kill(), { once: true });
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { spawn } from 'node:child_process';
                export function transcode(input: string, signal: AbortSignal): void {
                  const probe = spawn('ffprobe', [input]);
                  const child = spawn('ffmpeg', ['-i', input, 'out.mp4'], { signal });
                  signal.addEventListener('abort', () => probe.kill(), { once: true });
                  const deadline = AbortSignal.timeout(60_000);
                  deadline.addEventListener('abort', () => child.kill(), { once: true });
                }
              `,
            },
          ],
        },
      ],
    },
    // checking the signal between two requests does not cancel the one in flight
    {
      code: code`
        export async function sync(urls: string[], signal: AbortSignal): Promise<void> {
          for (const url of urls) {
            signal.throwIfAborted();
            const response = await fetch(url);
            index(await response.text());
          }
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                export async function sync(urls: string[], signal: AbortSignal): Promise<void> {
                  for (const url of urls) {
                    signal.throwIfAborted();
                    const response = await fetch(url, { signal });
                    index(await response.text());
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    // the result is awaited before the listener is added: the request itself ran without the signal
    {
      code: code`
        declare function openFeed(url: string, options?: { signal?: AbortSignal }): Promise<{ close(): void }>;
        export async function follow(url: string, signal: AbortSignal): Promise<void> {
          const feed = await openFeed(url);
          signal.addEventListener('abort', () => feed.close(), { once: true });
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                declare function openFeed(url: string, options?: { signal?: AbortSignal }): Promise<{ close(): void }>;
                export async function follow(url: string, signal: AbortSignal): Promise<void> {
                  const feed = await openFeed(url, { signal });
                  signal.addEventListener('abort', () => feed.close(), { once: true });
                }
              `,
            },
          ],
        },
      ],
    },
    // a handler written as a `function` with a `this` parameter: its signal parameter is still the one the
    // registration hands it
    {
      code: code`
        declare function onJob(handler: (this: { id: string }, signal: AbortSignal) => unknown): void;
        export function watch(base: string): void {
          onJob(function (this: { id: string }, signal) {
            return fetchPage(\`\${base}/\${this.id}\`);
          });
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                declare function onJob(handler: (this: { id: string }, signal: AbortSignal) => unknown): void;
                export function watch(base: string): void {
                  onJob(function (this: { id: string }, signal) {
                    return fetchPage(\`\${base}/\${this.id}\`, signal);
                  });
                }
              `,
            },
          ],
        },
      ],
    },
    // a retry helper's task with an optional signal parameter, which may be undefined, and is passed as it is
    {
      code: code`
        declare function retry(task: (signal?: AbortSignal) => Promise<string>): Promise<string>;
        export function load(url: string): Promise<string> {
          return retry((signal?) => fetchPage(url));
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                declare function retry(task: (signal?: AbortSignal) => Promise<string>): Promise<string>;
                export function load(url: string): Promise<string> {
                  return retry((signal?) => fetchPage(url, signal));
                }
              `,
            },
          ],
        },
      ],
    },
    // a fetch wrapper that drops its signal
    {
      code: code`
        export async function getUser(id: string, signal: AbortSignal): Promise<unknown> {
          signal.throwIfAborted();
          const response = await fetch(\`/users/\${id}\`);
          return response.json();
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          column: 26,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                export async function getUser(id: string, signal: AbortSignal): Promise<unknown> {
                  signal.throwIfAborted();
                  const response = await fetch(\`/users/\${id}\`, { signal });
                  return response.json();
                }
              `,
            },
          ],
        },
      ],
    },
    // an init literal without the signal
    {
      code: code`
        export async function createUser(name: string, signal: AbortSignal): Promise<void> {
          await fetch('/users', { method: 'POST', body: JSON.stringify({ name }) });
          signal.throwIfAborted();
        }
      `,
      errors: [
        {
          messageId: 'missingSignalProperty',
          line: 2,
          column: 25,
          suggestions: [
            {
              messageId: 'addSignalProperty',
              output: code`
                export async function createUser(name: string, signal: AbortSignal): Promise<void> {
                  await fetch('/users', { method: 'POST', body: JSON.stringify({ name }), signal });
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
      ],
    },
    // a multi-line init literal keeps its layout
    {
      code: code`
        export async function createUser(name: string, signal: AbortSignal): Promise<void> {
          await fetch('/users', {
            method: 'POST',
            body: JSON.stringify({ name }),
          });
          signal.throwIfAborted();
        }
      `,
      errors: [
        {
          messageId: 'missingSignalProperty',
          line: 2,
          suggestions: [
            {
              messageId: 'addSignalProperty',
              output: code`
                export async function createUser(name: string, signal: AbortSignal): Promise<void> {
                  await fetch('/users', {
                    method: 'POST',
                    body: JSON.stringify({ name }),
                    signal,
                  });
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
      ],
    },
    // a retry loop whose back-off sleeps through an abort
    {
      code: code`
        import { setTimeout } from 'node:timers/promises';
        export async function withRetry<T>(work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
          for (let attempt = 1; ; attempt++) {
            try {
              return await work(signal);
            } catch (error) {
              if (attempt === 5) throw error;
              await setTimeout(2 ** attempt * 100);
            }
          }
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 8,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { setTimeout } from 'node:timers/promises';
                export async function withRetry<T>(work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
                  for (let attempt = 1; ; attempt++) {
                    try {
                      return await work(signal);
                    } catch (error) {
                      if (attempt === 5) throw error;
                      await setTimeout(2 ** attempt * 100, undefined, { signal });
                    }
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    // a goEach task whose item carries a signal too: the group's own task signal is the one to pass (it also aborts
    // when a sibling fails), and it is typed from goEach's declaration without resolving the call
    goEachCase('jobs', '(job, taskSignal) => fetchPage(job.url)', '(job, taskSignal) => fetchPage(job.url, taskSignal)'),
    // without the task signal declared, the item's inferred type is asked: it carries one
    goEachCase('jobs', '(job) => fetchPage(job.url)', '(job) => fetchPage(job.url, job.signal)'),
    // a goEach task that declares no signal: goEach's declaration says the task is handed one after the item
    goEachCase('urls', '(url) => fetchPage(url)', '(url, signal) => fetchPage(url, signal)'),
    // a crawler task that ignores the signal its group hands it
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        export async function crawlAll(urls: string[], signal: AbortSignal): Promise<void> {
          const group = new ErrGroup({ signal, limit: 8 });
          for (const url of urls) {
            group.go(async () => {
              index(await fetchPage(url));
            });
          }
          await group.wait();
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 6,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { ErrGroup } from 'taskscope/runtime';
                export async function crawlAll(urls: string[], signal: AbortSignal): Promise<void> {
                  const group = new ErrGroup({ signal, limit: 8 });
                  for (const url of urls) {
                    group.go(async (signal) => {
                      index(await fetchPage(url, signal));
                    });
                  }
                  await group.wait();
                }
              `,
            },
          ],
        },
      ],
    },
    // a group made inside a handler without the handler's signal
    {
      code: code`
        import { ErrGroup } from 'taskscope/runtime';
        import { route } from './propagate-abort-signal/app.js';
        route('/crawl', async (req, res) => {
          const group = new ErrGroup({ limit: 4 });
          for (const url of req.url.split(',')) group.go(async (signal) => index(await fetchPage(url, signal)));
          await group.wait();
          res.json({ ok: true });
        });
      `,
      errors: [
        {
          messageId: 'missingSignalProperty',
          line: 4,
          column: 30,
          suggestions: [
            {
              messageId: 'addSignalProperty',
              output: code`
                import { ErrGroup } from 'taskscope/runtime';
                import { route } from './propagate-abort-signal/app.js';
                route('/crawl', async (req, res) => {
                  const group = new ErrGroup({ limit: 4, signal: req.signal });
                  for (const url of req.url.split(',')) group.go(async (signal) => index(await fetchPage(url, signal)));
                  await group.wait();
                  res.json({ ok: true });
                });
              `,
            },
          ],
        },
      ],
    },
    // the zero-value group, and a semaphore wait that cannot be abandoned
    {
      code: code`
        import { ErrGroup, Semaphore } from 'taskscope/runtime';
        const db = new Semaphore(4);
        export async function importRows(rows: string[], signal: AbortSignal): Promise<void> {
          const group = new ErrGroup();
          for (const row of rows) {
            using _permit = await db.acquire();
            group.go(() => index(row));
          }
          await group.wait();
          signal.throwIfAborted();
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { ErrGroup, Semaphore } from 'taskscope/runtime';
                const db = new Semaphore(4);
                export async function importRows(rows: string[], signal: AbortSignal): Promise<void> {
                  const group = new ErrGroup({ signal });
                  for (const row of rows) {
                    using _permit = await db.acquire();
                    group.go(() => index(row));
                  }
                  await group.wait();
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
        {
          messageId: 'missingSignal',
          line: 6,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { ErrGroup, Semaphore } from 'taskscope/runtime';
                const db = new Semaphore(4);
                export async function importRows(rows: string[], signal: AbortSignal): Promise<void> {
                  const group = new ErrGroup();
                  for (const row of rows) {
                    using _permit = await db.acquire(undefined, { signal });
                    group.go(() => index(row));
                  }
                  await group.wait();
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
      ],
    },
    // waiting for an event that may never come
    {
      code: code`
        import { once } from 'node:events';
        import type { Server } from 'node:http';
        export async function listen(server: Server, port: number, signal: AbortSignal): Promise<void> {
          server.listen(port);
          await once(server, 'listening');
          signal.throwIfAborted();
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 5,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { once } from 'node:events';
                import type { Server } from 'node:http';
                export async function listen(server: Server, port: number, signal: AbortSignal): Promise<void> {
                  server.listen(port);
                  await once(server, 'listening', { signal });
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
      ],
    },
    // a stream pipeline that keeps copying after the request is gone
    {
      code: code`
        import { createReadStream, createWriteStream } from 'node:fs';
        import { pipeline } from 'node:stream/promises';
        import { createGzip } from 'node:zlib';
        export async function compress(from: string, to: string, signal: AbortSignal): Promise<void> {
          signal.throwIfAborted();
          await pipeline(createReadStream(from, { signal }), createGzip(), createWriteStream(to, { signal }));
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 6,
          column: 9,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { createReadStream, createWriteStream } from 'node:fs';
                import { pipeline } from 'node:stream/promises';
                import { createGzip } from 'node:zlib';
                export async function compress(from: string, to: string, signal: AbortSignal): Promise<void> {
                  signal.throwIfAborted();
                  await pipeline(createReadStream(from, { signal }), createGzip(), createWriteStream(to, { signal }), { signal });
                }
              `,
            },
          ],
        },
      ],
    },
    // fs/promises: an options argument that is a string cannot be rewritten safely, so no suggestion there
    {
      code: code`
        import { readFile, writeFile } from 'node:fs/promises';
        export async function bump(path: string, signal: AbortSignal): Promise<void> {
          const text = await readFile(path, 'utf8');
          await writeFile(path, String(Number(text) + 1));
          signal.throwIfAborted();
        }
      `,
      errors: [
        { messageId: 'missingSignal', line: 3, column: 37, suggestions: [] },
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { readFile, writeFile } from 'node:fs/promises';
                export async function bump(path: string, signal: AbortSignal): Promise<void> {
                  const text = await readFile(path, 'utf8');
                  await writeFile(path, String(Number(text) + 1), { signal });
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
      ],
    },
    // an Express-like handler: the request's signal reaches the helper through an optional call
    {
      code: code`
        import { client, route } from './propagate-abort-signal/app.js';
        route('/users/:id', async (req, res) => {
          const user = await client?.get(\`/api/users/\${req.params.id}\`);
          res.json(user);
        });
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { client, route } from './propagate-abort-signal/app.js';
                route('/users/:id', async (req, res) => {
                  const user = await client?.get(\`/api/users/\${req.params.id}\`, { signal: req.signal });
                  res.json(user);
                });
              `,
            },
          ],
        },
      ],
    },
    // a timeout that replaces the caller's signal instead of joining it
    {
      code: code`
        export async function getUser(id: string, signal: AbortSignal): Promise<Response> {
          signal.throwIfAborted();
          return fetch(\`/users/\${id}\`, { signal: AbortSignal.timeout(5_000) });
        }
      `,
      errors: [
        {
          messageId: 'detachedSignal',
          line: 3,
          column: 42,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                export async function getUser(id: string, signal: AbortSignal): Promise<Response> {
                  signal.throwIfAborted();
                  return fetch(\`/users/\${id}\`, { signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
                }
              `,
            },
          ],
        },
      ],
    },
    // a fresh controller: Go's context.Background() inside a function that has a ctx
    {
      code: code`
        export async function upload(url: string, body: Blob, signal: AbortSignal): Promise<void> {
          signal.throwIfAborted();
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 30_000);
          try {
            await fetch(url, { method: 'PUT', body, signal: controller.signal });
          } finally {
            clearTimeout(timer);
          }
        }
      `,
      errors: [
        {
          messageId: 'detachedSignal',
          line: 6,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                export async function upload(url: string, body: Blob, signal: AbortSignal): Promise<void> {
                  signal.throwIfAborted();
                  const controller = new AbortController();
                  const timer = setTimeout(() => controller.abort(), 30_000);
                  try {
                    await fetch(url, { method: 'PUT', body, signal: AbortSignal.any([signal, controller.signal]) });
                  } finally {
                    clearTimeout(timer);
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    // a controller whose abort listener is on another signal, and one whose listener on the caller's signal only reads it
    {
      code: code`
        export async function sync(url: string, options?: { signal?: AbortSignal }): Promise<void> {
          const deadline = AbortSignal.timeout(30_000);
          const pull = new AbortController();
          const onDeadline = (): void => pull.abort(deadline.reason);
          deadline.addEventListener('abort', onDeadline, { once: true });
          await fetch(url, { signal: pull.signal });
          const push = new AbortController();
          options?.signal?.addEventListener('abort', () => console.log('aborted', push.signal.aborted));
          setTimeout(() => push.abort(), 5_000);
          await fetch(url, { method: 'PUT', signal: push.signal });
        }
      `,
      errors: [
        { messageId: 'detachedSignal', line: 6 },
        { messageId: 'detachedSignal', line: 10 },
      ],
    },
    // the same agent-framework calls without the option: their run config's type has a signal (docs: Limitations)
    {
      code: code`
        /// <reference path="./propagate-abort-signal/agent-events.d.ts" />
        import { currentInput, dispatchCustomEvent } from '@example/agent-events';
        export async function saveNote(note: string, config: { signal?: AbortSignal }): Promise<void> {
          await dispatchCustomEvent('saved', { note, input: currentInput<string>() });
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                /// <reference path="./propagate-abort-signal/agent-events.d.ts" />
                import { currentInput, dispatchCustomEvent } from '@example/agent-events';
                export async function saveNote(note: string, config: { signal?: AbortSignal }): Promise<void> {
                  await dispatchCustomEvent('saved', { note, input: currentInput<string>() }, { signal: config.signal });
                }
              `,
            },
          ],
        },
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                /// <reference path="./propagate-abort-signal/agent-events.d.ts" />
                import { currentInput, dispatchCustomEvent } from '@example/agent-events';
                export async function saveNote(note: string, config: { signal?: AbortSignal }): Promise<void> {
                  await dispatchCustomEvent('saved', { note, input: currentInput<string>({ signal: config.signal }) });
                }
              `,
            },
          ],
        },
      ],
    },
    // a job record destructured without its signal
    {
      code: code`
        import type { Job } from './propagate-abort-signal/app.js';
        export async function runJob({ url, attempt }: Job): Promise<void> {
          const response = await fetch(\`\${url}?attempt=\${attempt}\`);
          index(await response.text());
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import type { Job } from './propagate-abort-signal/app.js';
                export async function runJob({ url, attempt, signal }: Job): Promise<void> {
                  const response = await fetch(\`\${url}?attempt=\${attempt}\`, { signal });
                  index(await response.text());
                }
              `,
            },
          ],
        },
      ],
    },
    // a closure over the caller's signal
    {
      code: code`
        export async function fetchAll(urls: string[], signal: AbortSignal): Promise<string[]> {
          return Promise.all(urls.map(async (url) => (await fetch(url)).text()));
          signal.throwIfAborted();
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 2,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                export async function fetchAll(urls: string[], signal: AbortSignal): Promise<string[]> {
                  return Promise.all(urls.map(async (url) => (await fetch(url, { signal })).text()));
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
      ],
    },
    // an optional options parameter whose signal may be null (RequestInit)
    {
      code: code`
        import { setTimeout as delay } from 'node:timers/promises';
        export async function getWithBackoff(url: string, init?: RequestInit): Promise<Response> {
          const response = await fetch(url, init);
          if (response.status !== 503) return response;
          await delay(1_000);
          return fetch(url, init);
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 5,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { setTimeout as delay } from 'node:timers/promises';
                export async function getWithBackoff(url: string, init?: RequestInit): Promise<Response> {
                  const response = await fetch(url, init);
                  if (response.status !== 503) return response;
                  await delay(1_000, undefined, { signal: init?.signal ?? undefined });
                  return fetch(url, init);
                }
              `,
            },
          ],
        },
      ],
    },
    // options held in a variable whose type has no signal
    {
      code: code`
        export async function remove(url: string, signal: AbortSignal): Promise<void> {
          const init = { method: 'DELETE', headers: { 'x-reason': 'cleanup' } };
          await fetch(url, init);
          signal.throwIfAborted();
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          column: 20,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                export async function remove(url: string, signal: AbortSignal): Promise<void> {
                  const init = { method: 'DELETE', headers: { 'x-reason': 'cleanup' } };
                  await fetch(url, { ...init, signal });
                  signal.throwIfAborted();
                }
              `,
            },
          ],
        },
      ],
    },
    // a child process that outlives the request
    {
      code: code`
        import { spawn } from 'node:child_process';
        export function convert(input: string, signal: AbortSignal): void {
          signal.throwIfAborted();
          spawn('ffmpeg', ['-i', input, 'out.mp4']);
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { spawn } from 'node:child_process';
                export function convert(input: string, signal: AbortSignal): void {
                  signal.throwIfAborted();
                  spawn('ffmpeg', ['-i', input, 'out.mp4'], { signal });
                }
              `,
            },
          ],
        },
      ],
    },
    // the user's own helper with an AbortSignal parameter; where a local `signal` shadows the caller's, no suggestion
    {
      code: code`
        import { audit } from './propagate-abort-signal/app.js';
        export async function archive(ids: string[], signal: AbortSignal): Promise<void> {
          for (const id of ids) await audit(\`archived \${id}\`);
          ids.forEach((signal) => void audit(signal));
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                import { audit } from './propagate-abort-signal/app.js';
                export async function archive(ids: string[], signal: AbortSignal): Promise<void> {
                  for (const id of ids) await audit(\`archived \${id}\`, signal);
                  ids.forEach((signal) => void audit(signal));
                }
              `,
            },
          ],
        },
        { messageId: 'missingSignal', line: 4, column: 32, suggestions: [] },
      ],
    },
    // a timeout kept in a const, and a throw-away controller, are no better than no signal
    {
      code: code`
        import { setTimeout as delay } from 'node:timers/promises';
        export const poll = async function poll(url: string, signal: AbortSignal): Promise<void> {
          const deadline = AbortSignal.timeout(60_000);
          while (!(await fetch(url, { signal })).ok) await delay(1_000, undefined, { signal: deadline });
          await fetch(url, { method: 'DELETE', signal: new AbortController().signal });
        };
      `,
      errors: [
        {
          messageId: 'detachedSignal',
          line: 4,
          column: 86,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                import { setTimeout as delay } from 'node:timers/promises';
                export const poll = async function poll(url: string, signal: AbortSignal): Promise<void> {
                  const deadline = AbortSignal.timeout(60_000);
                  while (!(await fetch(url, { signal })).ok) await delay(1_000, undefined, { signal: AbortSignal.any([signal, deadline]) });
                  await fetch(url, { method: 'DELETE', signal: new AbortController().signal });
                };
              `,
            },
          ],
        },
        {
          messageId: 'detachedSignal',
          line: 5,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                import { setTimeout as delay } from 'node:timers/promises';
                export const poll = async function poll(url: string, signal: AbortSignal): Promise<void> {
                  const deadline = AbortSignal.timeout(60_000);
                  while (!(await fetch(url, { signal })).ok) await delay(1_000, undefined, { signal: deadline });
                  await fetch(url, { method: 'DELETE', signal: AbortSignal.any([signal, new AbortController().signal]) });
                };
              `,
            },
          ],
        },
      ],
    },
    // a task callback written with one parameter already: the signal is added after it
    {
      code: code`
        export async function eachPage(urls: string[], visit: (url: string, signal: AbortSignal) => Promise<void>): Promise<void> {
          for (const url of urls) await visit(url, AbortSignal.timeout(1_000));
        }
        void eachPage(['/a'], async url => {
          index(await fetchPage(url));
        });
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 5,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                export async function eachPage(urls: string[], visit: (url: string, signal: AbortSignal) => Promise<void>): Promise<void> {
                  for (const url of urls) await visit(url, AbortSignal.timeout(1_000));
                }
                void eachPage(['/a'], async (url, signal) => {
                  index(await fetchPage(url, signal));
                });
              `,
            },
          ],
        },
      ],
    },
    // a handler object's method: the request it receives carries the client's signal
    {
      code: code`
        declare function serve(handler: { fetch(request: Request): Promise<Response> }): void;
        serve({
          async fetch(request) {
            const upstream = await fetch(\`https://origin.example\${new URL(request.url).pathname}\`);
            return new Response(upstream.body, { status: upstream.status });
          },
        });
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                declare function serve(handler: { fetch(request: Request): Promise<Response> }): void;
                serve({
                  async fetch(request) {
                    const upstream = await fetch(\`https://origin.example\${new URL(request.url).pathname}\`, { signal: request.signal });
                    return new Response(upstream.body, { status: upstream.status });
                  },
                });
              `,
            },
          ],
        },
      ],
    },
    // an optional caller's signal cannot go into AbortSignal.any as it is, so no suggestion
    {
      code: code`
        export async function ping(url: string, signal?: AbortSignal): Promise<boolean> {
          const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
          return response.ok && !signal?.aborted;
        }
      `,
      errors: [{ messageId: 'detachedSignal', line: 2, column: 63, suggestions: [] }],
    },
    // the caller's signal goes into the job, but the options get a fresh deadline that ignores it
    {
      code: code`
        declare function sync(job: { readonly signal: AbortSignal; readonly id: string }, options?: { signal?: AbortSignal }): Promise<void>;
        export async function syncAll(ids: readonly string[], signal: AbortSignal): Promise<void> {
          for (const id of ids) await sync({ signal, id }, { signal: AbortSignal.timeout(1_000) });
        }
      `,
      errors: [
        {
          messageId: 'detachedSignal',
          line: 3,
          column: 62,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                declare function sync(job: { readonly signal: AbortSignal; readonly id: string }, options?: { signal?: AbortSignal }): Promise<void>;
                export async function syncAll(ids: readonly string[], signal: AbortSignal): Promise<void> {
                  for (const id of ids) await sync({ signal, id }, { signal: AbortSignal.any([signal, AbortSignal.timeout(1_000)]) });
                }
              `,
            },
          ],
        },
      ],
    },
    // an analytics payload that happens to have a quoted 'signal' key does not hand the signal to `track`
    {
      code: code`
        declare function track(event: Record<string, unknown>, signal?: AbortSignal): Promise<void>;
        export async function upload(name: string, signal: AbortSignal): Promise<void> {
          await track({ 'signal': signal, name });
        }
      `,
      errors: [
        {
          messageId: 'missingSignal',
          line: 3,
          suggestions: [
            {
              messageId: 'passSignal',
              output: code`
                declare function track(event: Record<string, unknown>, signal?: AbortSignal): Promise<void>;
                export async function upload(name: string, signal: AbortSignal): Promise<void> {
                  await track({ 'signal': signal, name }, signal);
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
