import { loadConfig } from '../libs/config';
import { ensureDatabase, openDatabase } from '../libs/db';

/** `npm run migration:run | migration:revert | migration:show` against DATABASE_URL. */
async function main(command: string | undefined): Promise<void> {
  const { databaseUrl } = loadConfig(process.env);
  await ensureDatabase(databaseUrl);
  const db = await openDatabase(databaseUrl);
  try {
    if (command === 'run') console.log('applied:', await db.migrate());
    else if (command === 'revert') await db.revertLastMigration();
    else if (command === 'show') console.log((await db.hasPendingMigrations()) ? 'pending migrations' : 'up to date');
    else throw new Error('usage: migrate.js run|revert|show');
  } finally {
    await db.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
