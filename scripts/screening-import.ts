import { SingleBar, Presets } from 'cli-progress';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ScreeningLists } from '../activities/screening/screening-lists';
import { loadConfig } from '../libs/config';
import { ensureDatabase, openDatabase } from '../libs/db';

/**
 * `npm run screening:import -- <file.csv>`: imports a Consolidated Screening List CSV (trade.gov
 * layout) as a new list version, versioned by import time and SHA-256, and makes it active.
 */
async function main(file: string | undefined): Promise<void> {
  if (!file) throw new Error('usage: npm run screening:import -- <consolidated.csv>');
  const path = resolve(file);
  const config = loadConfig(process.env);
  await ensureDatabase(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);
  const bar = new SingleBar({ format: 'importing {bar} {percentage}% | {entries} entries | {duration}s' }, Presets.shades_classic);
  try {
    await db.migrate();
    const service = new ScreeningLists(config, db.screeningLists);
    const started = Date.now();
    bar.start(statSync(path).size, 0, { entries: 0 });
    const { version, imported } = await service.importFile(path, (bytes, entries) => bar.update(bytes, { entries }));
    bar.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      imported
        ? `Imported ${version.entryCount} entries in ${seconds}s as list ${version.id} (sha256 ${version.checksum}); it is now the active list.`
        : `Unchanged: the active list ${version.id} already has checksum ${version.checksum}.`,
    );
  } finally {
    bar.stop();
    await db.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
