/**
 * `propagate-abort-signal` where TypeScript's tree differs from ESTree's, which the rule was first written on: the
 * parentheses TypeScript keeps as nodes, methods and constructors that are functions of their own (with parameter
 * properties and decorators), and the native check run without ESLint, as the analyzer runs it.
 */
import { describe, expect, it } from 'vitest';
import rule from '../../rules/propagate-abort-signal.js';
import { memoizedTypesForFile } from '../../rules/utils/memoized-types.js';
import { inMemoryProgram } from './in-memory-program.js';
import { code, createRuleTester } from './rule-tester.js';

const ruleTester = createRuleTester();

const LOAD = 'declare function load(url: string, options?: { signal?: AbortSignal; method?: string }): Promise<string>;';
const DEC = 'declare function Route(path: unknown): MethodDecorator;';

// A constructor's parameter property is a variable inside the constructor and a property of the class: the
// suggestion names the variable, which the checker answers apart from the property.
const parameterProperty = (call: string): string => code`
  ${LOAD}
  export class Feed {
    constructor(private readonly signal: AbortSignal, url: string) {
      void ${call};
    }
  }
`;

// The callback in parentheses is the call's argument all the same: it is handed the task's signal.
const parenthesizedCallback = (task: string): string => code`
  ${LOAD}
  declare function go(task: (signal: AbortSignal) => unknown): void;
  export function crawl(url: string): void {
    go((${task}));
  }
`;

// The last argument in parentheses, as a suggestion must keep them.
const parenthesizedArgument = (call: string): string => code`
  declare function fetchText(url: string, signal?: AbortSignal): Promise<string>;
  export async function get(url: string, signal: AbortSignal): Promise<string> {
    return ${call};
  }
`;

// A signal made here, passed as a shorthand property while the caller's signal is `options.signal`.
const shorthandSignal = (options: string): string => code`
  ${LOAD}
  export async function poll(url: string, options: { readonly signal: AbortSignal }): Promise<string> {
    const signal = AbortSignal.timeout(5_000);
    return load(url, ${options});
  }
`;

ruleTester.run('propagate-abort-signal (TypeScript tree)', rule, {
  valid: [
    // a call in a method's decorator runs when the class is defined, not inside the method with its signal
    code`
      ${LOAD}
      ${DEC}
      export class Pages {
        @Route(load('/routes.json'))
        async page(url: string, signal: AbortSignal): Promise<string> {
          return load(url, { signal });
        }
      }
    `,
    // a parameter property only ever removed from, but with `reportUnobservedSignals` off (the default)
    code`
      export class Teardown {
        constructor(private readonly signal: AbortSignal, stop: () => void) {
          signal.removeEventListener('abort', stop);
        }
      }
    `,
  ],
  invalid: [
    {
      code: parameterProperty('load(url)'),
      errors: [{ messageId: 'missingSignal', line: 4, column: 10, suggestions: [{ messageId: 'passSignal', output: parameterProperty('load(url, { signal })') }] }],
    },
    {
      code: parenthesizedCallback('async () => load(url)'),
      errors: [{ messageId: 'missingSignal', line: 4, column: 19, suggestions: [{ messageId: 'passSignal', output: parenthesizedCallback('async (signal) => load(url, { signal })') }] }],
    },
    // parentheses around the last argument: the signal goes after them, where inside them it would make one comma
    // expression, `fetchText((url, signal))`
    {
      code: parenthesizedArgument('fetchText((url))'),
      errors: [{ messageId: 'missingSignal', line: 3, suggestions: [{ messageId: 'passSignal', output: parenthesizedArgument('fetchText((url), signal)') }] }],
    },
    // a detached signal passed as a shorthand property keeps its key: `{ signal: AbortSignal.any([…]) }`
    {
      code: shorthandSignal('{ signal }'),
      errors: [
        {
          messageId: 'detachedSignal',
          line: 4,
          column: 22,
          endColumn: 28,
          suggestions: [{ messageId: 'combineSignals', output: shorthandSignal('{ signal: AbortSignal.any([options.signal, signal]) }') }],
        },
      ],
    },
    // parentheses around an options argument: the report and the edit are on the object inside them
    {
      code: code`
        ${LOAD}
        export async function get(url: string, signal: AbortSignal): Promise<string> {
          return load((url), ({ method: 'GET' }));
        }
      `,
      errors: [
        {
          messageId: 'missingSignalProperty',
          line: 3,
          column: 23,
          endColumn: 40,
          suggestions: [
            {
              messageId: 'addSignalProperty',
              output: code`
                ${LOAD}
                export async function get(url: string, signal: AbortSignal): Promise<string> {
                  return load((url), ({ method: 'GET', signal }));
                }
              `,
            },
          ],
        },
      ],
    },
    // a getter of an object literal is a function that sees its closure's signal; the detached signal is reported,
    // and replaced, without the parentheses around it
    {
      code: code`
        ${LOAD}
        export function page(url: string, signal: AbortSignal): { readonly body: Promise<string> } {
          return {
            get body(): Promise<string> {
              return load(url, { signal: (AbortSignal.timeout(1_000)) });
            },
          };
        }
      `,
      errors: [
        {
          messageId: 'detachedSignal',
          line: 5,
          column: 35,
          endColumn: 61,
          suggestions: [
            {
              messageId: 'combineSignals',
              output: code`
                ${LOAD}
                export function page(url: string, signal: AbortSignal): { readonly body: Promise<string> } {
                  return {
                    get body(): Promise<string> {
                      return load(url, { signal: (AbortSignal.any([signal, AbortSignal.timeout(1_000)])) });
                    },
                  };
                }
              `,
            },
          ],
        },
      ],
    },
    // reported at the parameter's name and written type, as ESLint has a parameter's name, after its modifier
    {
      options: [{ reportUnobservedSignals: true }],
      code: code`
        export class Teardown {
          constructor(private readonly signal: AbortSignal, stop: () => void) {
            signal.removeEventListener('abort', stop);
          }
        }
      `,
      errors: [{ messageId: 'unobservedSignal', line: 2, column: 32, endColumn: 51 }],
    },
  ],
});

describe('propagate-abort-signal without ESLint', () => {
  it('reports what ESLint reports, from the native check on a program of its own', () => {
    const source = code`
      declare function load(url: string, options?: { signal?: AbortSignal }): Promise<string>;
      export async function get(url: string, signal: AbortSignal): Promise<string> {
        await load(url, { signal: AbortSignal.timeout(1_000) });
        return load(url);
      }
    `;
    const { program, main } = inMemoryProgram({ '/app/main.ts': source }, { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: [] });
    const reports: string[] = [];
    rule.native.check({
      file: main,
      program,
      checker: memoizedTypesForFile(program.getTypeChecker()),
      options: rule.native.options([]),
      sourceType: 'module',
      report: ({ node, messageId, suggest }) => {
        const { line, character } = main.getLineAndCharacterOfPosition(node.getStart(main));
        reports.push(`${line + 1}:${character + 1} ${messageId} ${suggest?.map((s) => s.edits.map((edit) => `${edit.range.join('-')} ${edit.text}`).join(', ')).join(' | ') ?? ''}`);
      },
    });
    const detached = source.indexOf('AbortSignal.timeout');
    const end = source.indexOf(' });');
    expect(reports).toEqual([
      `3:29 detachedSignal ${detached}-${end} AbortSignal.any([signal, AbortSignal.timeout(1_000)])`,
      `4:10 missingSignal ${source.indexOf('url);') + 3}-${source.indexOf('url);') + 3} , { signal }`,
    ]);
  });
});
