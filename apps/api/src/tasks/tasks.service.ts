import { ConflictException, ForbiddenException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import { AuditService, canonicalJson } from '../../../../libs/audit';
import { hasRole, Principal } from '../../../../libs/auth';
import {
  answerInformationUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  reassignTaskUpdate,
  releaseTaskUpdate,
  requestInformationUpdate,
  TASK_FAILURES,
  TaskActor,
  TaskOutcome,
  taskWorkflowId,
} from '../../../../libs/contracts/tasks';
import {
  ProposalRepository,
  ScreeningListRepository,
  type StoredScreeningEntry,
  TaskEntity,
  TaskFilter,
  TaskRepository,
  UserRepository,
} from '../../../../libs/db';
import { isHeldByScreening, ON_HOLD_SCREENING_STATUS } from '../../../../libs/domain/screening/rescreen';
import type { TaskType } from '../../../../libs/domain/tasks/task-types';
import { ASKING_TASK_TYPES, TASK_TYPE_NAMES, TASK_TYPES } from '../../../../libs/domain/tasks/task-types';
import { holderRoles, mayHoldTask } from '../../../../libs/domain/tasks/task-holders';
import { runUpdate } from '../common/workflow-update';
import type { CompleteTaskDto, ReassignTaskDto, TaskListQuery } from './tasks.dto';

/** Roles that read every inbox without acting on any (oversight). */
const OVERSIGHT_ROLES = ['AUDITOR', 'PROGRAM_MANAGER'] as const;

export function taskView(task: TaskEntity) {
  return {
    id: task.id,
    proposalId: task.proposalId,
    type: task.type,
    agency: task.agency,
    status: task.status,
    assignee: task.assignee,
    dueAt: task.dueAt,
    escalated: task.escalated,
    createdAt: task.createdAt,
    completedAt: task.completedAt,
    decision: task.decision,
    comment: task.comment,
    conditions: task.conditions,
    data: task.data,
    ...task.form,
  };
}

type ListedEntries = Map<string, { listId: string; entries: Map<string, StoredScreeningEntry> }>;

function matchesOf(task: TaskEntity): { entryId?: string }[] {
  return (task.form?.matches ?? []) as { entryId?: string }[];
}

/** The task's view with each match beside its listed entry, where `listed` found one. */
function withListedEntries(task: TaskEntity, listed: ListedEntries) {
  const view = taskView(task);
  const entries = listed.get(task.id)?.entries;
  if (!entries) return view;
  return {
    ...view,
    matches: matchesOf(task).map((m) => {
      const entry = m.entryId ? entries.get(m.entryId) : undefined;
      return entry
        ? {
            ...m,
            entry: {
              type: entry.type,
              altNames: entry.altNames,
              programs: entry.programs,
              countries: entry.countries,
              remarks: entry.remarks ?? null,
            },
          }
        : m;
    }),
  };
}

/**
 * The inbox: who sees and acts on which task (docs/spec.md sections 1 and 3). Identity and agency are
 * checked here; the task's own workflow decides, through Update validators, whether the action is
 * valid now (still open, not claimed by another, a decision its type allows).
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly proposals: ProposalRepository,
    private readonly temporal: Client,
    private readonly audit: AuditService,
    private readonly users: UserRepository,
    private readonly lists: ScreeningListRepository,
  ) {}

  async list(query: TaskListQuery, user: Principal) {
    const { items, total } = await this.tasks.list({ ...query, visibility: this.visibility(user) });
    const titles = await this.proposals.titles([...new Set(items.map((t) => t.proposalId))]);
    const listed = await this.listedEntries(items);
    return {
      items: items.map((t) => ({ ...withListedEntries(t, listed), proposalTitle: titles.get(t.proposalId) ?? null })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * An adjudicator compares each party with the entry it matched (issue 14): the entry as the list
   * version screened against holds it (the re-screening's own version, else the proposal's). One
   * query for the page's proposals and one per list version, whatever the page holds.
   */
  private async listedEntries(tasks: TaskEntity[]): Promise<ListedEntries> {
    const adjudications = tasks.filter((t) => t.type === 'SCREENING_ADJUDICATION' && matchesOf(t).length);
    const listed: ListedEntries = new Map();
    if (!adjudications.length) return listed;
    const screened = await this.proposals.screenedListVersions([
      ...new Set(adjudications.filter((t) => !t.form?.listVersionId).map((t) => t.proposalId)),
    ]);
    const wanted = new Map<string, Set<string>>();
    for (const task of adjudications) {
      const listId = (task.form?.listVersionId as string | undefined) ?? screened.get(task.proposalId);
      if (!listId) continue;
      listed.set(task.id, { listId, entries: new Map() });
      const ids = wanted.get(listId) ?? new Set<string>();
      for (const m of matchesOf(task)) if (m.entryId) ids.add(m.entryId);
      wanted.set(listId, ids);
    }
    const byList = new Map<string, Map<string, StoredScreeningEntry>>();
    for (const [listId, ids] of wanted) {
      const found = await this.lists.entriesByIds(listId, [...ids]);
      byList.set(listId, new Map(found.map((e) => [e.entryId, e])));
    }
    for (const view of listed.values()) view.entries = byList.get(view.listId) ?? new Map();
    return listed;
  }

  async claim(id: string, user: Principal, requestId?: string) {
    const task = await this.actionable(id, user, requestId);
    await this.update(task, () => this.handle(task).executeUpdate(claimTaskUpdate, { args: [actorOf(user)] }));
    return taskView((await this.tasks.findById(id)) as TaskEntity);
  }

  async release(id: string, user: Principal, requestId?: string) {
    const task = await this.actionable(id, user, requestId);
    await this.update(task, () => this.handle(task).executeUpdate(releaseTaskUpdate, { args: [actorOf(user)] }));
    return taskView((await this.tasks.findById(id)) as TaskEntity);
  }

  /**
   * Completes a task. With an Idempotency-Key the Update's id is derived from user and key, so Temporal
   * answers a retry (even after the task workflow closed) with the first Update's outcome; an outcome
   * that differs from this body means the key was reused for another request: 422 (docs/spec.md section 7).
   */
  async complete(id: string, body: CompleteTaskDto, user: Principal, requestId?: string, idempotencyKey?: string) {
    const task = await this.actionable(id, user, requestId);
    await this.assertNotOnScreeningHold(task, body.decision);
    const updateId = idempotencyKey
      ? `complete:${createHash('sha256').update(`${user.username}\n${idempotencyKey}`).digest('hex')}`
      : undefined;
    let outcome: TaskOutcome | undefined;
    await this.update(task, async () => {
      outcome = await this.handle(task).executeUpdate(completeTaskUpdate, { args: [{ ...body, actor: actorOf(user) }], updateId });
    });
    if (idempotencyKey && outcome && !sameCompletion(outcome, body, user)) {
      throw new UnprocessableEntityException({
        message: 'This Idempotency-Key was already used with a different request body',
        details: [{ field: 'Idempotency-Key', message: 'reuse a key only to retry the identical request' }],
      });
    }
    return taskView((await this.tasks.findById(id)) as TaskEntity);
  }

  /**
   * A reviewer asks the applicant for information: goes to the open review task of the reviewer's
   * agency on this proposal, whose SLA clock stops until the answer (docs/spec.md section 2.3, tolling).
   */
  async requestInformation(proposalId: string, question: string, user: Principal, requestId?: string) {
    const open = (await this.tasks.forProposal(proposalId)).find(
      (t) => ASKING_TASK_TYPES.includes(t.type) && t.agency === user.agency && (t.status === 'OPEN' || t.status === 'CLAIMED'),
    );
    if (!open)
      throw new ConflictException(`${user.agency ?? 'Your agency'} has no open task of proposal ${proposalId} that may ask the applicant`);
    const task = await this.actionable(open.id, user, requestId);
    let created: { requestId: string } | undefined;
    await this.update(task, async () => {
      created = await this.handle(task).executeUpdate(requestInformationUpdate, { args: [{ question, actor: actorOf(user) }] });
    });
    return { id: (created as { requestId: string }).requestId, taskId: task.id, agency: task.agency, question };
  }

  /** The applicant's answer restarts the clock of the task that asked. */
  async answerInformation(proposalId: string, informationRequestId: string, answer: string, user: Principal, documentIds?: string[]) {
    const request = (await this.tasks.informationRequests(proposalId)).find((r) => r.id === informationRequestId);
    if (!request?.taskId) throw new NotFoundException(`Information request ${informationRequestId} not found`);
    const task = (await this.tasks.findById(request.taskId)) as TaskEntity;
    await this.update(task, () =>
      this.handle(task).executeUpdate(answerInformationUpdate, {
        args: [{ requestId: request.id, answer, documentIds, actor: actorOf(user) }],
      }),
    );
    return (await this.tasks.informationRequests(proposalId)).find((r) => r.id === informationRequestId);
  }

  /**
   * docs/spec.md section 2.4a: while a re-screening's possible match awaits adjudication the proposal
   * is on hold, and the decisions that commit the Government to it are refused (declining is not).
   */
  private async assertNotOnScreeningHold(task: TaskEntity, decision: string): Promise<void> {
    if (!isHeldByScreening(task.type, decision)) return;
    const proposal = await this.proposals.findById(task.proposalId);
    if (proposal?.screening.status === ON_HOLD_SCREENING_STATUS) {
      throw new ConflictException(`Proposal ${task.proposalId} is on hold: a possible screening list match awaits adjudication`);
    }
  }

  private visibility(user: Principal): TaskFilter['visibility'] {
    if (hasRole(user, ...OVERSIGHT_ROLES)) return 'all';
    if (!user.agency) return 'none';
    if (hasRole(user, 'SUPERVISOR')) return { agency: user.agency, types: 'all' };
    return { agency: user.agency, types: TASK_TYPE_NAMES.filter((type) => mayTake(user, type)) };
  }

  /** The task, if the caller's agency and role may act on it; otherwise 404 (unknown) or 403 (audited). */
  private async actionable(id: string, user: Principal, requestId?: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task) throw new NotFoundException(`Task ${id} not found`);
    if (!mayHoldTask(user, task)) {
      await this.deny(
        task,
        user,
        `A ${task.type} task of ${task.agency} is not for this user's agency and role`,
        `This ${task.type} task belongs to ${task.agency}; your agency or role may not act on it`,
        requestId,
      );
    }
    return task;
  }

  /** Audits a refused action on a task, then answers 403. */
  private async deny(task: TaskEntity, user: Principal, reason: string, message: string, requestId?: string): Promise<never> {
    await this.audit.record({
      actor: user.username,
      role: user.roles.join(','),
      agency: user.agency,
      action: 'ACCESS_DENIED',
      subjectType: 'task',
      subjectId: task.id,
      reason,
      requestId,
    });
    throw new ForbiddenException(message);
  }

  private handle(task: TaskEntity) {
    return this.temporal.workflow.getHandle(taskWorkflowId(task.id));
  }

  private update(task: TaskEntity, run: () => Promise<unknown>): Promise<unknown> {
    return runUpdate(run, {
      conflict: [TASK_FAILURES.notOpen, TASK_FAILURES.claimedByAnother],
      unprocessable: [TASK_FAILURES.invalidCompletion],
      closedMessage: `Task ${task.id} is no longer open`,
    });
  }

  /**
   * A supervisor of the task's agency hands the task to a named user (docs/spec.md sections 1 and 7):
   * the assignee is checked here against the users table (the workflow cannot read it), the task's
   * state by the workflow's validator.
   */
  async reassign(id: string, body: ReassignTaskDto, user: Principal, requestId?: string) {
    const task = await this.supervised(id, user, requestId);
    if (task.status !== 'OPEN' && task.status !== 'CLAIMED') throw new ConflictException(`Task ${id} is ${task.status.toLowerCase()}`);
    const assignee = await this.users.findActiveByUsername(body.assignee);
    if (!assignee || !mayHoldTask(assignee, task)) {
      throw new UnprocessableEntityException({
        message: 'The assignee may not take this task',
        details: [
          {
            field: 'assignee',
            message: `assignee must be an active ${task.agency} user with the role ${holderRoles(task.type).join(' or ')}`,
          },
        ],
      });
    }
    const request = { assignee: assignee.username, reason: body.reason.trim(), actor: actorOf(user) };
    await this.update(task, () => this.handle(task).executeUpdate(reassignTaskUpdate, { args: [request] }));
    return taskView((await this.tasks.findById(id)) as TaskEntity);
  }

  /** Whom `reassign` would accept for the task: the picker of the supervisor's reassignment form. */
  async eligibleAssignees(id: string, user: Principal, requestId?: string) {
    const task = await this.supervised(id, user, requestId);
    return { items: await this.users.findActiveWithAnyRole(task.agency, holderRoles(task.type)) };
  }

  /** The task, if the caller is a supervisor of its agency; otherwise 404 (unknown) or 403 (audited). */
  private async supervised(id: string, user: Principal, requestId?: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task) throw new NotFoundException(`Task ${id} not found`);
    if (!hasRole(user, 'SUPERVISOR') || user.agency !== task.agency) {
      await this.deny(
        task,
        user,
        `Only a ${task.agency} supervisor reassigns a ${task.agency} task`,
        `Only a ${task.agency} supervisor may reassign this task`,
        requestId,
      );
    }
    return task;
  }
}

function mayTake(user: Pick<Principal, 'roles' | 'agency'>, type: TaskType): boolean {
  const rule = TASK_TYPES[type];
  return (
    user.roles.some((role) => (rule.roles as readonly string[]).includes(role)) &&
    !!user.agency &&
    (rule.agencies as readonly string[]).includes(user.agency)
  );
}

/** Whether an outcome is what this body asked for, normalised as the task workflow does. */
function sameCompletion(outcome: TaskOutcome, body: CompleteTaskDto, user: Principal): boolean {
  const asked = {
    decidedBy: user.username,
    decision: body.decision,
    comment: body.comment?.trim() || null,
    conditions: (body.conditions ?? []).map((c) => c.trim()).filter(Boolean),
    data: body.data ?? {},
  };
  const { decidedBy, decision, comment, conditions, data } = outcome;
  return canonicalJson(asked) === canonicalJson({ decidedBy, decision, comment, conditions, data });
}

function actorOf(user: Principal): TaskActor {
  return { username: user.username, roles: user.roles, agency: user.agency };
}
