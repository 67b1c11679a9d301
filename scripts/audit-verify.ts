import { DataSource } from 'typeorm';
import { AuditRepository } from '../libs/audit/audit.repository';
import { loadConfig } from '../libs/config';
import { dataSourceOptions } from '../libs/db/data-source';

const EXIT_BROKEN = 2;

/** `node dist/scripts/audit-verify.js`: verifies the audit hash chain at DATABASE_URL; exit 0 valid, 2 broken, 1 error. */
async function main(): Promise<number> {
  const { databaseUrl } = loadConfig(process.env);
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    const verdict = await new AuditRepository(dataSource).verify();
    console.log(JSON.stringify(verdict));
    return verdict.valid ? 0 : EXIT_BROKEN;
  } finally {
    await dataSource.destroy();
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
