/**
 * Glob matching for `include` / `exclude`: `**` (any number of folders), `*` (within a folder), `?`, and `{a,b}`.
 * Matched against paths relative to the project root with `/` separators.
 *
 * Why a dozen lines of our own: Node 20's `path.matchesGlob` prints an ExperimentalWarning (noise on the CLI's
 * stderr), and minimatch is not a dependency of this package.
 *
 * @example globToRegExp('src/**\/*.test.ts').test('src/a/b.test.ts') // true
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      source += '(?:';
      depth++;
    } else if (char === '}' && depth > 0) {
      source += ')';
      depth--;
    } else if (char === ',' && depth > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  // A folder matches everything inside it: `src/legacy` excludes `src/legacy/a.ts`.
  return new RegExp(`^(?:\\./)?${source}(?:/.*)?$`);
}

/** Whether a relative path matches any of the globs. */
export function matchesAny(path: string, globs: readonly RegExp[]): boolean {
  return globs.some((glob) => glob.test(path));
}
