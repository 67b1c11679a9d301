import { AuditService, loadVerifyingKeys } from '../libs/audit';
import { loadConfig } from '../libs/config';
import { openDatabase } from '../libs/db';

const EXIT_BROKEN = 2;

/**
 * `node dist/scripts/audit-verify.js`: verifies the sealed audit chain and its signed checkpoints at
 * DATABASE_URL with the sealing public keys (AUDIT_SEAL_PUBLIC_KEY_FILE, current and retired), each
 * checkpoint with the key its key id names; exit 0 valid, 2 broken, 1 error.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const keys = loadVerifyingKeys(config);
  const db = await openDatabase(config.databaseUrl);
  try {
    const verdict = await new AuditService(db.audit, keys).verify();
    console.log(JSON.stringify(verdict));
    return verdict.valid ? 0 : EXIT_BROKEN;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
