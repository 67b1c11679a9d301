import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FINAL_STATUSES } from '../../domain/intake/proposal-status';
import { select } from '../sql';

export interface ReconProposalRow {
  id: string;
  status: string;
}

export interface ReconTaskRow {
  id: string;
  proposalId: string;
  type: string;
  status: string;
  assignee: string | null;
}

export interface ReconFinancingRow {
  id: string;
  proposalId: string;
  status: string;
}

/** Read-only views of the read model for `npm run reconcile` (workflow state vs projections). */
@Injectable()
export class ReconciliationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Proposals whose workflow should still be running (not in a final status). */
  openProposals(): Promise<ReconProposalRow[]> {
    return select<ReconProposalRow>(this.db, `SELECT id, status FROM proposal WHERE NOT (status = ANY($1)) ORDER BY id`, [
      [...FINAL_STATUSES],
    ]);
  }

  proposalsByIds(ids: string[]): Promise<ReconProposalRow[]> {
    return select<ReconProposalRow>(this.db, `SELECT id, status FROM proposal WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Inbox rows still open or claimed: each needs a running task workflow. */
  openTasks(): Promise<ReconTaskRow[]> {
    return select<ReconTaskRow>(
      this.db,
      `SELECT id, proposal_id AS "proposalId", type, status, assignee FROM task WHERE status IN ('OPEN', 'CLAIMED') ORDER BY id`,
    );
  }

  tasksByIds(ids: string[]): Promise<ReconTaskRow[]> {
    return select<ReconTaskRow>(
      this.db,
      `SELECT id, proposal_id AS "proposalId", type, status, assignee FROM task WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Financing referrals still awaiting an agency decision. */
  pendingFinancing(): Promise<ReconFinancingRow[]> {
    return select<ReconFinancingRow>(
      this.db,
      `SELECT id, proposal_id AS "proposalId", status FROM financing_referral WHERE status = 'PENDING' ORDER BY id`,
    );
  }
}
