import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Agency } from '../../domain/identity/roles';
import { FINAL_STATUSES } from '../../domain/intake/proposal-status';
import { select } from '../sql';

export interface PipelineFilter {
  /** First day counted (YYYY-MM-DD, UTC), inclusive. */
  from?: string;
  /** Last day counted (YYYY-MM-DD, UTC), inclusive. */
  to?: string;
  agency?: Agency;
}

export interface PipelineReport {
  filter: { from: string | null; to: string | null; agency: Agency | null };
  countsByStatus: { status: string; count: number }[];
  /**
   * `slaBreaches` = `openOverdue` (open past due, or escalated for it) + `completedLate` (completed
   * after the due date) + `lapsed` (a non-blocking task whose due date passed unanswered: NO_RESPONSE).
   */
  tasksByAgency: { agency: string; open: number; slaBreaches: number; openOverdue: number; completedLate: number; lapsed: number }[];
  medianDaysPerStage: { stage: string; medianDays: number; transitions: number }[];
  throughputPerWeek: { week: string; submitted: number; closed: number }[];
}

/** Open tasks of one agency and type, and its SLA breaches (as in the pipeline report), over all time: GET /metrics. */
export interface TaskGauge {
  agency: string;
  type: string;
  open: number;
  slaBreaches: number;
}

/**
 * Each task's SLA standing, shared by every aggregate that counts breaches so they agree. A breach:
 * an open task past its due date (or escalated for it), one completed after it, or one lapsed.
 */
const TASK_SLA_FLAGS = `status IN ('OPEN', 'CLAIMED') AS open,
  status IN ('OPEN', 'CLAIMED') AND (escalated OR due_at < now()) AS overdue,
  status = 'COMPLETED' AND completed_at > due_at AS late,
  status = 'CANCELLED' AND decision = 'NO_RESPONSE' AS lapsed`;
const SLA_BREACH = 'overdue OR late OR lapsed';

/**
 * Read-only aggregates over the projections for program managers (docs/spec.md section 7, Oversight).
 * The date range selects proposals by submission, tasks by opening and events by time; the agency
 * selects its tasks, and the proposals it has a task on.
 */
@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async pipeline(filter: PipelineFilter = {}): Promise<PipelineReport> {
    // $1 from, $2 to (inclusive: up to the next midnight), $3 agency; each null when not filtered.
    const params = [filter.from ?? null, filter.to ?? null, filter.agency ?? null];
    // Days are UTC days, whatever the session's time zone.
    const inRange = (column: string) =>
      `($1::date IS NULL OR ${column} >= ($1::date)::timestamp AT TIME ZONE 'UTC')
       AND ($2::date IS NULL OR ${column} < ($2::date + 1)::timestamp AT TIME ZONE 'UTC')`;
    const ofAgency = (proposalColumn: string) =>
      `($3::text IS NULL OR EXISTS (SELECT 1 FROM task a WHERE a.proposal_id = ${proposalColumn} AND a.agency = $3::text))`;
    const [countsByStatus, tasksByAgency, medianDaysPerStage, throughputPerWeek] = await Promise.all([
      select<PipelineReport['countsByStatus'][number]>(
        this.db,
        `SELECT status, count(*)::int AS count FROM proposal p
          WHERE ${inRange('p.created_at')} AND ${ofAgency('p.id')} GROUP BY status ORDER BY status`,
        params,
      ),
      select<PipelineReport['tasksByAgency'][number]>(
        this.db,
        `
        WITH t AS (SELECT agency, ${TASK_SLA_FLAGS} FROM task WHERE ${inRange('created_at')} AND ($3::text IS NULL OR agency = $3::text))
        SELECT agency, count(*) FILTER (WHERE open)::int AS open,
               count(*) FILTER (WHERE ${SLA_BREACH})::int AS "slaBreaches",
               count(*) FILTER (WHERE overdue)::int AS "openOverdue",
               count(*) FILTER (WHERE late)::int AS "completedLate",
               count(*) FILTER (WHERE lapsed)::int AS lapsed
          FROM t GROUP BY agency ORDER BY agency`,
        params,
      ),
      // Time in a stage: from the event entering it to the proposal's next status event.
      select<PipelineReport['medianDaysPerStage'][number]>(
        this.db,
        `
        WITH moves AS (
          SELECT substr(action, 8) AS stage, at, lead(at) OVER (PARTITION BY proposal_id ORDER BY at, id) AS left_at
            FROM proposal_event e WHERE action LIKE 'STATUS\\_%' AND ${ofAgency('e.proposal_id')})
        SELECT stage, round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - at)) / 86400)::numeric, 3)::float8 AS "medianDays",
               count(*)::int AS transitions
          FROM moves WHERE left_at IS NOT NULL AND ${inRange('at')} GROUP BY stage ORDER BY stage`,
        params,
      ),
      select<PipelineReport['throughputPerWeek'][number]>(
        this.db,
        `SELECT to_char(date_trunc('week', at), 'YYYY-MM-DD') AS week,
                count(*) FILTER (WHERE action = 'SUBMITTED')::int AS submitted,
                count(*) FILTER (WHERE action = ANY($4))::int AS closed
           FROM proposal_event e WHERE (action = 'SUBMITTED' OR action = ANY($4)) AND ${inRange('at')} AND ${ofAgency('e.proposal_id')}
          GROUP BY 1 ORDER BY 1`,
        [...params, FINAL_STATUSES.map((s) => `STATUS_${s}`)],
      ),
    ]);
    const applied = { from: filter.from ?? null, to: filter.to ?? null, agency: filter.agency ?? null };
    return { filter: applied, countsByStatus, tasksByAgency, medianDaysPerStage, throughputPerWeek };
  }

  /** Open tasks and SLA breaches per agency and task type, for the operations gauges of GET /metrics. */
  taskGauges(): Promise<TaskGauge[]> {
    return select<TaskGauge>(
      this.db,
      `WITH t AS (SELECT agency, type, ${TASK_SLA_FLAGS} FROM task)
       SELECT agency, type, count(*) FILTER (WHERE open)::int AS open, count(*) FILTER (WHERE ${SLA_BREACH})::int AS "slaBreaches"
         FROM t GROUP BY agency, type ORDER BY agency, type`,
    );
  }
}
