import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:unit`: the tests that run in-process in seconds (no child processes, no fake
 * Discord, no SQuAD suite). `npm test` still runs everything.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'tests/commands.test.ts',
      'tests/config.test.ts',
      'tests/fake-discord.test.ts',
      'tests/general-source.test.ts',
      'tests/knowledge.test.ts',
      'tests/lexicon.test.ts',
      'tests/render.test.ts',
      'tests/respond.test.ts',
      'tests/search.test.ts',
      'tests/uncurated.test.ts',
    ],
    exclude: ['**/node_modules/**'],
  },
});
