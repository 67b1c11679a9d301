import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface ProgramRow {
  id: string;
  name: string;
  startDate: string;
  deadlineDays: number;
  createdBy: string;
  createdAt: Date;
}

export interface MilestoneRow {
  id: string;
  programId: string;
  key: string;
  position: number;
  title: string;
  ownerAgency: string;
  dueDay: number;
  eoRef: string | null;
  dependsOn: string[];
  remindedAt: Date | null;
  overdueAt: Date | null;
  completedAt: Date | null;
  completedBy: string | null;
  evidence: { text: string; link?: string | null } | null;
}

export type NewMilestone = Pick<MilestoneRow, 'id' | 'key' | 'position' | 'title' | 'ownerAgency' | 'dueDay' | 'eoRef' | 'dependsOn'>;

const PROGRAM = `id, name, to_char(start_date, 'YYYY-MM-DD') AS "startDate", deadline_days AS "deadlineDays", created_by AS "createdBy", created_at AS "createdAt"`;
const MILESTONE = `id, program_id AS "programId", key, position, title, owner_agency AS "ownerAgency", due_day AS "dueDay", eo_ref AS "eoRef",
  depends_on AS "dependsOn", reminded_at AS "remindedAt", overdue_at AS "overdueAt", completed_at AS "completedAt", completed_by AS "completedBy", evidence`;

export interface CallRow {
  id: string;
  programId: string;
  title: string;
  openDate: string;
  closeDate: string;
  governsIntake: boolean;
}

const CALL = `id, program_id AS "programId", title, to_char(open_date, 'YYYY-MM-DD') AS "openDate", to_char(close_date, 'YYYY-MM-DD') AS "closeDate", governs_intake AS "governsIntake"`;

/** The only door to program plans, milestones and calls for proposals. */
@Injectable()
export class ProgramRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates a plan; false when a plan of that name exists (creation is idempotent by name). */
  async create(program: Omit<ProgramRow, 'createdAt'>, milestones: NewMilestone[], tx: EntityManager): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO program (id, name, start_date, deadline_days, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [program.id, program.name, program.startDate, program.deadlineDays, program.createdBy],
    )) as unknown[];
    if (!rows.length) return false;
    for (const m of milestones) {
      await tx.query(
        `INSERT INTO milestone (id, program_id, key, position, title, owner_agency, due_day, eo_ref, depends_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [m.id, program.id, m.key, m.position, m.title, m.ownerAgency, m.dueDay, m.eoRef, m.dependsOn],
      );
    }
    return true;
  }

  transaction(work: (tx: EntityManager) => Promise<void>): Promise<void> {
    return this.db.transaction(work);
  }

  /** Adds a call; a governing call replaces the previous governing one (one governs intake at a time). */
  async addCall(tx: EntityManager, call: CallRow & { createdBy: string }): Promise<void> {
    if (call.governsIntake) await tx.query('UPDATE call_for_proposals SET governs_intake = false WHERE governs_intake');
    await tx.query(
      `INSERT INTO call_for_proposals (id, program_id, title, open_date, close_date, governs_intake, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [call.id, call.programId, call.title, call.openDate, call.closeDate, call.governsIntake, call.createdBy],
    );
  }

  calls(programId: string): Promise<CallRow[]> {
    return this.db.query(`SELECT ${CALL} FROM call_for_proposals WHERE program_id = $1 ORDER BY open_date`, [programId]) as Promise<CallRow[]>;
  }

  async governingCall(): Promise<CallRow | null> {
    const rows = (await this.db.query(`SELECT ${CALL} FROM call_for_proposals WHERE governs_intake`)) as CallRow[];
    return rows[0] ?? null;
  }

  list(): Promise<ProgramRow[]> {
    return this.db.query(`SELECT ${PROGRAM} FROM program ORDER BY created_at`) as Promise<ProgramRow[]>;
  }

  async findById(id: string): Promise<ProgramRow | null> {
    const rows = (await this.db.query(`SELECT ${PROGRAM} FROM program WHERE id = $1`, [id])) as ProgramRow[];
    return rows[0] ?? null;
  }

  milestones(programId: string): Promise<MilestoneRow[]> {
    return this.db.query(`SELECT ${MILESTONE} FROM milestone WHERE program_id = $1 ORDER BY position`, [programId]) as Promise<MilestoneRow[]>;
  }

  /** Applies a change to one milestone; returns whether it changed (idempotent guards in `onlyIf`). */
  async updateMilestone(tx: EntityManager, id: string, set: string, params: unknown[], onlyIf = 'true'): Promise<boolean> {
    const rows = (await tx.query(`UPDATE milestone SET ${set} WHERE id = $1 AND ${onlyIf} RETURNING id`, [id, ...params])) as [unknown[], number];
    return rows[1] > 0;
  }
}
