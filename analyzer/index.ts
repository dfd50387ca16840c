/**
 * `taskscope/analyzer`: a static task graph of a TypeScript project. `analyze()` loads a tsconfig project, collects
 * the graph (functions, spawn sites and their owners, fan-outs, ErrGroups, Semaphores, AbortSignals), lints every file
 * with the taskscope rules on the same program, and adds what only the whole program shows.
 *
 * The pipeline, as in knip and dependency-cruiser: load → collect (`collect/`, the only code that touches ts-morph)
 * → graph analyses (`graph/find-*.ts`, pure) → reporters (pure functions of the graph).
 */
import { setImmediate as tick } from 'node:timers/promises';
import { collectGraph } from './collect/collect-graph.js';
import { lintFiles, parseErrors, resolveRuleSettings, severityOf, type RuleSetting } from './collect/lint.js';
import { loadProject } from './collect/load-project.js';
import { buildGraph } from './graph/build-graph.js';
import { findDroppedSignals } from './graph/find-dropped-signals.js';
import { findFanOutChains } from './graph/find-fanout-chains.js';
import { findUnownedExports } from './graph/find-unowned-exports.js';
import type { Finding, TaskGraph } from './graph/types.js';

export { AnalyzerError } from './collect/analyzer-error.js';
export type { RuleSetting } from './collect/lint.js';
export { buildGraph, mergeFindings, sortGraph, type GraphParts } from './graph/build-graph.js';
export { findDroppedSignals } from './graph/find-dropped-signals.js';
export { findFanOutChains } from './graph/find-fanout-chains.js';
export { findUnownedExports } from './graph/find-unowned-exports.js';
export type { GraphData } from './graph/graph-index.js';
export { nodeId } from './graph/ids.js';
export * from './graph/types.js';

/** The steps `analyze()` reports progress for, in order. */
export type AnalyzePhase = 'load' | 'collect' | 'lint' | 'graph';

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /**
   * The tsconfig to analyze, or the folder holding `tsconfig.json`; relative to the working directory.
   * @default 'tsconfig.json'
   */
  project?: string;
  /**
   * Globs (relative to the tsconfig's folder, `/` separators): only matching files of the project are analyzed.
   * `**` spans folders, `*` stays in one, `{a,b}` picks; a folder name matches everything inside it.
   * @default [] (every file of the tsconfig)
   */
  include?: readonly string[];
  /**
   * Globs (relative to the tsconfig's folder) of files to leave out, applied after `include`.
   * @default []
   */
  exclude?: readonly string[];
  /**
   * Called as work progresses: files done out of total per phase (`load` and `graph` count 0/1 then 1/1). Runs
   * synchronously on the analyzer's thread, so it must be cheap; the CLI throttles its stderr output itself.
   * @default undefined
   */
  onProgress?: (done: number, total: number, phase: AnalyzePhase) => void;
  /**
   * Rule settings by id (with or without the `taskscope/` prefix), as in an ESLint config: `'off'`, `'warn'`,
   * `'error'`, or `['error', options]`. Unlisted rules run as the `recommended` config sets them. A rule's setting
   * also applies to its graph findings: off drops them, `warn` makes them warnings.
   * @default {}
   */
  rules?: Readonly<Record<string, RuleSetting>>;
}

// Yield to the event loop every so many files, so a CLI can draw progress and take Ctrl-C on a large project.
const YIELD_EVERY = 50;

/**
 * Analyzes a TypeScript project and returns its task graph: nodes, edges, and every finding — each lint finding of
 * the taskscope rules (same ids as in the editor), `parse-error` for files that do not parse, and what only the whole
 * program shows: unbounded fan-outs reached through a call chain, signals dropped along a call chain, and exported
 * async functions whose every caller in other modules drops the promise.
 *
 * Resolves with a graph sorted for stable output. Rejects with an `AnalyzerError` (fields `reason` and `hint`)
 * when the tsconfig is missing or invalid, matches no files, an option names an unknown rule, or a rule crashes.
 * Syntax errors in the sources never reject: they are findings.
 *
 * One type checker serves everything: the collectors ask it only at the nodes that matter, and the rules run on the
 * same program, so the project is type-checked once.
 *
 * @example
 * const graph = await analyze({ project: 'tsconfig.json', exclude: ['test/**'] });
 * for (const f of graph.findings) console.log(`${f.file}:${f.line}:${f.column}  ${f.ruleId}  ${f.message}`);
 */
export async function analyze(options: AnalyzeOptions = {}): Promise<TaskGraph> {
  const report = options.onProgress;
  const settings = resolveRuleSettings(options.rules);
  report?.(0, 1, 'load');
  const project = loadProject({ project: options.project ?? 'tsconfig.json', include: options.include, exclude: options.exclude });
  report?.(1, 1, 'load');
  await tick();

  const collected = collectGraph(project, (done, total) => report?.(done, total, 'collect'));
  await tick();

  const broken = parseErrors(project);
  const lintable = project.files.filter((file) => !broken.has(file));
  const findings: Finding[] = [...broken.values()];
  for (let start = 0; start < lintable.length; start += YIELD_EVERY) {
    const batch = lintable.slice(start, start + YIELD_EVERY);
    findings.push(...lintFiles(project, batch, settings, (done) => report?.(start + done, lintable.length, 'lint')));
    await tick();
  }

  report?.(0, 1, 'graph');
  const data = { nodes: collected.nodes, edges: collected.edges };
  for (const finding of [...findFanOutChains(data), ...findDroppedSignals(data), ...findUnownedExports(data)]) {
    const severity = severityOf(settings.get(finding.ruleId));
    if (severity) findings.push(severity === finding.severity ? finding : { ...finding, severity });
  }
  const graph = buildGraph({ root: project.root, files: project.files.length, nodes: collected.nodes, edges: collected.edges, findings });
  report?.(1, 1, 'graph');
  return graph;
}
