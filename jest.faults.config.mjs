// The fault suite (`npm run test:faults`): kills and restarts the real processes, PostgreSQL and
// Temporal of a private environment (test/support/fault-global-setup.ts), one file at a time.
import { tierConfig } from './jest.tier.mjs';

export default tierConfig({ name: 'faults', setup: 'fault', testTimeout: 240_000 });
