/**
 * The analyzer's signal check and the lint rule on the same sources: a call whose result is cancelled by hand through
 * an abort listener on the caller's signal is fine to both (the rule's `cancelledByHand`, which the analyzer's
 * `signalUse` asks too), and a listener that does not touch the result leaves the call missing its signal in both.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectGraph } from '../../../analyzer/collect/collect-graph.js';
import { findDroppedSignals } from '../../../analyzer/graph/find-dropped-signals.js';
import rule from '../../../rules/propagate-abort-signal.js';
import { code, createRuleTester } from '../../rules/rule-tester.js';
import { collect, inMemory, nodeAt } from './in-memory.js';

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

// A query helper that leaves the signal out where it knows there is none, and once where there is one.
const guarded = code`
  declare function query(sql: string, options?: { signal?: AbortSignal }): Promise<string[]>;
  export async function run(sql: string, options?: { signal?: AbortSignal }): Promise<string[]> {
    const { signal } = options || {};
    if (!signal) return await query(sql);
    await query(sql);
    return query(sql, { signal });
  }
`;

describe('signalUse', () => {
  it('counts a call on a branch where the signal is missing as given what there is, and the others by their arguments', () => {
    const graph = collect({ '/src/run.ts': guarded });
    expect(nodeAt(graph, 'spawn', 'src/run.ts', 4).signal).toBe('passed');
    expect(nodeAt(graph, 'spawn', 'src/run.ts', 5).signal).toBe('missing');
  });

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
      code: guarded,
      errors: [
        {
          messageId: 'missingSignal',
          line: 5,
          suggestions: [{ messageId: 'passSignal', output: guarded.replace('  await query(sql);', '  await query(sql, { signal: options?.signal });') }],
        },
      ],
    },
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

// LangChain's run config (the stand-in the rule tests use, at the same relative path): a graph node handed a
// `RunnableConfig` runs inside a LangChain run, whose readers take the signal from AsyncLocalStorage.
const LANGCHAIN = readFileSync(new URL('../../../fixtures/rules/propagate-abort-signal/langchain.d.ts', import.meta.url), 'utf8');
const planNode = code`
  /// <reference path="./propagate-abort-signal/langchain.d.ts" />
  import { dispatchCustomEvent, type RunnableConfig } from '@langchain/core';
  async function summarize(text: string, config?: RunnableConfig): Promise<string> {
    const response = await fetch('/summaries', { method: 'POST', body: text, signal: config?.signal });
    return response.text();
  }
  async function announce(step: string): Promise<string> {
    await dispatchCustomEvent('step', { step });
    return summarize(step);
  }
  export async function planNode(goal: string, config: RunnableConfig): Promise<string> {
    await dispatchCustomEvent('planning', { goal });
    return announce(goal);
  }
`;

describe('signalUse with an ambient context', () => {
  const files = { '/src/propagate-abort-signal/langchain.d.ts': LANGCHAIN, '/src/plan.ts': planNode };

  it("names the context of a reader called without a signal, and of a function handed the context's type", () => {
    const graph = collect(files);
    expect(nodeAt(graph, 'spawn', 'src/plan.ts', 8)).toMatchObject({ signal: 'missing', ambient: 'RunnableConfig' });
    expect(nodeAt(graph, 'spawn', 'src/plan.ts', 9)).toMatchObject({ signal: 'missing' });
    expect(nodeAt(graph, 'spawn', 'src/plan.ts', 9).ambient).toBeUndefined();
    expect(nodeAt(graph, 'function', 'src/plan.ts', 11)).toMatchObject({ hasSignal: true, ambient: 'RunnableConfig' });
  });

  it("reports the project's own helper along the chain, not the reader, as the rule judges the same calls", () => {
    const findings = findDroppedSignals(collect(files));
    expect(findings.map((finding) => [finding.line, finding.chain?.map((step) => step.label)])).toEqual([[9, ['planNode', 'announce', 'summarize(step)']]]);
  });

  it('names no context when none is configured', () => {
    const graph = collectGraph(inMemory(files), undefined, { ambientContexts: [] });
    expect(nodeAt(graph, 'spawn', 'src/plan.ts', 8).ambient).toBeUndefined();
    expect(findDroppedSignals(graph).map((finding) => finding.line)).toEqual([8, 9]);
  });
});

// The same calls made in the node itself, through the rule: the reader is fine, the project's own helper is not.
const inlined = planNode.replace('await dispatchCustomEvent(\'planning\', { goal });\n  return announce(goal);', 'await dispatchCustomEvent(\'planning\', { goal });\n  return summarize(goal);');
createRuleTester().run('propagate-abort-signal (the analyzer\'s ambient-context sources)', rule, {
  valid: [planNode],
  invalid: [
    {
      code: inlined,
      errors: [
        {
          messageId: 'missingSignal',
          line: 13,
          suggestions: [{ messageId: 'passSignal', output: inlined.replace('return summarize(goal);', 'return summarize(goal, { signal: config.signal });') }],
        },
      ],
    },
  ],
});
