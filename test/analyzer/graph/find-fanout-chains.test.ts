import { describe, expect, it } from 'vitest';
import { findFanOutChains } from '../../../analyzer/graph/find-fanout-chains.js';
import { edge, fanOut, fn, labels, spawn } from './graphs.js';

describe('findFanOutChains', () => {
  const caller = fn('src/batch.ts', 3, 'trackAll', { async: false });
  const helper = fn('src/track.ts', 2, 'track', { async: false });
  const send = fn('src/track.ts', 6, 'send');
  const loop = fanOut('src/batch.ts', 5, 'events');
  const sendCall = spawn('src/track.ts', 3, 'send(event)', { owned: 'void', parent: helper.id });
  const request = spawn('src/track.ts', 7, 'fetch(url)', { owned: 'await', parent: send.id });
  const nodes = [caller, helper, send, loop, sendCall, request];
  const edges = [
    edge(caller, 'spawns', loop),
    edge(loop, 'calls', helper),
    edge(helper, 'calls', send),
    edge(helper, 'spawns', sendCall),
    edge(send, 'spawns', request),
  ];

  it('reports an unbounded fan-out that calls a helper which starts async work, at the fan-out', () => {
    const [found, ...rest] = findFanOutChains({ nodes, edges });
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ ruleId: 'no-unbounded-fanout', origin: 'graph', file: 'src/batch.ts', line: 5, column: 5 });
    expect(labels(found!)).toEqual(['for each of events', 'track', 'send(event)']);
    expect(found!.message).toContain('`events`');
  });

  it('follows calls through helpers that start nothing themselves, shortest chain first', () => {
    const outer = fn('src/a.ts', 1, 'outer', { async: false });
    const inner = fn('src/a.ts', 5, 'inner', { async: false });
    const work = spawn('src/a.ts', 6, 'save(x)', { parent: inner.id });
    const each = fanOut('src/main.ts', 2, 'items');
    const found = findFanOutChains({
      nodes: [outer, inner, work, each],
      edges: [edge(each, 'calls', outer), edge(outer, 'calls', inner), edge(inner, 'spawns', work)],
    });
    expect(found.map(labels)).toEqual([['for each of items', 'outer', 'inner', 'save(x)']]);
  });

  it('stays quiet for a bounded fan-out', () => {
    const bounded = { ...loop, multiplicity: { kind: 'bounded', by: 'semaphore' } as const };
    expect(findFanOutChains({ nodes: [caller, helper, send, bounded, sendCall, request], edges })).toEqual([]);
  });

  it('stays quiet when the helper starts its work in an ErrGroup created with a limit', () => {
    const visit = fn('src/crawl.ts', 10, 'visit', { async: false });
    const go = spawn('src/crawl.ts', 11, 'group.go(…)', { parent: visit.id, via: 'group' });
    const group = { kind: 'group', id: 'group:src/crawl.ts:5:17', file: 'src/crawl.ts', line: 5, column: 17, label: 'new ErrGroup({ limit })', limited: true } as const;
    const each = fanOut('src/crawl.ts', 20, 'links');
    const graph = { nodes: [visit, go, group, each], edges: [edge(each, 'calls', visit), edge(visit, 'spawns', go), edge(go, 'uses', group)] };
    expect(findFanOutChains(graph)).toEqual([]);
    // The same group without a limit queues nothing: the chain is reported.
    const unlimited = { ...group, limited: false };
    expect(findFanOutChains({ ...graph, nodes: [visit, go, unlimited, each] }).map(labels)).toEqual([['for each of links', 'visit', 'group.go(…)']]);
  });

  it('stays quiet when the helper acquires a Semaphore permit before its work', () => {
    const semaphore = { kind: 'semaphore', id: 'semaphore:src/track.ts:1:20', file: 'src/track.ts', line: 1, column: 20, label: 'new Semaphore(8)', capacity: 8 } as const;
    expect(findFanOutChains({ nodes: [...nodes, semaphore], edges: [...edges, edge(helper, 'acquires', semaphore)] })).toEqual([]);
  });

  it('stays quiet when the helper reaches no spawn', () => {
    const idle = fn('src/idle.ts', 1, 'idle', { async: false });
    const each = fanOut('src/main.ts', 2, 'items');
    expect(findFanOutChains({ nodes: [idle, each], edges: [edge(each, 'calls', idle)] })).toEqual([]);
  });

  it('leaves a fan-out of direct spawns to the lint rule', () => {
    const direct = spawn('src/batch.ts', 5, 'fetch(url)', { parent: caller.id });
    expect(findFanOutChains({ nodes: [caller, loop, direct], edges: [edge(loop, 'spawns', direct)] })).toEqual([]);
  });

  it('terminates on recursive helpers', () => {
    const a = fn('src/r.ts', 1, 'a', { async: false });
    const b = fn('src/r.ts', 5, 'b', { async: false });
    const each = fanOut('src/main.ts', 2, 'items');
    expect(findFanOutChains({ nodes: [a, b, each], edges: [edge(each, 'calls', a), edge(a, 'calls', b), edge(b, 'calls', a)] })).toEqual([]);
  });
  it('stays quiet when the helper only awaits, returns or collects what it starts, or builds a promise', () => {
    // while (true) { const chunk = await next(); encode(chunk); } where encode returns the encoder's promise
    const encode = fn('src/encode.ts', 1, 'encode', { async: false });
    const each = fanOut('src/stream.ts', 4, 'true');
    for (const owned of ['await', 'return', 'collect'] as const) {
      const inner = spawn('src/encode.ts', 2, 'write(chunk)', { owned, parent: encode.id });
      expect(findFanOutChains({ nodes: [encode, inner, each], edges: [edge(each, 'calls', encode), edge(encode, 'spawns', inner)] })).toEqual([]);
    }
    const deferred = spawn('src/encode.ts', 2, 'new Promise(…)', { via: 'constructor', parent: encode.id });
    expect(findFanOutChains({ nodes: [encode, deferred, each], edges: [edge(each, 'calls', encode), edge(encode, 'spawns', deferred)] })).toEqual([]);
  });

  it('stays quiet when the only task the helper leaves running is a promise already settled', () => {
    // for (const event of events) emit(event); where emit raises `Promise.reject(error)` when nobody listens
    const emit = fn('src/events.ts', 1, 'emit', { async: false });
    const rejected = spawn('src/events.ts', 3, 'Promise.reject(error)', { parent: emit.id, startsWork: false });
    const each = fanOut('src/stream.ts', 8, 'events');
    expect(findFanOutChains({ nodes: [emit, rejected, each], edges: [edge(each, 'calls', emit), edge(emit, 'spawns', rejected)] })).toEqual([]);
  });

  it('stays quiet when the helper reaches work only through a release method', () => {
    // for (const server of servers) closeServer(server); where closeServer calls server.close(), which ends its sockets
    const closeServer = fn('src/topology.ts', 1, 'closeServer', { async: false });
    const close = fn('src/server.ts', 4, 'Server.close', { async: false, releases: true });
    const end = spawn('src/server.ts', 5, 'socket.end()', { parent: close.id });
    const each = fanOut('src/topology.ts', 9, 'servers');
    const graph = { nodes: [closeServer, close, end, each], edges: [edge(each, 'calls', closeServer), edge(closeServer, 'calls', close), edge(close, 'spawns', end)] };
    expect(findFanOutChains(graph)).toEqual([]);
    // The same method, not a release, starts work per element: the chain is reported.
    const open = { ...close, label: 'Server.open', releases: undefined };
    expect(findFanOutChains({ ...graph, nodes: [closeServer, open, end, each] }).map(labels)).toEqual([['for each of servers', 'closeServer', 'Server.open', 'socket.end()']]);
  });

  it('reports what the helper awaits when the per-element call is itself a task nobody owns', () => {
    // for (const file of files) upload(file); where upload awaits put(file)
    const upload = fn('src/upload.ts', 1, 'upload');
    const put = spawn('src/upload.ts', 2, 'put(file)', { owned: 'await', parent: upload.id });
    const each = fanOut('src/main.ts', 3, 'files');
    const site = spawn('src/main.ts', 3, 'upload(file)', { callee: upload.id });
    const graph = {
      nodes: [upload, put, each, site],
      edges: [edge(each, 'calls', upload), edge(each, 'spawns', site), edge(upload, 'spawns', put)],
    };
    expect(findFanOutChains(graph).map(labels)).toEqual([['for each of files', 'upload', 'put(file)']]);
    // …but a promise it only constructs is still no work
    const deferred = spawn('src/upload.ts', 2, 'new Promise(…)', { via: 'constructor', owned: 'return', parent: upload.id });
    expect(findFanOutChains({ ...graph, nodes: [upload, deferred, each, site], edges: [...graph.edges.slice(0, 2), edge(upload, 'spawns', deferred)] })).toEqual([]);
  });
});
