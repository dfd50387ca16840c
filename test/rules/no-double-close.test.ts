import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import rule, { type NoDoubleCloseOptions } from '../../rules/no-double-close.js';
import { code, createRuleTester } from './rule-tester.js';

const ruleTester = createRuleTester();
const POOL: [NoDoubleCloseOptions] = [{ resources: [{ type: 'Pool', from: 'file', path: 'no-double-close/resources.ts', methods: ['end'] }] }];

const cases: Parameters<typeof ruleTester.run<'closedTwice' | 'closedTwiceInLoop' | 'removeSecondClose', [NoDoubleCloseOptions]>>[2] = {
  valid: [
    // one close per branch: the branches are exclusive
    code`
      export function finish(controller: ReadableStreamDefaultController<string>, failed: boolean): void {
        if (failed) {
          controller.error(new Error('upstream failed'));
          controller.close();
        } else {
          controller.close();
        }
      }
    `,
    // an early return leaves before the second close
    code`
      import { open } from 'node:fs/promises';
      export async function head(path: string): Promise<string> {
        const file = await open(path);
        const { bytesRead, buffer } = await file.read({ length: 64 });
        if (bytesRead === 0) {
          await file.close();
          return '';
        }
        await file.close();
        return buffer.toString('utf8', 0, bytesRead);
      }
    `,
    // the variable holds a new writer before the second close
    code`
      export async function rotate(current: WritableStream<string>, next: WritableStream<string>): Promise<void> {
        let writer = current.getWriter();
        await writer.close();
        writer = next.getWriter();
        await writer.write('rotated');
        await writer.close();
      }
    `,
    // a flag set right before the close guards the one in finally
    code`
      export function source(lines: AsyncIterable<string>): ReadableStream<string> {
        return new ReadableStream<string>({
          async start(controller) {
            let closed = false;
            try {
              for await (const line of lines) controller.enqueue(line);
              closed = true;
              controller.close();
            } finally {
              if (!closed) {
                closed = true;
                controller.close();
              }
            }
          },
        });
      }
    `,
    // different member paths are different resources
    code`
      interface Job { writer: WritableStreamDefaultWriter<string> }
      export async function finishBoth(a: Job, b: Job): Promise<void> {
        await a.writer.close();
        await b.writer.close();
      }
    `,
    // a permit acquired inside the retry loop is a new permit each attempt
    code`
      import type { Semaphore } from 'taskscope/runtime';
      import { sleep, upload } from './no-double-close/resources.js';
      export async function send(semaphore: Semaphore, chunk: Uint8Array): Promise<void> {
        for (let attempt = 1; ; attempt++) {
          const permit = await semaphore.acquire(1);
          try {
            return await upload(chunk);
          } catch (error) {
            if (attempt === 3) throw error;
            await sleep(100 * attempt);
          } finally {
            permit.release();
          }
        }
      }
    `,
    // each iteration closes a different handle
    code`
      import type { FileHandle } from 'node:fs/promises';
      export async function closeAll(handles: FileHandle[]): Promise<void> {
        for (const handle of handles) await handle.close();
      }
    `,
    // using + an early explicit release: disposal after a release is a no-op by contract
    code`
      import type { Semaphore } from 'taskscope/runtime';
      import { upload } from './no-double-close/resources.js';
      export async function sendFirst(semaphore: Semaphore, chunks: Uint8Array[]): Promise<void> {
        using permit = await semaphore.acquire(1);
        const [first] = chunks;
        if (first) await upload(first);
        permit.release();
        permit[Symbol.dispose]();
      }
    `,
    // a look-alike Server from the application, not Node's
    code`
      import { Server } from './no-double-close/resources.js';
      export function stop(server: Server): void {
        server.close();
        server.close();
      }
    `,
    // a pool is not a known resource until the option names it
    code`
      import { connect } from './no-double-close/resources.js';
      export async function report(): Promise<void> {
        const pool = await connect('postgres://db');
        await pool.end();
        await pool.end();
      }
    `,
    // closes in two callbacks: each runs in its own function, at most one of them per event
    code`
      import type { Readable } from 'node:stream';
      export function pipeInto(readable: Readable, writer: WritableStreamDefaultWriter<string>): void {
        readable.on('end', () => void writer.close());
        readable.on('error', () => void writer.close());
      }
    `,
    // the catch runs when work() throws, before the close in try: one close on every path
    code`
      import { open } from 'node:fs/promises';
      import { render } from './no-double-close/resources.js';
      export async function save(path: string, line: string): Promise<void> {
        const file = await open(path, 'w');
        try {
          await file.write(render(line));
          await file.close();
        } catch (error) {
          await file.close();
          throw error;
        }
      }
    `,
    // the loop breaks right after closing the controller it pulls for
    code`
      export function fromIterator(iterator: AsyncIterator<string>): ReadableStream<string> {
        return new ReadableStream<string>({
          async start(controller) {
            for (;;) {
              const { done, value } = await iterator.next();
              if (done) {
                controller.close();
                break;
              }
              controller.enqueue(value);
            }
          },
        });
      }
    `,
    // the same flag decides both closes: never both on one run
    code`
      export async function end(writer: WritableStreamDefaultWriter<string>, failed: boolean, reason: Error): Promise<void> {
        if (failed) await writer.close();
        await writer.write(reason.message).catch(() => {});
        if (!failed) await writer.close();
      }
    `,
    // reconnect() may put a new socket in this.#server
    code`
      import { createServer, type Server } from 'node:net';
      export class Listener {
        #server: Server = createServer();
        restart(): void {
          this.#server.close();
          this.reconnect();
          this.#server.close();
        }
        reconnect(): void {
          this.#server = createServer();
        }
      }
    `,
    // the permit's own state guards the second release
    code`
      import type { Semaphore } from 'taskscope/runtime';
      import { upload } from './no-double-close/resources.js';
      export async function sendOnce(semaphore: Semaphore, chunk: Uint8Array): Promise<void> {
        const permit = await semaphore.acquire(1);
        try {
          await upload(chunk);
          permit.release();
        } finally {
          if (!permit.released) permit.release();
        }
      }
    `,
    // an early exit on a flag member guards the close after it
    code`
      export class Sink {
        #closed = false;
        #writer: WritableStreamDefaultWriter<string>;
        constructor(stream: WritableStream<string>) {
          this.#writer = stream.getWriter();
        }
        async close(): Promise<void> {
          if (this.#closed) return;
          this.#closed = true;
          await this.#writer.close();
        }
      }
    `,
    // the close itself throwing leads to the catch: the first close did not complete
    code`
      export function stopAll(reader: ReadableStreamDefaultReader<Uint8Array>): void {
        try {
          reader.releaseLock();
        } catch {
          reader.releaseLock();
        }
      }
    `,
    // untyped values are not known resources
    code`
      export function release(handle: any): void {
        handle.close();
        handle.close();
      }
    `,
    // a helper given the state may swap its handle
    code`
      import type { FileHandle } from 'node:fs/promises';
      interface Log { file: FileHandle }
      declare function reopen(log: Log): Promise<void>;
      export async function rotate(log: Log): Promise<void> {
        await log.file.close();
        await reopen(log);
        await log.file.close();
      }
    `,
    // a query about the writer guards the close in finally
    code`
      declare function isClosed(writer: WritableStreamDefaultWriter<string>): boolean;
      export async function publish(writer: WritableStreamDefaultWriter<string>, events: string[]): Promise<void> {
        try {
          for (const event of events) await writer.write(event);
          await writer.close();
        } finally {
          if (!isClosed(writer)) await writer.close();
        }
      }
    `,
    // a nested function reassigns the connection, so any call may have reopened it
    code`
      import { createServer, type Server } from 'node:http';
      export function supervise(): () => void {
        let server: Server = createServer();
        const restart = (): void => {
          server = createServer();
        };
        return () => {
          server.close();
          restart();
          server.close();
        };
      }
    `,
    // a closed server may listen again, and then needs closing again
    code`
      import type { Server } from 'node:http';
      export async function rebind(server: Server, port: number, check: () => Promise<void>): Promise<void> {
        server.close();
        server.listen(port);
        try {
          await check();
        } finally {
          server.close();
        }
      }
    `,
  ],
  invalid: [
    // a subclass of Node's Server closing itself in try and in finally
    {
      code: code`
        import { Server } from 'node:http';
        export class ApiServer extends Server {
          async drain(timeoutMs: number): Promise<void> {
            try {
              await new Promise((resolve) => setTimeout(resolve, timeoutMs));
              this.close();
            } finally {
              this.close();
            }
          }
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 8, data: { receiver: 'this', verb: 'closed', first: 'this.close()', line: 6 } }],
    },
    // close at the end of try, and again in finally: the normal path closes twice
    {
      code: code`
        import { open } from 'node:fs/promises';
        import { render } from './no-double-close/resources.js';
        export async function writeReport(path: string, lines: string[]): Promise<void> {
          const file = await open(path, 'w');
          try {
            for (const line of lines) await file.write(render(line));
            await file.close();
          } finally {
            await file.close();
          }
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 9, column: 11, data: { receiver: 'file', verb: 'closed', first: 'file.close()', line: 7 }, suggestions: [] }],
    },
    // two closes in sequence: the second is always redundant, so removing it is offered
    {
      code: code`
        export async function finish(stream: WritableStream<string>, summary: string): Promise<void> {
          const writer = stream.getWriter();
          await writer.write(summary);
          await writer.close();
          await writer.close();
        }
      `,
      errors: [
        {
          messageId: 'closedTwice',
          line: 5,
          suggestions: [
            {
              messageId: 'removeSecondClose',
              output: code`
                export async function finish(stream: WritableStream<string>, summary: string): Promise<void> {
                  const writer = stream.getWriter();
                  await writer.write(summary);
                  await writer.close();
                }
              `,
            },
          ],
        },
      ],
    },
    // release in catch and again in finally
    {
      code: code`
        import type { Semaphore } from 'taskscope/runtime';
        import { upload } from './no-double-close/resources.js';
        export async function sendChunk(semaphore: Semaphore, chunk: Uint8Array): Promise<void> {
          const permit = await semaphore.acquire(1);
          try {
            await upload(chunk);
          } catch (error) {
            permit.release();
            throw error;
          } finally {
            permit.release();
          }
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 11, data: { receiver: 'permit', verb: 'released', first: 'permit.release()', line: 8 } }],
    },
    // a permit acquired once, released on every retry
    {
      code: code`
        import type { Semaphore } from 'taskscope/runtime';
        import { sleep, upload } from './no-double-close/resources.js';
        export async function send(semaphore: Semaphore, chunk: Uint8Array): Promise<void> {
          const permit = await semaphore.acquire(1);
          for (let attempt = 1; ; attempt++) {
            try {
              return await upload(chunk);
            } catch (error) {
              if (attempt === 3) throw error;
              await sleep(100 * attempt);
            } finally {
              permit.release();
            }
          }
        }
      `,
      errors: [{ messageId: 'closedTwiceInLoop', line: 12, data: { call: 'permit.release()', receiver: 'permit', verb: 'released' } }],
    },
    // a stream source that closes at the end of try and again in finally
    {
      code: code`
        export function lines(source: AsyncIterable<string>): ReadableStream<string> {
          return new ReadableStream<string>({
            async start(controller) {
              try {
                for await (const line of source) controller.enqueue(line);
                controller.close();
              } catch (error) {
                controller.error(error);
              } finally {
                controller.close();
              }
            },
          });
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 10, data: { receiver: 'controller', verb: 'closed', first: 'controller.close()', line: 6 } }],
    },
    // an HTTP shutdown handler that closes the server twice; the callback would be lost, so no suggestion
    {
      code: code`
        import { createServer } from 'node:http';
        const server = createServer();
        export function shutdown(signal: string): void {
          console.info(\`\${signal}: closing\`);
          server.close();
          server.closeIdleConnections();
          server.close(() => process.exit(0));
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 7, data: { receiver: 'server', verb: 'closed', first: 'server.close()', line: 5 }, suggestions: [] }],
    },
    // a private writer closed in try and in finally
    {
      code: code`
        export class AuditLog {
          #writer: WritableStreamDefaultWriter<string>;
          constructor(stream: WritableStream<string>) {
            this.#writer = stream.getWriter();
          }
          async flush(lines: string[]): Promise<void> {
            try {
              for (const line of lines) await this.#writer.write(line);
              await this.#writer.close();
            } finally {
              await this.#writer.close();
            }
          }
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 11, data: { receiver: 'this.#writer', verb: 'closed', first: 'this.#writer.close()', line: 9 } }],
    },
    // releaseLock before returning, and again in finally on the way out
    {
      code: code`
        export async function firstChunk(stream: ReadableStream<Uint8Array>): Promise<Uint8Array | undefined> {
          const reader = stream.getReader();
          try {
            const { value } = await reader.read();
            reader.releaseLock();
            return value;
          } finally {
            reader.releaseLock();
          }
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 8, data: { receiver: 'reader', verb: 'released', first: 'reader.releaseLock()', line: 5 } }],
    },
    // a member chain of a parameter, closed around unrelated work
    {
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        interface Download { url: string; handle: FileHandle }
        export async function complete(job: Download): Promise<void> {
          await job.handle.close();
          console.info(\`done: \${job.url}\`);
          await job.handle.close();
        }
      `,
      errors: [
        {
          messageId: 'closedTwice',
          line: 6,
          data: { receiver: 'job.handle', verb: 'closed', first: 'job.handle.close()', line: 4 },
          suggestions: [
            {
              messageId: 'removeSecondClose',
              output: code`
                import type { FileHandle } from 'node:fs/promises';
                interface Download { url: string; handle: FileHandle }
                export async function complete(job: Download): Promise<void> {
                  await job.handle.close();
                  console.info(\`done: \${job.url}\`);
                }
              `,
            },
          ],
        },
      ],
    },
    // a configured resource: the application's Pool with its `end` method
    {
      code: code`
        import { connect } from './no-double-close/resources.js';
        export async function nightly(): Promise<string[]> {
          const pool = await connect('postgres://db');
          try {
            const rows = await pool.query('select 1');
            await pool.end();
            return rows;
          } finally {
            await pool.end();
          }
        }
      `,
      options: POOL,
      errors: [{ messageId: 'closedTwice', line: 9, data: { receiver: 'pool', verb: 'closed', first: 'pool.end()', line: 6 } }],
    },
    // a subclass of a configured resource counts through its base type
    {
      code: code`
        import { ReplicaPool } from './no-double-close/resources.js';
        export async function drain(replica: ReplicaPool): Promise<void> {
          await replica.end();
          await replica.end();
        }
      `,
      options: POOL,
      errors: [
        {
          messageId: 'closedTwice',
          line: 4,
          suggestions: [
            {
              messageId: 'removeSecondClose',
              output: code`
                import { ReplicaPool } from './no-double-close/resources.js';
                export async function drain(replica: ReplicaPool): Promise<void> {
                  await replica.end();
                }
              `,
            },
          ],
        },
      ],
    },
    // disposing a permit by hand, then releasing it
    {
      code: code`
        import type { Permit } from 'taskscope/runtime';
        export function handBack(permit: Permit): void {
          permit[Symbol.dispose]();
          permit.release();
        }
      `,
      errors: [
        {
          messageId: 'closedTwice',
          line: 4,
          data: { receiver: 'permit', verb: 'released', first: 'permit[Symbol.dispose]()', line: 3 },
          suggestions: [
            {
              messageId: 'removeSecondClose',
              output: code`
                import type { Permit } from 'taskscope/runtime';
                export function handBack(permit: Permit): void {
                  permit[Symbol.dispose]();
                }
              `,
            },
          ],
        },
      ],
    },
    // a crawl log opened once and closed inside the loop
    {
      code: code`
        import { open } from 'node:fs/promises';
        export async function logVisits(urls: string[]): Promise<void> {
          const log = await open('crawl.log', 'a');
          for (const url of urls) {
            await log.write(\`\${url}\\n\`);
            await log.close();
          }
        }
      `,
      errors: [{ messageId: 'closedTwiceInLoop', line: 6, data: { call: 'log.close()', receiver: 'log', verb: 'closed' } }],
    },
    // optional chaining still closes when the reader exists
    {
      code: code`
        export async function cancel(reader: ReadableStreamDefaultReader<string> | undefined): Promise<void> {
          reader?.releaseLock();
          await Promise.resolve();
          reader?.releaseLock();
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 4, column: 3 }],
    },
    // an abort that forgets to return: the close at the end runs too
    {
      code: code`
        export function ticker(signal: AbortSignal, ticks: string[]): ReadableStream<string> {
          return new ReadableStream<string>({
            start(controller) {
              if (signal.aborted) {
                controller.close();
              }
              for (const tick of ticks) controller.enqueue(tick);
              controller.close();
            },
          });
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 8, data: { receiver: 'controller', verb: 'closed', first: 'controller.close()', line: 5 } }],
    },
    // a net server closed in catch and in finally
    {
      code: code`
        import { createServer } from 'node:net';
        export async function probe(port: number, check: () => Promise<void>): Promise<void> {
          const server = createServer().listen(port);
          try {
            await check();
          } catch (error) {
            server.close();
            throw error;
          } finally {
            server.close();
          }
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 10, data: { receiver: 'server', verb: 'closed', first: 'server.close()', line: 7 } }],
    },
    // a non-null member chain released in a switch that falls through
    {
      code: code`
        export class Tail {
          reader?: ReadableStreamDefaultReader<string>;
          stop(reason: 'done' | 'error'): void {
            switch (reason) {
              case 'error':
                this.reader!.releaseLock();
              case 'done':
                this.reader!.releaseLock();
            }
          }
        }
      `,
      errors: [{ messageId: 'closedTwice', line: 8, data: { receiver: 'this.reader', verb: 'released', first: 'this.reader.releaseLock()', line: 6 } }],
    },
  ],
};

ruleTester.run('no-double-close', rule, cases);

// The analyzer lints a file with this rule only where its gate says it may report (rules/native/rule.ts): the gate
// must hold for every case the rule reports.
describe('no-double-close needsEslint', () => {
  const { needsEslint } = rule.native;
  for (const [index, item] of cases.invalid.entries()) {
    it(`says ESLint is needed for invalid case ${index + 1}`, () => {
      const file = ts.createSourceFile(item.filename ?? 'file.ts', item.code, ts.ScriptTarget.Latest, true);
      const options = rule.native.options(item.options ?? []);
      const context = { file, options, sourceType: 'module' } as unknown as Parameters<NonNullable<typeof needsEslint>>[0];
      expect(needsEslint?.(context)).toBe(true);
    });
  }

  it('says ESLint is not needed where each function closes once, outside any loop', () => {
    const text = code`
      export async function copy(source: ReadableStream<string>, sink: WritableStream<string>): Promise<void> {
        const writer = sink.getWriter();
        try {
          for await (const chunk of source) await writer.write(chunk);
        } finally {
          await writer.close();
        }
      }
      export const stop = (reader: ReadableStreamDefaultReader<string>): void => reader.releaseLock();
    `;
    const file = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true);
    const context = { file, options: rule.native.options([]), sourceType: 'module' } as unknown as Parameters<NonNullable<typeof needsEslint>>[0];
    expect(needsEslint?.(context)).toBe(false);
  });
});
