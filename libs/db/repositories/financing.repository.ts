import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { FinancingStatus } from '../entities';
import { select } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

export type { FinancingStatus };

export interface FinancingReferralRow {
  id: string;
  proposalId: string;
  instrumentId: string;
  agency: string;
  amountRequested: number | null;
  amountAssigned: number | null;
  amountCommitted: number | null;
  status: FinancingStatus;
  terms: string | null;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface FinancingSummaryRow {
  agency: string;
  instrumentId: string;
  targetMarket: string;
  referrals: number;
  committedUsd: number;
  pendingUsd: number;
}

export type FinancingTotalsRow = Omit<FinancingSummaryRow, 'instrumentId' | 'targetMarket'>;

const COLUMNS = `id, proposal_id AS "proposalId", instrument_id AS "instrumentId", agency,
  amount_requested::float8 AS "amountRequested", amount_assigned::float8 AS "amountAssigned", amount_committed::float8 AS "amountCommitted",
  status, terms, comment, decided_by AS "decidedBy", decided_at AS "decidedAt"`;

/** The only door to the financing referrals (EO 14320 sec. 4(d)). */
@Injectable()
export class FinancingRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One referral per FINANCING_REVIEW task (its id); idempotent. */
  async open(
    tx: Transaction,
    r: Pick<FinancingReferralRow, 'id' | 'proposalId' | 'instrumentId' | 'agency' | 'amountRequested' | 'amountAssigned'> & {
      targetMarkets: string[];
    },
  ): Promise<void> {
    await managerOf(tx).query(
      `INSERT INTO financing_referral (id, proposal_id, instrument_id, agency, amount_requested, amount_assigned, status, target_markets)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7) ON CONFLICT (id) DO NOTHING`,
      [r.id, r.proposalId, r.instrumentId, r.agency, r.amountRequested, r.amountAssigned, r.targetMarkets],
    );
  }

  async decide(
    tx: Transaction,
    r: Pick<FinancingReferralRow, 'id' | 'status' | 'amountCommitted' | 'terms' | 'comment' | 'decidedBy'>,
  ): Promise<void> {
    await managerOf(tx).query(
      `UPDATE financing_referral SET status = $2, amount_committed = $3, terms = $4, comment = $5, decided_by = $6, decided_at = now() WHERE id = $1`,
      [r.id, r.status, r.amountCommitted, r.terms, r.comment, r.decidedBy],
    );
  }

  forProposal(proposalId: string): Promise<FinancingReferralRow[]> {
    return select<FinancingReferralRow>(
      this.db,
      `SELECT ${COLUMNS} FROM financing_referral WHERE proposal_id = $1 ORDER BY created_at, id`,
      [proposalId],
    );
  }

  /** Committed and pending amounts by agency, each referral counted once. */
  totalsByAgency(): Promise<FinancingTotalsRow[]> {
    return select<FinancingTotalsRow>(
      this.db,
      `
      SELECT agency, count(*)::int AS referrals,
             COALESCE(sum(amount_committed) FILTER (WHERE status = 'COMMITTED'), 0)::float8 AS "committedUsd",
             COALESCE(sum(amount_assigned) FILTER (WHERE status = 'PENDING'), 0)::float8 AS "pendingUsd"
        FROM financing_referral GROUP BY agency ORDER BY agency`,
    );
  }

  /** Committed and pending amounts by agency, instrument and target country (a package counts under each of its markets). */
  summary(): Promise<FinancingSummaryRow[]> {
    return select<FinancingSummaryRow>(
      this.db,
      `
      SELECT agency, instrument_id AS "instrumentId", market AS "targetMarket", count(*)::int AS referrals,
             COALESCE(sum(amount_committed) FILTER (WHERE status = 'COMMITTED'), 0)::float8 AS "committedUsd",
             COALESCE(sum(amount_assigned) FILTER (WHERE status = 'PENDING'), 0)::float8 AS "pendingUsd"
        FROM financing_referral, unnest(CASE WHEN cardinality(target_markets) = 0 THEN ARRAY['--'] ELSE target_markets END) AS market
       GROUP BY agency, instrument_id, market
       ORDER BY agency, instrument_id, market`,
    );
  }
}
