/** Browser journeys (Debian's Chromium driven by playwright-core): `npm run test:browser`. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // A file's first request builds the panel's component bundle (rollup + babel): up to 150 s measured on the busy 2-core machine.
  testTimeout: 300000,
};
