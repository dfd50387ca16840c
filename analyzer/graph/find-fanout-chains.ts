import { GraphIndex, stepOf, type GraphData } from './graph-index.js';
import type { Finding, FunctionNode, Ownership, SpawnNode } from './types.js';

/**
 * Ownerships that keep a task inside the function that started it: awaited there, returned to its caller, or collected
 * and awaited together. Such a task ends before (or with) that function's own promise, so whether it overlaps with its
 * siblings is decided where that promise is handled, which the lint rules see.
 */
const CONTAINED: ReadonlySet<Ownership> = new Set(['await', 'return', 'collect']);

/**
 * Unbounded fan-outs that only a whole-program view sees: a per-element call, over an input whose size the code does
 * not bound, to a helper that starts async work itself or through the functions it calls. The lint rule sees
 * `Promise.all(files.map(upload))` when `upload` returns a promise; it cannot see `files.forEach(track)` when `track`
 * returns nothing and starts `save(file)` inside, or the same two modules away.
 *
 * Each finding is reported at the per-element call (where a bound belongs), with the chain
 * caller's fan-out → helper → … → the first spawn found, breadth first, so the shortest explanation wins.
 *
 * Only a task that outlives the helper call counts (see {@link escapes}): one the helper leaves running (floating,
 * `void`, a handler chained on it, stored or passed on). A task the helper awaits, returns or collects is bounded by
 * how the per-element call itself is handled: awaited in a loop, the calls run one at a time (the real-world corpus:
 * a `while (true)` loop over a stream that awaits each chunk and calls an encoder that returns promises). When the
 * per-element call is itself a task nobody owns, everything the helper starts runs on with it, and any spawn counts.
 * `new Promise(…)` is never the work, in either case: it starts nothing of its own (a deferred), and what its executor
 * calls are spawns of their own. Nor is `Promise.reject(error)` or `Promise.resolve(x)` (`startsWork: false`).
 *
 * @example findFanOutChains(graph)[0].chain.map((step) => step.label) // ['for each of files', 'track', 'save(file)']
 */
export function findFanOutChains(graph: GraphData): Finding[] {
  const index = GraphIndex.of(graph);
  const findings: Finding[] = [];
  for (const fanOut of index.nodes) {
    if (fanOut.kind !== 'fanout' || fanOut.multiplicity.kind !== 'unbounded') continue;
    // for (const e of events) track(e) where track(e) is itself a task nobody owns: what it starts runs on with it
    const siteEscapes = index.out(fanOut.id, 'spawns').some((id) => {
      const site = index.node(id);
      return site?.kind === 'spawn' && escapes(site);
    });
    for (const helperId of index.out(fanOut.id, 'calls')) {
      const helper = index.node(helperId);
      if (helper?.kind !== 'function') continue;
      const path = pathToSpawn(index, helper, siteEscapes);
      if (!path) continue;
      const spawn = path.spawn;
      const through = path.functions.map((fn) => `\`${fn.label}\``).join(' → ');
      findings.push({
        file: fanOut.file,
        line: fanOut.line,
        column: fanOut.column,
        ruleId: 'no-unbounded-fanout',
        severity: 'error',
        origin: 'graph',
        message:
          (fanOut.over === 'passes'
            ? `Each pass of the loop while \`${fanOut.input}\` calls ${through}, which starts \`${spawn.label}\`, so the number of tasks running at once grows with the passes. `
            : `Each element of \`${fanOut.input}\` calls ${through}, which starts \`${spawn.label}\`, so the number of tasks running at once grows with the input. `) +
          'Run the calls in `new ErrGroup({ limit })` or behind a `Semaphore`.',
        chain: [stepOf(fanOut), ...path.functions.map(stepOf), stepOf(spawn)],
      });
      break;
    }
  }
  return findings;
}

/**
 * Whether a task outlives the function that started it: nobody owns it, or it is `void`ed, has a handler chained on
 * it, is stored, passed on or run in an ErrGroup.
 */
function escapes(spawn: SpawnNode): boolean {
  return spawn.owned === undefined || !CONTAINED.has(spawn.owned);
}

/**
 * The shortest call path from `start` to a function that spawns without a bound, and that spawn (the first by id).
 * Bounded, so not followed: a spawn into an ErrGroup created with a `limit` (the group queues what is past it), a
 * function that acquires a Semaphore permit (everything it starts runs under the permit), and a release method
 * (`Server.close`, `Connection.destroy`: what it starts is the teardown of what its object holds, see `releases`). Unless `anySpawn`, only a
 * spawn that {@link escapes} its function counts.
 */
function pathToSpawn(index: GraphIndex, start: FunctionNode, anySpawn: boolean): { functions: FunctionNode[]; spawn: SpawnNode } | undefined {
  const previous = new Map<string, FunctionNode | undefined>([[start.id, undefined]]);
  const queue: FunctionNode[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const next = queue[head]!;
    if (index.out(next.id, 'acquires').length > 0 || next.releases) continue;
    const spawn = index.spawnsOf(next.id).find((candidate) => !inLimitedGroup(index, candidate) && candidate.via !== 'constructor' && candidate.startsWork !== false && (anySpawn || escapes(candidate)));
    if (spawn) {
      const functions: FunctionNode[] = [];
      for (let at: FunctionNode | undefined = next; at; at = previous.get(at.id)) functions.unshift(at);
      return { functions, spawn };
    }
    for (const callee of index.callees(next.id)) {
      if (previous.has(callee.id)) continue;
      previous.set(callee.id, next);
      queue.push(callee);
    }
  }
  return undefined;
}

/** Whether a spawn is `group.go(…)` on an ErrGroup created with a `limit`. */
function inLimitedGroup(index: GraphIndex, spawn: SpawnNode): boolean {
  return index.out(spawn.id, 'uses').some((id) => {
    const group = index.node(id);
    return group?.kind === 'group' && group.limited;
  });
}
