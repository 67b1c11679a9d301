import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { ProposalStatus } from '../../domain/intake/proposal-status';
import { BenefitReferral, ProposalEntity, ProposalEventEntity, ProposalVersionEntity } from '../entities';
import { select } from '../sql';
import { recordIntakeScreening } from './screening-record.repository';
import { managerOf, Transaction } from '../unit-of-work';

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

export type NewProposal = Pick<
  ProposalEntity,
  'id' | 'callId' | 'title' | 'organisation' | 'submittedBy' | 'submission' | 'idempotencyKey' | 'requestDigest'
>;

/** What screening one submission version found (docs/spec.md section 2.1-2.2). */
export type ScreeningResults = Pick<ProposalEntity, 'deficiencies' | 'eligibility' | 'flags' | 'screening'>;

export type SbaReferral = ProposalEntity['sbaReferral'];

export type ScreeningAdjudication = NonNullable<ProposalEntity['screening']['adjudication']>;

/** A write named a row that does not exist: a permanent error (activities turn it into a non-retryable failure). */
export class RowNotFoundError extends Error {
  override readonly name = 'RowNotFoundError';
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} does not exist`);
  }
}

/** PostgreSQL's foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The only door to the proposal tables. */
@Injectable()
export class ProposalRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Files a submission with its first timeline event (SUBMITTED) and keeps it as version 1; its audit
   * event joins the same transaction.
   */
  async insert(tx: Transaction, proposal: NewProposal, received: TimelineEntry): Promise<void> {
    const manager = managerOf(tx);
    await manager.insert(ProposalEntity, { ...proposal, status: 'SUBMITTED' } as QueryDeepPartialEntity<ProposalEntity>);
    await manager.insert(ProposalEventEntity, this.eventRow(proposal.id, received));
    await this.recordVersion(tx, {
      proposalId: proposal.id,
      version: 1,
      submittedAt: received.at,
      submittedBy: proposal.submittedBy,
      body: proposal.submission,
    });
  }

  findByIdempotencyKey(submittedBy: string, idempotencyKey: string): Promise<ProposalEntity | null> {
    return this.db.getRepository(ProposalEntity).findOneBy({ submittedBy, idempotencyKey });
  }

  /** With a transaction, read inside it (seeing its own writes). */
  findById(id: string, tx?: Transaction): Promise<ProposalEntity | null> {
    return this.manager(tx).findOneBy(ProposalEntity, { id });
  }

  async list(filter: ProposalFilter): Promise<{ items: ProposalEntity[]; total: number }> {
    const query = this.db.getRepository(ProposalEntity).createQueryBuilder('p');
    if (filter.organisation !== undefined) query.andWhere('p.organisation = :organisation', { organisation: filter.organisation });
    if (filter.status) query.andWhere('p.status = :status', { status: filter.status });
    if (filter.targetMarket)
      query.andWhere(`p.submission -> 'targetMarkets' @> jsonb_build_array(:market::text)`, { market: filter.targetMarket });
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
    const rows = await select<{ id: string }>(
      this.db,
      `SELECT id FROM proposal WHERE status = 'SUBMITTED' AND created_at < now() - ($1::text || ' milliseconds')::interval ORDER BY created_at LIMIT 100`,
      [String(olderThanMs)],
    );
    return rows.map((r) => r.id);
  }

  /** Titles of the given proposals, for lists that show them beside other rows. */
  async titles(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await select<{ id: string; title: string }>(this.db, 'SELECT id, title FROM proposal WHERE id = ANY($1)', [ids]);
    return new Map(rows.map((r) => [r.id, r.title]));
  }

  /** The screening list version each given proposal was last screened against (by proposal id), in one query. */
  async screenedListVersions(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await select<{ id: string; listId: string | null }>(
      this.db,
      `SELECT id, screening->'listVersion'->>'id' AS "listId" FROM proposal WHERE id = ANY($1)`,
      [ids],
    );
    return new Map(rows.flatMap((r) => (r.listId ? [[r.id, r.listId] as const] : [])));
  }

  timeline(id: string): Promise<ProposalEventEntity[]> {
    return this.db.getRepository(ProposalEventEntity).find({ where: { proposalId: id }, order: { at: 'ASC', id: 'ASC' } });
  }

  /**
   * Appends a timeline event; idempotent by the entry's key, so activity retries are harmless.
   * Returns whether the event was new: the state change it describes, its audit event and its
   * notification belong in the same transaction, written only when it was.
   */
  async recordEvent(tx: Transaction, proposalId: string, entry: TimelineEntry): Promise<boolean> {
    try {
      const inserted = await managerOf(tx)
        .createQueryBuilder()
        .insert()
        .into(ProposalEventEntity)
        .values(this.eventRow(proposalId, entry))
        .orIgnore()
        .execute();
      return (inserted.raw as unknown[]).length > 0;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION)
        throw new RowNotFoundError('Proposal', proposalId);
      throw error;
    }
  }

  /** Whether the proposal's timeline already has the event of this key. */
  async hasEvent(tx: Transaction, proposalId: string, key: string): Promise<boolean> {
    return (await managerOf(tx).getRepository(ProposalEventEntity).countBy({ proposalId, eventKey: key })) > 0;
  }

  /**
   * Projects the workflow's status move number `step` (its step counter, which only grows): the row
   * takes it only if it has not seen this step or a later one, so a retried or late activity never
   * moves the proposal backwards. Returns whether the row moved.
   */
  async advanceStatus(tx: Transaction, id: string, status: ProposalStatus, step: number): Promise<boolean> {
    const [{ moved, found }] = await select<{ moved: boolean; found: boolean }>(
      managerOf(tx),
      `WITH moved AS (UPDATE proposal SET status = $2, status_step = $3 WHERE id = $1 AND status_step < $3 RETURNING id)
       SELECT EXISTS (SELECT 1 FROM moved) AS moved, EXISTS (SELECT 1 FROM proposal WHERE id = $1) AS found`,
      [id, status, step],
    );
    if (!found) throw new RowNotFoundError('Proposal', id);
    return moved;
  }

  /** The completeness, eligibility, flags and party screening of one submission version. */
  async storeScreeningResults(tx: Transaction, id: string, results: ScreeningResults): Promise<void> {
    await managerOf(tx).update(ProposalEntity, { id }, results as QueryDeepPartialEntity<ProposalEntity>);
    const listId = (results.screening.listVersion as { id?: string } | undefined)?.id;
    if (listId) await recordIntakeScreening(managerOf(tx), id, listId, results.screening.status, results.screening.matches);
  }

  /**
   * Sections given replace the stored ones; `version` counts amendments. Returns the proposal as it
   * was before (for the audit event).
   */
  async storeAmendment(
    tx: Transaction,
    id: string,
    amendment: { version: number; sections: Record<string, unknown> },
  ): Promise<ProposalEntity> {
    const manager = managerOf(tx);
    const before = await this.locked(manager, id);
    const submission = { ...before.submission, ...amendment.sections };
    await manager.update(ProposalEntity, { id }, {
      submission,
      version: amendment.version,
      title: String(submission.title ?? before.title),
    } as QueryDeepPartialEntity<ProposalEntity>);
    return before;
  }

  /** The adjudicator's decision on possible list matches: the screening status it sets, and who decided what. */
  async recordAdjudication(tx: Transaction, id: string, status: string, adjudication: ScreeningAdjudication): Promise<void> {
    const manager = managerOf(tx);
    const proposal = await this.locked(manager, id);
    await manager.update(ProposalEntity, { id }, {
      screening: { ...proposal.screening, status, adjudication },
    } as QueryDeepPartialEntity<ProposalEntity>);
  }

  /** Replaces the SBA referral (the members' size determinations and the referral status). */
  async setSbaReferral(tx: Transaction, id: string, sbaReferral: SbaReferral): Promise<void> {
    await managerOf(tx).update(ProposalEntity, { id }, { sbaReferral } as QueryDeepPartialEntity<ProposalEntity>);
  }

  /** SBA's answer to the referral, kept beside the size determinations. */
  async recordSbaOutcome(
    tx: Transaction,
    id: string,
    outcome: { status: string; taskId: string; decision: string; comment: string | null },
  ): Promise<void> {
    const manager = managerOf(tx);
    const proposal = await this.locked(manager, id);
    await manager.update(ProposalEntity, { id }, {
      sbaReferral: { ...proposal.sbaReferral, ...outcome },
    } as QueryDeepPartialEntity<ProposalEntity>);
  }

  /** The amend-by instant while the proposal is returned for information; null clears it (docs/spec.md section 7). */
  async recordAmendBy(tx: Transaction, id: string, amendBy: string | null): Promise<void> {
    await managerOf(tx).update(ProposalEntity, { id }, { amendBy: amendBy ? new Date(amendBy) : null });
  }

  /** Keeps one version of the proposal as sent; idempotent per (proposal, version): a retry keeps the first. */
  async recordVersion(tx: Transaction, version: ProposalVersionEntity): Promise<void> {
    await managerOf(tx)
      .createQueryBuilder()
      .insert()
      .into(ProposalVersionEntity)
      .values(version as QueryDeepPartialEntity<ProposalVersionEntity>)
      .orIgnore()
      .execute();
  }

  /** Every stored version of the proposal, oldest first. */
  versions(id: string): Promise<ProposalVersionEntity[]> {
    return this.db.getRepository(ProposalVersionEntity).find({ where: { proposalId: id }, order: { version: 'ASC' } });
  }

  /** One stored version (null for versions overwritten before versions were kept). */
  version(tx: Transaction, id: string, version: number): Promise<ProposalVersionEntity | null> {
    return managerOf(tx).findOneBy(ProposalVersionEntity, { proposalId: id, version });
  }

  /** One designation benefit's referral (docs/spec.md section 2.3a), kept beside the other. */
  async setBenefit(tx: Transaction, id: string, benefit: 'advocacy' | 'licensing', referral: BenefitReferral | null): Promise<void> {
    const manager = managerOf(tx);
    const proposal = await this.locked(manager, id);
    await manager.update(ProposalEntity, { id }, {
      benefits: { ...proposal.benefits, [benefit]: referral },
    } as QueryDeepPartialEntity<ProposalEntity>);
  }

  private manager(tx?: Transaction): EntityManager {
    return tx ? managerOf(tx) : this.db.manager;
  }

  /** The row, locked until the transaction ends (read-modify-write of its jsonb columns). */
  private async locked(manager: EntityManager, id: string): Promise<ProposalEntity> {
    const proposal = await manager.findOne(ProposalEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!proposal) throw new RowNotFoundError('Proposal', id);
    return proposal;
  }

  private eventRow(proposalId: string, e: TimelineEntry): QueryDeepPartialEntity<ProposalEventEntity> {
    const row = { proposalId, eventKey: e.key, at: e.at, action: e.action, actor: e.actor, detail: e.detail ?? {} };
    return row as QueryDeepPartialEntity<ProposalEventEntity>;
  }
}
