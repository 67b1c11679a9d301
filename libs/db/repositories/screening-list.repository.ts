import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type { ScreeningEntry } from '../../domain/screening/csl-csv';
import { ScreeningEntryEntity, ScreeningListEntity } from '../entities';

/** A list entry as stored: the parsed entry, with remarks as a nullable column. */
export type StoredScreeningEntry = Omit<ScreeningEntry, 'remarks'> & { remarks?: string | null };

/** Which list a screening used: recorded with every result (docs/spec.md section 2.2). */
export interface ScreeningListVersion {
  id: string;
  source: string;
  checksum: string;
  importedAt: string;
  entryCount: number;
}

const toVersion = (list: ScreeningListEntity): ScreeningListVersion => ({
  id: list.id,
  source: list.source,
  checksum: list.checksum,
  importedAt: list.importedAt.toISOString(),
  entryCount: list.entryCount,
});

/** The only door to the screening list tables. */
@Injectable()
export class ScreeningListRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async active(): Promise<ScreeningListVersion | null> {
    const list = await this.db.getRepository(ScreeningListEntity).findOneBy({ active: true });
    return list ? toVersion(list) : null;
  }

  async byId(listId: string): Promise<ScreeningListVersion | null> {
    const list = await this.db.getRepository(ScreeningListEntity).findOneBy({ id: listId });
    return list ? toVersion(list) : null;
  }

  async entries(listId: string): Promise<StoredScreeningEntry[]> {
    return this.db.getRepository(ScreeningEntryEntity).find({ where: { listId }, order: { id: 'ASC' } });
  }

  /** The entries of a list version with these entry ids (what an adjudicator compares a party with). */
  async entriesByIds(listId: string, entryIds: readonly string[]): Promise<StoredScreeningEntry[]> {
    if (!entryIds.length) return [];
    return this.db.getRepository(ScreeningEntryEntity).find({ where: { listId, entryId: In([...entryIds]) } });
  }

  /**
   * Imports a list in one transaction and makes it the active version, unless the active version
   * already has this checksum (re-importing the same file changes nothing).
   */
  async importList(
    source: string,
    checksumOf: () => Promise<string>,
    fill: (insertBatch: (entries: StoredScreeningEntry[]) => Promise<void>) => Promise<void>,
  ): Promise<{ version: ScreeningListVersion; imported: boolean }> {
    return this.db.transaction(async (tx) => {
      const id = randomUUID();
      await tx.insert(ScreeningListEntity, { id, source, checksum: '', entryCount: 0, importedAt: new Date(), active: false });
      let count = 0;
      await fill(async (batch) => {
        count += batch.length;
        await this.insertBatch(tx, id, batch);
      });
      const checksum = await checksumOf();
      const current = await tx.findOneBy(ScreeningListEntity, { active: true });
      if (current?.checksum === checksum) {
        await tx.delete(ScreeningListEntity, { id });
        return { version: toVersion(current), imported: false };
      }
      await tx.update(ScreeningListEntity, { active: true }, { active: false });
      await tx.update(ScreeningListEntity, { id }, { checksum, entryCount: count, active: true });
      return { version: toVersion((await tx.findOneBy(ScreeningListEntity, { id })) as ScreeningListEntity), imported: true };
    });
  }

  /** Removes every list version and its entries: for throwaway databases only (the benchmark's). */
  async removeAll(): Promise<void> {
    await this.db.query('TRUNCATE screening_list CASCADE');
  }

  private async insertBatch(tx: EntityManager, listId: string, batch: StoredScreeningEntry[]): Promise<void> {
    if (!batch.length) return;
    await tx
      .createQueryBuilder()
      .insert()
      .into(ScreeningEntryEntity)
      .values(batch.map((e) => ({ ...e, remarks: e.remarks ?? null, listId })))
      .execute();
  }
}
