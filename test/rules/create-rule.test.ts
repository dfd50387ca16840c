import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { createRule } from '../../rules/utils/create-rule.js';

type Options = [{ allowed: string[]; strict: boolean }];

/** A rule that records the options its `create` receives, one entry per linted file. */
function recordingRule(seen: Readonly<Options>[]) {
  return createRule<Options, 'seen'>({
    name: 'recording',
    meta: {
      type: 'problem',
      docs: { description: 'Records its options.', requiresTypeChecking: true },
      messages: { seen: 'seen' },
      schema: [{ type: 'object', properties: { allowed: { type: 'array', items: { type: 'string' } }, strict: { type: 'boolean' } }, additionalProperties: false }],
    },
    defaultOptions: [{ allowed: ['a'], strict: false }],
    create(_context, options) {
      seen.push(options);
      return {};
    },
  });
}

function lint(seen: Readonly<Options>[], entry: Linter.RuleEntry, files: number): void {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [{ plugins: { test: { rules: { recording: recordingRule(seen) as never } } }, rules: { 'test/recording': entry } }];
  for (let index = 0; index < files; index++) linter.verify('const x = 1;\n', config, { filename: `file${index}.js` });
}

describe('createRule', () => {
  it('merges the configured options into the defaults as typescript-eslint does', () => {
    const seen: Readonly<Options>[] = [];
    lint(seen, ['error', { strict: true }], 1);
    expect(seen).toEqual([[{ allowed: ['a'], strict: true }]]);
  });

  it('merges once per configuration: every file of one configuration gets the same frozen options', () => {
    const seen: Readonly<Options>[] = [];
    lint(seen, ['error', { allowed: ['b'] }], 3);
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    expect(Object.isFrozen(seen[0]![0].allowed)).toBe(true);
    expect(() => seen[0]![0].allowed.push('c')).toThrow(TypeError);
  });

  it('freezes a copy, never the configured objects themselves', () => {
    const seen: Readonly<Options>[] = [];
    const allowed = ['b'];
    lint(seen, ['error', { allowed }], 1);
    expect(seen[0]![0].allowed).toEqual(['b']);
    expect(Object.isFrozen(allowed)).toBe(false);
  });

  it('keeps configurations apart, and leaves the defaults as declared', () => {
    const seen: Readonly<Options>[] = [];
    const rule = recordingRule(seen);
    lint(seen, ['error', { allowed: ['b'] }], 1);
    lint(seen, 'error', 1);
    expect(seen).toEqual([[{ allowed: ['b'], strict: false }], [{ allowed: ['a'], strict: false }]]);
    expect(rule.defaultOptions).toEqual([{ allowed: ['a'], strict: false }]);
    expect(Object.isFrozen(rule.defaultOptions)).toBe(false);
  });
});
