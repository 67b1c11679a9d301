// A jest configuration for a suite kept out of jest.config.js (so that plain `jest` / `npm test`
// never runs it) with a private environment of its own: jest.faults.config.mjs and
// jest.real-server.config.mjs. It reuses jest.config.js's swc transform setup.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { projects } = require('./jest.config.js');
const { transform, transformIgnorePatterns, moduleFileExtensions, testEnvironment } = projects[0];

/** `name`: test/<name>/**\/*.spec.ts, set up and torn down by test/support/<setup>-global-{setup,teardown}.ts. */
export function tierConfig({ name, setup, testTimeout }) {
  return {
    transform,
    transformIgnorePatterns,
    moduleFileExtensions,
    testEnvironment,
    displayName: name,
    testMatch: [`<rootDir>/test/${name}/**/*.spec.ts`],
    globalSetup: `<rootDir>/test/support/${setup}-global-setup.ts`,
    globalTeardown: `<rootDir>/test/support/${setup}-global-teardown.ts`,
    // The specs stop or restart the tier's shared services (PostgreSQL, Temporal): never two files at once.
    maxWorkers: 1,
    testTimeout,
  };
}
