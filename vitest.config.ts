import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Unhandled rejections fail the run (vitest's default); keep it explicit for the e2e suite.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
