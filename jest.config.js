/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/package packs and installs the package (about two minutes): `npm run test:package`, in .ci/run.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/package/'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // ky is ESM-only; jest runs CommonJS, so it must be transformed too.
  transformIgnorePatterns: ['/node_modules/(?!(ky)/)'],
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 60_000,
  // Two cores: more workers only contend for CPU with the in-process servers under test.
  maxWorkers: 2,
};
