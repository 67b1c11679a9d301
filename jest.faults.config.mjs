// The fault suite (`npm run test:faults`): kills and restarts the real processes, PostgreSQL and
// Temporal of a private environment (test/support/fault-global-setup.ts), one file at a time.
// Kept out of jest.config.js so that plain `jest` / `npm test` never runs it; it reuses that
// file's swc transform setup.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { projects } = require('./jest.config.js');
const { transform, transformIgnorePatterns, moduleFileExtensions, testEnvironment } = projects[0];

export default {
  transform,
  transformIgnorePatterns,
  moduleFileExtensions,
  testEnvironment,
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/fault-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/fault-global-teardown.ts',
  // Scenarios stop shared services (PostgreSQL, Temporal): never two files at once.
  maxWorkers: 1,
  testTimeout: 240_000,
};
