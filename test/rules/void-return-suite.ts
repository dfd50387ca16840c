/**
 * Which of typescript-eslint's `no-misused-promises` cases count for `taskscope/no-floating-task`: the void-return
 * half (`checksVoidReturn`) for arguments and JSX attributes, which is what the rule adopts. Conditionals, spreads,
 * variables, properties, return values and inherited methods are other checks and stay with `no-misused-promises`.
 *
 * - valid: kept unless their options turn the argument/attribute check off (`checksVoidReturn: false`, or an object
 *   with `arguments: false` / `attributes: false`); options of kept cases only tune checks the rule does not have,
 *   so they are dropped.
 * - invalid: kept when at least one expected error is `voidReturnArgument` or `voidReturnAttribute`; only those
 *   errors stay expected. Options are dropped (in kept cases they only restate the default).
 *
 * Run by hand: `node --import tsx test/rules/void-return-suite.ts /tmp/void-return.json`, then
 * `node --import tsx ../shared/peer-suites/typescript-eslint/score.mjs /tmp/void-return.json ./rules/index.ts no-floating-task`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One case of the peer suite, as score.mjs reads it. */
export interface PeerCase {
  code: string;
  options?: unknown[];
  errors?: Array<{ line?: number; messageId: string }>;
  [key: string]: unknown;
}

interface PeerSuite {
  name: string;
  valid: PeerCase[];
  invalid: PeerCase[];
}

/** Where the peer suites live, relative to this repository. */
export const PEER_SUITES = fileURLToPath(new URL('../../../shared/peer-suites/typescript-eslint/', import.meta.url));

const KEPT_ERRORS = new Set(['voidReturnArgument', 'voidReturnAttribute']);

function disablesVoidReturn(options: unknown[] | undefined): boolean {
  return (options ?? []).some((option) => {
    const voidReturn = (option as { checksVoidReturn?: unknown }).checksVoidReturn;
    if (voidReturn === false) return true;
    return typeof voidReturn === 'object' && voidReturn !== null &&
      ((voidReturn as Record<string, unknown>).arguments === false || (voidReturn as Record<string, unknown>).attributes === false);
  });
}

/** The void-return cases of `no-misused-promises.json`, filtered as described above. */
export function voidReturnSuite(): PeerSuite[] {
  const suites = JSON.parse(readFileSync(`${PEER_SUITES}no-misused-promises.json`, 'utf8')) as PeerSuite[];
  return suites.map((suite) => ({
    name: `${suite.name} (void-return arguments and attributes)`,
    valid: suite.valid.filter((c) => !disablesVoidReturn(c.options)).map(({ options: _, ...c }) => c),
    invalid: suite.invalid
      .filter((c) => c.errors?.some((e) => KEPT_ERRORS.has(e.messageId)))
      .map(({ options: _, ...c }) => ({ ...c, errors: c.errors!.filter((e) => KEPT_ERRORS.has(e.messageId)) })),
  }));
}

/** Writes the filtered suite to `path` (score.mjs takes any path containing a `/`). */
export function writeVoidReturnSuite(path: string): string {
  writeFileSync(path, JSON.stringify(voidReturnSuite(), null, 1));
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2];
  if (!path) throw new Error('usage: void-return-suite.ts OUT.json');
  writeVoidReturnSuite(path);
}
