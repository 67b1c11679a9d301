import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FINAL_STATUSES } from '../../domain/intake/proposal-status';
import { select } from '../sql';

export interface PipelineReport {
  countsByStatus: { status: string; count: number }[];
  tasksByAgency: { agency: string; open: number; slaBreaches: number }[];
  medianDaysPerStage: { stage: string; medianDays: number; transitions: number }[];
  throughputPerWeek: { week: string; submitted: number; closed: number }[];
}

/** Read-only aggregates over the projections for program managers (docs/spec.md section 7, Oversight). */
@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async pipeline(): Promise<PipelineReport> {
    const [countsByStatus, tasksByAgency, medianDaysPerStage, throughputPerWeek] = await Promise.all([
      select<PipelineReport['countsByStatus'][number]>(
        this.db,
        `SELECT status, count(*)::int AS count FROM proposal GROUP BY status ORDER BY status`,
      ),
      // A breach: an open task past its due date, or escalated for it.
      select<PipelineReport['tasksByAgency'][number]>(
        this.db,
        `
        SELECT agency,
               count(*) FILTER (WHERE status IN ('OPEN', 'CLAIMED'))::int AS open,
               count(*) FILTER (WHERE status IN ('OPEN', 'CLAIMED') AND (escalated OR due_at < now()))::int AS "slaBreaches"
          FROM task GROUP BY agency ORDER BY agency`,
      ),
      // Time in a stage: from the event entering it to the proposal's next status event.
      select<PipelineReport['medianDaysPerStage'][number]>(
        this.db,
        `
        WITH moves AS (
          SELECT substr(action, 8) AS stage, at, lead(at) OVER (PARTITION BY proposal_id ORDER BY at, id) AS left_at
            FROM proposal_event WHERE action LIKE 'STATUS\\_%')
        SELECT stage, round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - at)) / 86400)::numeric, 3)::float8 AS "medianDays",
               count(*)::int AS transitions
          FROM moves WHERE left_at IS NOT NULL GROUP BY stage ORDER BY stage`,
      ),
      select<PipelineReport['throughputPerWeek'][number]>(
        this.db,
        `SELECT to_char(date_trunc('week', at), 'YYYY-MM-DD') AS week,
                count(*) FILTER (WHERE action = 'SUBMITTED')::int AS submitted,
                count(*) FILTER (WHERE action = ANY($1))::int AS closed
           FROM proposal_event WHERE action = 'SUBMITTED' OR action = ANY($1)
          GROUP BY 1 ORDER BY 1`,
        [FINAL_STATUSES.map((s) => `STATUS_${s}`)],
      ),
    ]);
    return { countsByStatus, tasksByAgency, medianDaysPerStage, throughputPerWeek };
  }
}
