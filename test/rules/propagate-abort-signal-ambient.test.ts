/**
 * `propagate-abort-signal` inside an ambient context's run: LangChain keeps the run's `RunnableConfig`, signal
 * included, in AsyncLocalStorage, and its own functions read it back when a call leaves it out. A function handed a
 * `RunnableConfig` (a graph node, a tool) may call them without its signal; everything else is still reported. The
 * LangChain packages are stand-ins declared in `fixtures/rules/propagate-abort-signal/langchain.d.ts`.
 */
import rule from '../../rules/propagate-abort-signal.js';
import { code, createRuleTester } from './rule-tester.js';

const LANGCHAIN = '/// <reference path="./propagate-abort-signal/langchain.d.ts" />';
const REQUEST_CONTEXT = 'propagate-abort-signal/request-context.ts';

// The project's own helper takes a run config but reads `config?.signal` and nothing else.
const ownHelper = code`
  ${LANGCHAIN}
  import { dispatchCustomEvent, type RunnableConfig } from '@langchain/core';
  async function summarize(text: string, config?: RunnableConfig): Promise<string> {
    const response = await fetch('/summaries', { method: 'POST', body: text, signal: config?.signal });
    return response.text();
  }
  export async function summaryNode(text: string, config: RunnableConfig): Promise<string> {
    await dispatchCustomEvent('summarizing', { length: text.length });
    return summarize(text, { tags: ['summary'] });
  }
`;

const plainSignal = code`
  ${LANGCHAIN}
  import type { ChatModel } from '@langchain/core';
  declare const model: ChatModel;
  export async function answer(question: string, signal: AbortSignal): Promise<string> {
    return model.invoke(question);
  }
`;

const notAConfig = code`
  ${LANGCHAIN}
  import { loadDocument, type RunnableConfig } from '@langchain/core';
  export async function ingestNode(urls: string[], config: RunnableConfig): Promise<string[]> {
    const documents: string[] = [];
    for (const url of urls) documents.push(await loadDocument(url, { encoding: 'utf8' }));
    return documents;
  }
`;

const otherPackage = code`
  ${LANGCHAIN}
  import type { RunnableConfig } from '@langchain/core';
  import { traceSpan } from '@example/tracing';
  export async function plannerNode(goal: string, config: RunnableConfig): Promise<string> {
    await traceSpan('plan');
    return goal.trim();
  }
`;

const noContexts = code`
  ${LANGCHAIN}
  import { dispatchCustomEvent, type RunnableConfig } from '@langchain/core';
  export async function notifyNode(message: string, config: RunnableConfig): Promise<void> {
    await dispatchCustomEvent('notice', { message });
  }
`;

const ownContextOnly = code`
  ${LANGCHAIN}
  import { dispatchCustomEvent, type RunnableConfig } from '@langchain/core';
  import { getJson } from './propagate-abort-signal/request-context.js';
  export async function alertsNode(userId: string, config: RunnableConfig): Promise<unknown> {
    await dispatchCustomEvent('loading', { userId });
    return getJson(\`/users/\${userId}/alerts\`);
  }
`;

const requestContext = { types: [{ from: 'file' as const, name: 'RequestContext', path: REQUEST_CONTEXT }], readers: [{ from: 'file' as const, path: REQUEST_CONTEXT }] };

