import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { ProposalStatus } from '../../domain/intake/proposal-status';
import { ProposalEntity, ProposalEventEntity } from '../entities';

export interface TimelineEntry {
  /** Business key of the event: a retried projection with the same key writes nothing new. */
  key: string;
  at: Date;
  action: string;
  actor: string;
  detail?: Record<string, unknown>;
}

export interface ProposalFilter {
  status?: ProposalStatus;
  targetMarket?: string;
  text?: string;
  /** Set for applicants: only their organisation's proposals. */
  organisation?: string;
  page: number;
  pageSize: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The only door to the proposal tables. */
@Injectable()
export class ProposalRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Files a submission with its first timeline event; `alsoInTransaction` (its audit event) commits with it. */
  async insert(
    proposal: Pick<ProposalEntity, 'id' | 'callId' | 'title' | 'organisation' | 'submittedBy' | 'submission' | 'idempotencyKey' | 'requestDigest'>,
    received: TimelineEntry,
    alsoInTransaction: (tx: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(ProposalEntity, { ...proposal, status: 'SUBMITTED' } as QueryDeepPartialEntity<ProposalEntity>);
      await tx.insert(ProposalEventEntity, this.eventRow(proposal.id, received));
      await alsoInTransaction(tx);
    });
  }

  findByIdempotencyKey(submittedBy: string, idempotencyKey: string): Promise<ProposalEntity | null> {
    return this.db.getRepository(ProposalEntity).findOneBy({ submittedBy, idempotencyKey });
  }

  findById(id: string): Promise<ProposalEntity | null> {
    return this.db.getRepository(ProposalEntity).findOneBy({ id });
  }

  async list(filter: ProposalFilter): Promise<{ items: ProposalEntity[]; total: number }> {
    const query = this.db.getRepository(ProposalEntity).createQueryBuilder('p');
    if (filter.organisation !== undefined) query.andWhere('p.organisation = :organisation', { organisation: filter.organisation });
    if (filter.status) query.andWhere('p.status = :status', { status: filter.status });
    if (filter.targetMarket) query.andWhere(`p.submission -> 'targetMarkets' @> jsonb_build_array(:market::text)`, { market: filter.targetMarket });
    if (filter.text) {
      query.andWhere(`(p.title ILIKE :text OR p.submission #>> '{consortium,name}' ILIKE :text)`, { text: `%${escapeLike(filter.text)}%` });
    }
    const [items, total] = await query
      .orderBy('p.created_at', 'DESC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /** Proposals still SUBMITTED after `olderThanMs`: their workflow may never have started. */
  async stalledSubmissions(olderThanMs: number): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id FROM proposal WHERE status = 'SUBMITTED' AND created_at < now() - ($1::text || ' milliseconds')::interval ORDER BY created_at LIMIT 100`,
      [String(olderThanMs)],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Titles of the given proposals, for lists that show them beside other rows. */
  async titles(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = (await this.db.query('SELECT id, title FROM proposal WHERE id = ANY($1)', [ids])) as { id: string; title: string }[];
    return new Map(rows.map((r) => [r.id, r.title]));
  }

  timeline(id: string): Promise<ProposalEventEntity[]> {
    return this.db.getRepository(ProposalEventEntity).find({ where: { proposalId: id }, order: { at: 'ASC', id: 'ASC' } });
  }

  /**
   * Appends a timeline event; idempotent by the entry's key, so activity retries are harmless.
   * `alsoInTransaction` runs only when the event is new (the state change it describes, its audit
   * event), atomically with it. Returns whether the event was new.
   */
  async recordEvent(proposalId: string, entry: TimelineEntry, alsoInTransaction?: (tx: EntityManager) => Promise<unknown>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.createQueryBuilder().insert().into(ProposalEventEntity).values(this.eventRow(proposalId, entry)).orIgnore().execute();
      const isNew = (inserted.raw as unknown[]).length > 0;
      if (isNew) await alsoInTransaction?.(tx);
      return isNew;
    });
  }

  /** Projects a status change as a timeline event (see recordEvent). */
  projectStatus(id: string, status: ProposalStatus, entry: TimelineEntry, alsoInTransaction?: (tx: EntityManager) => Promise<unknown>): Promise<boolean> {
    return this.recordEvent(id, entry, async (tx) => {
      await tx.update(ProposalEntity, { id }, { status });
      await alsoInTransaction?.(tx);
    });
  }

  private eventRow(proposalId: string, e: TimelineEntry): QueryDeepPartialEntity<ProposalEventEntity> {
    const row = { proposalId, eventKey: e.key, at: e.at, action: e.action, actor: e.actor, detail: e.detail ?? {} };
    return row as QueryDeepPartialEntity<ProposalEventEntity>;
  }
}
