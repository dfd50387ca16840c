import { GraphIndex, stepOf, type GraphData } from './graph-index.js';
import type { Finding, SpawnNode } from './types.js';

// Enough call sites to show the pattern in a report; the message gives the full count.
const MAX_SITES_IN_CHAIN = 5;

/**
 * Async functions whose result nobody owns across module boundaries: an exported function that returns a promise,
 * called from other modules, where every one of those calls drops the promise (floating, or `void`). Each call site
 * is the lint rule's finding (or an explicit `void`); together they say the function's failures are never seen by
 * anyone, which only the whole program shows.
 *
 * Reported at the function, with its dropping call sites (up to five) before it in the chain. Calls in the function's
 * own module do not count either way: the question is what its importers do.
 *
 * At least one of those calls must drop the promise silently (a floating call). When every importer writes `void`,
 * each call site records the decision to leave the promise alone, as got's `void request.flush()` on a method that
 * routes its own errors to the stream: the whole program adds nothing the code does not already say.
 *
 * A library's public entry points are not reported for being public: a function with no call in another module of
 * the project (its callers are the library's users) is skipped, since who owns its promise is its callers' business.
 *
 * @example findUnownedExports(graph)[0].chain.at(-1)?.label // 'saveAudit'
 */
export function findUnownedExports(graph: GraphData): Finding[] {
  const index = GraphIndex.of(graph);
  const callers = new Map<string, SpawnNode[]>();
  for (const node of index.nodes) {
    if (node.kind !== 'spawn' || node.callee === undefined) continue;
    const list = callers.get(node.callee);
    if (list) list.push(node);
    else callers.set(node.callee, [node]);
  }
  const findings: Finding[] = [];
  for (const fn of index.nodes) {
    if (fn.kind !== 'function' || !fn.exported) continue;
    const sites = (callers.get(fn.id) ?? []).filter((site) => site.file !== fn.file);
    if (sites.length === 0 || !sites.every((site) => site.owned === undefined || site.owned === 'void')) continue;
    if (sites.every((site) => site.owned === 'void')) continue;
    const modules = new Set(sites.map((site) => site.file)).size;
    findings.push({
      file: fn.file,
      line: fn.line,
      column: fn.column,
      ruleId: 'no-floating-task',
      severity: 'error',
      origin: 'graph',
      message:
        `\`${fn.label}\` returns a promise, but all ${sites.length} of its calls in ${modules === 1 ? 'another module' : `${modules} other modules`} drop it, so its failures are never seen. ` +
        'Await it at the call sites, or hand it to an ErrGroup.' +
        (sites.length > MAX_SITES_IN_CHAIN ? ` The chain lists the first ${MAX_SITES_IN_CHAIN}.` : ''),
      chain: [...sites.slice(0, MAX_SITES_IN_CHAIN).map(stepOf), stepOf(fn)],
    });
  }
  return findings;
}
