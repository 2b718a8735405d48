/** Jest on ESM TypeScript: swc transforms, `.js` suffixes of relative imports are stripped. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'automatic' } } },
      module: { type: 'es6' },
    }],
  },
  // Integration and unit tests under test/; each policy's unit test beside its policy module.
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/resources/**/*.test.ts'],
  // Anchored at the root: a checkout that lives in a folder named bench must still find its tests.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/', '<rootDir>/bench/'],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testTimeout: 60000,
};
