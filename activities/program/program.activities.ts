import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../libs/audit';
import type { CompleteMilestoneRequest, PlanMilestone, RebaselineMilestoneRequest } from '../../libs/contracts/program';
import type { TaskActor } from '../../libs/contracts/tasks';
import { NotificationRepository, ProgramRepository } from '../../libs/db';
import { planDate } from '../../libs/domain/program/plan';

/** Program plan activities: load the plan and project the workflow's milestone events, audited. */
@Injectable()
export class ProgramActivities {
  constructor(
    private readonly programs: ProgramRepository,
    private readonly notifications: NotificationRepository,
    private readonly audit: AuditService,
  ) {}

  build() {
    return {
      loadPlan: (programId: string) => this.loadPlan(programId),
      recordMilestoneEvent: (event: { programId: string; milestoneId: string; kind: 'REMINDER' | 'OVERDUE' }) => this.recordMilestoneEvent(event),
      recordCompletion: (request: CompleteMilestoneRequest & { programId: string }) => this.recordCompletion(request),
      recordRebaseline: (request: RebaselineMilestoneRequest & { programId: string }) => this.recordRebaseline(request),
    };
  }

  async loadPlan(programId: string): Promise<PlanMilestone[]> {
    const program = await this.programs.findById(programId);
    if (!program) throw new Error(`Program ${programId} not found`);
    return (await this.programs.milestones(programId)).map((m) => ({
      id: m.id, key: m.key, title: m.title, dueDate: planDate(program.startDate, m.dueDay), dependsOn: m.dependsOn,
      done: !!m.completedAt, reminded: !!m.remindedAt, overdue: !!m.overdueAt,
    }));
  }

  async recordMilestoneEvent({ programId, milestoneId, kind }: { programId: string; milestoneId: string; kind: 'REMINDER' | 'OVERDUE' }): Promise<void> {
    const column = kind === 'REMINDER' ? 'reminded_at' : 'overdue_at';
    await this.transaction(async (tx) => {
      if (!(await this.programs.updateMilestone(tx, milestoneId, `${column} = now()`, [], `${column} IS NULL AND completed_at IS NULL`))) return;
      const [milestone] = (await tx.query('SELECT title, owner_agency AS "ownerAgency" FROM milestone WHERE id = $1', [milestoneId])) as { title: string; ownerAgency: string }[];
      await this.audit.record({ actor: 'system', action: `MILESTONE_${kind}`, subjectType: 'program', subjectId: programId, after: { milestoneId, title: milestone.title } }, tx);
      await this.notifications.enqueue(tx, {
        eventKey: `milestone:${milestoneId}:${kind}`, kind: kind === 'REMINDER' ? 'MILESTONE_REMINDER' : 'MILESTONE_OVERDUE', programId,
        recipientRole: 'PROGRAM_MANAGER', recipientAgency: 'COMMERCE',
        subject: `${kind === 'REMINDER' ? 'Due soon' : 'Overdue'}: ${milestone.title}`, body: `Owner: ${milestone.ownerAgency}`,
      });
    });
  }

  async recordCompletion({ programId, milestoneId, evidence, actor }: CompleteMilestoneRequest & { programId: string }): Promise<void> {
    await this.transaction(async (tx) => {
      if (!(await this.programs.updateMilestone(tx, milestoneId, 'completed_at = now(), completed_by = $2, evidence = $3', [actor.username, evidence], 'completed_at IS NULL'))) return;
      await this.auditProgram(tx, actor, 'MILESTONE_COMPLETED', programId, { milestoneId, evidence });
    });
  }

  async recordRebaseline({ programId, milestoneId, dueDay, reason, actor }: RebaselineMilestoneRequest & { programId: string }): Promise<void> {
    await this.transaction(async (tx) => {
      const [before] = (await tx.query('SELECT due_day AS "dueDay" FROM milestone WHERE id = $1', [milestoneId])) as { dueDay: number }[];
      if (before.dueDay === dueDay) return;
      // A new due date restarts its reminder and overdue marks.
      await this.programs.updateMilestone(tx, milestoneId, 'due_day = $2, reminded_at = NULL, overdue_at = NULL', [dueDay]);
      await this.audit.record(
        { actor: actor.username, role: actor.roles.join(','), agency: actor.agency, action: 'MILESTONE_REBASELINED', subjectType: 'program', subjectId: programId, before: { milestoneId, dueDay: before.dueDay }, after: { milestoneId, dueDay }, reason },
        tx,
      );
    });
  }

  private transaction(work: (tx: EntityManager) => Promise<void>) {
    return this.programs.transaction(work);
  }

  private auditProgram(tx: EntityManager, actor: TaskActor, action: string, programId: string, after: unknown) {
    return this.audit.record({ actor: actor.username, role: actor.roles.join(','), agency: actor.agency, action, subjectType: 'program', subjectId: programId, after }, tx);
  }
}

export type ProgramActivityFunctions = ReturnType<ProgramActivities['build']>;
