import type { InvalidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type NoIgnoredResultOptions } from '../../rules/no-ignored-result.js';
import { code, createRuleTester } from './rule-tester.js';

type MessageIds = 'ignored' | 'discarded' | 'unread' | 'ignoredByCallback' | 'addVoid' | 'addUnwrap' | 'replaceWithVoid';
type Case = InvalidTestCase<MessageIds, [NoIgnoredResultOptions]>;

const ruleTester = createRuleTester();
const OR_VOID = ', or discard it explicitly with `void`';

/**
 * An invalid case whose suggestion outputs are edits of its own code: `edit(find, replace)` replaces the one
 * occurrence of `find` (and fails the test if there is not exactly one, so an expectation cannot go stale).
 */
function invalid(source: string, build: (edit: (find: string, replace: string) => string) => Omit<Case, 'code'>): Case {
  const edit = (find: string, replace: string): string => {
    const at = source.indexOf(find);
    if (at === -1 || source.indexOf(find, at + 1) !== -1) throw new Error(`expected exactly one \`${find}\` in the case`);
    return source.slice(0, at) + replace + source.slice(at + find.length);
  };
  return { code: source, ...build(edit) };
}
const APP = `import { auditLog, parsePort, parseUser, retry, sendWelcome, validateEmail, QueryBuilder, type User, type UserRepository } from './no-ignored-result/app.js';`;

