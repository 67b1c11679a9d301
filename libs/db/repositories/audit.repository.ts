import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditContent, ChainVerdict, ChainVerifier, GENESIS_HASH, hashEvent } from '../../audit/audit-hash';
import { AuditEventEntity } from '../entities';
import { managerOf, transaction, Transaction } from '../unit-of-work';

/** Serialises appends across every process: arbitrary, constant, distinct from the migration lock (EO 14320). */
const AUDIT_APPEND_LOCK = 7_314_321;
const VERIFY_BATCH_SIZE = 1000;

export type NewAuditEvent = Omit<AuditContent, 'at'>;

/** A stored audit event (the entity's shape, as plain data). */
export type AuditEventRow = Pick<AuditEventEntity, keyof AuditEventEntity>;

export interface AuditEventFilter {
  subjectType?: string;
  subjectId?: string;
  actor?: string;
  action?: string;
}

/** The only door to audit_event: appends extend the hash chain; nothing is ever changed. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends one event at the end of the chain. With a transaction, the append joins it; it must be
   * active and READ COMMITTED (a stricter isolation level may read a stale tail; the unique
   * prev_hash index then fails the append rather than fork the chain). The chain lock is held
   * until that transaction ends, so record audit events late in long ones.
   */
  append(event: NewAuditEvent, tx?: Transaction): Promise<AuditEventRow> {
    if (!tx) return transaction(this.db, (_tx, manager) => this.appendInTransaction(event, manager));
    // Outside a transaction the advisory lock would be released before the insert.
    return this.appendInTransaction(event, managerOf(tx, 'AuditRepository.append'));
  }

  private async appendInTransaction(event: NewAuditEvent, tx: EntityManager): Promise<AuditEventRow> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK]);
    // Read after taking the lock: under READ COMMITTED this statement sees the latest committed tail.
    const tail = await tx
      .createQueryBuilder(AuditEventEntity, 'e')
      .select('e.hash', 'hash')
      .orderBy('e.id', 'DESC')
      .limit(1)
      .getRawOne<{ hash: string }>();
    const prevHash = tail?.hash ?? GENESIS_HASH;
    // Stamped under the lock so time never runs backwards along the chain; Date has millisecond precision.
    const content: AuditContent = { ...event, at: new Date() };
    const row = { ...content, prevHash, hash: hashEvent(prevHash, content) };
    const inserted = await tx.insert(AuditEventEntity, row as QueryDeepPartialEntity<AuditEventEntity>);
    return { ...row, id: String(inserted.identifiers[0].id) };
  }

  /** Newest first. */
  async findPage(filter: AuditEventFilter, page: number, pageSize: number): Promise<{ rows: AuditEventRow[]; total: number }> {
    // TypeORM rejects undefined where-values, so only the criteria given are passed on.
    const where = Object.fromEntries(
      Object.entries(filter).filter(([, value]) => value !== undefined),
    ) as FindOptionsWhere<AuditEventEntity>;
    const [rows, total] = await this.db.getRepository(AuditEventEntity).findAndCount({
      where,
      order: { id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { rows, total };
  }

  /**
   * Recomputes the whole chain in id order, a batch at a time, inside one REPEATABLE READ snapshot
   * so appends made meanwhile cannot make the count inconsistent.
   */
  verify(batchSize = VERIFY_BATCH_SIZE): Promise<ChainVerdict> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const verifier = new ChainVerifier();
      let afterId = '0';
      for (;;) {
        const batch = await tx
          .createQueryBuilder(AuditEventEntity, 'e')
          .where('e.id > :afterId', { afterId })
          .orderBy('e.id', 'ASC')
          .limit(batchSize)
          .getMany();
        for (const row of batch) verifier.add(row);
        if (batch.length < batchSize) return verifier.verdict();
        afterId = batch[batch.length - 1].id;
      }
    });
  }
}
