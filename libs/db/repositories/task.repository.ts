import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Agency } from '../../domain/identity/roles';
import type { TaskStatus, TaskType } from '../../domain/tasks/task-types';
import { TaskEntity } from '../entities';
import { change, select } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

export interface TaskFilter {
  status?: TaskStatus;
  type?: TaskType;
  proposalId?: string;
  /** 'true': escalated only; 'false': not escalated only. */
  escalated?: 'true' | 'false';
  /** Open or claimed and past due. */
  overdue?: 'true';
  /** Open or claimed and due within this many days from now (overdue included). */
  dueWithinDays?: number;
  /** What the caller may see: all tasks, none, or per agency the task types it may take (docs/spec.md section 1). */
  visibility: 'all' | 'none' | { agency: Agency; types: TaskType[] | 'all' };
  page: number;
  pageSize: number;
}

export interface InformationRequestRow {
  id: string;
  /** Null when no agency task asked (SBA's size information). */
  taskId: string | null;
  agency: string;
  question: string;
  askedBy: string;
  askedAt: Date;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
  pausedMs: number | null;
  documentIds: string[];
  kind: 'AGENCY_TASK' | 'SBA_SIZE';
  asked: Record<string, unknown> | null;
  answerData: Record<string, unknown> | null;
  dueAt: Date | null;
  lapsedAt: Date | null;
}

/** A task's decision as recorded at completion, with the evidence it was taken on. */
export interface TaskCompletion {
  decision: string;
  comment: string | null;
  conditions: string[];
  data: Record<string, unknown>;
  completedBy: string;
  completedAt: Date;
  evidence: Record<string, unknown>;
  evidenceDigest: string;
}

export type NewTask = Pick<TaskEntity, 'id' | 'proposalId' | 'type' | 'agency' | 'form' | 'dueAt' | 'reminderAt'>;

const STILL_OPEN = "status IN ('OPEN', 'CLAIMED')";

