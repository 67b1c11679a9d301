import { AuditService, loadVerifyingKey } from '../libs/audit';
import { loadConfig } from '../libs/config';
import { openDatabase } from '../libs/db';

const EXIT_BROKEN = 2;

/**
 * `node dist/scripts/audit-verify.js`: verifies the sealed audit chain and its signed checkpoints at
 * DATABASE_URL with the sealing public key (AUDIT_SEAL_PUBLIC_KEY_FILE); exit 0 valid, 2 broken, 1 error.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const key = loadVerifyingKey(config);
  const db = await openDatabase(config.databaseUrl);
  try {
    const verdict = await new AuditService(db.audit, key).verify();
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
