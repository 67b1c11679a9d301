import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

/** The only door to the proposal tables. */
@Injectable()
export class ProposalRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(proposal: Pick<ProposalEntity, 'id' | 'title' | 'submission'>, received: TimelineEntry): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(ProposalEntity, { ...proposal, status: 'SUBMITTED' } as QueryDeepPartialEntity<ProposalEntity>);
      await tx.insert(ProposalEventEntity, this.eventRow(proposal.id, received));
    });
  }

  findById(id: string): Promise<ProposalEntity | null> {
    return this.db.getRepository(ProposalEntity).findOneBy({ id });
  }

  timeline(id: string): Promise<ProposalEventEntity[]> {
    return this.db.getRepository(ProposalEventEntity).find({ where: { proposalId: id }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Projects a status change; idempotent by the entry's key, so activity retries are harmless. */
  async projectStatus(id: string, status: ProposalStatus, entry: TimelineEntry): Promise<void> {
    await this.db.transaction(async (tx) => {
      const inserted = await tx
        .createQueryBuilder()
        .insert()
        .into(ProposalEventEntity)
        .values(this.eventRow(id, entry))
        .orIgnore()
        .execute();
      if ((inserted.raw as unknown[]).length) {
        await tx.update(ProposalEntity, { id }, { status });
      }
    });
  }

  private eventRow(proposalId: string, e: TimelineEntry): QueryDeepPartialEntity<ProposalEventEntity> {
    const row = { proposalId, eventKey: e.key, at: e.at, action: e.action, actor: e.actor, detail: e.detail ?? {} };
    return row as QueryDeepPartialEntity<ProposalEventEntity>;
  }
}
