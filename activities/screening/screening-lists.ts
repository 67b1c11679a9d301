import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { AppConfig, APP_CONFIG } from '../../libs/config';
import { ScreeningListRepository, ScreeningListVersion, StoredScreeningEntry } from '../../libs/db';
import { DEFAULT_MATCH_THRESHOLD, parseCslCsv, PartyMatch, ScreeningIndex } from '../../libs/domain/screening';
import { dataFile } from '../../libs/reference-data';

const BATCH = 1000;

export interface PartyToScreen {
  /** Whose name it is, for the adjudicator: "member Acme Ltd" or "ultimate parent of Acme Ltd". */
  role: string;
  name: string;
}

export interface PartyScreeningResult {
  listVersion: ScreeningListVersion;
  matches: (PartyMatch & { role: string })[];
}

/**
 * The Consolidated Screening List versions (docs/spec.md section 2.2): imports lists into
 * PostgreSQL, keeps an in-memory match index of the active version, and screens names against it.
 */
@Injectable()
export class ScreeningLists implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScreeningLists.name);
  private cached?: { listId: string; index: ScreeningIndex };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lists: ScreeningListRepository,
  ) {}

  /**
   * Outside production a fresh database gets the shipped sample list; production must import the
   * real one. The active list's index is built now, so the first proposal does not wait for it.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.env !== 'production' && !(await this.lists.active())) {
      const { version } = await this.importFile(dataFile('csl-sample.csv'));
      this.logger.log(`Imported the sample screening list (${version.entryCount} entries, ${version.checksum.slice(0, 12)})`);
    }
    const active = await this.lists.active();
    if (active) await this.indexFor(active);
  }

  /** Streams a CSL-format CSV into a new list version (a no-op if the active version has the same checksum). */
  async importFile(path: string, onProgress?: (bytes: number, entries: number) => void) {
    const hash = createHash('sha256');
    let bytes = 0;
    let entries = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    return this.lists.importList(
      basename(path),
      async () => hash.digest('hex'),
      async (insertBatch) => {
        let batch: StoredScreeningEntry[] = [];
        for await (const entry of parseCslCsv(createReadStream(path).pipe(tap))) {
          batch.push({ ...entry, remarks: entry.remarks ?? null });
          if (batch.length === BATCH) {
            await insertBatch(batch);
            entries += batch.length;
            batch = [];
            onProgress?.(bytes, entries);
          }
        }
        await insertBatch(batch);
        entries += batch.length;
        onProgress?.(bytes, entries);
      },
    );
  }

  async screen(parties: PartyToScreen[]): Promise<PartyScreeningResult> {
    const listVersion = await this.lists.active();
    if (!listVersion) throw new Error('No screening list is loaded: import one with `npm run screening:import -- <file.csv>`');
    return this.screenAgainst(listVersion, parties);
  }

  /** Screens against one given list version (a re-screening keeps to the version it was started for). */
  async screenAgainst(listVersion: ScreeningListVersion, parties: PartyToScreen[]): Promise<PartyScreeningResult> {
    const index = await this.indexFor(listVersion);
    const threshold = this.config.screeningMatchThreshold ?? DEFAULT_MATCH_THRESHOLD;
    const matches = parties.flatMap((party) => index.screen(party.name, threshold).map((match) => ({ ...match, role: party.role })));
    return { listVersion, matches };
  }

  private async indexFor(version: ScreeningListVersion): Promise<ScreeningIndex> {
    if (this.cached?.listId !== version.id) {
      const entries = await this.lists.entries(version.id);
      this.cached = { listId: version.id, index: new ScreeningIndex(entries.map((e) => ({ ...e, remarks: e.remarks ?? undefined }))) };
    }
    return this.cached.index;
  }
}
