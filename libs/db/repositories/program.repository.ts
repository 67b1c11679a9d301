import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { change, select } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

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
  evidence: { text: string; link?: string | null; documentIds?: string[] } | null;
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
  async create(tx: Transaction, program: Omit<ProgramRow, 'createdAt'>, milestones: NewMilestone[]): Promise<boolean> {
    const manager = managerOf(tx);
    const rows = await select<{ id: string }>(
      manager,
      `INSERT INTO program (id, name, start_date, deadline_days, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [program.id, program.name, program.startDate, program.deadlineDays, program.createdBy],
    );
    if (!rows.length) return false;
    for (const m of milestones) {
      await manager.query(
        `INSERT INTO milestone (id, program_id, key, position, title, owner_agency, due_day, eo_ref, depends_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [m.id, program.id, m.key, m.position, m.title, m.ownerAgency, m.dueDay, m.eoRef, m.dependsOn],
      );
    }
    return true;
  }

  /** Adds a call; a governing call replaces the previous governing one (one governs intake at a time). */
  async addCall(tx: Transaction, call: CallRow & { createdBy: string }): Promise<void> {
    const manager = managerOf(tx);
    if (call.governsIntake) await manager.query('UPDATE call_for_proposals SET governs_intake = false WHERE governs_intake');
    await manager.query(
      `INSERT INTO call_for_proposals (id, program_id, title, open_date, close_date, governs_intake, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [call.id, call.programId, call.title, call.openDate, call.closeDate, call.governsIntake, call.createdBy],
    );
  }

  calls(programId: string): Promise<CallRow[]> {
    return select<CallRow>(this.db, `SELECT ${CALL} FROM call_for_proposals WHERE program_id = $1 ORDER BY open_date`, [programId]);
  }

  async governingCall(): Promise<CallRow | null> {
    const rows = await select<CallRow>(this.db, `SELECT ${CALL} FROM call_for_proposals WHERE governs_intake`);
    return rows[0] ?? null;
  }

  list(): Promise<ProgramRow[]> {
    return select<ProgramRow>(this.db, `SELECT ${PROGRAM} FROM program ORDER BY created_at`);
  }

  async findById(id: string): Promise<ProgramRow | null> {
    const rows = await select<ProgramRow>(this.db, `SELECT ${PROGRAM} FROM program WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  milestones(programId: string): Promise<MilestoneRow[]> {
    return select<MilestoneRow>(this.db, `SELECT ${MILESTONE} FROM milestone WHERE program_id = $1 ORDER BY position`, [programId]);
  }

  /** One milestone; with a transaction, read inside it. */
  async findMilestone(id: string, tx?: Transaction): Promise<MilestoneRow | null> {
    const rows = await select<MilestoneRow>(tx ? managerOf(tx) : this.db, `SELECT ${MILESTONE} FROM milestone WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Marks the reminder sent, once, and only while the milestone is open; whether it changed. */
  markReminded(tx: Transaction, id: string): Promise<boolean> {
    return this.changeMilestone(tx, id, 'reminded_at = now()', [], 'reminded_at IS NULL AND completed_at IS NULL');
  }

  /** Marks the milestone overdue, once, and only while it is open; whether it changed. */
  markOverdue(tx: Transaction, id: string): Promise<boolean> {
    return this.changeMilestone(tx, id, 'overdue_at = now()', [], 'overdue_at IS NULL AND completed_at IS NULL');
  }

  /** Completes the milestone with its evidence, once; whether it changed. */
  completeMilestone(
    tx: Transaction,
    id: string,
    completion: { completedBy: string; evidence: { text: string; link?: string | null; documentIds?: string[] } },
  ): Promise<boolean> {
    return this.changeMilestone(
      tx,
      id,
      'completed_at = now(), completed_by = $2, evidence = $3',
      [completion.completedBy, completion.evidence],
      'completed_at IS NULL',
    );
  }

  /**
   * Moves the milestone's due day; a new due date restarts its reminder and overdue marks. Returns
   * the due day before, or null when it already was `dueDay` (nothing changed).
   */
  async rebaselineMilestone(tx: Transaction, id: string, dueDay: number): Promise<{ previousDueDay: number } | null> {
    const manager = managerOf(tx);
    const [before] = await select<{ dueDay: number }>(manager, 'SELECT due_day AS "dueDay" FROM milestone WHERE id = $1 FOR UPDATE', [id]);
    if (!before) throw new Error(`Milestone ${id} not found`);
    if (before.dueDay === dueDay) return null;
    await this.changeMilestone(tx, id, 'due_day = $2, reminded_at = NULL, overdue_at = NULL', [dueDay]);
    return { previousDueDay: before.dueDay };
  }

  /** Applies a change to one milestone where `onlyIf` holds (the idempotency guard); whether it changed. */
  private async changeMilestone(tx: Transaction, id: string, set: string, params: unknown[], onlyIf = 'true'): Promise<boolean> {
    const { count } = await change<{ id: string }>(managerOf(tx), `UPDATE milestone SET ${set} WHERE id = $1 AND ${onlyIf} RETURNING id`, [
      id,
      ...params,
    ]);
    return count > 0;
  }
}
