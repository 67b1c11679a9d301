import { Injectable } from '@nestjs/common';
import { AuditService } from '../../libs/audit';
import type { CompleteMilestoneRequest, PlanMilestone, RebaselineMilestoneRequest } from '../../libs/contracts/program';
import type { TaskActor } from '../../libs/contracts/tasks';
import { MilestoneRow, NotificationRepository, ProgramRepository, Transaction, UnitOfWork } from '../../libs/db';
import { planDate } from '../../libs/domain/program/plan';
import { failPermanently, notFound } from '../failures';

/** Program plan activities: load the plan and project the workflow's milestone events, audited. */
@Injectable()
export class ProgramActivities {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly programs: ProgramRepository,
    private readonly notifications: NotificationRepository,
    private readonly audit: AuditService,
  ) {}

  build() {
    return failPermanently({
      loadPlan: (programId: string) => this.loadPlan(programId),
      recordMilestoneEvent: (event: { programId: string; milestoneId: string; kind: 'REMINDER' | 'OVERDUE' }) =>
        this.recordMilestoneEvent(event),
      recordCompletion: (request: CompleteMilestoneRequest & { programId: string }) => this.recordCompletion(request),
      recordRebaseline: (request: RebaselineMilestoneRequest & { programId: string }) => this.recordRebaseline(request),
    });
  }

  async loadPlan(programId: string): Promise<PlanMilestone[]> {
    const program = await this.programs.findById(programId);
    if (!program) throw notFound('Program', programId);
    return (await this.programs.milestones(programId)).map((m) => ({
      id: m.id,
      key: m.key,
      title: m.title,
      dueDate: planDate(program.startDate, m.dueDay),
      dependsOn: m.dependsOn,
      done: !!m.completedAt,
      reminded: !!m.remindedAt,
      overdue: !!m.overdueAt,
    }));
  }

  async recordMilestoneEvent({
    programId,
    milestoneId,
    kind,
  }: {
    programId: string;
    milestoneId: string;
    kind: 'REMINDER' | 'OVERDUE';
  }): Promise<void> {
    await this.uow.run(async (tx) => {
      const marked =
        kind === 'REMINDER' ? await this.programs.markReminded(tx, milestoneId) : await this.programs.markOverdue(tx, milestoneId);
      if (!marked) return;
      const milestone = (await this.programs.findMilestone(milestoneId, tx)) as MilestoneRow;
      await this.audit.record(
        {
          actor: 'system',
          action: `MILESTONE_${kind}`,
          subjectType: 'program',
          subjectId: programId,
          after: { milestoneId, title: milestone.title },
        },
        tx,
      );
      await this.notifications.enqueue(tx, {
        eventKey: `milestone:${milestoneId}:${kind}`,
        kind: kind === 'REMINDER' ? 'MILESTONE_REMINDER' : 'MILESTONE_OVERDUE',
        programId,
        recipientRole: 'PROGRAM_MANAGER',
        recipientAgency: 'COMMERCE',
        subject: `${kind === 'REMINDER' ? 'Due soon' : 'Overdue'}: ${milestone.title}`,
        body: `Owner: ${milestone.ownerAgency}`,
      });
    });
  }

  async recordCompletion({ programId, milestoneId, evidence, actor }: CompleteMilestoneRequest & { programId: string }): Promise<void> {
    await this.uow.run(async (tx) => {
      if (!(await this.programs.completeMilestone(tx, milestoneId, { completedBy: actor.username, evidence }))) return;
      await this.auditProgram(tx, actor, 'MILESTONE_COMPLETED', programId, { milestoneId, evidence });
    });
  }

  /** Moves a milestone's due day; returns its due date (YYYY-MM-DD) after the change, so the workflow need not reload the plan. */
  async recordRebaseline({
    programId,
    milestoneId,
    dueDay,
    reason,
    actor,
  }: RebaselineMilestoneRequest & { programId: string }): Promise<{ dueDate: string }> {
    const program = await this.programs.findById(programId);
    if (!program) throw notFound('Program', programId);
    await this.uow.run(async (tx) => {
      const changed = await this.programs.rebaselineMilestone(tx, milestoneId, dueDay);
      if (!changed) return;
      await this.audit.record(
        {
          actor: actor.username,
          role: actor.roles.join(','),
          agency: actor.agency,
          action: 'MILESTONE_REBASELINED',
          subjectType: 'program',
          subjectId: programId,
          before: { milestoneId, dueDay: changed.previousDueDay },
          after: { milestoneId, dueDay },
          reason,
        },
        tx,
      );
    });
    return { dueDate: planDate(program.startDate, dueDay) };
  }

  private auditProgram(tx: Transaction, actor: TaskActor, action: string, programId: string, after: unknown) {
    return this.audit.record(
      {
        actor: actor.username,
        role: actor.roles.join(','),
        agency: actor.agency,
        action,
        subjectType: 'program',
        subjectId: programId,
        after,
      },
      tx,
    );
  }
}

export type ProgramActivityFunctions = ReturnType<ProgramActivities['build']>;
