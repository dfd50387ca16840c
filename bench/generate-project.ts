/**
 * A deterministic generator of a synthetic async-heavy TypeScript project, for the lint bench (issue 3) and the
 * analyzer bench (issue 4): N files of about 20 lines each, every file with its own fetcher and one to three
 * functions that call fetchers of earlier files (with and without an AbortSignal, through ErrGroups, Semaphores,
 * `Promise.all` over maps and slices, Results), and a sprinkling of the defects the five rules look for, each
 * planted at a known place.
 *
 * The project is self-contained, so it can live in a temp dir: `taskscope/runtime` resolves to a declaration stub
 * at `node_modules/taskscope/runtime.d.ts`, where an installed taskscope lives, so the rules and the analyzer
 * recognise its classes as they would in a user's project (they recognise the primitives by where they are
 * declared). Rejected: a tsconfig `paths` entry to this repository's `runtime/index.ts`, which would tie the
 * generated project to this checkout and type-check the runtime's sources as part of every bench run. Globals
 * (`fetch`, `Request`, `AbortSignal`) come from the DOM lib, so no `@types/node` is needed either.
 *
 * Same options, same files, byte for byte: all randomness comes from one seeded PRNG.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The rules a planted defect is meant for. */
export type DefectRule = 'no-floating-task' | 'propagate-abort-signal' | 'no-double-close' | 'no-unbounded-fanout' | 'no-ignored-result';

/** Every rule a defect is planted for, in planting order. */
export const DEFECT_RULES: readonly DefectRule[] = [
  'no-double-close',
  'no-unbounded-fanout',
  'no-ignored-result',
  'no-floating-task',
  'propagate-abort-signal',
];

/** What to generate. */
export interface GenerateOptions {
  /**
   * How many source files under `src/`.
   * @default 1000
   */
  files?: number;
  /**
   * Seed of the PRNG that picks templates, call targets and defects.
   * @default 1
   */
  seed?: number;
  /**
   * For each rule, the share of the functions that could hold its defect that get it (at least one each when such a
   * function exists). About 8% of all functions end up with a defect.
   * @default 0.1
   */
  defectRate?: number;
}

/** A defect the generator planted on purpose. */
export interface PlantedDefect {
  readonly rule: DefectRule;
  /** Relative POSIX path from the project root. */
  readonly file: string;
  /** 1-based line of the defective statement. */
  readonly line: number;
  /** 1-based first and last line of the function that holds it: a report of `rule` in here counts as found. */
  readonly scope: readonly [start: number, end: number];
}

