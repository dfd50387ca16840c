import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // rules/utils/typescript.cts loads TypeScript with `require` for Node's sake (see there); Vite does not transform
    // `.cts` files, and under Vitest the import costs nothing worth saving, so tests import `typescript` itself.
    alias: [{ find: /^(?:\.{1,2}\/)+(?:rules\/)?utils\/typescript\.cjs$|^\.\/typescript\.cjs$/, replacement: 'typescript' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Dogfooding: the project's own tests run under the leak detector.
    setupFiles: ['./runtime/testing/vitest.ts'],
    // Subprocess runs of Vitest and `npm pack` take seconds on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
