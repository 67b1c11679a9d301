import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditChainRow, AuditContent } from '../../audit/audit-hash';
import type { ChainCounts, SealedLink, SignedCheckpoint, StoredCheckpoint } from '../../audit/audit-seal';
import { AuditChainEntity, AuditCheckpointEntity, AuditEventEntity } from '../entities';
import { managerOf, transaction, Transaction } from '../unit-of-work';

/** Lets one sealer at a time extend the chain, across processes: arbitrary, constant, distinct from the migration lock. */
const AUDIT_SEAL_LOCK = 7_314_322;
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

/** The chain as the sealer finds it: its last link and the newest checkpoint. */
export interface SealState {
  tail: { position: string; hash: string; inline: boolean } | null;
  checkpoint: StoredCheckpoint | null;
}

/** What the sealer appends in one batch: links at consecutive positions after the tail, and their checkpoint. */
export interface SealBatch {
  links: { position: string; eventId: string; prevHash: string; hash: string }[];
  checkpoint: SignedCheckpoint;
}

/** What a verifier is fed, in one snapshot: links by position, each checkpoint after the link at its position. */
export interface ChainVisitor {
  link(link: SealedLink): void;
  checkpoint(checkpoint: StoredCheckpoint): void;
}

/** Event columns under the names AuditChainRow uses (raw queries are not mapped by TypeORM). */
const EVENT_COLUMNS = `e.id::text AS id, e.at, e.actor, e.role, e.agency, e.action, e.subject_type AS "subjectType",
  e.subject_id AS "subjectId", e.before, e.after, e.reason, e.request_id AS "requestId", e.prev_hash AS "prevHash", e.hash`;
const CHECKPOINT_COLUMNS = `id::text AS id, last_position::text AS "lastPosition", head_hash AS "headHash", signed_at AS "signedAt",
  key_id AS "keyId", signature`;

