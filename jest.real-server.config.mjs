// The real-server tier (`npm run test:real-server`): the lifecycle on temporal-server v1.29.1 with its
// four services as separate processes on PostgreSQL (test/support/real-server-global-setup.ts), with
// two workers and two APIs, across a worker kill -9 and a restart of the server.
import { tierConfig } from './jest.tier.mjs';

export default tierConfig({ name: 'real-server', setup: 'real-server', testTimeout: 600_000 });
