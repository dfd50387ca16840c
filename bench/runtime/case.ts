/**
 * Child-process entry: measures one case in a fresh V8 isolate and prints one JSON line on stdout. Started by
 * `bench/runtime.ts` with `--expose-gc`; a fresh process per case keeps one contender's garbage, heap growth and
 * JIT feedback from leaking into the next contender's figures.
 *
 * Protocol: argv[2] is the case spec as JSON; stdout's last line is `{ "ok": true, "sizes": [...] }` or
 * `{ "ok": false, "error": "..." }` (exit code 1). Nothing else is written to stdout.
 */
import { BenchCheckError, parseCaseSpec, runCase } from './measure.js';

const json = process.argv[2];
if (json === undefined) throw new Error('bench: case.ts expects a case spec as JSON in argv[2].');

const gc = globalThis.gc;

try {
  const { sizes } = await runCase(parseCaseSpec(json), gc && ((): void => void gc()));
  process.stdout.write(`${JSON.stringify({ ok: true, sizes })}\n`);
} catch (error) {
  const message = error instanceof BenchCheckError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
  process.exitCode = 1;
}