/** The only door to audit_event and its chain: appends are plain inserts; the sealer chains them later; nothing is ever changed. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends one event, unchained: no lock and no read, so audited writes do not wait on each other.
   * With a transaction, the append joins it (it must be active) and commits or rolls back with it.
   */
  append(event: NewAuditEvent, tx?: Transaction): Promise<AuditEventRow> {
    const manager = tx ? managerOf(tx, 'AuditRepository.append') : this.db.manager;
    return this.insert(event, manager);
  }

  private async insert(event: NewAuditEvent, manager: EntityManager): Promise<AuditEventRow> {
    const row = { ...event, at: new Date(), prevHash: null, hash: null };
    const inserted = await manager.insert(AuditEventEntity, row as QueryDeepPartialEntity<AuditEventEntity>);
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
   * Seals up to `limit` committed, unsealed events in one transaction: `plan` sees the chain's state
   * and the events (in id order) and returns the links and checkpoint to append, or throws to refuse.
   * Returns how many were sealed, or undefined when another sealer holds the lock (it will do this).
   * With `since`, only events stamped from then on are looked at (an index range instead of the
   * whole trail); an event committed later than that by a longer transaction waits for a full sweep.
   */
  sealNext(limit: number, plan: (state: SealState, events: AuditChainRow[]) => SealBatch, since?: Date): Promise<number | undefined> {
    return transaction(this.db, async (_tx, m) => {
      const [{ locked }] = (await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_SEAL_LOCK])) as { locked: boolean }[];
      if (!locked) return undefined;
      // Under READ COMMITTED each statement sees every event committed so far, whatever its id.
      const events = (await m.query(
        `SELECT ${EVENT_COLUMNS} FROM audit_event e
          WHERE ($2::timestamptz IS NULL OR e.at >= $2)
            AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id) ORDER BY e.id LIMIT $1`,
        [limit, since ?? null],
      )) as AuditChainRow[];
      if (!events.length) return 0;
      const [tail] = (await m.query(
        `SELECT c.position::text AS position, c.hash, e.hash IS NOT NULL AS inline
           FROM audit_chain c LEFT JOIN audit_event e ON e.id = c.event_id ORDER BY c.position DESC LIMIT 1`,
      )) as SealState['tail'][];
      const [checkpoint] = (await m.query(
        `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY last_position DESC LIMIT 1`,
      )) as StoredCheckpoint[];
      const batch = plan({ tail: tail ?? null, checkpoint: checkpoint ?? null }, events);
      await m.insert(AuditChainEntity, batch.links);
      await m.insert(AuditCheckpointEntity, batch.checkpoint);
      return batch.links.length;
    });
  }

  /**
   * Feeds the whole sealed chain and its checkpoints to `visitor`, a batch at a time, inside one
   * REPEATABLE READ snapshot (a sealer's batch is seen whole or not at all), and counts the rest.
   */
  scanChain(visitor: ChainVisitor, batchSize = VERIFY_BATCH_SIZE): Promise<ChainCounts> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const checkpoints = batches(
        (after: string) =>
          m.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint WHERE last_position > $1 ORDER BY last_position LIMIT $2`, [
            after,
            batchSize,
          ]) as Promise<StoredCheckpoint[]>,
        (c) => c.lastPosition,
      );
      const feedCheckpointsBefore = async (position?: string) => {
        for (let next = await checkpoints.peek(); next; next = await checkpoints.peek()) {
          if (position !== undefined && BigInt(next.lastPosition) >= BigInt(position)) return;
          visitor.checkpoint(await checkpoints.take());
        }
      };
      const links = batches(
        async (after: string) =>
          (
            (await m.query(
              `SELECT c.position::text AS position, c.event_id::text AS "eventId", c.prev_hash AS "linkPrevHash",
                    c.hash AS "linkHash", e.id IS NOT NULL AS present, ${EVENT_COLUMNS}
               FROM audit_chain c LEFT JOIN audit_event e ON e.id = c.event_id
              WHERE c.position > $1 ORDER BY c.position LIMIT $2`,
              [after, batchSize],
            )) as LinkRow[]
          ).map(toLink),
        (l) => l.position,
      );
      for (let link = await links.peek(); link; link = await links.peek()) {
        await links.take();
        await feedCheckpointsBefore(link.position);
        visitor.link(link);
      }
      await feedCheckpointsBefore();
      return this.counts(m);
    });
  }

  /**
   * The sealer's backlog for GET /metrics from index ranges, not the whole trail: events above the
   * newest sealed one (primary key), plus unsealed ones below it stamped since `lateSince`
   * (idx_audit_event_at): late commits, which a routine sealing pass also looks for. One stamped
   * earlier below the newest sealed event (a transaction held open that long) is counted only by
   * GET /audit/verify, and sealed by the next full sweep.
   */
  async sealerBacklog(lateSince: Date): Promise<Pick<ChainCounts, 'pending' | 'lagSeconds'>> {
    const [row] = (await this.db.query(
      `WITH head AS (SELECT coalesce(max(event_id), 0) AS id FROM audit_chain),
            unsealed AS (
              SELECT e.at FROM audit_event e, head WHERE e.id > head.id
              UNION ALL
              SELECT e.at FROM audit_event e, head
               WHERE e.at >= $1 AND e.id < head.id AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id))
       SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(at)), 0)::float8 AS "lagSeconds" FROM unsealed`,
      [lateSince],
    )) as Pick<ChainCounts, 'pending' | 'lagSeconds'>[];
    return { pending: row.pending, lagSeconds: Math.max(0, row.lagSeconds) };
  }

  private async counts(m: EntityManager): Promise<ChainCounts> {
    const [row] = (await m.query(`
      SELECT count(*)::int AS events,
             count(*) FILTER (WHERE c.event_id IS NULL)::int AS pending,
             coalesce(extract(epoch FROM now() - min(e.at) FILTER (WHERE c.event_id IS NULL)), 0)::float8 AS "lagSeconds",
             coalesce(max(e.id), 0)::bigint - coalesce(max(e.id) FILTER (WHERE c.event_id IS NOT NULL), 0)::bigint
               - count(*) FILTER (WHERE e.id > (SELECT coalesce(max(event_id), 0) FROM audit_chain)) AS "unsealedGaps"
        FROM audit_event e LEFT JOIN audit_chain c ON c.event_id = e.id`)) as (ChainCounts & { unsealedGaps: string })[];
    return { ...row, lagSeconds: Math.max(0, row.lagSeconds), unsealedGaps: Number(row.unsealedGaps) };
  }
}

type LinkRow = AuditChainRow & { position: string; eventId: string; linkPrevHash: string; linkHash: string; present: boolean };

function toLink({ position, eventId, linkPrevHash, linkHash, present, ...event }: LinkRow): SealedLink {
  return { position, eventId, prevHash: linkPrevHash, hash: linkHash, event: present ? event : null };
}

/** A cursor over keyset-paged rows, fetched a batch at a time. */
function batches<T>(fetch: (after: string) => Promise<T[]>, keyOf: (row: T) => string) {
  let buffer: T[] = [];
  let after = '0';
  let done = false;
  const fill = async () => {
    if (buffer.length || done) return;
    buffer = await fetch(after);
    if (!buffer.length) done = true;
    else after = keyOf(buffer[buffer.length - 1]);
  };
  return {
    async peek(): Promise<T | undefined> {
      await fill();
      return buffer[0];
    },
    async take(): Promise<T> {
      await fill();
      return buffer.shift() as T;
    },
  };
}