/** The only door to the task inbox. */
@Injectable()
export class TaskRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** With a transaction, read inside it. */
  findById(id: string, tx?: Transaction): Promise<TaskEntity | null> {
    return this.manager(tx).findOneBy(TaskEntity, { id });
  }

  /** Open tasks of a type across all proposals, oldest first (a work queue). */
  openOfType(type: TaskType): Promise<TaskEntity[]> {
    return this.db
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.type = :type', { type })
      .andWhere(`t.${STILL_OPEN}`)
      .orderBy('t.created_at', 'ASC')
      .getMany();
  }

  /** Oldest first; with a transaction, read inside it. */
  forProposal(proposalId: string, tx?: Transaction): Promise<TaskEntity[]> {
    return this.manager(tx).find(TaskEntity, { where: { proposalId }, order: { createdAt: 'ASC' } });
  }

  /** Inserts the row once: a retried open leaves the first row (and its deadlines) alone. */
  async open(tx: Transaction, task: NewTask): Promise<void> {
    await managerOf(tx)
      .createQueryBuilder()
      .insert()
      .into(TaskEntity)
      .values({ ...task, status: 'OPEN' } as QueryDeepPartialEntity<TaskEntity>)
      .orIgnore()
      .execute();
  }

  /**
   * Locks the task's row until the transaction ends, if it is still OPEN or CLAIMED; false when it
   * is COMPLETED, CANCELLED or unknown. A completion committing meanwhile waits for the lock.
   */
  async lockOpen(tx: Transaction, id: string): Promise<boolean> {
    const rows = await select<{ id: string }>(managerOf(tx), `SELECT id FROM task WHERE id = $1 AND ${STILL_OPEN} FOR UPDATE`, [id]);
    return rows.length > 0;
  }

  /**
   * Claims (an assignee) or releases (null) a task that is still OPEN or CLAIMED. Returns false,
   * changing nothing, when the task is already COMPLETED or CANCELLED (or unknown).
   */
  assign(tx: Transaction, id: string, assignee: string | null): Promise<boolean> {
    return this.changeWhere(tx, id, { assignee, status: assignee ? 'CLAIMED' : 'OPEN' }, STILL_OPEN);
  }

  /** Records the decision, its evidence and who took it; the task is COMPLETED. */
  complete(tx: Transaction, id: string, c: TaskCompletion): Promise<boolean> {
    return this.changeWhere(tx, id, {
      evidence: c.evidence,
      evidenceDigest: c.evidenceDigest,
      status: 'COMPLETED',
      assignee: c.completedBy,
      decision: c.decision,
      comment: c.comment,
      conditions: c.conditions,
      data: c.data,
      completedBy: c.completedBy,
      completedAt: c.completedAt,
    } as QueryDeepPartialEntity<TaskEntity>);
  }

  /** The reminder went out. */
  markReminded(tx: Transaction, id: string, at: Date): Promise<boolean> {
    return this.changeWhere(tx, id, { remindedAt: at });
  }

  /** The due date passed: escalated to the agency's supervisor. */
  markEscalated(tx: Transaction, id: string): Promise<boolean> {
    return this.changeWhere(tx, id, { escalated: true });
  }

  /** The due date of a non-blocking task passed: CANCELLED, recorded as NO_RESPONSE. */
  lapse(tx: Transaction, id: string, at: Date): Promise<boolean> {
    return this.changeWhere(tx, id, { status: 'CANCELLED', decision: 'NO_RESPONSE', completedAt: at });
  }

  /** The proposal no longer needs the task. */
  cancel(tx: Transaction, id: string, at: Date): Promise<boolean> {
    return this.changeWhere(tx, id, { status: 'CANCELLED', completedAt: at });
  }

  /** New deadlines, e.g. moved by the time the clock was stopped for an information request. */
  moveDeadlines(tx: Transaction, id: string, deadlines: { dueAt: Date; reminderAt: Date }): Promise<boolean> {
    return this.changeWhere(tx, id, deadlines);
  }

  async recordInformationRequest(
    tx: Transaction,
    r: { id: string; proposalId: string; taskId: string; agency: string; question: string; askedBy: string },
  ): Promise<void> {
    await managerOf(tx).query(
      `INSERT INTO information_request (id, proposal_id, task_id, agency, question, asked_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [r.id, r.proposalId, r.taskId, r.agency, r.question, r.askedBy],
    );
  }

  /** The applicant's answer, once: false when the request was answered before (or is unknown). */
  async recordInformationAnswer(
    tx: Transaction,
    r: { id: string; answer: string; answeredBy: string; pausedMs: number; documentIds: string[] },
  ): Promise<boolean> {
    const { count } = await change(
      managerOf(tx),
      `UPDATE information_request SET answer = $2, answered_by = $3, answered_at = now(), paused_ms = $4, document_ids = $5
        WHERE id = $1 AND answer IS NULL`,
      [r.id, r.answer, r.answeredBy, r.pausedMs, JSON.stringify(r.documentIds)],
    );
    return count > 0;
  }

  informationRequests(proposalId: string): Promise<InformationRequestRow[]> {
    return select<InformationRequestRow>(
      this.db,
      `SELECT id, task_id AS "taskId", agency, question, asked_by AS "askedBy", asked_at AS "askedAt", answer, answered_by AS "answeredBy",
              answered_at AS "answeredAt", paused_ms::int AS "pausedMs", document_ids AS "documentIds", kind, asked,
              answer_data AS "answerData", due_at AS "dueAt", lapsed_at AS "lapsedAt"
         FROM information_request WHERE proposal_id = $1 ORDER BY asked_at`,
      [proposalId],
    );
  }

  /**
   * Remembers an accepted callback's signatures (one per secret accepted, so a replay is known under
   * either during a rotation); false when any was seen before (a replay).
   */
  async rememberCallback(signatures: readonly string[], agency: Agency, taskId: string): Promise<boolean> {
    const rows = await select<{ signature: string }>(
      this.db,
      `INSERT INTO agency_callback (signature, agency, task_id) SELECT unnest($1::text[]), $2, $3
       ON CONFLICT DO NOTHING RETURNING signature`,
      [signatures, agency, taskId],
    );
    return rows.length === signatures.length;
  }

  async list(filter: TaskFilter): Promise<{ items: TaskEntity[]; total: number }> {
    const query = this.db.getRepository(TaskEntity).createQueryBuilder('t');
    if (filter.visibility === 'none') query.andWhere('false');
    else if (filter.visibility !== 'all') {
      const { agency, types } = filter.visibility;
      query.andWhere('t.agency = :agency', { agency });
      if (types !== 'all') query.andWhere(new Brackets((q) => q.where('t.type IN (:...types)', { types: types.length ? types : ['-'] })));
    }
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('t.type = :type', { type: filter.type });
    if (filter.proposalId) query.andWhere('t.proposal_id = :proposalId', { proposalId: filter.proposalId });
    if (filter.escalated) query.andWhere('t.escalated = :escalated', { escalated: filter.escalated === 'true' });
    if (filter.overdue || filter.dueWithinDays !== undefined) {
      const until = filter.overdue ? new Date() : new Date(Date.now() + (filter.dueWithinDays as number) * 86_400_000);
      query.andWhere("t.status IN ('OPEN', 'CLAIMED')").andWhere('t.due_at IS NOT NULL').andWhere('t.due_at < :until', { until });
    }
    // The page and its total on two connections at once: the page takes the wait of the count alone (issue 12).
    const [items, total] = await Promise.all([
      query
        .clone()
        .orderBy('t.escalated', 'DESC')
        .addOrderBy('t.due_at', 'ASC')
        // A total order: with ties on the due date, page n+1 would otherwise repeat or skip rows of page n.
        .addOrderBy('t.id', 'ASC')
        .skip((filter.page - 1) * filter.pageSize)
        .take(filter.pageSize)
        .getMany(),
      query.getCount(),
    ]);
    return { items, total };
  }

  private manager(tx?: Transaction): EntityManager {
    return tx ? managerOf(tx) : this.db.manager;
  }

  /** One task's columns changed (updated_at too), if `onlyIf` holds; whether a row changed. */
  private async changeWhere(tx: Transaction, id: string, changes: QueryDeepPartialEntity<TaskEntity>, onlyIf?: string): Promise<boolean> {
    const query = managerOf(tx).createQueryBuilder().update(TaskEntity).set(changes).where('id = :id', { id });
    if (onlyIf) query.andWhere(onlyIf);
    return ((await query.execute()).affected ?? 0) > 0;
  }
}
