// Jest's CommonJS runtime cannot load NestJS 12's ESM files without a transform: swc handles .ts and
// the @nestjs .js files alike (see ../shared/TOOLCHAIN.md).
const swc = ['@swc/jest', JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc.jest.json', 'utf8'))];
const common = {
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose|any-ascii)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};
module.exports = {
  // Integration tests wait on real workflows; unit tests finish far sooner.
  testTimeout: 120000,
  // Two files at a time, though the machine has 2 cores (Jest's default would be one): each
  // integration file runs its own stack on its own database and namespace (test/support/stack.ts) and
  // mostly waits on workflows and timers, so a second one fits in (9 min 33 s in CI for files whose
  // own times add up to about 16½ min).
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      // The fast workflow tier: real workflows on a local dev server, stub activities (test/support/workflow-harness.ts).
      ...common,
      displayName: 'workflows',
      testMatch: ['<rootDir>/test/workflows/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/workflow-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/workflow-global-teardown.ts',
    },
  ],
};
