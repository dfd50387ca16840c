import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ambientContextOf, DEFAULT_AMBIENT_CONTEXTS, LANGCHAIN_CONTEXT, readsAmbientContext, type AmbientContext } from '../../rules/facts/ambient.js';
import { callSignalSlot } from '../../rules/facts/signals.js';
import { inMemoryProgram } from './in-memory-program.js';

// The rule tests' LangChain stand-in, and code that uses it.
const LANGCHAIN = readFileSync(new URL('../../fixtures/rules/propagate-abort-signal/langchain.d.ts', import.meta.url), 'utf8');
const { checker, main } = inMemoryProgram(
  {
    '/app/langchain.d.ts': LANGCHAIN,
    '/app/main.ts': `
      /// <reference path="./langchain.d.ts" />
      import { dispatchCustomEvent, loadDocument, type ChatModel, type RunnableConfig } from '@langchain/core';
      import { getCurrentTaskInput, type LangGraphRunnableConfig } from '@langchain/langgraph';
      import { traceSpan } from '@example/tracing';
      interface LookalikeConfig { signal?: AbortSignal; tags?: string[] }
      declare const model: ChatModel;
      declare const config: RunnableConfig;
      declare const maybeConfig: RunnableConfig | undefined;
      declare const graphConfig: LangGraphRunnableConfig;
      declare const partialConfig: Partial<RunnableConfig>;
      declare const tagged: RunnableConfig & { extra: true };
      declare const lookalike: LookalikeConfig;
      declare const either: RunnableConfig | LookalikeConfig;
      declare function constrained<C extends RunnableConfig>(config: C): C;
      declare function summarize(text: string, config?: RunnableConfig): Promise<string>;
      dispatchCustomEvent('saved', {});
      getCurrentTaskInput<string>();
      model.invoke('hi');
      model.batch(['hi'], [{ tags: [] }]);
      loadDocument('/doc');
      traceSpan('plan');
      summarize('text');
    `,
  },
  { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'] },
);

function typeOf(name: string): ts.Type {
  for (const statement of main.statements) {
    if (ts.isVariableStatement(statement)) {
      const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
      if (declaration) return checker.getTypeAtLocation(declaration.name);
    }
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return checker.getTypeAtLocation(statement.parameters[0]!);
  }
  throw new Error(`no declaration named ${name}`);
}

function reads(callee: string, context: AmbientContext = LANGCHAIN_CONTEXT): boolean {
  const call = main.statements
    .filter(ts.isExpressionStatement)
    .map((statement) => statement.expression)
    .find((expression): expression is ts.CallExpression => ts.isCallExpression(expression) && expression.expression.getText() === callee);
  const signature = call && checker.getResolvedSignature(call);
  const slot = signature && callSignalSlot(checker, signature);
  if (!signature || !slot) throw new Error(`no signal slot for ${callee}`);
  return readsAmbientContext(checker, signature, slot, context);
}

describe('ambientContextOf', () => {
  it("finds LangChain's run config, optional or not", () => {
    expect(ambientContextOf(checker, typeOf('config'), DEFAULT_AMBIENT_CONTEXTS)).toBe(LANGCHAIN_CONTEXT);
    expect(ambientContextOf(checker, typeOf('maybeConfig'), DEFAULT_AMBIENT_CONTEXTS)).toBe(LANGCHAIN_CONTEXT);
  });

  it('follows base types, intersections, type parameter constraints and Partial', () => {
    for (const name of ['graphConfig', 'tagged', 'partialConfig', 'constrained']) {
      expect(ambientContextOf(checker, typeOf(name), DEFAULT_AMBIENT_CONTEXTS), name).toBe(LANGCHAIN_CONTEXT);
    }
  });

  it('ignores a structurally equal type declared elsewhere, and a union with one', () => {
    expect(ambientContextOf(checker, typeOf('lookalike'), DEFAULT_AMBIENT_CONTEXTS)).toBeUndefined();
    expect(ambientContextOf(checker, typeOf('either'), DEFAULT_AMBIENT_CONTEXTS)).toBeUndefined();
  });

  it('finds nothing when no context is configured', () => {
    expect(ambientContextOf(checker, typeOf('config'), [])).toBeUndefined();
  });
});

describe('readsAmbientContext', () => {
  it("holds for the package's functions whose signal slot is the run config", () => {
    for (const callee of ['dispatchCustomEvent', 'getCurrentTaskInput', 'model.invoke', 'model.batch']) expect(reads(callee), callee).toBe(true);
  });

  it("does not hold for the package's options that are not a run config, another package, or the project's own helper", () => {
    for (const callee of ['loadDocument', 'traceSpan', 'summarize']) expect(reads(callee), callee).toBe(false);
  });

  it('does not hold when the context lists no readers', () => {
    expect(reads('dispatchCustomEvent', { ...LANGCHAIN_CONTEXT, readers: [] })).toBe(false);
  });
});
