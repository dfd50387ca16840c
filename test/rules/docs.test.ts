/**
 * Every rule has a doc with the required sections and a test file, and every doc belongs to a rule: the plugin's
 * rule list, `docs/rules/` and `test/rules/` never drift apart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin from '../../rules/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = `${ROOT}docs/rules/`;
const REQUIRED_SECTIONS = ['## Why', '## Examples', '## Options', '## When not to use it', '## Related rules'];
const ruleIds = Object.keys(plugin.rules);

/** The text of one `## ` section, up to the next one. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start === -1) return '';
  const rest = doc.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  return end === -1 ? rest : rest.slice(0, end);
}

describe('rule docs', () => {
  it('exist for every rule and only for rules', () => {
    const docs = readdirSync(DOCS).filter((file) => file.endsWith('.md')).map((file) => file.slice(0, -'.md'.length));
    expect(docs.sort()).toEqual([...ruleIds].sort());
  });

  describe.each(ruleIds)('%s', (id) => {
    const rule = plugin.rules[id as keyof typeof plugin.rules];
    const doc = existsSync(`${DOCS}${id}.md`) ? readFileSync(`${DOCS}${id}.md`, 'utf8') : '';

    it('starts with the rule id as its title', () => {
      expect(doc.split('\n')[0]).toBe(`# ${id}`);
    });

    it('has every required section', () => {
      const missing = REQUIRED_SECTIONS.filter((heading) => !doc.includes(`\n${heading}\n`));
      expect(missing).toEqual([]);
    });

    it('shows incorrect and correct code', () => {
      const examples = section(doc, '## Examples');
      expect(examples).toContain('❌');
      expect(examples).toContain('✅');
      expect(examples).toContain('```ts');
    });

    it('documents every option', () => {
      const schema = rule.meta.schema as unknown as Array<{ properties?: Record<string, { description?: string }> }>;
      const options = Object.keys(schema[0]?.properties ?? {});
      const documented = section(doc, '## Options');
      expect(options.filter((option) => !documented.includes(`\`${option}\``))).toEqual([]);
      expect(options.filter((option) => !schema[0]?.properties?.[option]?.description)).toEqual([]);
    });

    it('links its doc from meta.docs.url', () => {
      expect(rule.meta.docs?.url).toBe(`https://github.com/taskscope/taskscope/blob/main/docs/rules/${id}.md`);
    });

    it('has a test file of the same name', () => {
      expect(existsSync(`${ROOT}test/rules/${id}.test.ts`)).toBe(true);
    });
  });
});

describe('plugin', () => {
  it('names itself and reads its version from package.json', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    expect(plugin.meta).toEqual({ name: 'taskscope', version: pkg.version, namespace: 'taskscope' });
  });

  it('turns every rule on in both configs, under the taskscope namespace', () => {
    for (const config of [plugin.configs.recommended, plugin.configs.strict]) {
      expect(Object.keys(config.rules ?? {}).sort()).toEqual(ruleIds.map((id) => `taskscope/${id}`).sort());
      expect(config.plugins?.taskscope).toBe(plugin);
    }
  });

  it('tightens no-floating-task in the strict config', () => {
    expect(plugin.configs.recommended.rules?.['taskscope/no-floating-task']).toBe('error');
    expect(plugin.configs.strict.rules?.['taskscope/no-floating-task']).toEqual(['error', { ignoreVoid: false }]);
  });
});
