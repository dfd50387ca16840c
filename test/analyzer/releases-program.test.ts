/**
 * Once `analyze()` has returned, its program and type checker are garbage: the CLI collects them before it renders
 * the reports, and a program still reachable then (from a rule's module-level cache holding a type or the checker)
 * raised the 2,000-file bench project's peak from 424 to 548 MB (session 12).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { analyze } from '../../analyzer/index.js';

const DEMO = fileURLToPath(new URL('../../fixtures/demo-app/tsconfig.json', import.meta.url));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A full collection, after the current job: a WeakRef or a cache cleared at its end is collectable only then. */
async function collect(): Promise<number> {
  for (let round = 0; round < 2; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

it('leaves its program and checker to the garbage collector once it has returned', async () => {
  // Measured from before the first run: a cache that holds the last program would hold the warm-up run's too.
  const before = await collect();
  const graph = await analyze({ project: DEMO });
  const retained = (await collect()) - before;
  expect(graph.findings.length).toBeGreaterThan(0);
  // The demo app's program (its files, @types/node, the lib files) and checker hold ~50 MB more than this.
  expect(retained).toBeLessThan(25e6);
}, 60_000);
