// Loaded by the lint bench's generated ESLint config with `--lint-split` (plain JavaScript: ESLint's child process
// imports the config without a TypeScript loader). It wraps every rule of the plugins it is given, so that each rule's
// `create()` and listener calls are timed, and puts a stopwatch on every method of the type checker those rules reach
// through `parserServices.program`. At exit the child prints one line, `taskscope-bench-split {json}`: per rule, the
// time in its listeners and `create()` (`totalMs`, the figure `TIMING=all` reports, give or take this wrapper) and the
// part of it spent inside checker calls (`checkerMs`). The rest is the rule's own code, ESLint's scope lookups it asks
// for, and garbage collection that falls inside a listener.
//
// Why the checker object: every type question a rule asks (`getTypeAtLocation`, `getResolvedSignature`, a type's
// `getCallSignatures()`, which TypeScript forwards to its checker) goes through one of its methods, so wrapping them
// splits "what TypeScript had to work out" from "what the rule did with it" without a profiler, whose sampling
// overhead falls unevenly on deep checker stacks. A nested checker call (a method calling another through the
// object) is counted once, at the outermost call.
import { performance } from 'node:perf_hooks';

/** Per rule id: `{ totalMs, checkerMs }`. */
const split = {};
/** The rule whose listener is running, or `undefined` between listeners (parsing, ESLint's own work). */
let current;
let checkerDepth = 0;
const patched = new WeakSet();

function patchChecker(checker) {
  if (patched.has(checker)) return;
  patched.add(checker);
  for (const key of Object.keys(checker)) {
    const method = checker[key];
    if (typeof method !== 'function') continue;
    checker[key] = function (...args) {
      if (current === undefined || checkerDepth > 0) {
        checkerDepth++;
        try {
          return method.apply(this, args);
        } finally {
          checkerDepth--;
        }
      }
      const rule = current;
      checkerDepth++;
      const start = performance.now();
      try {
        return method.apply(this, args);
      } finally {
        checkerDepth--;
        split[rule].checkerMs += performance.now() - start;
      }
    };
  }
}

function inRule(id, run) {
  if (current !== undefined) return run();
  current = id;
  split[id] ??= { totalMs: 0, checkerMs: 0 };
  const start = performance.now();
  try {
    return run();
  } finally {
    split[id].totalMs += performance.now() - start;
    current = undefined;
  }
}

/** `plugin` with every rule timed as `<prefix>/<rule>`. */
export function splitPlugin(plugin, prefix) {
  const rules = {};
  for (const [name, rule] of Object.entries(plugin.rules ?? {})) {
    const id = `${prefix}/${name}`;
    rules[name] = {
      ...rule,
      create(context) {
        const program = context.sourceCode.parserServices?.program;
        if (program) patchChecker(program.getTypeChecker());
        const listeners = inRule(id, () => rule.create(context));
        return Object.fromEntries(Object.entries(listeners).map(([selector, listener]) => [selector, (...args) => inRule(id, () => listener(...args))]));
      },
    };
  }
  return { ...plugin, rules };
}

process.on('exit', () => {
  process.stderr.write(`\ntaskscope-bench-split ${JSON.stringify(split)}\n`);
});
