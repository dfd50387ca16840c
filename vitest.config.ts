import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Dogfooding: the project's own tests run under the leak detector.
    setupFiles: ['./runtime/testing/vitest.ts'],
    // Subprocess runs of Vitest and `npm pack` take seconds on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
