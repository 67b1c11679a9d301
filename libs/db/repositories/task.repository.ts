import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Agency } from '../../domain/identity/roles';
import type { TaskStatus, TaskType } from '../../domain/tasks/task-types';
import { TaskEntity } from '../entities';

export interface TaskFilter {
  status?: TaskStatus;
  type?: TaskType;
  proposalId?: string;
  /** What the caller may see: all tasks, or per agency the task types it may take (SPEC section 1). */
  visibility: 'all' | { agency: Agency; types: TaskType[] | 'all' };
  page: number;
  pageSize: number;
}

export interface InformationRequestRow {
  id: string;
  taskId: string;
  agency: string;
  question: string;
  askedBy: string;
  askedAt: Date;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
  pausedMs: number | null;
}

/** The only door to the task inbox. */
@Injectable()
export class TaskRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(id: string): Promise<TaskEntity | null> {
    return this.db.getRepository(TaskEntity).findOneBy({ id });
  }

  /** Open tasks of a type across all proposals, oldest first (a work queue). */
  openOfType(type: TaskType): Promise<TaskEntity[]> {
    return this.db.getRepository(TaskEntity).createQueryBuilder('t')
      .where('t.type = :type', { type })
      .andWhere("t.status IN ('OPEN', 'CLAIMED')")
      .orderBy('t.created_at', 'ASC')
      .getMany();
  }

  forProposal(proposalId: string): Promise<TaskEntity[]> {
    return this.db.getRepository(TaskEntity).find({ where: { proposalId }, order: { createdAt: 'ASC' } });
  }

  /** Inserts the row once: a retried open leaves the first row (and its deadlines) alone. */
  async open(task: Pick<TaskEntity, 'id' | 'proposalId' | 'type' | 'agency' | 'form' | 'dueAt' | 'reminderAt'>, tx: EntityManager): Promise<void> {
    await tx.createQueryBuilder().insert().into(TaskEntity)
      .values({ ...task, status: 'OPEN' } as QueryDeepPartialEntity<TaskEntity>)
      .orIgnore()
      .execute();
  }

  async update(id: string, changes: Partial<TaskEntity>, tx: EntityManager): Promise<void> {
    await tx.update(TaskEntity, { id }, changes as QueryDeepPartialEntity<TaskEntity>);
  }

  async recordInformationRequest(tx: EntityManager, r: { id: string; proposalId: string; taskId: string; agency: string; question: string; askedBy: string }): Promise<void> {
    await tx.query(
      `INSERT INTO information_request (id, proposal_id, task_id, agency, question, asked_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [r.id, r.proposalId, r.taskId, r.agency, r.question, r.askedBy],
    );
  }

  async recordInformationAnswer(tx: EntityManager, r: { id: string; answer: string; answeredBy: string; pausedMs: number }): Promise<void> {
    await tx.query(
      `UPDATE information_request SET answer = $2, answered_by = $3, answered_at = now(), paused_ms = $4 WHERE id = $1 AND answer IS NULL`,
      [r.id, r.answer, r.answeredBy, r.pausedMs],
    );
  }

  informationRequests(proposalId: string): Promise<InformationRequestRow[]> {
    return this.db.query(
      `SELECT id, task_id AS "taskId", agency, question, asked_by AS "askedBy", asked_at AS "askedAt", answer, answered_by AS "answeredBy",
              answered_at AS "answeredAt", paused_ms::int AS "pausedMs"
         FROM information_request WHERE proposal_id = $1 ORDER BY asked_at`,
      [proposalId],
    ) as Promise<InformationRequestRow[]>;
  }

  /** Remembers an accepted callback's signature; false when it was seen before (a replay). */
  async rememberCallback(signature: string, agency: Agency, taskId: string): Promise<boolean> {
    const rows = (await this.db.query(
      'INSERT INTO agency_callback (signature, agency, task_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING signature',
      [signature, agency, taskId],
    )) as unknown[];
    return rows.length === 1;
  }

  async list(filter: TaskFilter): Promise<{ items: TaskEntity[]; total: number }> {
    const query = this.db.getRepository(TaskEntity).createQueryBuilder('t');
    if (filter.visibility !== 'all') {
      const { agency, types } = filter.visibility;
      query.andWhere('t.agency = :agency', { agency });
      if (types !== 'all') query.andWhere(new Brackets((q) => q.where('t.type IN (:...types)', { types: types.length ? types : ['-'] })));
    }
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('t.type = :type', { type: filter.type });
    if (filter.proposalId) query.andWhere('t.proposal_id = :proposalId', { proposalId: filter.proposalId });
    const [items, total] = await query
      .orderBy('t.escalated', 'DESC')
      .addOrderBy('t.due_at', 'ASC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }
}
