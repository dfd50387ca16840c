import ts from '../../rules/utils/typescript.cjs';

/**
 * Whether a finding of `ruleId` (with its plugin prefix, `taskscope/no-floating-task`) at a 1-based line and column
 * is turned off by an `eslint-disable` comment of the file.
 */
export type DisabledAt = (ruleId: string, line: number, column: number) => boolean;

interface Directive {
  readonly type: 'disable' | 'enable';
  readonly line: number;
  readonly column: number;
  /** `null`: every rule. */
  readonly ruleId: string | null;
}

// ESLint's directive grammar (eslint/lib/shared/directives.js): the comment starts with the directive's name.
const DIRECTIVE = /^(eslint(?:-env|-enable|-disable(?:(?:-next)?-line)?)?|exported|globals?)(?:\s|$)/u;
const NOTHING_DISABLED: DisabledAt = () => false;

/**
 * The `eslint-disable`, `eslint-enable`, `eslint-disable-line` and `eslint-disable-next-line` comments of a file,
 * applied as ESLint 10 applies them, for findings the analyzer's native rules make without ESLint: a block comment
 * turns rules off from where it starts until an `eslint-enable` for them; `-line` turns them off on the comment's
 * line and `-next-line` on the line after the comment ends; a line comment may only hold the two `-line` forms, and
 * a `-line` block comment must stay on one line. The rule list is comma-separated, an empty one means every rule,
 * and text after ` -- ` is a justification. `test/analyzer/collect/directives.test.ts` holds this to ESLint's own
 * answers.
 *
 * Comments are found without a token list: every place the text says `eslint-` is located in the tree, and only
 * trivia there (the gap before a node, or between two children of one) is scanned for the comment holding it. A word
 * in a string, a template or a regular expression is part of a node's own text and never a comment.
 *
 * @example disabledIn(file)('taskscope/no-floating-task', 12, 3) // true under `// eslint-disable-next-line`
 */
export function disabledIn(file: ts.SourceFile): DisabledAt {
  if (!file.text.includes('eslint-')) return NOTHING_DISABLED;
  const block: Directive[] = [];
  const line: Directive[] = [];
  for (const comment of directiveComments(file)) {
    const parsed = parseDirective(file.text.slice(comment.pos + 2, comment.kind === ts.SyntaxKind.MultiLineCommentTrivia ? comment.end - 2 : comment.end));
    if (!parsed) continue;
    const start = file.getLineAndCharacterOfPosition(comment.pos);
    const end = file.getLineAndCharacterOfPosition(comment.end);
    const isLineForm = parsed.label === 'eslint-disable-line' || parsed.label === 'eslint-disable-next-line';
    if (comment.kind === ts.SyntaxKind.SingleLineCommentTrivia && !isLineForm) continue;
    if (parsed.label === 'eslint-disable-line' && start.line !== end.line) continue;
    for (const ruleId of parsed.ruleIds.length > 0 ? parsed.ruleIds : [null]) {
      switch (parsed.label) {
        case 'eslint-disable':
        case 'eslint-enable':
          block.push({ type: parsed.label === 'eslint-disable' ? 'disable' : 'enable', line: start.line + 1, column: start.character + 1, ruleId });
          break;
        case 'eslint-disable-line':
          line.push({ type: 'disable', line: start.line + 1, column: 1, ruleId }, { type: 'enable', line: start.line + 2, column: 0, ruleId });
          break;
        case 'eslint-disable-next-line':
          line.push({ type: 'disable', line: end.line + 2, column: 1, ruleId }, { type: 'enable', line: end.line + 3, column: 0, ruleId });
          break;
        default:
          break;
      }
    }
  }
  if (block.length === 0 && line.length === 0) return NOTHING_DISABLED;
  block.sort(compare);
  line.sort(compare);
  return (ruleId, atLine, atColumn) => isDisabled(block, ruleId, atLine, atColumn) || isDisabled(line, ruleId, atLine, atColumn);
}

function compare(a: { line: number; column: number }, b: { line: number; column: number }): number {
  return a.line - b.line || a.column - b.column;
}

// As ESLint's applyDirectives: the directives up to the finding, in order; an `enable` for the rule (or for every
// rule) ends every `disable` before it, a `disable` for the rule (or every rule) starts one.
function isDisabled(directives: readonly Directive[], ruleId: string, line: number, column: number): boolean {
  let disabled = false;
  for (const directive of directives) {
    if (compare(directive, { line, column }) > 0) break;
    if (directive.ruleId !== null && directive.ruleId !== ruleId) continue;
    disabled = directive.type === 'disable';
  }
  return disabled;
}

/** A comment's label (`eslint-disable-next-line`) and rule list, or `undefined` when it is no directive. */
function parseDirective(value: string): { label: string; ruleIds: string[] } | undefined {
  const justification = /\s-{2,}\s/u.exec(value);
  const directive = (justification ? value.slice(0, justification.index) : value).trim();
  const match = DIRECTIVE.exec(directive);
  if (!match) return undefined;
  const label = match[1]!;
  const ruleIds = directive
    .slice(label.length)
    .split(',')
    .map((name) => name.trim().replace(/^(['"]?)(.*)\1$/su, '$2'))
    .filter(Boolean);
  return { label, ruleIds: [...new Set(ruleIds)] };
}

/** The comments of a file that may hold a directive: each comment holding the text `eslint-`, once, in order. */
function directiveComments(file: ts.SourceFile): ts.CommentRange[] {
  const found = new Map<number, ts.CommentRange>();
  const text = file.text;
  for (let at = text.indexOf('eslint-'); at !== -1; at = text.indexOf('eslint-', at + 1)) {
    const comment = commentAt(file, at);
    if (comment) found.set(comment.pos, comment);
  }
  return [...found.values()].sort((a, b) => a.pos - b.pos);
}

/** The comment that holds the character at `position`, if that character is in a comment. */
function commentAt(file: ts.SourceFile, position: number): ts.CommentRange | undefined {
  // The innermost node whose span holds the position, and the end of its last child before the position.
  let node: ts.Node = file;
  let gapStart: number;
  for (;;) {
    let inside: ts.Node | undefined;
    let before = node.pos;
    ts.forEachChild(node, (child) => {
      if (child.end <= position) before = child.end;
      else if (child.pos <= position) inside = child;
      return inside;
    });
    if (!inside) {
      gapStart = before;
      break;
    }
    node = inside;
  }
  // A token (a name, a literal, a template part, JSX text) holds only its leading trivia and its own text.
  if (ts.isToken(node)) {
    if (position >= node.getStart(file)) return undefined;
    // TypeScript splits trivia into the previous token's trailing comments (to the line end) and this one's leading.
    const trivia = [...(ts.getTrailingCommentRanges(file.text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(file.text, node.pos) ?? [])];
    return trivia.find((range) => range.pos <= position && position < range.end);
  }
  // Between two children only trivia and the node's own punctuation and keywords: a plain scan reads them right.
  const scanner = ts.createScanner(file.languageVersion, false, file.languageVariant, file.text, undefined, gapStart);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken && scanner.getTokenStart() <= position; token = scanner.scan()) {
    if ((token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) && position < scanner.getTokenEnd()) {
      return { pos: scanner.getTokenStart(), end: scanner.getTokenEnd(), kind: token };
    }
  }
  return undefined;
}
