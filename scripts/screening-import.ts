import { SingleBar, Presets } from 'cli-progress';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ScreeningLists } from '../activities/screening/screening-lists';
import { AppConfig, loadConfig } from '../libs/config';
import { ensureDatabase, openDatabase } from '../libs/db';
import { connectClient, startRescreenWorkflow } from '../libs/temporal';

/** How long the import waits for Temporal before leaving the re-screening to the worker's sweep. */
const TEMPORAL_WAIT_MS = 10_000;

/**
 * Starts the new version's re-screening batch (docs/spec.md section 2.4a). Temporal being unreachable
 * does not fail the import: the worker starts a missing batch for the active version at boot and
 * every 30 seconds after.
 */
async function startRescreening(config: AppConfig, listVersionId: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TEMPORAL_WAIT_MS / 1000}s`)), TEMPORAL_WAIT_MS);
  });
  try {
    const client = await Promise.race([connectClient(config.temporal), timeout]);
    try {
      const started = await Promise.race([startRescreenWorkflow(client, listVersionId), timeout]);
      return started === 'started' ? 'Re-screening of the open proposals started.' : 'Its re-screening was already started.';
    } finally {
      await client.connection.close();
    }
  } catch (error) {
    return `Temporal is unreachable (${error instanceof Error ? error.message : String(error)}): the worker will start the re-screening.`;
  } finally {
    clearTimeout(timer);
  }
}

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
    if (imported) console.log(await startRescreening(config, version.id));
  } finally {
    bar.stop();
    await db.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