/** What {@link generateProject} wrote. */
export interface GeneratedProject {
  /** Absolute path of the project root. */
  readonly root: string;
  /** Absolute path of its `tsconfig.json`. */
  readonly tsconfig: string;
  /** Relative POSIX paths of the source files, in generation order (a file imports only from earlier ones). */
  readonly files: readonly string[];
  /** Lines in the source files, the stub and configs excluded. */
  readonly lines: number;
  readonly planted: readonly PlantedDefect[];
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; `Math.random` cannot be seeded. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = [
  { dir: 'billing', noun: 'Invoice', path: 'invoices' },
  { dir: 'catalog', noun: 'Product', path: 'products' },
  { dir: 'orders', noun: 'Order', path: 'orders' },
  { dir: 'users', noun: 'User', path: 'users' },
  { dir: 'search', noun: 'Hit', path: 'search' },
  { dir: 'media', noun: 'Asset', path: 'assets' },
  { dir: 'audit', noun: 'Entry', path: 'audit' },
  { dir: 'shipping', noun: 'Parcel', path: 'parcels' },
] as const;

type RuntimeName = 'ErrGroup' | 'Semaphore' | 'ok' | 'err' | 'Result';

/** What a template sees: the file it goes in, the fetchers it may call, and the defect to plant, if any. */
interface Site {
  /** `Order12`, or `Order12b` for the file's second site: unique across the project. */
  readonly name: string;
  /** The file's own type and path segment. */
  readonly type: string;
  readonly path: string;
  /** The file's semaphore. */
  readonly slots: string;
  /** Two fetchers to call (the same one twice when only one is at hand). */
  readonly calls: readonly [string, string];
  readonly defect: DefectRule | undefined;
  /** Picks among a defect's variants. */
  readonly pick: number;
}

interface Emitted {
  readonly lines: readonly string[];
  /** Index in `lines` of the defective statement. */
  readonly defectAt?: number;
  readonly runtime: readonly RuntimeName[];
  /** Module-level declarations the function needs (the file's semaphore). */
  readonly preamble?: string;
}

interface Template {
  readonly id: string;
  readonly defects: readonly DefectRule[];
  emit(site: Site): Emitted;
}

/** Inserts `line` before index `at` and reports it as the defect. */
function withDefect(lines: string[], at: number, line: string): { lines: string[]; defectAt: number } {
  return { lines: [...lines.slice(0, at), line, ...lines.slice(at)], defectAt: at };
}

const TEMPLATES: readonly Template[] = [
  {
    // Two awaited calls in sequence; the defect drops the signal or leaves a prefetch floating.
    id: 'sequence',
    defects: ['propagate-abort-signal', 'no-floating-task'],
    emit: ({ name, calls: [a, b], defect, pick }) => {
      const lines = [
        `export async function load${name}Details(id: string, signal: AbortSignal): Promise<number> {`,
        `  const first = await ${a}(id, signal);`,
        defect === 'propagate-abort-signal' ? `  const second = await ${b}(first.id);` : `  const second = await ${b}(first.id, signal);`,
        '  return first.version + second.version;',
        '}',
      ];
      if (defect === 'no-floating-task') {
        const floating = pick < 0.5 ? `  ${b}(id, signal);` : `  ${b}(id, signal).finally(() => console.debug('prefetched', id));`;
        return { ...withDefect(lines, 2, floating), runtime: [] };
      }
      return { lines, runtime: [], ...(defect ? { defectAt: 2 } : {}) };
    },
  },
  {
    // An ErrGroup over a caller's list; without `limit` it starts one task per id at once.
    id: 'group',
    defects: ['no-unbounded-fanout'],
    emit: ({ name, calls: [a], defect }) => ({
      lines: [
        `export async function sync${name}(ids: readonly string[], signal: AbortSignal): Promise<void> {`,
        defect ? '  const group = new ErrGroup({ signal });' : `  const group = new ErrGroup({ signal, limit: 8, name: 'sync${name}' });`,
        '  for (const id of ids) {',
        `    group.go((taskSignal) => ${a}(id, taskSignal));`,
        '  }',
        '  await group.wait();',
        '}',
      ],
      runtime: ['ErrGroup'],
      ...(defect ? { defectAt: 3 } : {}),
    }),
  },
  {
    // goEach: the bounded producer loop. Never a defect.
    id: 'each',
    defects: [],
    emit: ({ name, calls: [a] }) => ({
      lines: [
        `export async function refresh${name}(ids: readonly string[], signal: AbortSignal): Promise<void> {`,
        '  const group = new ErrGroup({ signal, limit: 4 });',
        `  await group.goEach(ids, (id, taskSignal) => ${a}(id, taskSignal));`,
        '  await group.wait();',
        '}',
      ],
      runtime: ['ErrGroup'],
    }),
  },
  {
    // A permit around a PUT; the defects release it twice or leave the PUT's options without the signal.
    id: 'save',
    defects: ['no-double-close', 'propagate-abort-signal'],
    emit: ({ name, type, path, slots, defect }) => {
      const lines = [
        `export async function save${name}(item: ${type}, signal: AbortSignal): Promise<void> {`,
        `  const permit = await ${slots}.acquire(1, { signal });`,
        '  try {',
        defect === 'propagate-abort-signal'
          ? `    const response = await fetch(\`\${API}/${path}/\${item.id}\`, { method: 'PUT', body: JSON.stringify(item) });`
          : `    const response = await fetch(\`\${API}/${path}/\${item.id}\`, { method: 'PUT', body: JSON.stringify(item), signal });`,
        `    if (!response.ok) throw new Error(\`save${name} \${item.id}: HTTP \${response.status}\`);`,
        '  } finally {',
        '    permit.release();',
        '  }',
        '}',
      ];
      const preamble = `const ${slots} = new Semaphore(4, { name: '${path}' });`;
      if (defect === 'no-double-close') {
        const doubled = withDefect(lines, 5, '    permit.release();');
        // The second release on the path is the one in `finally`.
        return { lines: doubled.lines, defectAt: 7, runtime: ['Semaphore'], preamble };
      }
      return { lines, runtime: ['Semaphore'], preamble, ...(defect ? { defectAt: 3 } : {}) };
    },
  },
  {
    // Pages of 16 through Promise.all; the defect maps the whole list at once.
    id: 'batch',
    defects: ['no-unbounded-fanout'],
    emit: ({ name, calls: [a], defect }) =>
      defect
        ? {
            lines: [
              `export async function loadMany${name}(ids: readonly string[], signal: AbortSignal): Promise<number> {`,
              `  const all = await Promise.all(ids.map((id) => ${a}(id, signal)));`,
              '  return all.length;',
              '}',
            ],
            defectAt: 1,
            runtime: [],
          }
        : {
            lines: [
              `export async function loadMany${name}(ids: readonly string[], signal: AbortSignal): Promise<number> {`,
              '  let loaded = 0;',
              '  for (let start = 0; start < ids.length; start += 16) {',
              `    const page = await Promise.all(ids.slice(start, start + 16).map((id) => ${a}(id, signal)));`,
              '    loaded += page.length;',
              '  }',
              '  return loaded;',
              '}',
            ],
            runtime: [],
          },
  },
  {
    // A fan-out bounded by the file's semaphore; the defect releases the permit in `catch` and in `finally`.
    id: 'mirror',
    defects: ['no-double-close'],
    emit: ({ name, slots, path, calls: [a], defect }) => {
      const lines = [
        `export async function mirror${name}(ids: readonly string[], signal: AbortSignal): Promise<number> {`,
        '  const copies = await Promise.all(',
        '    ids.map(async (id) => {',
        `      const permit = await ${slots}.acquire(1, { signal });`,
        '      try {',
        `        return await ${a}(id, signal);`,
        '      } finally {',
        '        permit.release();',
        '      }',
        '    }),',
        '  );',
        '  return copies.length;',
        '}',
      ];
      const preamble = `const ${slots} = new Semaphore(4, { name: '${path}' });`;
      if (!defect) return { lines, runtime: ['Semaphore'], preamble };
      const doubled = [...lines.slice(0, 6), '      } catch (error) {', '        permit.release();', '        throw error;', ...lines.slice(6)];
      return { lines: doubled, defectAt: 10, runtime: ['Semaphore'], preamble };
    },
  },
  {
    // A parser returning a Result and a caller that looks at it; the defect calls it for its side effect only.
    id: 'result',
    defects: ['no-ignored-result'],
    emit: ({ name, type, defect }) => ({
      lines: [
        `export function parse${name}(text: string): Result<${type}, string> {`,
        '  const value: unknown = JSON.parse(text);',
        `  if (typeof value !== 'object' || value === null || !('id' in value)) return err(\`parse${name}: no id in \${text.slice(0, 40)}\`);`,
        `  return ok(value as ${type});`,
        '}',
        '',
        `export function count${name}(texts: readonly string[]): number {`,
        '  let valid = 0;',
        '  for (const text of texts) {',
        defect ? `    parse${name}(text);` : `    if (parse${name}(text).isOk()) valid += 1;`,
        '  }',
        '  return valid;',
        '}',
      ],
      runtime: ['ok', 'err', 'Result'],
      ...(defect ? { defectAt: 9 } : {}),
    }),
  },
  {
    // A request handler: the request carries the signal; the defect does not pass it on.
    id: 'handle',
    defects: ['propagate-abort-signal'],
    emit: ({ name, calls: [a], defect }) => ({
      lines: [
        `export async function handle${name}(request: Request): Promise<Response> {`,
        "  const id = new URL(request.url).searchParams.get('id') ?? '';",
        defect ? `  const found = await ${a}(id);` : `  const found = await ${a}(id, request.signal);`,
        '  return Response.json(found);',
        '}',
      ],
      runtime: [],
      ...(defect ? { defectAt: 2 } : {}),
    }),
  },
  {
    // No signal in scope, so a fetch with its own timeout is right. Never a defect.
    id: 'ping',
    defects: [],
    emit: ({ name, path }) => ({
      lines: [
        `export async function ping${name}(): Promise<boolean> {`,
        `  const response = await fetch(\`\${API}/${path}/health\`, { signal: AbortSignal.timeout(2_000) });`,
        '  return response.ok;',
        '}',
      ],
      runtime: [],
    }),
  },
  {
    // Two calls at once over a tuple; the defect adds a recheck whose rejection nobody handles.
    id: 'compare',
    defects: ['no-floating-task'],
    emit: ({ name, calls: [a, b], defect }) => {
      const lines = [
        `export async function compare${name}(id: string, signal: AbortSignal): Promise<boolean> {`,
        `  const [left, right] = await Promise.all([${a}(id, signal), ${b}(id, signal)]);`,
        '  return left.version === right.version;',
        '}',
      ];
      if (!defect) return { lines, runtime: [] };
      return { ...withDefect(lines, 2, `  ${a}(left.id, signal).then((again) => console.debug('recheck', again.version));`), runtime: [] };
    },
  },
];

/** One function to emit: its template, its targets and, once planted, its defect. */
interface PlannedSite {
  readonly file: number;
  readonly template: Template;
  readonly calls: readonly [number, number];
  readonly pick: number;
  defect?: DefectRule;
}

/** `[0, n)` in a random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A file that `file` calls into: mostly a recent one, sometimes any earlier one, itself when it is the first. */
function callTarget(file: number, random: () => number): number {
  if (file === 0) return 0;
  if (random() < 0.1) return Math.floor(random() * file);
  return file - 1 - Math.floor(random() ** 2 * Math.min(file, 60));
}

function plan(files: number, defectRate: number, random: () => number): PlannedSite[] {
  const sites: PlannedSite[] = [];
  // Templates come out of a shuffled bag of all of them, so any ten consecutive sites use every template once:
  // even a 10-file project has every kind of code and every kind of defect.
  let bag: Template[] = [];
  for (let file = 0; file < files; file++) {
    const roll = random();
    const count = roll < 0.75 ? 1 : roll < 0.97 ? 2 : 3;
    for (let k = 0; k < count; k++) {
      if (bag.length === 0) bag = shuffled(TEMPLATES, random);
      sites.push({ file, template: bag.pop()!, calls: [callTarget(file, random), callTarget(file, random)], pick: random() });
    }
  }
  for (const rule of DEFECT_RULES) {
    const eligible = sites.filter((site) => site.defect === undefined && site.template.defects.includes(rule));
    const count = eligible.length === 0 ? 0 : Math.max(1, Math.round(defectRate * eligible.length));
    for (const site of shuffled(eligible, random).slice(0, count)) site.defect = rule;
  }
  return sites;
}

const fileOf = (index: number): { path: string; type: string; area: (typeof AREAS)[number] } => {
  const area = AREAS[index % AREAS.length]!;
  return { path: `src/${area.dir}/${area.noun.toLowerCase()}-${index}.ts`, type: `${area.noun}${index}`, area };
};

/** The relative import specifier from one generated file to another, with the `.js` suffix NodeNext wants. */
function specifier(from: string, to: string): string {
  const relative = posix.relative(posix.dirname(from), to).replace(/\.ts$/, '.js');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function emitFile(index: number, sites: readonly PlannedSite[]): { text: string; planted: PlantedDefect[] } {
  const { path, type, area } = fileOf(index);
  const slots = `${area.path}${index}Slots`;
  const imports = new Map<string, Set<string>>();
  const runtime = new Set<RuntimeName>();
  const preambles = new Set<string>();
  const bodies: { emitted: Emitted; defect: DefectRule | undefined }[] = [];
  sites.forEach((planned, k) => {
    const calls = planned.calls.map((target) => `fetch${fileOf(target).type}`) as [string, string];
    const name = `${type}${k === 0 ? '' : String.fromCharCode(97 + k)}`;
    const emitted = planned.template.emit({ name, type, path: area.path, slots, calls, defect: planned.defect, pick: planned.pick });
    // Import only what the function calls: some templates call one fetcher or none.
    const code = emitted.lines.join('\n');
    for (const target of planned.calls) {
      const callee = fileOf(target);
      if (target !== index && code.includes(`fetch${callee.type}(`)) imports.set(callee.path, (imports.get(callee.path) ?? new Set()).add(`fetch${callee.type}`));
    }
    emitted.runtime.forEach((value) => runtime.add(value));
    if (emitted.preamble) preambles.add(emitted.preamble);
    bodies.push({ emitted, defect: planned.defect });
  });

  const lines: string[] = [];
  if (runtime.size > 0) {
    const names = [...runtime].sort().map((value) => (value === 'Result' ? 'type Result' : value));
    lines.push(`import { ${names.join(', ')} } from 'taskscope/runtime';`);
  }
  for (const [from, names] of [...imports].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`import { ${[...names].sort().join(', ')} } from '${specifier(path, from)}';`);
  }
  if (lines.length > 0) lines.push('');
  lines.push("const API = 'https://api.example.test/v1';", ...preambles, '');
  lines.push(`export interface ${type} { readonly id: string; readonly version: number }`, '');
  lines.push(
    `export async function fetch${type}(id: string, signal?: AbortSignal): Promise<${type}> {`,
    `  const response = await fetch(\`\${API}/${area.path}/\${id}\`, { signal });`,
    `  return (await response.json()) as ${type};`,
    '}',
  );
  const planted: PlantedDefect[] = [];
  for (const { emitted, defect } of bodies) {
    lines.push('');
    const start = lines.length + 1;
    lines.push(...emitted.lines);
    if (defect && emitted.defectAt !== undefined) planted.push({ rule: defect, file: path, line: start + emitted.defectAt, scope: [start, lines.length] });
  }
  return { text: `${lines.join('\n')}\n`, planted };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023', 'DOM', 'DOM.Iterable', 'ESNext.Disposable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src'],
};

/** The public shapes of taskscope/runtime's classes, enough for the checker to see what the real package declares. */
const RUNTIME_STUB = `// Declarations of taskscope/runtime's public classes, written by taskscope's bench/generate-project.ts.
export type GroupTask = (signal: AbortSignal) => unknown;
export interface ErrGroupOptions { signal?: AbortSignal; limit?: number; name?: string }
export interface GoOptions { name?: string }
export interface GoEachOptions<T> { name?: (item: T, index: number) => string }
export declare class ErrGroup {
  readonly name: string | undefined;
  readonly limit: number;
  readonly signal: AbortSignal;
  constructor(options?: ErrGroupOptions);
  get errors(): readonly unknown[];
  go(task: GroupTask, options?: GoOptions): void;
  goBlocking(task: GroupTask, options?: GoOptions): Promise<void>;
  goEach<T>(items: Iterable<T> | AsyncIterable<T>, task: (item: T, signal: AbortSignal, index: number) => unknown, options?: GoEachOptions<T>): Promise<void>;
  tryGo(task: GroupTask, options?: GoOptions): boolean;
  wait(): Promise<void>;
}
export interface SemaphoreOptions { name?: string }
export interface AcquireOptions { signal?: AbortSignal }
export interface Permit extends Disposable {
  readonly weight: number;
  readonly released: boolean;
  release(): void;
}
export declare class Semaphore {
  readonly name: string | undefined;
  readonly capacity: number;
  constructor(capacity: number, options?: SemaphoreOptions);
  get available(): number;
  get held(): number;
  get waiting(): number;
  acquire(weight?: number, options?: AcquireOptions): Promise<Permit>;
  tryAcquire(weight?: number): Permit | undefined;
}
export interface MatchHandlers<T, E, A, B> { ok: (value: T) => A; err: (error: E) => B }
export declare class Ok<T, E> {
  readonly ok: true;
  readonly value: T;
  constructor(value: T);
  isOk(): this is Ok<T, E>;
  isErr(): this is Err<T, E>;
  map<U>(fn: (value: T) => U): Result<U, E>;
  mapErr<F>(fn: (error: E) => F): Result<T, F>;
  andThen<U, F>(fn: (value: T) => Result<U, F>): Result<U, E | F>;
  orElse<U, F>(fn: (error: E) => Result<U, F>): Result<T | U, F>;
  match<A, B = A>(handlers: MatchHandlers<T, E, A, B>): A | B;
  unwrap(): T;
  unwrapOr<U>(fallback: U): T | U;
}
export declare class Err<T, E> {
  readonly ok: false;
  readonly error: E;
  constructor(error: E);
  isOk(): this is Ok<T, E>;
  isErr(): this is Err<T, E>;
  map<U>(fn: (value: T) => U): Result<U, E>;
  mapErr<F>(fn: (error: E) => F): Result<T, F>;
  andThen<U, F>(fn: (value: T) => Result<U, F>): Result<U, E | F>;
  orElse<U, F>(fn: (error: E) => Result<U, F>): Result<T | U, F>;
  match<A, B = A>(handlers: MatchHandlers<T, E, A, B>): A | B;
  unwrap(): T;
  unwrapOr<U>(fallback: U): T | U;
}
export type Result<T, E> = Ok<T, E> | Err<T, E>;
export interface ResultStatic {
  fromPromise<T>(promise: PromiseLike<T>): Promise<Result<T, unknown>>;
  try<T>(fn: () => T): Result<T, unknown>;
  isResult(value: unknown): value is Result<unknown, unknown>;
}
export declare const Result: ResultStatic;
export declare function ok(): Ok<void, never>;
export declare function ok<T>(value: T): Ok<T, never>;
export declare function err<E>(error: E): Err<never, E>;
`;

function write(root: string, path: string, text: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * Writes a synthetic project under `root` (created if missing; files of an earlier run with the same names are
 * overwritten, others are left alone, so give it an empty directory): `package.json`, `tsconfig.json`, the
 * `taskscope/runtime` stub under `node_modules/taskscope/`, and `options.files` sources under `src/`. It type-checks
 * with `tsc -p <root>` and no other install. Two calls with the same options write identical files.
 *
 * @example
 * const project = generateProject(mkdtempSync(join(tmpdir(), 'gen-')), { files: 1000 });
 * console.log(project.lines, project.planted.length); // about 22,000 lines, 120 planted defects
 */
export function generateProject(root: string, options: GenerateOptions = {}): GeneratedProject {
  const { files = 1000, seed = 1, defectRate = 0.1 } = options;
  if (!Number.isInteger(files) || files < 1) throw new Error(`Expected \`files\` to be a positive integer, got \`${String(files)}\` (${typeof files}).`);
  if (!(defectRate >= 0 && defectRate <= 1)) throw new Error(`Expected \`defectRate\` to be a number from 0 to 1, got \`${String(defectRate)}\` (${typeof defectRate}).`);
  const sites = plan(files, defectRate, prng(seed));
  write(root, 'package.json', `${JSON.stringify({ name: 'generated-async-app', private: true, type: 'module' }, null, 2)}\n`);
  write(root, 'tsconfig.json', `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  write(root, 'node_modules/taskscope/package.json', `${JSON.stringify({ name: 'taskscope', version: '0.0.0-stub', type: 'module', exports: { './runtime': { types: './runtime.d.ts' } } }, null, 2)}\n`);
  write(root, 'node_modules/taskscope/runtime.d.ts', RUNTIME_STUB);
  const paths: string[] = [];
  const planted: PlantedDefect[] = [];
  let lines = 0;
  let next = 0;
  for (let index = 0; index < files; index++) {
    const start = next;
    while (next < sites.length && sites[next]!.file === index) next++;
    const { text, planted: here } = emitFile(index, sites.slice(start, next));
    const { path } = fileOf(index);
    write(root, path, text);
    paths.push(path);
    planted.push(...here);
    lines += text.split('\n').length - 1;
  }
  return { root, tsconfig: join(root, 'tsconfig.json'), files: paths, lines, planted };
}

// `tsx bench/generate-project.ts --out DIR [--files N] [--seed S] [--defect-rate R]`: a project to look at or to
// point a tool at by hand.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, files: { type: 'string' }, seed: { type: 'string' }, 'defect-rate': { type: 'string' } },
    strict: true,
  });
  if (values.out === undefined) {
    console.error('generate-project: no output directory.\nReason: `--out` is required.\nRun `tsx bench/generate-project.ts --out /tmp/gen --files 1000`.');
    process.exitCode = 2;
  } else {
    const project = generateProject(values.out, {
      ...(values.files === undefined ? {} : { files: Number(values.files) }),
      ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
      ...(values['defect-rate'] === undefined ? {} : { defectRate: Number(values['defect-rate']) }),
    });
    console.log(`${project.files.length} files, ${project.lines} lines, ${project.planted.length} planted defects in ${project.root}`);
  }
}
