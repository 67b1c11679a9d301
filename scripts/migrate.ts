import { DataSource } from 'typeorm';
import { loadConfig } from '../libs/config';
import { dataSourceOptions, ensureDatabase, migrateDatabase } from '../libs/db';

/** `npm run migration:run | migration:revert | migration:show` against DATABASE_URL. */
async function main(command: string | undefined): Promise<void> {
  const { databaseUrl } = loadConfig(process.env);
  await ensureDatabase(databaseUrl);
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    if (command === 'run') console.log('applied:', await migrateDatabase(dataSource));
    else if (command === 'revert') await dataSource.undoLastMigration({ transaction: 'each' });
    else if (command === 'show') console.log((await dataSource.showMigrations()) ? 'pending migrations' : 'up to date');
    else throw new Error('usage: migrate.js run|revert|show');
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
