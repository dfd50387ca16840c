import { describe, expect, it } from 'vitest';
import { findDroppedSignals } from '../../../analyzer/graph/find-dropped-signals.js';
import { edge, fn, labels, spawn } from './graphs.js';

describe('findDroppedSignals', () => {
  const entry = fn('src/handler.ts', 4, 'handle', { hasSignal: true });
  const helper = fn('src/pages.ts', 2, 'loadPage');
  const request = spawn('src/pages.ts', 3, 'fetch(url)', { signal: 'missing', parent: helper.id });

  it('reports a signal-accepting call without a signal in a helper reached from an entry that has one', () => {
    const [found, ...rest] = findDroppedSignals({ nodes: [entry, helper, request], edges: [edge(entry, 'calls', helper), edge(helper, 'spawns', request)] });
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ ruleId: 'propagate-abort-signal', origin: 'graph', file: 'src/pages.ts', line: 3, column: 3 });
    expect(labels(found!)).toEqual(['handle', 'loadPage', 'fetch(url)']);
    expect(found!.message).toContain('`handle`');
  });

  it('follows a chain of signal-less helpers across modules', () => {
    const middle = fn('src/middle.ts', 1, 'render');
    const found = findDroppedSignals({
      nodes: [entry, middle, helper, request],
      edges: [edge(entry, 'calls', middle), edge(middle, 'calls', helper), edge(helper, 'spawns', request)],
    });
    expect(found.map(labels)).toEqual([['handle', 'render', 'loadPage', 'fetch(url)']]);
  });

  it('stops at a helper that has a signal of its own', () => {
    const own = { ...helper, hasSignal: true };
    expect(findDroppedSignals({ nodes: [entry, own, request], edges: [edge(entry, 'calls', own), edge(own, 'spawns', request)] })).toEqual([]);
  });

  it('stops at a method of a class that wires a signal by hand', () => {
    // handle(signal) → request.finish(); class Request listens for the abort and destroys itself and its stream
    const finish = fn('src/request.ts', 9, 'Request.finish', { wiredSignal: true });
    const read = spawn('src/request.ts', 10, 'stream.toArray()', { signal: 'missing', parent: finish.id });
    const graph = { nodes: [entry, finish, read], edges: [edge(entry, 'calls', finish), edge(finish, 'spawns', read)] };
    expect(findDroppedSignals(graph)).toEqual([]);
    // A class that does not listen for the abort: the read runs on after it, and is reported.
    const plain = { ...finish, wiredSignal: undefined };
    expect(findDroppedSignals({ ...graph, nodes: [entry, plain, read] }).map(labels)).toEqual([['handle', 'Request.finish', 'stream.toArray()']]);
  });

  it('stays quiet for calls that pass a signal or cannot take one', () => {
    const passed = { ...request, signal: 'passed' as const };
    const unable = spawn('src/pages.ts', 4, 'response.text()', { parent: helper.id });
    const graph = { nodes: [entry, helper, passed, unable], edges: [edge(entry, 'calls', helper), edge(helper, 'spawns', passed), edge(helper, 'spawns', unable)] };
    expect(findDroppedSignals(graph)).toEqual([]);
  });

  it('stays quiet when no entry has a signal', () => {
    const plain = { ...entry, hasSignal: false };
    expect(findDroppedSignals({ nodes: [plain, helper, request], edges: [edge(plain, 'calls', helper), edge(helper, 'spawns', request)] })).toEqual([]);
  });

  it('reports each call once, with the chain from the first entry in id order', () => {
    const other = fn('src/admin.ts', 1, 'adminHandle', { hasSignal: true });
    const found = findDroppedSignals({
      nodes: [entry, other, helper, request],
      edges: [edge(entry, 'calls', helper), edge(other, 'calls', helper), edge(helper, 'spawns', request)],
    });
    expect(found.map(labels)).toEqual([['adminHandle', 'loadPage', 'fetch(url)']]);
  });

  describe('with an ambient context', () => {
    // a graph node handed a RunnableConfig → streamReply() → dispatchCustomEvent(…), a reader of the run's config
    const node = fn('src/nodes.ts', 3, 'answerNode', { hasSignal: true, ambient: 'RunnableConfig' });
    const stream = fn('src/stream.ts', 1, 'streamReply');
    const dispatch = spawn('src/stream.ts', 2, 'dispatchCustomEvent(…)', { signal: 'missing', ambient: 'RunnableConfig', parent: stream.id });
    const download = spawn('src/stream.ts', 3, 'fetch(url)', { signal: 'missing', parent: stream.id });
    const nodes = [node, stream, dispatch, download];
    const edges = [edge(node, 'calls', stream), edge(stream, 'spawns', dispatch), edge(stream, 'spawns', download)];

    it("does not report a reader of the entry's context, and still reports other calls", () => {
      expect(findDroppedSignals({ nodes, edges }).map(labels)).toEqual([['answerNode', 'streamReply', 'fetch(url)']]);
    });

    it('reports a reader of another context, or reached from an entry with a plain signal', () => {
      const otherContext = { ...dispatch, ambient: 'RequestContext' };
      expect(findDroppedSignals({ nodes: [node, stream, otherContext], edges: [edge(node, 'calls', stream), edge(stream, 'spawns', otherContext)] }).map(labels)).toEqual([
        ['answerNode', 'streamReply', 'dispatchCustomEvent(…)'],
      ]);
      // a route handler with an AbortSignal calls the same helper: nothing in AsyncLocalStorage holds its signal
      const route = fn('src/routes.ts', 8, 'postAnswer', { hasSignal: true });
      const found = findDroppedSignals({ nodes: [...nodes, route], edges: [...edges, edge(route, 'calls', stream)] });
      expect(found.map(labels).sort()).toEqual([
        ['answerNode', 'streamReply', 'fetch(url)'],
        ['postAnswer', 'streamReply', 'dispatchCustomEvent(…)'],
      ]);
    });
  });
});
