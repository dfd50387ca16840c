import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Project, ts as morphTs } from 'ts-morph';
import type ts from 'typescript';
import { AnalyzerError } from './analyzer-error.js';
import { globToRegExp, matchesAny } from './glob.js';

/** A loaded project: one program, one type checker, and the files to analyze. */
export interface LoadedProject {
  /** The folder of the tsconfig (absolute, `/` separators): every reported path is relative to it. */
  readonly root: string;
  /**
   * The program, as plain TypeScript compiler objects. ts-morph bundles its own TypeScript (same major version as the
   * `typescript` the rules import), so only checker and node methods and numeric enum values are used on it.
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

function flatten(message: string | morphTs.DiagnosticMessageChain): string {
  return morphTs.flattenDiagnosticMessageText(message, ' ').trim();
}

/** Where a config diagnostic points: `tsconfig.json:3:5`, or just the file. */
function where(diagnostic: morphTs.Diagnostic, fallback: string): string {
  const file = diagnostic.file;
  if (!file || diagnostic.start === undefined) return fallback;
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${file.fileName}:${line + 1}:${character + 1}`;
}

/**
 * Loads a tsconfig project with ts-morph and picks the files to analyze: the tsconfig's own files (not the files
 * pulled in by imports, not declaration files), filtered by `include` and `exclude` globs.
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
  // Read the JSON first: ts-morph's own error for a broken tsconfig has no file or line in it.
  const read = morphTs.readConfigFile(configPath, (path) => morphTs.sys.readFile(path));
  if (read.error) {
    throw new AnalyzerError(
      'Cannot load the project.',
      `${where(read.error, configPath)} is not valid JSON: ${flatten(read.error.messageText)}.`,
      'Fix the tsconfig so `npx tsc --noEmit -p <tsconfig>` accepts it.',
    );
  }
  let project: Project;
  try {
    project = new Project({ tsConfigFilePath: configPath });
  } catch (error) {
    throw new AnalyzerError('Cannot load the project.', `${configPath}: ${(error as Error).message}`, 'Fix the tsconfig so `npx tsc --noEmit -p <tsconfig>` accepts it.');
  }
  const configErrors = project.getConfigFileParsingDiagnostics().filter((d) => d.getCategory() === morphTs.DiagnosticCategory.Error);
  const first = configErrors[0]?.compilerObject;
  if (first) {
    const noInputs = first.code === 18003;
    throw new AnalyzerError(
      'Cannot load the project.',
      noInputs ? `${configPath} matches no source files.` : `${where(first, configPath)}: ${flatten(first.messageText)}`,
      noInputs ? 'Check its "include" and "files" entries, or pass --project with another tsconfig.' : 'Fix the tsconfig so `npx tsc --noEmit -p <tsconfig>` accepts it.',
    );
  }
  // The tsconfig's own files. Rejected: the program's root names, which ts-morph extends with every file an import
  // resolves to (a `paths` mapping into another folder would put that folder's files in the report).
  const parsed = morphTs.parseJsonConfigFileContent(read.config, morphTs.sys, dirname(configPath), undefined, configPath);
  const rootNames = new Set(parsed.fileNames.map((name) => resolve(name)));
  const loaded = loadedProjectOf(project, dirname(configPath), {
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
  const program = project.getProgram().compilerObject as unknown as ts.Program;
  const posixRoot = root.split(sep).join('/');
  const relativePath = (file: ts.SourceFile): string => relative(posixRoot, file.fileName).split(sep).join('/');
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
