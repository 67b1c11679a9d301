import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AgencyAdapters } from '../../libs/adapters';
import { AuditService, canonicalJson } from '../../libs/audit';
import { AppConfig, APP_CONFIG } from '../../libs/config';
import type { HumanTaskInput, InformationAnswer, InformationRequest, TaskActor, TaskOutcome } from '../../libs/contracts/tasks';
import { NotificationRepository, ProposalRepository, TaskRepository, Transaction, UnitOfWork } from '../../libs/db';
import { TaskDeadlines, taskDeadlines } from '../../libs/domain/tasks/sla';
import { applicantNoticeFor } from '../../libs/domain/tasks/applicant-notices';
import { TASK_TYPES } from '../../libs/domain/tasks/task-types';
import { failPermanently, notFound, throwIt } from '../failures';

export interface InformationRequestRecord extends InformationRequest {
  requestId: string;
  taskId: string;
  proposalId: string;
  agency: string;
}

export interface InformationAnswerRecord extends InformationAnswer {
  taskId: string;
  proposalId: string;
  pausedMs: number;
  dueAt: string;
  reminderAt: string;
}

export interface AssignmentChange {
  taskId: string;
  proposalId: string;
  assignee: string | null;
  actor: TaskActor;
  /** Made by the workflow (uuid4), unique per claim/release: the projection's idempotency key. */
  eventKey: string;
}

export interface Reassignment {
  taskId: string;
  proposalId: string;
  from: string | null;
  to: string;
  reason: string;
  actor: TaskActor;
  /** Made by the workflow (uuid4), unique per reassignment: the projection's idempotency key. */
  eventKey: string;
}

export type SlaEvent = 'REMINDER' | 'ESCALATED' | 'LAPSED' | 'CANCELLED';

/** The inbox change each SLA event makes. */
const SLA_CHANGES: Record<SlaEvent, (tasks: TaskRepository, tx: Transaction, taskId: string, now: Date) => Promise<boolean>> = {
  REMINDER: (tasks, tx, taskId, now) => tasks.markReminded(tx, taskId, now),
  ESCALATED: (tasks, tx, taskId) => tasks.markEscalated(tx, taskId),
  LAPSED: (tasks, tx, taskId, now) => tasks.lapse(tx, taskId, now),
  CANCELLED: (tasks, tx, taskId, now) => tasks.cancel(tx, taskId, now),
};

const SLA_NOTICES: Partial<Record<SlaEvent, { kind: 'REMINDER' | 'ESCALATION'; toSupervisor: boolean }>> = {
  REMINDER: { kind: 'REMINDER', toSupervisor: false },
  ESCALATED: { kind: 'ESCALATION', toSupervisor: true },
};

const SLA_REASONS: Record<SlaEvent, string> = {
  REMINDER: 'Reminder: the task is approaching its due date',
  ESCALATED: "Due date passed: escalated to the agency's supervisor",
  LAPSED: 'Due date passed: recorded as NO_RESPONSE (non-blocking)',
  CANCELLED: 'The proposal no longer needs this task',
};

/**
 * Task activities: project each human task's life (opened, claimed, completed, reminded, escalated,
 * lapsed) into the inbox, the proposal's timeline and the audit trail, each change exactly once.
 */
