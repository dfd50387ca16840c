import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Project } from 'ts-morph';
import ts from '../../rules/utils/typescript.cjs';
import { AnalyzerError } from './analyzer-error.js';
import { globToRegExp, matchesAny } from './glob.js';

/** A loaded project: one program, one type checker, and the files to analyze. */
export interface LoadedProject {
  /** The folder of the tsconfig (absolute, `/` separators): every reported path is relative to it. */
  readonly root: string;
  /**
   * The program, as plain TypeScript compiler objects. {@link loadProject} builds it with the `typescript` the rules
   * import; in {@link loadedProjectOf} it comes from ts-morph's bundled TypeScript (same major version), so only
   * checker and node methods and numeric enum values are used on it.
   */
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** The project's own source files (the tsconfig's files, minus declaration files), after include/exclude. */
  readonly files: readonly ts.SourceFile[];
  /** The path of a file relative to {@link root}, with `/` separators. */
  relativePath(file: ts.SourceFile): string;
}

/** What {@link loadProject} takes. */
export interface LoadOptions {
  /** Path of the tsconfig (or of a folder holding `tsconfig.json`), relative to the working directory. */
  readonly project: string;
  /** Globs relative to the project root; only matching files are analyzed. @default every file of the tsconfig */
  readonly include?: readonly string[] | undefined;
  /** Globs relative to the project root; matching files are not analyzed. @default [] */
  readonly exclude?: readonly string[] | undefined;
}

const HINT_PROJECT = 'Pass --project with the path of a tsconfig.json (or of the folder that holds it).';
const HINT_TSC = 'Fix the tsconfig so `npx tsc --noEmit -p <tsconfig>` accepts it.';

function flatten(message: string | ts.DiagnosticMessageChain): string {
  return ts.flattenDiagnosticMessageText(message, ' ').trim();
}

/** Where a config diagnostic points: `tsconfig.json:3:5`, or just the file. */
function where(diagnostic: ts.Diagnostic, fallback: string): string {
  const file = diagnostic.file;
  if (!file || diagnostic.start === undefined) return fallback;
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${file.fileName}:${line + 1}:${character + 1}`;
}

/**
 * Loads a tsconfig project, as `tsc -p` does, and picks the files to analyze: the tsconfig's own files (not the files
 * pulled in by imports, not declaration files), filtered by `include` and `exclude` globs.
 *
 * The program is built with the TypeScript compiler API directly, not through a ts-morph `Project`: on a 2,000-file
 * project ts-morph took 0.6 s longer to build the same program (it adds every file through its own file-system
 * cache first, `skipFileDependencyResolution` or not), and loading ts-morph and its bundled second copy of
 * TypeScript cost another 0.4 s and 45 MB. Nothing after loading used ts-morph: the collectors walk the raw AST.
 *
 * Throws an {@link AnalyzerError} when the tsconfig is missing, is not valid JSON, has an invalid option, matches no
 * files, or when include/exclude leave nothing to analyze. Files with syntax errors load fine: they are reported as
 * `parse-error` findings later, never thrown.
 *
 * @example const { files, checker } = loadProject({ project: 'tsconfig.json' });
 */
export function loadProject(options: LoadOptions): LoadedProject {
  let configPath = resolve(options.project);
  if (existsSync(configPath) && statSync(configPath).isDirectory()) configPath = join(configPath, 'tsconfig.json');
  if (!existsSync(configPath)) {
    throw new AnalyzerError('Cannot load the project.', `${configPath} does not exist.`, HINT_PROJECT);
  }
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (read.error) {
    throw new AnalyzerError(
      'Cannot load the project.',
      `${where(read.error, configPath)} is not valid JSON: ${flatten(read.error.messageText).replace(/\.$/, '')}.`,
      HINT_TSC,
    );
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath), undefined, configPath);
  const first = parsed.errors.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (first) {
    const noInputs = first.code === 18003;
    throw new AnalyzerError(
      'Cannot load the project.',
      noInputs ? `${configPath} matches no source files.` : `${where(first, configPath)}: ${flatten(first.messageText)}`,
      noInputs ? 'Check its "include" and "files" entries, or pass --project with another tsconfig.' : HINT_TSC,
    );
  }
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: parsed.errors,
  });
  // The tsconfig's own files. Rejected: every file of the program, which holds every file an import resolves to (a
  // `paths` mapping into another folder would put that folder's files in the report).
  const rootNames = new Set(parsed.fileNames.map((name) => resolve(name)));
  const loaded = loadedProjectOfProgram(program, dirname(configPath), {
    ...options,
    isProjectFile: (file) => rootNames.has(resolve(file.fileName)),
  });
  if (loaded.files.length === 0) {
    throw new AnalyzerError(
      'Nothing to analyze.',
      `No source file of ${configPath} matches --include ${JSON.stringify(options.include ?? [])} and --exclude ${JSON.stringify(options.exclude ?? [])}.`,
      'Loosen --include or --exclude; globs are relative to the folder of the tsconfig.',
    );
  }
  return loaded;
}

/**
 * A {@link LoadedProject} over a ts-morph project already in memory (tests build one with `useInMemoryFileSystem`):
 * its files that are not declaration files and not under `node_modules`, or those `isProjectFile` accepts, filtered
 * by include/exclude globs relative to `root`.
 *
 * @example loadedProjectOf(new Project({ useInMemoryFileSystem: true }), '/')
 */
export function loadedProjectOf(
  project: Project,
  root: string,
  options: Omit<LoadOptions, 'project'> & { isProjectFile?: (file: ts.SourceFile) => boolean } = {},
): LoadedProject {
  // ts-morph's bundled TypeScript declares its own copy of these types; comparing the two structurally overflows the
  // checker's stack, so the cast goes through `unknown` (lint sees them as the same type and calls it unnecessary).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  return loadedProjectOfProgram(project.getProgram().compilerObject as unknown as ts.Program, root, options);
}

function loadedProjectOfProgram(
  program: ts.Program,
  root: string,
  options: Omit<LoadOptions, 'project'> & { isProjectFile?: (file: ts.SourceFile) => boolean },
): LoadedProject {
  const posixRoot = root.split(sep).join('/');
  // Asked for every node of the graph (and every edge to another file): `path.relative` normalizes both paths each time.
  const paths = new WeakMap<ts.SourceFile, string>();
  const relativePath = (file: ts.SourceFile): string => {
    let path = paths.get(file);
    if (path === undefined) paths.set(file, (path = relative(posixRoot, file.fileName).split(sep).join('/')));
    return path;
  };
  const include = (options.include ?? []).map(globToRegExp);
  const exclude = (options.exclude ?? []).map(globToRegExp);
  const isProjectFile = options.isProjectFile ?? ((file: ts.SourceFile) => !/[\\/]node_modules[\\/]/.test(file.fileName));
  const files = program.getSourceFiles().filter((file) => {
    if (file.isDeclarationFile || !isProjectFile(file)) return false;
    const path = relativePath(file);
    return (include.length === 0 || matchesAny(path, include)) && !matchesAny(path, exclude);
  });
  return { root: posixRoot, program, checker: program.getTypeChecker(), files, relativePath };
}
