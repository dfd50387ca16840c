/**
 * A TypeScript program over in-memory sources, for the facts tests: the facts take plain compiler objects, so they
 * are tested on a real checker without ESLint. Files not in `sources` (the default libraries, `@types/node`) come
 * from disk.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface InMemoryProgramOptions {
  /** Default library files, e.g. `['lib.es2023.d.ts', 'lib.dom.d.ts']`. */
  readonly lib: readonly string[];
  /** `@types` packages to load. @default ['node'] */
  readonly types?: readonly string[];
  /** Root files. @default ['/app/main.ts'] */
  readonly roots?: readonly string[];
  /** JavaScript roots too, checked (`allowJs`, `checkJs`). @default false */
  readonly allowJs?: boolean;
}

export interface InMemoryProgram {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** The first root's source file. */
  readonly main: ts.SourceFile;
}

export function inMemoryProgram(sources: Readonly<Record<string, string>>, options: InMemoryProgramOptions): InMemoryProgram {
  const compilerOptions: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: [...options.lib],
    types: [...(options.types ?? ['node'])],
    typeRoots: [`${ROOT}node_modules/@types`],
    noEmit: true,
    ...(options.allowJs === true && { allowJs: true, checkJs: true }),
  };
  const host = ts.createCompilerHost(compilerOptions);
  const realGetSourceFile = host.getSourceFile.bind(host);
  const realFileExists = host.fileExists.bind(host);
  const realReadFile = host.readFile.bind(host);
  host.getSourceFile = (name, language) =>
    sources[name] !== undefined ? ts.createSourceFile(name, sources[name], language, true) : realGetSourceFile(name, language);
  host.fileExists = (name) => sources[name] !== undefined || realFileExists(name);
  host.readFile = (name) => sources[name] ?? realReadFile(name);
  host.directoryExists = (name) => Object.keys(sources).some((file) => file.startsWith(`${name}/`)) || ts.sys.directoryExists(name);
  const roots = options.roots ?? ['/app/main.ts'];
  const program = ts.createProgram([...roots], compilerOptions, host);
  return { program, checker: program.getTypeChecker(), main: program.getSourceFile(roots[0]!)! };
}
