// The real-server tier (`npm run test:real-server`): the lifecycle on temporal-server v1.29.1 with its
// four services as separate processes on PostgreSQL (test/support/real-server-global-setup.ts), with
// two workers and two APIs, across a worker kill -9 and a restart of the server. Kept out of
// jest.config.js so that plain `jest` / `npm test` never runs it; it reuses that file's swc setup.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { projects } = require('./jest.config.js');
const { transform, transformIgnorePatterns, moduleFileExtensions, testEnvironment } = projects[0];

export default {
  transform,
  transformIgnorePatterns,
  moduleFileExtensions,
  testEnvironment,
  displayName: 'real-server',
  testMatch: ['<rootDir>/test/real-server/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/real-server-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/real-server-global-teardown.ts',
  // The spec restarts the shared server: never two files at once.
  maxWorkers: 1,
  testTimeout: 600_000,
};
