import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run on the sources: `@weft/core` points at its src, not at a dist that may be
    // missing or stale.
    alias: [
      {
        find: /^@weft\/core$/,
        replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    include: [
      'packages/*/test/**/*.test.ts',
      'packages/*/test/**/*.test.tsx',
      'examples/*/test/**/*.test.ts',
    ],
    // In CI, also a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.vitest/results.json' }]]
      : ['default'],
    // Long runs (npm run test:long) take minutes per test.
    testTimeout: process.env.WEFT_LONG ? 3_600_000 : 120_000,
    hookTimeout: 60_000,
  },
});
