// The project's own lint config. Layer rules from STYLE.md are enforced here with `no-restricted-imports`, so a
// runtime module that pulls in a compiler or a test runner fails `npm test` rather than a code review.
// Dogfooding: taskscope's own rules run on this repository, straight from source (`npm run lint` loads tsx).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import taskscope from './rules/index.ts';

const toolingPackages = ['eslint', 'eslint/*', 'typescript', 'ts-morph', '@typescript-eslint/*', 'typescript-eslint', 'vitest', 'vitest/*'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'reports/**', 'coverage/**', 'fixtures/**', '**/*.d.ts', '.tmp-*', '.scratch-*'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    files: ['runtime/**/*.ts'],
    ignores: ['runtime/testing/vitest.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: toolingPackages, message: 'runtime/ must not import tooling (STYLE.md, layer rules).' }],
      }],
    },
  },
  {
    files: ['**/*.ts'],
    ...taskscope.configs.recommended,
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.mjs', 'bin/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
