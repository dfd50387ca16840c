/**
 * TypeScript's compiler API, loaded with `require`. Every module of taskscope that needs TypeScript at run time
 * imports it from here (`import ts from './typescript.cjs'`) instead of from `'typescript'`.
 *
 * Why: `typescript` is a 9 MB CommonJS file in a package without `"type"`. An ES module that imports it makes Node
 * first compile it to look for module syntax (module-format detection) and then scan it with cjs-module-lexer for its
 * export names, before loading it as CommonJS anyway: 0.45 s of CPU and ~25 MB of memory in every process that loads
 * the plugin or the analyzer, measured on Node 20.20 (`import('typescript')` 630 ms of CPU against 180 ms for
 * `require('typescript')`). typescript-eslint requires it, so it pays only the second figure; this file lets
 * taskscope do the same. It is CommonJS itself (`.cts`), so Node loads it without detection, and its lexer scan is
 * of these few lines. Types are unchanged: the default import is TypeScript's namespace, for values and types alike.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loading it with `require` is this file's purpose
import ts = require('typescript');
export = ts;
