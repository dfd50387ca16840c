/**
 * A known reason the analyzer cannot run: a missing or invalid tsconfig, a project without files, a bad option.
 * The CLI prints it as one line, then `Reason: …`, then the hint, and exits with code 2.
 *
 * Not for problems in the analyzed code: a file that does not parse is a `parse-error` finding, never an exception.
 *
 * @example
 * throw new AnalyzerError('Cannot read the project.', 'tsconfig.json does not exist.', 'Pass --project path/to/tsconfig.json.');
 */
export class AnalyzerError extends Error {
  override readonly name = 'AnalyzerError';
  /** Why it failed, one sentence: `/repo/tsconfig.json does not exist.` */
  readonly reason: string;
  /** What to do about it, one sentence: `Pass --project with the path of your tsconfig.json.` */
  readonly hint: string;

  constructor(message: string, reason: string, hint: string) {
    super(`${message} ${reason}`);
    this.reason = reason;
    this.hint = hint;
  }
}
