const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const MARKUP = /[&<>"']/;

/** Text for HTML element content or a quoted attribute: every character that could start markup is an entity. */
export function escapeHtml(text: string): string {
  // Most strings in a report (ids, paths, captions) hold none of the five: a test is cheaper than a replace that
  // calls back per match, and a report escapes a few hundred thousand strings.
  return MARKUP.test(text) ? text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character) : text;
}

/**
 * A message with its `code spans` set in `<code>`: escaped first, so a backtick inside a name cannot open markup.
 *
 * @example codeSpans('Pass `signal` to <it>.') // 'Pass <code>signal</code> to &lt;it&gt;.'
 */
export function codeSpans(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&` and the two line separators JavaScript
 * once treated as line ends become `\u` escapes, so no string in the data can close the script element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