ruleTester.run('no-ignored-result', rule, {
  valid: [
    // a handler that checks the repository's Result before answering
    code`
      ${APP}
      export async function register(repo: UserRepository, user: User): Promise<number> {
        const saved = await repo.save(user);
        if (saved.isErr()) return saved.error.kind === 'conflict' ? 409 : 503;
        return 201;
      }
    `,
    // returned to the caller, who owns it
    code`
      ${APP}
      export function readPort(text: string) {
        const port = parsePort(text);
        return port;
      }
    `,
    // matched on the spot
    code`
      ${APP}
      export function describePort(text: string): string {
        return parsePort(text).match({ ok: (port) => \`port \${port}\`, err: (reason) => reason });
      }
    `,
    // unwrap reads it (and throws on an Err)
    code`
      ${APP}
      export function portOrThrow(text: string): number {
        parsePort(text).unwrap();
        return parsePort(text).unwrapOr(8080);
      }
    `,
    // an explicit discard with void (ignoreVoid defaults to true)
    code`
      ${APP}
      export async function bestEffortCleanup(repo: UserRepository, id: string): Promise<void> {
        void (await repo.delete(id));
        void parsePort('80');
      }
    `,
    // a Promise<Result> left floating is no-floating-task's business, not reported twice
    code`
      ${APP}
      export function fireAndForget(repo: UserRepository, user: User): void {
        repo.save(user);
      }
    `,
    // passed on: the Results are read by Result.all, whose Result is returned
    code`
      import { Result } from 'taskscope/runtime';
      ${APP}
      export function readPorts(texts: string[]) {
        const ports = texts.map((text) => parsePort(text));
        return Result.all(ports);
      }
    `,
    // a fluent builder's `this`-typed methods are not Results
    code`
      ${APP}
      export function query(): string {
        const builder = new QueryBuilder();
        builder.where('active', true).limit(10);
        return builder.build();
      }
    `,
    // non-Result promises and values dropped on purpose are not this rule's concern
    code`
      ${APP}
      export async function touchAll(repo: UserRepository, ids: string[]): Promise<void> {
        for (const id of ids) await repo.touch(id);
        await repo.find(ids[0] ?? '');
        [1, 2, 3].map((n) => n * 2);
      }
    `,
    // a validation pipeline read through a destructured discriminant
    code`
      ${APP}
      export function validate(input: unknown): boolean {
        const { ok } = parseUser(input).andThen((user) => parsePort(user.id));
        return ok;
      }
    `,
    // neverthrow-shaped Results and ResultAsync, checked
    code`
      ${APP}
      export async function welcome(user: User): Promise<string> {
        const email = validateEmail(user.email);
        if (email.isErr()) return email.error;
        const sent = await sendWelcome(user);
        return sent.isOk() ? 'sent' : 'mail failed';
      }
    `,
    // read from a closure, which counts as looking at it
    code`
      ${APP}
      export function deferred(text: string): () => boolean {
        const port = parsePort(text);
        return () => port.isOk();
      }
    `,
    // map over Results keeps them; forEach over a void callback that checks each one
    code`
      ${APP}
      export function checkAll(texts: string[], report: (reason: string) => void): void {
        texts.forEach((text) => {
          const port = parsePort(text);
          if (port.isErr()) report(port.error);
        });
      }
    `,
    // allowedCalls: a best-effort audit log whose Result may be dropped
    {
      code: code`
        ${APP}
        export async function login(user: User): Promise<void> {
          auditLog.record(\`login \${user.id}\`);
          const recorded = auditLog.record('done');
        }
      `,
      options: [{ allowedCalls: [{ from: 'file', name: 'record', path: 'no-ignored-result/app.ts' }] }],
    },
    // ignorePattern: a deliberately unread variable
    {
      code: code`
        ${APP}
        export function warm(text: string): void {
          const _port = parsePort(text);
        }
      `,
      options: [{ ignorePattern: '^_' }],
    },
    // a user type with isOk() alone is not a Result; any-typed calls are never known to be one
    code`
      declare const health: { isOk(): boolean };
      declare const untyped: any;
      export function poll(): void {
        health.isOk();
        untyped.save();
        const later = untyped.load();
      }
    `,
    // stored, assigned and yielded Results are owned by their targets
    code`
      ${APP}
      const results = new Map<string, unknown>();
      export function* ports(texts: string[]) {
        let last;
        for (const text of texts) {
          results.set(text, parsePort(text));
          last = parsePort(text);
          yield parsePort(text);
        }
        return last;
      }
    `,
    // generic returns that hand back a Result that already existed: a cache lookup, a matcher typed like Vitest's,
    // Object.defineProperty on a Result's prototype
    code`
      import { ok, type Result } from 'taskscope/runtime';
      declare function expect<T>(actual: T): { toBeOk(expected?: unknown): T; not: { toBeErr(): T } };
      const cache = new Map<string, Result<number, string>>();
      export function warmCache(key: string): void {
        cache.get(key);
        const hit = cache.get(key);
        expect(ok(1)).toBeOk(1);
        expect(ok(1)).not.toBeErr();
        Object.defineProperty(Object.getPrototypeOf(ok(1)) as Result<number, string>, 'tag', { value: true });
      }
    `,
    // odd syntax never crashes the rule: computed and optional members, destructuring, directives, decorators, any
    code`
      'use strict';
      ${APP}
      function logged(_target: unknown, _context: ClassMethodDecoratorContext): void {}
      declare const handlers: Record<string, ((text: string) => unknown) | undefined>;
      export class Ports {
        @logged
        read(text: string, key: string): unknown {
          const [first] = [parsePort(text)];
          const { ok: valid } = parsePort(text);
          handlers[key]?.(text);
          (handlers['port'] as any)(text);
          return valid && first;
        }
      }
    `,
    // JSX: a button whose handler checks the Result
    {
      filename: 'react.tsx',
      code: code`
        import { parsePort } from './no-ignored-result/app.js';
        export function PortField({ text, onError }: { text: string; onError: (reason: string) => void }) {
          return <button onClick={() => { const port = parsePort(text); if (port.isErr()) onError(port.error); }}>Check</button>;
        }
      `,
    },
    // exported bindings are read elsewhere, also through an export list
    code`
      ${APP}
      const fallbackPort = parsePort('80');
      export { fallbackPort };
    `,
    // exported bindings are read elsewhere
    code`
      ${APP}
      export const defaultPort = parsePort('8080');
    `,
    // a Result that cannot be an Err (a best-effort helper that logs its own failures) has no error to lose
    code`
      import type { ResultAsync } from './no-ignored-result/neverthrow.js';
      declare function notifyAdmins(formId: string): ResultAsync<true, never>;
      export async function deactivate(formId: string): Promise<void> {
        await notifyAdmins(formId);
        notifyAdmins(formId);
        const notified = await notifyAdmins(formId);
      }
    `,
    // the error was handed to mapErr's callback, which handled it and kept nothing: a Result<string, void> is left
    code`
      ${APP}
      export function signup(email: string, log: (reason: string) => void): void {
        validateEmail(email).mapErr((reason) => {
          log(reason);
        });
      }
    `,
  ],
  invalid: [
    // a method of a call's value, read off its declarations: \`count\` returns a Result whatever \`check\` was given;
    // \`parsed\` returns one that mentions the receiver's type parameter, so the call is typed
    invalid(
      code`
        import { type Result } from 'taskscope/runtime';
        interface Checks<T> { count(): Result<number, string>; parsed(): Result<T, string>; toBe<E>(expected: E): void }
        declare function check<T>(value: T): Checks<T>;
        declare function load(): Promise<number>;
        export async function verify(): Promise<void> {
          check(await load()).toBe(1);
          check(await load()).count();
          check(await load()).parsed();
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 7,
            suggestions: [
              { messageId: 'addVoid', output: edit('  check(await load()).count();', '  void check(await load()).count();') },
              { messageId: 'addUnwrap', output: edit('count();', 'count().unwrap();') },
            ],
          },
          {
            messageId: 'ignored',
            line: 8,
            suggestions: [
              { messageId: 'addVoid', output: edit('  check(await load()).parsed();', '  void check(await load()).parsed();') },
              { messageId: 'addUnwrap', output: edit('parsed();', 'parsed().unwrap();') },
            ],
          },
        ],
      }),
    ),
    // mapErr that turns the error into another one: that error is dropped
    invalid(
      code`
        ${APP}
        export function signup(email: string): void {
          validateEmail(email).mapErr((reason) => new Error(reason));
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            suggestions: [{ messageId: 'addVoid', output: edit('  validateEmail(email).mapErr', '  void validateEmail(email).mapErr') }],
          },
        ],
      }),
    ),
    // an error type of void says nothing on its own (\`err()\` is a failure without a payload): still reported
    invalid(
      code`
        ${APP}
        import type { Result as NtResult } from './no-ignored-result/neverthrow.js';
        declare function findUser(id: string): NtResult<User, void>;
        export function touch(id: string): void {
          findUser(id);
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 5,
            suggestions: [{ messageId: 'addVoid', output: edit('  findUser(id);', '  void findUser(id);') }],
          },
        ],
      }),
    ),
    // a repository call awaited and dropped: the DbError is lost
    invalid(
      code`
        ${APP}
        export async function register(repo: UserRepository, user: User): Promise<number> {
          await repo.save(user);
          return 201;
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            column: 3,
            endColumn: 24,
            data: { name: 'repo.save(...)', orVoid: OR_VOID },
            suggestions: [
              { messageId: 'addVoid', output: edit('await repo.save(user);', 'void await repo.save(user);') },
              { messageId: 'addUnwrap', output: edit('await repo.save(user);', '(await repo.save(user)).unwrap();') },
            ],
          },
        ],
      }),
    ),
    // a parser's Result dropped in a config loader
    invalid(
      code`
        ${APP}
        export function configure(env: Record<string, string | undefined>): void {
          parsePort(env['PORT'] ?? '8080');
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            column: 3,
            suggestions: [
              { messageId: 'addVoid', output: edit(`parsePort(env`, `void parsePort(env`) },
              { messageId: 'addUnwrap', output: edit(`'8080');`, `'8080').unwrap();`) },
            ],
          },
        ],
      }),
    ),
    // mapping and dropping is still ignoring
    invalid(
      code`
        ${APP}
        export function normalise(input: unknown): void {
          parseUser(input).map((user) => ({ ...user, email: user.email.toLowerCase() }));
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            column: 3,
            data: { name: 'parseUser(input).map(...)', orVoid: OR_VOID },
            suggestions: [
              { messageId: 'addVoid', output: edit('parseUser(input).map', 'void parseUser(input).map') },
              { messageId: 'addUnwrap', output: edit('toLowerCase() }));', 'toLowerCase() })).unwrap();') },
            ],
          },
        ],
      }),
    ),
    // Result.all over a validation batch, dropped
    invalid(
      code`
        import { Result } from 'taskscope/runtime';
        ${APP}
        export function checkPorts(texts: string[]): void {
          Result.all(texts.map((text) => parsePort(text)));
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 4,
            data: { name: 'Result.all(...)', orVoid: OR_VOID },
            suggestions: [
              { messageId: 'addVoid', output: edit('  Result.all(', '  void Result.all(') },
              { messageId: 'addUnwrap', output: edit('parsePort(text)));', 'parsePort(text))).unwrap();') },
            ],
          },
        ],
      }),
    ),
    // a neverthrow-shaped Result has no unwrap(), so only the void suggestion
    invalid(
      code`
        ${APP}
        export function signup(email: string): void {
          validateEmail(email);
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            suggestions: [{ messageId: 'addVoid', output: edit('  validateEmail(email);', '  void validateEmail(email);') }],
          },
        ],
      }),
    ),
    // a ResultAsync never rejects, so dropping it unawaited loses the MailError and no promise rule notices
    invalid(
      code`
        ${APP}
        export function onSignup(user: User): void {
          sendWelcome(user);
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            data: { name: 'sendWelcome(...)', orVoid: OR_VOID },
            suggestions: [{ messageId: 'addVoid', output: edit('  sendWelcome(user);', '  void sendWelcome(user);') }],
          },
        ],
      }),
    ),
    // a ResultAsync awaited and dropped
    invalid(
      code`
        ${APP}
        export async function onSignup(user: User): Promise<void> {
          await sendWelcome(user);
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            suggestions: [{ messageId: 'addVoid', output: edit('  await sendWelcome(user);', '  void await sendWelcome(user);') }],
          },
        ],
      }),
    ),
    // bound to a variable that is never read
    invalid(
      code`
        ${APP}
        export async function rename(repo: UserRepository, user: User, email: string): Promise<void> {
          const saved = await repo.save({ ...user, email });
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'unread',
            line: 3,
            column: 9,
            data: { name: 'saved', orVoid: OR_VOID },
            suggestions: [{ messageId: 'replaceWithVoid', output: edit('const saved = await', 'void await') }],
          },
        ],
      }),
    ),
    // a `_` name silences no-unused-vars, not this rule (without ignorePattern); written again, so no void suggestion
    invalid(
      code`
        ${APP}
        export function warm(texts: string[]): void {
          let _port = parsePort(texts[0] ?? '');
          _port = parsePort(texts[1] ?? '');
        }
      `,
      () => ({ errors: [{ messageId: 'unread', line: 3, column: 7, suggestions: [] }] }),
    ),
    // an optional call on a maybe-missing repository: unwrap() would not type-check on `undefined`
    invalid(
      code`
        ${APP}
        export async function cleanup(repo: UserRepository | undefined, id: string): Promise<void> {
          await repo?.delete(id);
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            data: { name: 'repo?.delete(...)', orVoid: OR_VOID },
            suggestions: [{ messageId: 'addVoid', output: edit('await repo?.delete(id);', 'void await repo?.delete(id);') }],
          },
        ],
      }),
    ),
    // both branches of a conditional statement are dropped
    invalid(
      code`
        ${APP}
        export function load(strict: boolean, input: unknown, text: string): void {
          strict ? parseUser(input) : parsePort(text);
        }
      `,
      (edit) => {
        const output = edit('strict ? parseUser(input) : parsePort(text);', 'void (strict ? parseUser(input) : parsePort(text));');
        return {
          errors: [
            { messageId: 'ignored', line: 3, column: 12, suggestions: [{ messageId: 'addVoid', output }] },
            { messageId: 'ignored', line: 3, column: 31, suggestions: [{ messageId: 'addVoid', output }] },
          ],
        };
      },
    ),
    // every operand of a sequence, and a short-circuited call
    invalid(
      code`
        ${APP}
        export function check(dirty: boolean, input: unknown, text: string): void {
          (parseUser(input), parsePort(text));
          dirty && parsePort(text);
        }
      `,
      (edit) => {
        // the sequence's own parentheses are not part of its node, so `void (…)` goes inside them
        const sequence = edit('(parseUser(input), parsePort(text));', '(void (parseUser(input), parsePort(text)));');
        return {
          errors: [
            { messageId: 'ignored', line: 3, column: 4, suggestions: [{ messageId: 'addVoid', output: sequence }] },
            { messageId: 'ignored', line: 3, column: 22, suggestions: [{ messageId: 'addVoid', output: sequence }] },
            {
              messageId: 'ignored',
              line: 4,
              column: 12,
              suggestions: [{ messageId: 'addVoid', output: edit('dirty && parsePort(text);', 'void (dirty && parsePort(text));') }],
            },
          ],
        };
      },
    ),
    // a retry helper instantiated with a Result (a generic return type)
    invalid(
      code`
        ${APP}
        export function reconnect(text: string): void {
          retry(() => parsePort(text), 3);
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            data: { name: 'retry(...)', orVoid: OR_VOID },
            suggestions: [
              { messageId: 'addVoid', output: edit('  retry(', '  void retry(') },
              { messageId: 'addUnwrap', output: edit(', 3);', ', 3).unwrap();') },
            ],
          },
        ],
      }),
    ),
    // a sync loop: an awaited promise whose .then maps the Result, dropped
    invalid(
      code`
        ${APP}
        export async function sync(repo: UserRepository, users: User[]): Promise<void> {
          for (const user of users) {
            await repo.save(user).then((saved) => saved.map((u) => u.id));
          }
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 4,
            column: 5,
            data: { name: 'repo.save(user).then(...)', orVoid: OR_VOID },
            suggestions: [
              { messageId: 'addVoid', output: edit('await repo.save', 'void await repo.save') },
              { messageId: 'addUnwrap', output: edit('await repo.save(user).then((saved) => saved.map((u) => u.id));', '(await repo.save(user).then((saved) => saved.map((u) => u.id))).unwrap();') },
            ],
          },
        ],
      }),
    ),
    // a forEach callback returns each Result to a caller that ignores it
    invalid(
      code`
        ${APP}
        export function validateAll(users: User[]): void {
          users.forEach((user) => validateEmail(user.email));
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignoredByCallback',
            line: 3,
            column: 27,
            data: { name: 'validateEmail(...)', callee: 'forEach(...)' },
            suggestions: [{ messageId: 'addVoid', output: edit('=> validateEmail', '=> void validateEmail') }],
          },
        ],
      }),
    ),
    // a retry timer whose Result goes nowhere
    invalid(
      code`
        ${APP}
        export function scheduleRetry(id: string): void {
          setTimeout(() => parsePort(id), 100);
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignoredByCallback',
            line: 3,
            data: { name: 'parsePort(...)', callee: 'setTimeout(...)' },
            suggestions: [{ messageId: 'addVoid', output: edit('=> parsePort', '=> void parsePort') }],
          },
        ],
      }),
    ),
    // ignoreVoid: false reports explicit discards too, also in a concise arrow body
    invalid(
      code`
        ${APP}
        export async function bestEffort(repo: UserRepository, id: string): Promise<() => void> {
          void (await repo.delete(id));
          return () => void parsePort(id);
        }
      `,
      () => ({
        options: [{ ignoreVoid: false }],
        errors: [
          { messageId: 'discarded', line: 3, column: 9, data: { name: 'repo.delete(...)' }, suggestions: [] },
          { messageId: 'discarded', line: 4, column: 21, suggestions: [] },
        ],
      }),
    ),
    // without ignoreVoid the messages stop recommending void, and no void suggestion is offered
    invalid(
      code`
        ${APP}
        export function configure(text: string): void {
          const port = parsePort(text);
          parsePort(text);
        }
      `,
      (edit) => ({
        options: [{ ignoreVoid: false }],
        errors: [
          { messageId: 'unread', line: 3, data: { name: 'port', orVoid: '' }, suggestions: [] },
          {
            messageId: 'ignored',
            line: 4,
            data: { name: 'parsePort(...)', orVoid: '' },
            suggestions: [{ messageId: 'addUnwrap', output: edit('  parsePort(text);', '  parsePort(text).unwrap();') }],
          },
        ],
      }),
    ),
    // the update clause of a for loop drops its value like a statement
    invalid(
      code`
        ${APP}
        export function scan(texts: string[]): void {
          for (let i = 0; i < texts.length; i++, parsePort(texts[i] ?? '')) {
            continue;
          }
        }
      `,
      (edit) => ({
        errors: [
          {
            messageId: 'ignored',
            line: 3,
            column: 42,
            suggestions: [{ messageId: 'addVoid', output: edit("i++, parsePort(texts[i] ?? '')", "void (i++, parsePort(texts[i] ?? ''))") }],
          },
        ],
      }),
    ),
    // an allowed call is allowed only where named: another call is still reported
    invalid(
      code`
        ${APP}
        export function boot(text: string): void {
          auditLog.record('boot');
          parsePort(text);
        }
      `,
      (edit) => ({
        options: [{ allowedCalls: [{ from: 'file', name: 'record', path: 'no-ignored-result/app.ts' }] }],
        errors: [
          {
            messageId: 'ignored',
            line: 4,
            suggestions: [
              { messageId: 'addVoid', output: edit('  parsePort(text);', '  void parsePort(text);') },
              { messageId: 'addUnwrap', output: edit('  parsePort(text);', '  parsePort(text).unwrap();') },
            ],
          },
        ],
      }),
    ),
  ],
});
