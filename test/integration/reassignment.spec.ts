import { randomUUID } from 'node:crypto';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { completeProposal } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { DEMO_PASSWORD, Stack } from '../support/stack';
import { REVIEWERS } from '../support/designation';

type Task = { id: string; agency: string; type: string; status: string; assignee: string | null; escalated: boolean };

async function submitted(stack: Stack): Promise<string> {
  return (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal())).body.id as string;
}

async function reviewTasks(stack: Stack, id: string): Promise<Task[]> {
  return stack.eventually('five review tasks', async () => {
    const items = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`)).body.items as Task[];
    return items.length === 5 && items;
  });
}

async function openTask(stack: Stack, user: string, id: string, type: string): Promise<Task> {
  return stack.eventually(`an open ${type} task`, async () => {
    const items = (await stack.as(user, 'GET', `/api/v1/tasks?proposalId=${id}&type=${type}`)).body.items as Task[];
    return items.find((t) => t.status === 'OPEN' || t.status === 'CLAIMED');
  });
}

/** The notifications of a task once sent, with whom each reached. */
async function sentNotices(stack: Stack, taskId: string, count: number) {
  return stack.eventually(`${count} sent notifications of task ${taskId}`, async () => {
    const rows = await stack.sql<{ kind: string; recipient_username: string | null; delivered_to: string[] | null; body: string }>(
      `SELECT kind, recipient_username, delivered_to, body FROM notification WHERE task_id = $1 AND sent_at IS NOT NULL ORDER BY id`,
      [taskId],
    );
    return rows.length >= count && rows;
  });
}

/** A supervisor hands a task to a named user of the agency (docs/spec.md sections 1 and 7). */
describe('task reassignment', () => {
  let stack: Stack;
  let reviewTask: Task;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000', NOTIFY_INTERVAL: '1s' });
    // A second COMMERCE reviewer, and a disabled one: the demo users have one reviewer per agency.
    for (const [username, disabled] of [
      ['commerce.reviewer2', false],
      ['commerce.reviewer3', true],
    ] as const) {
      const created = await stack.as('admin', 'POST', '/api/v1/admin/users', {
        username,
        displayName: username,
        password: DEMO_PASSWORD,
        roles: ['REVIEWER'],
        agency: 'COMMERCE',
      });
      expect(created.status).toBe(201);
      if (disabled)
        expect((await stack.as('admin', 'PATCH', `/api/v1/admin/users/${created.body.id}`, { disabled: true })).status).toBe(200);
    }
    const id = await submitted(stack);
    reviewTask = (await reviewTasks(stack, id)).find((t) => t.agency === 'COMMERCE') as Task;
    expect((await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${reviewTask.id}/claim`)).status).toBe(200);
  });
  afterAll(() => stack?.stop());

  const reassign = (user: string, taskId: string, body: unknown) => stack.as(user, 'POST', `/api/v1/tasks/${taskId}/reassignment`, body);

  it('refuses callers other than a supervisor of the task agency (403, audited)', async () => {
    const body = { assignee: 'commerce.reviewer2', reason: 'Workload' };
    expect((await reassign('commerce.reviewer', reviewTask.id, body)).status).toBe(403);
    expect((await reassign('state.supervisor', reviewTask.id, body)).status).toBe(403);
    const denied = await stack.sql(`SELECT actor FROM audit_event WHERE action = 'ACCESS_DENIED' AND subject_id = $1`, [reviewTask.id]);
    expect(denied.map((d) => d.actor)).toContain('state.supervisor');
  });

  it('refuses an assignee of another agency or role, unknown or disabled (422 naming assignee), and a bad body (400)', async () => {
    for (const assignee of ['state.reviewer', 'commerce.decider', 'nobody.here', 'commerce.reviewer3']) {
      const res = await reassign('commerce.supervisor', reviewTask.id, { assignee, reason: 'Workload' });
      expect({ assignee, status: res.status }).toEqual({ assignee, status: 422 });
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'assignee' })]);
    }
    const blank = await reassign('commerce.supervisor', reviewTask.id, { assignee: 'commerce.reviewer2', reason: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.details).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect((await reassign('commerce.supervisor', reviewTask.id, { assignee: 'commerce.reviewer2' })).status).toBe(400);
  });

  it('lists the eligible assignees to a supervisor of the task agency only: its active users whose role may take the task, and its supervisors', async () => {
    const path = `/api/v1/tasks/${reviewTask.id}/eligible-assignees`;
    for (const user of ['applicant.acme', 'state.supervisor', 'commerce.reviewer']) {
      const requestId = randomUUID();
      expect({ user, status: (await stack.as(user, 'GET', path, undefined, { 'x-request-id': requestId })).status }).toEqual({
        user,
        status: 403,
      });
      expect(await stack.sql(`SELECT actor FROM audit_event WHERE action = 'ACCESS_DENIED' AND request_id = $1`, [requestId])).toEqual([
        { actor: user },
      ]);
    }
    expect(
      (await stack.as('commerce.supervisor', 'GET', '/api/v1/tasks/00000000-0000-4000-8000-000000000000/eligible-assignees')).status,
    ).toBe(404);
    const listed = await stack.as('commerce.supervisor', 'GET', path);
    expect(listed.status).toBe(200);
    // Not the disabled commerce.reviewer3, other agencies' reviewers, nor COMMERCE's other roles (compliance, decider, program manager).
    expect(listed.body).toEqual({
      items: [
        { username: 'commerce.reviewer', displayName: 'Riley Brooks' },
        { username: 'commerce.reviewer2', displayName: 'commerce.reviewer2' },
        { username: 'commerce.supervisor', displayName: 'Sam Patel' },
      ],
    });
  });

  it('reassigns a claimed review with a reason: audited, both assignees told, the new one completes it', async () => {
    const reason = 'Riley is on leave until the 15th';
    const res = await reassign('commerce.supervisor', reviewTask.id, { assignee: 'commerce.reviewer2', reason });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: reviewTask.id, status: 'CLAIMED', assignee: 'commerce.reviewer2' }));
    // Reassigning to the current assignee changes nothing: 409.
    expect((await reassign('commerce.supervisor', reviewTask.id, { assignee: 'commerce.reviewer2', reason })).status).toBe(409);

    const [event] = await stack.sql(
      `SELECT actor, agency, before, after, reason FROM audit_event WHERE action = 'TASK_REASSIGNED' AND subject_id = $1`,
      [reviewTask.id],
    );
    expect(event).toEqual({
      actor: 'commerce.supervisor',
      agency: 'COMMERCE',
      before: { assignee: 'commerce.reviewer' },
      after: { assignee: 'commerce.reviewer2' },
      reason,
    });

    const notices = await sentNotices(stack, reviewTask.id, 3);
    const told = (user: string) => notices.find((n) => n.recipient_username === user);
    expect(told('commerce.reviewer')).toEqual(expect.objectContaining({ kind: 'TASK_REASSIGNED', delivered_to: ['commerce.reviewer'] }));
    expect(told('commerce.reviewer')?.body).toContain(reason);
    expect(told('commerce.reviewer2')).toEqual(expect.objectContaining({ kind: 'TASK_ASSIGNED', delivered_to: ['commerce.reviewer2'] }));

    expect((await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${reviewTask.id}/complete`, { decision: 'CONCUR' })).status).toBe(
      409,
    );
    const done = await stack.as('commerce.reviewer2', 'POST', `/api/v1/tasks/${reviewTask.id}/complete`, { decision: 'CONCUR' });
    expect(done.status).toBe(200);
    expect(done.body).toEqual(expect.objectContaining({ status: 'COMPLETED', assignee: 'commerce.reviewer2', decision: 'CONCUR' }));
    expect((await reassign('commerce.supervisor', reviewTask.id, { assignee: 'commerce.reviewer', reason })).status).toBe(409);
    await recordHistory(stack, taskWorkflowId(reviewTask.id), 'task-review-reassigned');
  });

  it('reassigns an unclaimed task too, and answers 404 for an unknown one', async () => {
    const id = await submitted(stack);
    const ostp = (await reviewTasks(stack, id)).find((t) => t.agency === 'OSTP') as Task;
    const res = await reassign('ostp.supervisor', ostp.id, { assignee: 'ostp.reviewer', reason: 'Assigned on intake' });
    expect(res.body).toEqual(expect.objectContaining({ status: 'CLAIMED', assignee: 'ostp.reviewer' }));
    expect(await stack.sql(`SELECT 1 FROM notification WHERE task_id = $1 AND kind = 'TASK_REASSIGNED'`, [ostp.id])).toEqual([]);
    // A supervisor is among the eligible assignees, and may be handed the task too.
    const supervisors = await stack.as('ostp.supervisor', 'GET', `/api/v1/tasks/${ostp.id}/eligible-assignees`);
    expect(supervisors.body.items.map((u: { username: string }) => u.username)).toEqual(['ostp.reviewer', 'ostp.supervisor']);
    const toSupervisor = await reassign('ostp.supervisor', ostp.id, { assignee: 'ostp.supervisor', reason: 'Taking it myself' });
    expect(toSupervisor.body).toEqual(expect.objectContaining({ status: 'CLAIMED', assignee: 'ostp.supervisor' }));
    expect(
      (await reassign('ostp.supervisor', '00000000-0000-4000-8000-000000000000', { assignee: 'ostp.reviewer', reason: 'x' })).status,
    ).toBe(404);
  });
});

/** Every reviewing or referral agency has a supervisor: an SLA breach reaches someone (issue 13). */
describe('escalations reach the agency supervisors', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ FINANCING_SLA: '3s', SBA_SLA: '3s', NOTIFY_INTERVAL: '1s', THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  it('escalates the EDAG assignment, the EXIM review and the SBA referral to state, exim and sba supervisors', async () => {
    const id = await submitted(stack);
    for (const t of await reviewTasks(stack, id)) {
      expect((await stack.as(REVIEWERS[t.agency], 'POST', `/api/v1/tasks/${t.id}/complete`, { decision: 'CONCUR' })).status).toBe(200);
    }
    const designation = await openTask(stack, 'commerce.decider', id, 'DESIGNATION_DECISION');
    expect((await stack.as('commerce.decider', 'POST', `/api/v1/tasks/${designation.id}/complete`, { decision: 'DESIGNATE' })).status).toBe(
      200,
    );
    const assignment = await openTask(stack, 'edag.coordinator', id, 'FINANCING_ASSIGNMENT');
    const sba = await openTask(stack, 'sba.officer', id, 'SBA_REFERRAL');
    const escalatedTo = async (task: Task) => {
      const rows = await sentNotices(stack, task.id, 3);
      return rows.filter((r) => r.kind === 'ESCALATION').flatMap((r) => r.delivered_to ?? []);
    };
    expect(await escalatedTo(assignment)).toEqual(['state.supervisor']);
    const { suggestions } = (await stack.as('edag.coordinator', 'GET', `/api/v1/tasks?proposalId=${id}&type=FINANCING_ASSIGNMENT`)).body
      .items[0] as { suggestions: { instrumentId: string; agency: string; amountUsd: number }[] };
    const assignments = suggestions.map(({ instrumentId, agency, amountUsd }) => ({ instrumentId, agency, amountUsd }));
    const assigned = await stack.as('edag.coordinator', 'POST', `/api/v1/tasks/${assignment.id}/complete`, {
      decision: 'ASSIGN',
      data: { assignments },
    });
    expect(assigned.status).toBe(200);
    const exim = await openTask(stack, 'exim.officer', id, 'FINANCING_REVIEW');
    expect(await escalatedTo(exim)).toEqual(['exim.supervisor']);
    expect(await escalatedTo(sba)).toEqual(['sba.supervisor']);
    const inbox = (await stack.as('sba.supervisor', 'GET', `/api/v1/tasks?proposalId=${id}`)).body.items as Task[];
    expect(inbox.find((t) => t.id === sba.id)?.escalated).toBe(true);
    // The inbox filters a supervisor's queue uses: escalated, overdue, due within N days.
    const filtered = async (filter: string) =>
      ((await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&${filter}&pageSize=100`)).body.items as Task[])
        .map((t) => t.id)
        .sort();
    const all = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=100`)).body.items as (Task & {
      dueAt: string;
    })[];
    const escalatedIds = all
      .filter((t) => t.escalated)
      .map((t) => t.id)
      .sort();
    expect(escalatedIds).toEqual(expect.arrayContaining([sba.id, exim.id]));
    expect(await filtered('escalated=true')).toEqual(escalatedIds);
    expect(await filtered('escalated=false')).toEqual(
      all
        .filter((t) => !t.escalated)
        .map((t) => t.id)
        .sort(),
    );
    // Escalated at its SLA, the open SBA referral is past due; every task the filter returns is open and past due.
    const asOf = Date.now();
    for (const filter of ['overdue=true', 'dueWithinDays=0']) {
      const ids = await filtered(filter);
      expect(ids).toContain(sba.id);
      for (const task of all.filter((t) => ids.includes(t.id))) {
        expect(['OPEN', 'CLAIMED']).toContain(task.status);
        expect(new Date(task.dueAt).getTime()).toBeLessThan(asOf);
      }
    }
    expect((await stack.as('auditor', 'GET', '/api/v1/tasks?dueWithinDays=400')).status).toBe(400);
    // Together one of the two would be ignored: the pair is refused on the field.
    const both = await stack.as('auditor', 'GET', '/api/v1/tasks?overdue=true&dueWithinDays=3');
    expect(both.status).toBe(400);
    expect(both.body.details).toEqual([{ field: 'dueWithinDays', message: 'dueWithinDays cannot be combined with overdue' }]);
    expect((await stack.as('auditor', 'GET', '/api/v1/tasks?escalated=maybe')).status).toBe(400);
    // The supervisor acts on the escalated task: hands it to the agency's officer.
    const handed = await stack.as('sba.supervisor', 'POST', `/api/v1/tasks/${sba.id}/reassignment`, {
      assignee: 'sba.officer',
      reason: 'Escalated: please decide today',
    });
    expect(handed.body).toEqual(expect.objectContaining({ assignee: 'sba.officer', escalated: true }));
  });
});
