/**
 * The analyzer's signal check and the lint rule on the same sources: a call whose result is cancelled by hand through
 * an abort listener on the caller's signal is fine to both (the rule's `cancelledByHand`, the analyzer's twin in
 * `signalUse`), and a listener that does not touch the result leaves the call missing its signal in both.
 */
import { describe, expect, it } from 'vitest';
import rule from '../../../rules/propagate-abort-signal.js';
import { code, createRuleTester } from '../../rules/rule-tester.js';
import { collect, nodeAt } from './in-memory.js';

// A helper without a signal of its own, in a function that has one: the graph follows `mirror` → `fetchOne`, and the
// rule sees `signal` in `fetchOne` through the closure. `download` returns a promise that can be cancelled.
const cancelled = code`
  declare function download(url: string, options?: { signal?: AbortSignal }): Promise<Blob> & { cancel(): void };
  export async function mirror(urls: string[], options?: { signal?: AbortSignal }): Promise<void> {
    const fetchOne = async (url: string): Promise<Blob> => {
      const request = download(url);
      const stop = (): void => request.cancel();
      options?.signal?.addEventListener('abort', stop, { once: true });
      return request;
    };
    for (const url of urls) await fetchOne(url);
  }
`;

// The same helper whose abort listener only logs: the request runs on.
const notCancelled = cancelled.replace('const stop = (): void => request.cancel();', 'const stop = (): void => console.log(url);');

describe('signalUse', () => {
  it('counts a call whose result an abort listener on the caller\'s signal cancels by hand as given the signal', () => {
    expect(nodeAt(collect({ '/src/mirror.ts': cancelled }), 'spawn', 'src/mirror.ts', 4).signal).toBe('passed');
  });

  it('leaves a call missing its signal when the abort listener does not use its result', () => {
    expect(nodeAt(collect({ '/src/mirror.ts': notCancelled }), 'spawn', 'src/mirror.ts', 4).signal).toBe('missing');
  });
});

// The same two sources through the rule, so the editor and the graph agree.
createRuleTester().run('propagate-abort-signal (the analyzer\'s sources)', rule, {
  valid: [cancelled],
  invalid: [
    {
      code: notCancelled,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          suggestions: [{ messageId: 'passSignal', output: notCancelled.replace('download(url)', 'download(url, { signal: options?.signal })') }],
        },
      ],
    },
  ],
});
