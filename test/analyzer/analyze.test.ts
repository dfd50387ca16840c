import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerError } from '../../analyzer/collect/analyzer-error.js';
import { loadProject, type LoadedProject } from '../../analyzer/collect/load-project.js';
import { analyzeLoaded } from '../../analyzer/collect/pipeline.js';
import { analyze, type AnalyzePhase, type Finding, type TaskGraph } from '../../analyzer/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/analyzer/', import.meta.url));
const fixture = (name: string): string => `${FIXTURES}${name}/tsconfig.json`;

/** `file:line:column rule origin` for each finding, the shape the assertions compare. */
const where = (graph: TaskGraph): string[] => graph.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.origin}`);
const chainOf = (finding: Finding | undefined): string[] => finding?.chain.map((step) => step.label) ?? [];

// Each fixture is loaded and analyzed once (about 2 s each: most of it is parsing @types/node); the cases share it.
const graphs = new Map<string, Promise<TaskGraph>>();
const analyzed = (name: string): Promise<TaskGraph> => {
  let graph = graphs.get(name);
  if (!graph) graphs.set(name, (graph = analyze({ project: fixture(name) })));
  return graph;
};

describe('analyze', () => {
  it('reports a floating promise from the lint rule, honouring eslint-disable for taskscope rules only', async () => {
    const graph = await analyzed('floating');
    expect(where(graph)).toEqual(['src/allowed.ts:10:3 no-floating-task lint', 'src/audit.ts:7:3 no-floating-task lint']);
    expect(graph.findings[1]).toMatchObject({ severity: 'error', endLine: 7, message: expect.stringContaining('`saveAudit(...)`') as string });
    expect(graph.root).toBe(`${FIXTURES}floating`);
  });

  it('reports a signal dropped along a call chain, with the chain entry → helper → call', async () => {
    const graph = await analyzed('signal-chain');
    expect(where(graph)).toEqual(['src/pages.ts:3:26 propagate-abort-signal graph']);
    expect(chainOf(graph.findings[0])).toEqual(['handle', 'loadPage', 'fetch(url)']);
  });

  it('reports an unbounded fan-out through a helper, at the caller’s loop, over a collection or a loop’s passes', async () => {
    const graph = await analyzed('fanout-chain');
    expect(where(graph)).toEqual(['src/batch.ts:5:5 no-unbounded-fanout graph', 'src/drain.ts:5:5 no-unbounded-fanout graph']);
    expect(chainOf(graph.findings[0])).toEqual(['for each of events', 'track', 'send(event)']);
    expect(chainOf(graph.findings[1])).toEqual(['each pass while queue.length > 0', 'track', 'send(event)']);
    expect(graph.findings[1]?.message).toMatch(/^Each pass of the loop while `queue\.length > 0` calls `track`/);
    expect(graph.nodes.filter((node) => node.kind === 'fanout').map((node) => node.kind === 'fanout' && node.over)).toEqual([undefined, 'passes']);
    expect(graph.summary).toMatchObject({ fanOuts: 2, unboundedFanOuts: 2 });
  });

  it('reports an exported async function every importer drops, next to the lint finding at the floating call', async () => {
    const graph = await analyzed('unowned-export');
    expect(where(graph)).toEqual(['src/audit.ts:1:1 no-floating-task graph', 'src/routes.ts:4:3 no-floating-task lint']);
    expect(chainOf(graph.findings[0])).toEqual(['saveAudit(`login ${user}`)', 'saveAudit(`logout ${user}`)', 'saveAudit']);
  });

  it('reports a double close from the lint rule', async () => {
    const graph = await analyzed('double-close');
    expect(where(graph)).toEqual(['src/header.ts:11:11 no-double-close lint']);
  });

  it('reports an ignored Result from the lint rule, with taskscope/runtime mapped to the sources', async () => {
    const graph = await analyzed('ignored-result');
    expect(where(graph)).toEqual(['src/config.ts:9:3 no-ignored-result lint']);
  });

  it('finds nothing in bounded code: literals, batches, loops that await each call', async () => {
    const graph = await analyzed('bounded');
    expect(graph.findings).toEqual([]);
    expect(graph.summary).toMatchObject({ fanOuts: 3, unboundedFanOuts: 0 });
  });

  it('reports a file that does not parse as a parse-error finding and still lints the other files', async () => {
    const graph = await analyzed('syntax-error');
    expect(where(graph)).toEqual(['src/broken.ts:2:63 parse-error lint', 'src/ok.ts:6:3 no-floating-task lint']);
    expect(graph.findings[0]!.message).toBe("`src/broken.ts` does not parse: ',' expected. Fix the syntax so the rules and the graph can check this file.");
    expect(graph.summary.files).toBe(2);
  });

  it('builds groups, semaphores, signals and bounded fan-outs from taskscope/runtime', async () => {
    const graph = await analyzed('runtime');
    expect(graph.findings).toEqual([]);
    expect(graph.summary).toMatchObject({ groups: 1, semaphores: 1, signals: 3, fanOuts: 1, unboundedFanOuts: 0, floating: 0 });
    expect(graph.nodes.find((node) => node.kind === 'fanout')).toMatchObject({ multiplicity: { kind: 'bounded', by: 'limit', limit: 8 } });
    expect(graph.edges.map((edge) => edge.kind)).toEqual(expect.arrayContaining(['acquires', 'releases', 'uses', 'signal-flow', 'calls', 'owned-by']));
  });

  it('analyzes only files matching include and not exclude, relative to the tsconfig folder', async () => {
    const graph = await analyze({ project: fixture('unowned-export'), exclude: ['src/routes.ts'] });
    expect(graph.summary.files).toBe(1);
    expect(graph.findings).toEqual([]);
  });

  it('reports progress for each phase, ending each one done', async () => {
    const seen: Array<[number, number, AnalyzePhase]> = [];
    await analyze({ project: fixture('syntax-error'), onProgress: (done, total, phase) => seen.push([done, total, phase]) });
    const phases = [...new Set(seen.map(([, , phase]) => phase))];
    expect(phases).toEqual(['load', 'lint', 'collect', 'graph']);
    for (const phase of phases) {
      const last = seen.filter(([, , p]) => p === phase).at(-1)!;
      expect(last[0]).toBe(last[1]);
    }
  });
});

describe('analyzeLoaded', () => {
  let project: LoadedProject;
  beforeAll(() => {
    project = loadProject({ project: fixture('unowned-export') });
  });

  it('applies a rule’s setting to its lint and graph findings alike', async () => {
    const graph = await analyzeLoaded(project, { rules: { 'taskscope/no-floating-task': 'warn' } });
    expect(graph.findings.map((f) => `${f.origin} ${f.severity}`)).toEqual(['graph warning', 'lint warning']);
    expect(graph.summary.findings).toEqual({ error: 0, warning: 2 });
  });

  it('drops lint and graph findings of a rule that is off', async () => {
    const graph = await analyzeLoaded(project, { rules: { 'no-floating-task': 'off' } });
    expect(graph.findings).toEqual([]);
  });
});

describe('AnalyzerError', () => {
  const rejection = async (promise: Promise<unknown>): Promise<AnalyzerError> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AnalyzerError);
    return error as AnalyzerError;
  };

  it('names a missing tsconfig', async () => {
    const error = await rejection(analyze({ project: `${FIXTURES}nowhere/tsconfig.json` }));
    expect(error.reason).toBe(`${FIXTURES}nowhere/tsconfig.json does not exist.`);
    expect(error.hint).toContain('--project');
  });

  it('names a tsconfig that is not valid JSON, with its line', async () => {
    const error = await rejection(analyze({ project: fixture('invalid-tsconfig') }));
    expect(error.reason).toMatch(/invalid-tsconfig\/tsconfig\.json:\d+:\d+ is not valid JSON: /);
    // TypeScript's message ends in a period of its own: the reason must not end in two.
    expect(error.reason).toMatch(/[^.]\.$/);
  });

  it('names a tsconfig that matches no files', async () => {
    const error = await rejection(analyze({ project: fixture('no-files') }));
    expect(error.reason).toBe(`${fixture('no-files')} matches no source files.`);
  });

  it('names globs that leave nothing to analyze', async () => {
    const error = await rejection(analyze({ project: fixture('floating'), include: ['lib/**'] }));
    expect(error.message).toContain('Nothing to analyze.');
    expect(error.reason).toContain('["lib/**"]');
  });

  it('names an unknown rule before loading anything', async () => {
    const error = await rejection(analyze({ project: `${FIXTURES}nowhere`, rules: { 'no-such-rule': 'error' } }));
    expect(error.reason).toBe('`no-such-rule` is not a taskscope rule.');
  });

  it('takes a folder for the project and finds its tsconfig.json', async () => {
    const error = await rejection(analyze({ project: `${FIXTURES}no-files` }));
    expect(error.reason).toContain('matches no source files');
  });
});
