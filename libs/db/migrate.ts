import { Client } from 'pg';
import { DataSource } from 'typeorm';

const MIGRATION_LOCK = 7_314_320; // arbitrary, constant across processes: EO 14320

/** Runs `work` on a connection to the server's `postgres` database, with the URL's database name (unquoted and quoted). */
export async function onServerOf(databaseUrl: string, work: (admin: Client, name: string, quoted: string) => Promise<void>): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await work(admin, name, `"${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

/** Creates the database named in the URL if the server lacks it (first start on a fresh server). */
export function ensureDatabase(databaseUrl: string): Promise<void> {
  return onServerOf(databaseUrl, async (admin, name, quoted) => {
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await admin.query(`CREATE DATABASE ${quoted}`);
    } catch (error) {
      // Another process may have created it between our check and create.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });
}

/**
 * Runs pending migrations once, under a PostgreSQL advisory lock, so the API and worker starting
 * together cannot race each other.
 */
export async function migrateDatabase(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
