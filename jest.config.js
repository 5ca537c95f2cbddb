/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // esbuild compiles TypeScript and the ESM-only middy packages to CommonJS in one pass.
  transform: { '^.+\\.(t|j|mj|cj)s$': '<rootDir>/test/support/esbuild-jest-transform.cjs' },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  testTimeout: 30000,
};
