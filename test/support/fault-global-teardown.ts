import { rmSync } from 'node:fs';
import { faultState, postgresRunning, stopPostgres, stopTemporal } from './fault-services';

/** Stops the fault suite's private services, whatever state a failed scenario left them in, and removes their files. */
export default async function faultGlobalTeardown(): Promise<void> {
  if (!process.env.EXPORTS_DESK_TEST_STATE) return;
  const state = faultState();
  await stopTemporal(state).catch(() => undefined);
  if (postgresRunning(state)) stopPostgres(state);
  rmSync(state.stateDir, { recursive: true, force: true });
}