@Injectable()
export class TaskActivities {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly tasks: TaskRepository,
    private readonly proposals: ProposalRepository,
    private readonly audit: AuditService,
    private readonly adapters: AgencyAdapters,
    private readonly notifications: NotificationRepository,
  ) {}

  build() {
    return failPermanently({
      openTask: (input: HumanTaskInput) => this.openTask(input),
      recordAssignment: (change: AssignmentChange) => this.recordAssignment(change),
      recordReassignment: (change: Reassignment) => this.recordReassignment(change),
      recordCompletion: (change: { proposalId: string; outcome: TaskOutcome; actor: TaskActor }) => this.recordCompletion(change),
      recordSlaEvent: (change: { taskId: string; proposalId: string; event: SlaEvent }) => this.recordSlaEvent(change),
      deliverTask: (request: { input: HumanTaskInput; dueAt: string }) => this.deliverTask(request),
      recordInformationRequest: (request: InformationRequestRecord) => this.recordInformationRequest(request),
      recordInformationAnswer: (answer: InformationAnswerRecord) => this.recordInformationAnswer(answer),
    });
  }

  async openTask(input: HumanTaskInput): Promise<TaskDeadlines> {
    const now = new Date();
    const planned = taskDeadlines(input.type, now, this.config);
    const entry = {
      key: `task:${input.taskId}:opened`,
      at: now,
      action: 'TASK_OPENED',
      actor: 'system',
      detail: { taskId: input.taskId, type: input.type, agency: input.agency, dueAt: planned.dueAt },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, input.proposalId, entry))) return;
      await this.tasks.open(tx, {
        id: input.taskId,
        proposalId: input.proposalId,
        type: input.type,
        agency: input.agency,
        form: input.form,
        dueAt: new Date(planned.dueAt),
        reminderAt: new Date(planned.reminderAt),
      });
      // The workflow may have been cancelled while this activity ran: then the row is born closed.
      if (await this.proposals.hasEvent(tx, input.proposalId, `task:${input.taskId}:CANCELLED`))
        await this.tasks.cancel(tx, input.taskId, now);
      await this.auditTask(tx, 'system', null, 'TASK_OPENED', input.taskId, {
        after: { type: input.type, agency: input.agency, dueAt: planned.dueAt },
      });
      await this.notifications.enqueue(tx, {
        eventKey: `task:${input.taskId}:assigned`,
        kind: 'TASK_ASSIGNED',
        proposalId: input.proposalId,
        taskId: input.taskId,
        recipientRole: TASK_TYPES[input.type].roles[0],
        recipientAgency: input.agency,
        subject: `New ${input.type} task`,
        body: `A ${input.type} task for proposal ${input.proposalId} is in the ${input.agency} inbox, due ${planned.dueAt}.`,
      });
    });
    // A retried open keeps the deadlines first written.
    const row = (await this.tasks.findById(input.taskId)) ?? throwIt(notFound('Task', input.taskId));
    return { onBreach: planned.onBreach, dueAt: row.dueAt.toISOString(), reminderAt: row.reminderAt.toISOString() };
  }

  /** Hands the task to its agency's adapter (inbox or signed webhook); throws to be retried with backoff. */
  async deliverTask({ input, dueAt }: { input: HumanTaskInput; dueAt: string }): Promise<void> {
    await this.adapters.for(input.agency).deliver({
      taskId: input.taskId,
      proposalId: input.proposalId,
      type: input.type,
      agency: input.agency,
      dueAt,
      decisions: TASK_TYPES[input.type].decisions,
      form: input.form,
      callbackPath: `/api/v1/agency-callbacks/${input.agency}`,
    });
  }

  /** Records a reviewer's question; the task's clock is stopped until the applicant answers (tolling). */
  async recordInformationRequest(r: InformationRequestRecord): Promise<void> {
    const reason = `SLA clock paused while the applicant answers ${r.agency}'s request for information`;
    const entry = {
      key: `info:${r.requestId}:asked`,
      at: new Date(),
      action: 'INFORMATION_REQUESTED',
      actor: r.actor.username,
      detail: { requestId: r.requestId, taskId: r.taskId, agency: r.agency, question: r.question, tolling: reason },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, r.proposalId, entry))) return;
      await this.tasks.recordInformationRequest(tx, {
        id: r.requestId,
        proposalId: r.proposalId,
        taskId: r.taskId,
        agency: r.agency,
        question: r.question,
        askedBy: r.actor.username,
      });
      await this.auditTask(tx, r.actor.username, r.actor, 'INFORMATION_REQUESTED', r.taskId, {
        after: { requestId: r.requestId, question: r.question },
        reason,
      });
      const proposal = (await this.proposals.findById(r.proposalId, tx)) ?? throwIt(notFound('Proposal', r.proposalId));
      await this.notifications.enqueue(tx, {
        eventKey: `info:${r.requestId}:asked`,
        kind: 'INFORMATION_REQUEST',
        proposalId: r.proposalId,
        taskId: r.taskId,
        recipientUsername: proposal.submittedBy,
        subject: `${r.agency} asks for information on "${proposal.title}"`,
        body: r.question,
      });
    });
  }

  /** Records the applicant's answer; the clock resumes with the deadlines moved by the paused time. */
  async recordInformationAnswer(a: InformationAnswerRecord): Promise<void> {
    const reason = `SLA clock resumed after ${Math.round(a.pausedMs / 1000)} s paused; due ${a.dueAt}`;
    const entry = {
      key: `info:${a.requestId}:answered`,
      at: new Date(),
      action: 'INFORMATION_ANSWERED',
      actor: a.actor.username,
      detail: { requestId: a.requestId, taskId: a.taskId, pausedMs: a.pausedMs, dueAt: a.dueAt, tolling: reason },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, a.proposalId, entry))) return;
      await this.tasks.recordInformationAnswer(tx, {
        id: a.requestId,
        answer: a.answer,
        answeredBy: a.actor.username,
        pausedMs: a.pausedMs,
        documentIds: a.documentIds ?? [],
      });
      await this.tasks.moveDeadlines(tx, a.taskId, { dueAt: new Date(a.dueAt), reminderAt: new Date(a.reminderAt) });
      await this.auditTask(tx, a.actor.username, a.actor, 'INFORMATION_ANSWERED', a.taskId, {
        after: { requestId: a.requestId, dueAt: a.dueAt },
        reason,
      });
    });
  }

  /**
   * Projects a claim or release, once per `eventKey` (made by the workflow, unique per claim or
   * release). A claim or release never moves a COMPLETED or CANCELLED task back to CLAIMED/OPEN:
   * then nothing is recorded (no timeline event, no audit event).
   */
  async recordAssignment({ taskId, proposalId, assignee, actor, eventKey }: AssignmentChange): Promise<void> {
    const action = assignee ? 'TASK_CLAIMED' : 'TASK_RELEASED';
    const entry = { key: `task:${taskId}:${eventKey}`, at: new Date(), action, actor: actor.username, detail: { taskId } };
    await this.uow.run(async (tx) => {
      // Locked first, so a completion or cancellation cannot commit between the check and the change.
      if (!(await this.tasks.lockOpen(tx, taskId))) return;
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      await this.tasks.assign(tx, taskId, assignee);
      await this.auditTask(tx, actor.username, actor, action, taskId, { after: { assignee } });
    });
  }

  async recordCompletion({ proposalId, outcome, actor }: { proposalId: string; outcome: TaskOutcome; actor: TaskActor }): Promise<void> {
    const entry = {
      key: `task:${outcome.taskId}:completed`,
      at: new Date(outcome.decidedAt),
      action: 'TASK_COMPLETED',
      actor: actor.username,
      detail: { taskId: outcome.taskId, type: outcome.type, agency: outcome.agency, decision: outcome.decision, comment: outcome.comment },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      const evidence = await this.evidence(tx, proposalId, outcome.taskId);
      const evidenceDigest = sha256Hex(canonicalJson(evidence));
      await this.tasks.complete(tx, outcome.taskId, {
        evidence,
        evidenceDigest,
        decision: outcome.decision,
        comment: outcome.comment,
        conditions: outcome.conditions,
        data: outcome.data,
        completedBy: actor.username,
        completedAt: new Date(outcome.decidedAt),
      });
      await this.auditTask(tx, actor.username, actor, 'TASK_COMPLETED', outcome.taskId, {
        // The digest in the hash-chained trail makes a later change to the stored evidence detectable.
        after: { decision: outcome.decision, comment: outcome.comment, conditions: outcome.conditions, data: outcome.data, evidenceDigest },
      });
      const notice = applicantNoticeFor(outcome.type, outcome.decision, (evidence.proposal as { title: string }).title);
      if (notice) {
        await this.notifications.enqueue(tx, {
          eventKey: `task:${outcome.taskId}:decision`,
          kind: 'DECISION',
          proposalId,
          taskId: outcome.taskId,
          recipientUsername: (await this.proposals.findById(proposalId, tx))?.submittedBy ?? null,
          ...notice,
        });
      }
    });
  }

  async recordSlaEvent({ taskId, proposalId, event }: { taskId: string; proposalId: string; event: SlaEvent }): Promise<void> {
    const now = new Date();
    const reason = SLA_REASONS[event];
    const entry = { key: `task:${taskId}:${event}`, at: now, action: `TASK_${event}`, actor: 'system', detail: { taskId, reason } };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      const found = await this.tasks.findById(taskId, tx);
      if (!found && event === 'CANCELLED') {
        // Cancelled before its row was written (the proposal moved on while openTask ran): the
        // timeline keeps the cancellation, and openTask closes the row if it still writes one.
        await this.auditTask(tx, 'system', null, 'TASK_CANCELLED', taskId, { reason });
        return;
      }
      const task = found ?? throwIt(notFound('Task', taskId));
      await SLA_CHANGES[event](this.tasks, tx, taskId, now);
      await this.auditTask(tx, 'system', null, `TASK_${event}`, taskId, { reason });
      const notice = SLA_NOTICES[event];
      if (notice) {
        await this.notifications.enqueue(tx, {
          eventKey: `task:${taskId}:${event}`,
          kind: notice.kind,
          proposalId,
          taskId,
          recipientRole: notice.toSupervisor ? 'SUPERVISOR' : TASK_TYPES[task.type].roles[0],
          recipientAgency: task.agency,
          subject: `${notice.kind === 'ESCALATION' ? 'Escalated' : 'Reminder'}: ${task.type} task due ${task.dueAt.toISOString()}`,
          body: reason,
        });
      }
    });
  }

  /**
   * Projects a supervisor's reassignment once per `eventKey`: the inbox row, the timeline, the audit
   * event (from, to, why), and a notice to the previous assignee and to the new one.
   */
  async recordReassignment({ taskId, proposalId, from, to, reason, actor, eventKey }: Reassignment): Promise<void> {
    const entry = {
      key: `task:${taskId}:${eventKey}`,
      at: new Date(),
      action: 'TASK_REASSIGNED',
      actor: actor.username,
      detail: { taskId, from, to, reason },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.tasks.lockOpen(tx, taskId))) return;
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      await this.tasks.assign(tx, taskId, to);
      await this.audit.record(
        {
          actor: actor.username,
          role: actor.roles.join(','),
          agency: actor.agency,
          action: 'TASK_REASSIGNED',
          subjectType: 'task',
          subjectId: taskId,
          before: { assignee: from },
          after: { assignee: to },
          reason,
        },
        tx,
      );
      const task = (await this.tasks.findById(taskId, tx)) ?? throwIt(notFound('Task', taskId));
      const what = `the ${task.type} task for proposal ${proposalId}`;
      if (from) {
        await this.notifications.enqueue(tx, {
          eventKey: `task:${taskId}:${eventKey}:from`,
          kind: 'TASK_REASSIGNED',
          proposalId,
          taskId,
          recipientUsername: from,
          subject: `Reassigned: ${task.type} task`,
          body: `${actor.username} reassigned ${what} to ${to}: ${reason}`,
        });
      }
      await this.notifications.enqueue(tx, {
        eventKey: `task:${taskId}:${eventKey}:to`,
        kind: 'TASK_ASSIGNED',
        proposalId,
        taskId,
        recipientUsername: to,
        subject: `Assigned to you: ${task.type} task due ${task.dueAt.toISOString()}`,
        body: `${actor.username} assigned ${what} to you: ${reason}`,
      });
    });
  }

  /**
   * The evidence snapshot of a decision: the case as the decider saw it when deciding (docs/spec.md
   * section 2.4b). It names the proposal version with the SHA-256 of that version's stored body, so
   * the snapshot can be checked against GET /proposals/:id/versions; its digest is recorded beside it.
   */
  private async evidence(tx: Transaction, proposalId: string, taskId: string): Promise<Record<string, unknown>> {
    const proposal = (await this.proposals.findById(proposalId, tx)) ?? throwIt(notFound('Proposal', proposalId));
    const others = await this.tasks.forProposal(proposalId, tx);
    const version = await this.proposals.version(tx, proposalId, proposal.version);
    return {
      proposal: { id: proposal.id, version: proposal.version, status: proposal.status, title: proposal.title },
      // Null for a version overwritten before versions were kept (migration 1764300001500).
      proposalVersion: { number: proposal.version, bodySha256: version && sha256Hex(canonicalJson(version.body)) },
      deficiencies: proposal.deficiencies,
      eligibility: proposal.eligibility,
      flags: proposal.flags,
      screening: proposal.screening,
      otherPositions: others
        .filter((t) => t.id !== taskId && t.decision)
        .map((t) => ({
          taskId: t.id,
          type: t.type,
          agency: t.agency,
          decision: t.decision,
          conditions: t.conditions,
          comment: t.comment,
          decidedBy: t.completedBy,
        })),
    };
  }

  private auditTask(
    tx: Transaction,
    actor: string,
    who: TaskActor | null,
    action: string,
    taskId: string,
    extra: { after?: unknown; reason?: string },
  ) {
    return this.audit.record(
      {
        actor,
        role: who?.roles.join(',') ?? null,
        agency: who?.agency ?? null,
        action,
        subjectType: 'task',
        subjectId: taskId,
        after: extra.after,
        reason: extra.reason ?? null,
      },
      tx,
    );
  }
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export type TaskActivityFunctions = ReturnType<TaskActivities['build']>;
