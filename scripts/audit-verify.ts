import { loadConfig } from '../libs/config';
import { openDatabase } from '../libs/db';

const EXIT_BROKEN = 2;

/** `node dist/scripts/audit-verify.js`: verifies the audit hash chain at DATABASE_URL; exit 0 valid, 2 broken, 1 error. */
async function main(): Promise<number> {
  const { databaseUrl } = loadConfig(process.env);
  const db = await openDatabase(databaseUrl);
  try {
    const verdict = await db.audit.verify();
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