createRuleTester().run('propagate-abort-signal (ambient contexts)', rule, {
  valid: [
    // a tool handed the run's config dispatches progress events without it, or with a config that sets no signal
    code`
      ${LANGCHAIN}
      import { dispatchCustomEvent, type RunnableConfig } from '@langchain/core';
      export async function saveTestCases(cases: string[], config: RunnableConfig): Promise<number> {
        await dispatchCustomEvent('progress', { total: cases.length });
        const response = await fetch('/test-cases', { method: 'POST', body: JSON.stringify(cases), signal: config.signal });
        await dispatchCustomEvent('saved', { status: response.status }, { tags: ['qa'] });
        return response.status;
      }
    `,
    // a graph node (LangGraph's config extends LangChain's) reads its task input and runs a subgraph with a config
    // that overrides `configurable` only
    code`
      ${LANGCHAIN}
      import { getCurrentTaskInput, type CompiledGraph, type LangGraphRunnableConfig } from '@langchain/langgraph';
      interface ReviewState { messages: string[] }
      declare const reviewGraph: CompiledGraph<ReviewState>;
      export async function reviewNode(state: ReviewState, config: LangGraphRunnableConfig): Promise<ReviewState> {
        const input = getCurrentTaskInput<ReviewState>();
        return reviewGraph.invoke({ messages: [...input.messages, ...state.messages] }, { configurable: { ...config.configurable, reviewer: 'qa' } });
      }
    `,
    // a node that destructures its config streams a chat model per prompt (call options extend the run config
    // through an intersection) and forwards every chunk as an event, from inside callbacks of the run
    code`
      ${LANGCHAIN}
      import { dispatchCustomEvent, type ChatModel, type RunnableConfig } from '@langchain/core';
      declare const model: ChatModel;
      export async function designNode(prompts: string[], { configurable }: RunnableConfig = {}): Promise<string[]> {
        return Promise.all(
          prompts.map(async (prompt) => {
            let text = '';
            for await (const chunk of await model.stream(prompt, { configurable, stop: ['END'] })) {
              text += chunk;
              await dispatchCustomEvent('chunk', { chunk });
            }
            return text;
          }),
        );
      }
    `,
    // one config per input of a batch, none with a signal
    code`
      ${LANGCHAIN}
      import type { ChatModel, RunnableConfig } from '@langchain/core';
      declare const model: ChatModel;
      export async function answerAll(questions: string[], config?: RunnableConfig): Promise<string[]> {
        if (config?.signal?.aborted) return [];
        return model.batch(questions, questions.map((question) => ({ tags: ['faq'], metadata: { question } })));
      }
    `,
    // an explicit signal that is the caller's is fine, as anywhere
    code`
      ${LANGCHAIN}
      import type { ChatModel, RunnableConfig } from '@langchain/core';
      declare const model: ChatModel;
      export async function translate(text: string, config: RunnableConfig): Promise<string> {
        return model.invoke(text, { signal: AbortSignal.any([config.signal ?? AbortSignal.timeout(30_000)]), tags: ['translate'] });
      }
    `,
    // a project's own AsyncLocalStorage-backed context, declared with the option
    {
      code: code`
        import { getJson, type RequestContext } from './propagate-abort-signal/request-context.js';
        export async function loadDashboard(userId: string, context: RequestContext): Promise<unknown[]> {
          return [await getJson(\`/users/\${userId}\`), await getJson(\`/users/\${userId}/alerts\`, { requestId: context.requestId })];
        }
      `,
      options: [{ ambientContexts: [requestContext] }],
    },
  ],
  invalid: [
    // a helper of the project's own is not a reader: left out, the signal is lost
    {
      code: ownHelper,
      errors: [
        {
          messageId: 'missingSignalProperty',
          line: 9,
          column: 26,
          suggestions: [{ messageId: 'addSignalProperty', output: ownHelper.replace("{ tags: ['summary'] }", "{ tags: ['summary'], signal: config.signal }") }],
        },
      ],
    },
    // a caller whose signal is a plain AbortSignal: nothing in AsyncLocalStorage holds it
    {
      code: plainSignal,
      errors: [{ messageId: 'missingSignal', line: 5, column: 10, suggestions: [{ messageId: 'passSignal', output: plainSignal.replace('invoke(question)', 'invoke(question, { signal })') }] }],
    },
    // an explicit signal replaces the run's, also through a const
    {
      code: code`
        ${LANGCHAIN}
        import type { ChatModel, RunnableConfig } from '@langchain/core';
        declare const model: ChatModel;
        export async function classify(text: string, config: RunnableConfig): Promise<string[]> {
          const quick = { signal: AbortSignal.timeout(2_000) };
          return [await model.invoke(text, { signal: AbortSignal.timeout(10_000), tags: ['classify'] }), await model.invoke(text, quick)];
        }
      `,
      // no suggestion: `config.signal` is optional, and `AbortSignal.any` takes signals only
      errors: [
        { messageId: 'detachedSignal', line: 5, column: 27, suggestions: [] },
        { messageId: 'detachedSignal', line: 6, column: 46, suggestions: [] },
      ],
    },
    // a function of the package whose options are not a run config reads nothing back
    {
      code: notAConfig,
      errors: [
        {
          messageId: 'missingSignalProperty',
          line: 5,
          column: 66,
          suggestions: [{ messageId: 'addSignalProperty', output: notAConfig.replace("{ encoding: 'utf8' }", "{ encoding: 'utf8', signal: config.signal }") }],
        },
      ],
    },
    // another package's function takes a run config but is not one of the context's readers
    {
      code: otherPackage,
      errors: [
        { messageId: 'missingSignal', line: 5, column: 9, suggestions: [{ messageId: 'passSignal', output: otherPackage.replace("traceSpan('plan')", "traceSpan('plan', { signal: config.signal })") }] },
      ],
    },
    // with no ambient context configured, LangChain's readers are reported like any other call
    {
      options: [{ ambientContexts: [] }],
      code: noContexts,
      errors: [
        {
          messageId: 'missingSignal',
          line: 4,
          column: 9,
          suggestions: [{ messageId: 'passSignal', output: noContexts.replace('{ message })', '{ message }, { signal: config.signal })') }],
        },
      ],
    },
    // a context of the project's own replaces the default: LangChain's readers are reported again, and the project's
    // readers only for a caller handed that context
    {
      options: [{ ambientContexts: [requestContext] }],
      code: ownContextOnly,
      errors: [
        {
          messageId: 'missingSignal',
          line: 5,
          column: 9,
          suggestions: [{ messageId: 'passSignal', output: ownContextOnly.replace('{ userId })', '{ userId }, { signal: config.signal })') }],
        },
        {
          messageId: 'missingSignal',
          line: 6,
          column: 10,
          suggestions: [{ messageId: 'passSignal', output: ownContextOnly.replace('/alerts`)', '/alerts`, { signal: config.signal })') }],
        },
      ],
    },
  ],
});
