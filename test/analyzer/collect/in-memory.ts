/**
 * In-memory ts-morph projects for the collector tests: no disk, no @types/node. The DOM lib supplies `fetch` and
 * `AbortSignal` (declared in TypeScript's lib files, as the facts require), and a tiny `taskscope` package under
 * `/node_modules/taskscope/` declares the primitives where the facts look for them.
 */
import { Project, ts } from 'ts-morph';
import { collectGraph, type CollectedGraph } from '../../../analyzer/collect/collect-graph.js';
import { loadedProjectOf, type LoadedProject } from '../../../analyzer/collect/load-project.js';
import type { GraphNode } from '../../../analyzer/graph/types.js';

const RUNTIME = `
export interface GoOptions { name?: string }
export interface ErrGroupOptions { signal?: AbortSignal; limit?: number; name?: string }
export declare class ErrGroup {
  constructor(options?: ErrGroupOptions);
  readonly signal: AbortSignal;
  go(task: (signal: AbortSignal) => unknown, options?: GoOptions): void;
  goBlocking(task: (signal: AbortSignal) => unknown, options?: GoOptions): Promise<void>;
  tryGo(task: (signal: AbortSignal) => unknown, options?: GoOptions): boolean;
  wait(): Promise<void>;
}
export interface Permit extends Disposable { readonly released: boolean; release(): void }
export declare class Semaphore {
  constructor(capacity: number);
  acquire(weight?: number, options?: { signal?: AbortSignal }): Promise<Permit>;
  tryAcquire(weight?: number): Permit | undefined;
}
`;

/** Loads `files` (paths under `/src/`) into one in-memory project. */
export function inMemory(files: Record<string, string>): LoadedProject {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      strict: true,
    },
  });
  project.createSourceFile('/node_modules/taskscope/index.d.ts', RUNTIME);
  project.createSourceFile('/node_modules/taskscope/package.json', '');
  for (const [path, text] of Object.entries(files)) project.createSourceFile(path, text);
  return loadedProjectOf(project, '/');
}

/** Collects the graph of in-memory files. */
export function collect(files: Record<string, string>): CollectedGraph {
  return collectGraph(inMemory(files));
}

/** The node of a kind at a line of a file (the first one, by column). */
export function nodeAt<K extends GraphNode['kind']>(graph: CollectedGraph, kind: K, file: string, line: number): Extract<GraphNode, { kind: K }> {
  const found = graph.nodes
    .filter((node) => node.kind === kind && node.file === file && node.line === line)
    .sort((a, b) => a.column - b.column)[0];
  if (!found) throw new Error(`no ${kind} node at ${file}:${line}; nodes: ${graph.nodes.map((n) => n.id).join(', ')}`);
  return found as Extract<GraphNode, { kind: K }>;
}

/** `from kind to` strings of a graph's edges, for readable assertions. */
export function edgeList(graph: CollectedGraph): string[] {
  return graph.edges.map((edge) => `${edge.from} ${edge.kind} ${edge.to}`);
}
