import { parseForESLint } from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { mayFollowAny } from '../../rules/utils/unowned-variables.js';

/** The scope analysis of `text`, with `parent` links set as ESLint sets them before it creates the rules. */
function scopesOf(text: string, sourceType: 'module' | 'script' = 'module'): TSESLint.Scope.ScopeManager {
  const { ast, scopeManager, visitorKeys } = parseForESLint(text, { sourceType, range: true });
  const link = (node: TSESTree.Node, parent: TSESTree.Node | undefined): void => {
    if (parent) Object.assign(node, { parent });
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child !== null && typeof child === 'object' && 'type' in child) link(child as TSESTree.Node, node);
      }
    }
  };
  link(ast, undefined);
  return scopeManager;
}

describe('mayFollowAny', () => {
  it('finds a promise-shaped local in a function', () => {
    expect(mayFollowAny(scopesOf('export async function f() { const page = fetchPage(url); await page; }'), false)).toBe(true);
  });

  it('finds a top-level declaration of a module, in its module scope', () => {
    expect(mayFollowAny(scopesOf('const pending = saveAudit(entry);'), false)).toBe(true);
  });

  it('finds a top-level declaration of a script, in the global scope', () => {
    expect(mayFollowAny(scopesOf('const pending = saveAudit(entry);', 'script'), false)).toBe(true);
  });

  it('finds a binding destructured from a call only when bindings count', () => {
    const scopes = scopesOf('export function f() { const { promise, reject } = withResolvers(); reject(); }');
    expect(mayFollowAny(scopes, true)).toBe(true);
    expect(mayFollowAny(scopes, false)).toBe(false);
  });

  it('leaves out a variable the caller says surely holds no promise, asking only of identifiers it could follow', () => {
    const scopes = scopesOf('export function f() { const value: unknown = JSON.parse(text); const { promise } = withResolvers(); }');
    const asked: string[] = [];
    const surelyNoPromise = (declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier }): boolean => {
      asked.push(declarator.id.name);
      return true;
    };
    expect(mayFollowAny(scopes, false, surelyNoPromise)).toBe(false);
    expect(asked).toEqual(['value']);
    expect(mayFollowAny(scopes, false, () => false)).toBe(true);
    expect(mayFollowAny(scopes, true, () => true)).toBe(true);
  });

  it('skips what the rule never follows: awaited values, literals, exports, reassigned and closed-over variables', () => {
    const text = `
      export const shared = saveAudit(entry);
      export async function f(): Promise<void> {
        const user = await load(id);
        const limit = 8;
        var legacy = load(id);
        let retried = load(id);
        retried = load(id);
        const later = load(id);
        setTimeout(() => later, 10);
      }
    `;
    expect(mayFollowAny(scopesOf(text), true)).toBe(false);
  });
});
