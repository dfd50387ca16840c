/**
 * `taskscope/analyzer`: a static task graph of a TypeScript project. `analyze()` loads a tsconfig project, lints
 * every file with the taskscope rules, collects the graph on the same program (functions, spawn sites and their
 * owners, fan-outs, ErrGroups, Semaphores, AbortSignals), and adds what only the whole program shows.
 *
 * The pipeline, as in knip and dependency-cruiser: load → lint and collect (`collect/`, the only code that touches
 * the compiler) → graph analyses (`graph/find-*.ts`, pure) → reporters (pure functions of the graph). Linting goes
 * before collecting for memory (see `analyzeLoaded`).
 */
import { setImmediate as tick } from 'node:timers/promises';
import { loadProject } from './collect/load-project.js';
import { analyzeLoaded, type AnalyzeOptions } from './collect/pipeline.js';
import { resolveRuleSettings } from './collect/lint.js';
import type { TaskGraph } from './graph/types.js';

export { AnalyzerError } from './collect/analyzer-error.js';
export type { RuleSetting } from './collect/lint.js';
export type { AnalyzeOptions, AnalyzePhase } from './collect/pipeline.js';
export { buildGraph, mergeFindings, sortGraph, type GraphParts } from './graph/build-graph.js';
export { findDroppedSignals } from './graph/find-dropped-signals.js';
export { findFanOutChains } from './graph/find-fanout-chains.js';
export { findUnownedExports } from './graph/find-unowned-exports.js';
export type { GraphData } from './graph/graph-index.js';
export { nodeId } from './graph/ids.js';
export * from './graph/types.js';
export * from './report/index.js';

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
  // Checked before loading, so a typo in a rule id fails in milliseconds rather than after the type-check.
  resolveRuleSettings(options.rules);
  options.onProgress?.(0, 1, 'load');
  const project = loadProject({ project: options.project ?? 'tsconfig.json', include: options.include, exclude: options.exclude });
  options.onProgress?.(1, 1, 'load');
  await tick();
  return analyzeLoaded(project, options);
}
