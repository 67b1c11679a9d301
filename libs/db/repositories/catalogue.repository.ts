import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { select } from '../sql';

export interface CatalogueFilter {
  targetMarket?: string;
  sector?: string;
  layer?: string;
  page: number;
  pageSize: number;
}

/** A designated package as the catalogue reads it: its submission and when it was designated. */
export interface CatalogueRow {
  id: string;
  title: string;
  submission: Record<string, unknown>;
  designatedAt: Date;
}

/**
 * The catalogue of priority AI export packages (docs/spec.md sections 2.3a and 7): proposals
 * designated (the DESIGNATE decision of their last DESIGNATION_DECISION task) and still FINANCING or
 * COMPLETED, so that one made INELIGIBLE by a confirmed screening match drops out.
 */
@Injectable()
export class CatalogueRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: CatalogueFilter): Promise<{ items: CatalogueRow[]; total: number }> {
    // Each filter is a containment test on the submission, answered by idx_proposal_submission.
    const contains: Record<string, unknown>[] = [
      ...(filter.targetMarket ? [{ targetMarkets: [filter.targetMarket] }] : []),
      ...(filter.sector ? [{ stack: { applications: [{ sector: filter.sector }] } }] : []),
      ...(filter.layer ? [{ consortium: { members: [{ layers: [filter.layer] }] } }] : []),
    ];
    const where = [`p.status IN ('FINANCING', 'COMPLETED')`, ...contains.map((_, i) => `p.submission @> $${i + 1}::jsonb`)].join(' AND ');
    const params = contains.map((c) => JSON.stringify(c));
    const designated = `
      FROM proposal p
      JOIN LATERAL (
        SELECT t.decision, t.completed_at FROM task t
         WHERE t.proposal_id = p.id AND t.type = 'DESIGNATION_DECISION' AND t.status = 'COMPLETED'
         ORDER BY t.completed_at DESC LIMIT 1
      ) d ON d.decision = 'DESIGNATE'
      WHERE ${where}`;
    const n = params.length;
    const [items, [{ total }]] = await Promise.all([
      select<CatalogueRow>(
        this.db,
        `SELECT p.id, p.title, p.submission, d.completed_at AS "designatedAt" ${designated}
          ORDER BY d.completed_at DESC, p.id LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
      ),
      select<{ total: number }>(this.db, `SELECT count(*)::int AS total ${designated}`, params),
    ]);
    return { items, total };
  }
}
