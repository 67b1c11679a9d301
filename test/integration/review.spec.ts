import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { recordHistory } from '../support/histories';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';
import { REVIEWERS } from '../support/designation';

async function underReview(stack: Stack): Promise<string> {
  const created = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
  const id = created.body.id as string;
  await stack.eventually(
    'UNDER_REVIEW',
    async () => (await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).body.status === 'UNDER_REVIEW',
  );
  return id;
}

async function reviewTasks(stack: Stack, id: string) {
  return stack.eventually('five review tasks', async () => {
    const all = await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`);
    return all.body.items.length === 5 && all.body.items;
  });
}

const statusOf = async (stack: Stack, id: string) => (await stack.as('commerce.decider', 'GET', `/api/v1/proposals/${id}`)).body;

describe('parallel agency reviews and the designation decision', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  it('opens five tasks for the right agencies, each seen only by its own reviewer; all concur -> DESIGNATE', async () => {
    const id = await underReview(stack);
    const tasks = await reviewTasks(stack, id);
    expect(tasks.map((t: { agency: string; type: string }) => `${t.agency}:${t.type}`).sort()).toEqual([
      'COMMERCE:AGENCY_REVIEW',
      'DOD:CONSULTATION',
      'DOE:CONSULTATION',
      'OSTP:AGENCY_REVIEW',
      'STATE:AGENCY_REVIEW',
    ]);
    for (const [agency, reviewer] of Object.entries(REVIEWERS)) {
      const inbox = await stack.as(reviewer, 'GET', `/api/v1/tasks?proposalId=${id}`);
      expect(inbox.body.items.map((t: { agency: string }) => t.agency)).toEqual([agency]);
    }
    for (const task of tasks) {
      const done = await stack.as(REVIEWERS[task.agency], 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' });
      expect(done.status).toBe(200);
    }
    const decision = await stack.eventually(
      'the designation task',
      async () => (await stack.as('commerce.decider', 'GET', `/api/v1/tasks?proposalId=${id}&type=DESIGNATION_DECISION`)).body.items[0],
    );
    expect(decision.positions.map((p: { position: string }) => p.position)).toEqual(['CONCUR', 'CONCUR', 'CONCUR', 'CONCUR', 'CONCUR']);
    expect((await stack.as('commerce.decider', 'POST', `/api/v1/tasks/${decision.id}/complete`, { decision: 'DESIGNATE' })).status).toBe(
      200,
    );
    await stack.eventually('FINANCING', async () => (await statusOf(stack, id)).status === 'FINANCING');
    const p = await statusOf(stack, id);
    expect(p.designation).toEqual(expect.objectContaining({ decision: 'DESIGNATE', decidedBy: 'commerce.decider' }));
    expect(p.reviews).toHaveLength(5);
  });

  it('requires a comment to designate over a non-concurrence, and records every position', async () => {
    const id = await underReview(stack);
    const tasks = await reviewTasks(stack, id);
    for (const task of tasks) {
      const body =
        task.agency === 'STATE'
          ? { decision: 'NON_CONCUR', comment: 'Diversion risk to a D:5 neighbour' }
          : task.agency === 'OSTP'
            ? { decision: 'CONCUR_WITH_CONDITIONS', conditions: ['Annual model-weight security audit'] }
            : { decision: 'CONCUR' };
      expect((await stack.as(REVIEWERS[task.agency], 'POST', `/api/v1/tasks/${task.id}/complete`, body)).status).toBe(200);
    }
    const decision = await stack.eventually(
      'the designation task',
      async () => (await stack.as('commerce.decider', 'GET', `/api/v1/tasks?proposalId=${id}&type=DESIGNATION_DECISION`)).body.items[0],
    );
    const bare = await stack.as('commerce.decider', 'POST', `/api/v1/tasks/${decision.id}/complete`, { decision: 'DESIGNATE' });
    expect(bare.status).toBe(422);
    expect(bare.body.details).toEqual([expect.objectContaining({ field: 'comment' })]);
    const justified = await stack.as('commerce.decider', 'POST', `/api/v1/tasks/${decision.id}/complete`, {
      decision: 'DESIGNATE',
      comment: 'Conditions mitigate the diversion risk',
    });
    expect(justified.status).toBe(200);
    await stack.eventually('FINANCING', async () => (await statusOf(stack, id)).status === 'FINANCING');
    const p = await statusOf(stack, id);
    expect(p.reviews.find((r: { agency: string }) => r.agency === 'STATE')).toEqual(
      expect.objectContaining({ position: 'NON_CONCUR', comment: 'Diversion risk to a D:5 neighbour' }),
    );
    expect(p.reviews.find((r: { agency: string }) => r.agency === 'OSTP').conditions).toEqual(['Annual model-weight security audit']);
    const applicantView = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
    expect(applicantView.reviews).toEqual([]);
  });

  it('ends NOT_SELECTED when the deciding official declines', async () => {
    const id = await underReview(stack);
    for (const task of await reviewTasks(stack, id)) {
      await stack.as(REVIEWERS[task.agency], 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' });
    }
    const decision = await stack.eventually(
      'the designation task',
      async () => (await stack.as('commerce.decider', 'GET', `/api/v1/tasks?proposalId=${id}&type=DESIGNATION_DECISION`)).body.items[0],
    );
    expect((await stack.as('commerce.decider', 'POST', `/api/v1/tasks/${decision.id}/complete`, { decision: 'DECLINE' })).status).toBe(422);
    expect(
      (
        await stack.as('commerce.decider', 'POST', `/api/v1/tasks/${decision.id}/complete`, {
          decision: 'DECLINE',
          comment: 'Outside this round’s priorities',
        })
      ).status,
    ).toBe(200);
    await stack.eventually('NOT_SELECTED', async () => (await statusOf(stack, id)).status === 'NOT_SELECTED');
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-reviewed-not-selected');
    await recordHistory(stack, taskWorkflowId(decision.id), 'task-designation-declined');
  });

  it('lets exactly one of 50 concurrent completions win, with one completion in the workflow history', async () => {
    const id = await underReview(stack);
    const task = (await reviewTasks(stack, id)).find((t: { agency: string }) => t.agency === 'COMMERCE');
    await stack.token('commerce.supervisor');
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        stack.as(i % 2 ? 'commerce.reviewer' : 'commerce.supervisor', 'POST', `/api/v1/tasks/${task.id}/complete`, {
          decision: 'CONCUR',
          comment: `attempt ${i}`,
        }),
      ),
    );
    const statuses = attempts.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const history = await stack.temporal.workflow.getHandle(taskWorkflowId(task.id)).fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(1);
    const completions = await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action = 'TASK_COMPLETED'`, [
      task.id,
    ]);
    expect(completions).toEqual([{ n: 1 }]);
  });

  it('claims and releases: a task claimed by one reviewer cannot be completed by another, but the supervisor can', async () => {
    await stack.as('admin', 'POST', '/api/v1/admin/users', {
      username: 'commerce.reviewer2',
      displayName: 'Second Commerce Reviewer',
      password: 'exports-demo-2',
      roles: ['REVIEWER'],
      agency: 'COMMERCE',
    });
    const second = await stack.request('POST', '/api/v1/auth/login', { username: 'commerce.reviewer2', password: 'exports-demo-2' });
    const asSecond = (method: string, path: string, body?: unknown) =>
      stack.request(method, path, body, { authorization: `Bearer ${second.body.accessToken}` });
    const id = await underReview(stack);
    const task = (await reviewTasks(stack, id)).find((t: { agency: string }) => t.agency === 'COMMERCE');
    const claimed = await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${task.id}/claim`);
    expect(claimed.body).toEqual(expect.objectContaining({ status: 'CLAIMED', assignee: 'commerce.reviewer' }));
    expect((await asSecond('POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' })).status).toBe(409);
    expect((await asSecond('POST', `/api/v1/tasks/${task.id}/release`)).status).toBe(409);
    expect((await stack.as('state.reviewer', 'POST', `/api/v1/tasks/${task.id}/claim`)).status).toBe(403);
    const released = await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${task.id}/release`);
    expect(released.body).toEqual(expect.objectContaining({ status: 'OPEN', assignee: null }));
    await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${task.id}/claim`);
    const bySupervisor = await stack.as('commerce.supervisor', 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' });
    expect(bySupervisor.body).toEqual(expect.objectContaining({ status: 'COMPLETED', assignee: 'commerce.supervisor' }));
  });
});

describe('review SLAs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ REVIEW_SLA: '5s', REVIEW_REMINDER_AT: '0.4', NOTIFY_INTERVAL: '1s' });
  });
  afterAll(() => stack?.stop());

  it('reminds, then escalates to the supervisor who completes it; a lapsed consultation is NO_RESPONSE and does not block', async () => {
    const id = await underReview(stack);
    const tasks = await reviewTasks(stack, id);
    const state = tasks.find((t: { agency: string }) => t.agency === 'STATE');
    const escalated = await stack.eventually(
      'the STATE review to escalate',
      async () => {
        const inbox = await stack.as('state.supervisor', 'GET', `/api/v1/tasks?proposalId=${id}`);
        return inbox.body.items.find((t: { id: string; escalated: boolean }) => t.id === state.id && t.escalated);
      },
      20_000,
    );
    expect(escalated.status).toBe('OPEN');
    const timeline = (await statusOf(stack, id)).timeline.map((e: { action: string }) => e.action);
    expect(timeline.indexOf('TASK_REMINDER')).toBeGreaterThan(-1);
    expect(timeline.indexOf('TASK_ESCALATED')).toBeGreaterThan(timeline.indexOf('TASK_REMINDER'));
    const audit = await stack.sql(`SELECT DISTINCT action FROM audit_event WHERE subject_id = $1`, [state.id]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['TASK_REMINDER', 'TASK_ESCALATED']));
    const notices = await stack.eventually("the task's notifications to be sent", async () => {
      const rows = await stack.sql(`SELECT kind, recipient_role, sent_at FROM notification WHERE task_id = $1 ORDER BY id`, [state.id]);
      return rows.length === 3 && rows.every((r) => r.sent_at) && rows;
    });
    expect(notices.map((n) => `${n.kind}:${n.recipient_role}`)).toEqual([
      'TASK_ASSIGNED:REVIEWER',
      'REMINDER:REVIEWER',
      'ESCALATION:SUPERVISOR',
    ]);
    for (const agency of ['COMMERCE', 'STATE', 'OSTP']) {
      const task = tasks.find((t: { agency: string }) => t.agency === agency);
      const supervisor = `${agency.toLowerCase()}.supervisor`;
      expect((await stack.as(supervisor, 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' })).status).toBe(200);
    }
    await stack.eventually('AWAITING_DETERMINATION', async () => (await statusOf(stack, id)).status === 'AWAITING_DETERMINATION', 20_000);
    const p = await statusOf(stack, id);
    expect(p.reviews.filter((r: { kind: string }) => r.kind === 'CONSULTATION').map((r: { position: string }) => r.position)).toEqual([
      'NO_RESPONSE',
      'NO_RESPONSE',
    ]);
    await recordHistory(stack, taskWorkflowId(state.id), 'task-review-escalated-supervisor');
    await recordHistory(stack, taskWorkflowId(tasks.find((t: { agency: string }) => t.agency === 'DOD').id), 'task-consultation-lapsed');
  });

  it("stops a review's clock while the applicant answers a request for information, and records the tolling", async () => {
    const id = await underReview(stack);
    const state = (await reviewTasks(stack, id)).find((t: { agency: string }) => t.agency === 'STATE');
    const asked = await stack.as('state.reviewer', 'POST', `/api/v1/proposals/${id}/information-requests`, {
      question: 'Who operates the Nairobi site?',
    });
    expect(asked.status).toBe(201);
    expect((await stack.as('state.reviewer', 'POST', `/api/v1/proposals/${id}/information-requests`, { question: 'Again?' })).status).toBe(
      409,
    );
    expect(
      (await stack.as('applicant.globex', 'POST', `/api/v1/proposals/${id}/information-requests/${asked.body.id}/answer`, { answer: 'x' }))
        .status,
    ).toBe(404);
    await new Promise((r) => setTimeout(r, 7000)); // past REVIEW_SLA=5s: a running clock would have escalated
    const paused = (await stack.as('state.reviewer', 'GET', `/api/v1/tasks?proposalId=${id}`)).body.items[0];
    expect(paused.escalated).toBe(false);
    const answered = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/information-requests/${asked.body.id}/answer`, {
      answer: 'Blue River Data LLC',
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual(
      expect.objectContaining({ answer: 'Blue River Data LLC', answeredBy: 'applicant.acme', pausedMs: expect.any(Number) }),
    );
    expect(answered.body.pausedMs).toBeGreaterThanOrEqual(7000);
    const moved = (await stack.as('state.reviewer', 'GET', `/api/v1/tasks?proposalId=${id}`)).body.items[0];
    expect(new Date(moved.dueAt).getTime() - new Date(state.dueAt).getTime()).toBeGreaterThanOrEqual(7000);
    const p = await statusOf(stack, id);
    const tolling = p.timeline.filter((e: { action: string }) => e.action.startsWith('INFORMATION_'));
    expect(tolling.map((e: { action: string }) => e.action)).toEqual(['INFORMATION_REQUESTED', 'INFORMATION_ANSWERED']);
    expect(tolling[0].detail.tolling).toMatch(/clock paused/);
    await stack.eventually(
      'the STATE review to escalate after the resumed clock runs out',
      async () => (await stack.as('state.reviewer', 'GET', `/api/v1/tasks?proposalId=${id}`)).body.items[0].escalated,
      20_000,
    );
    await stack.as('state.supervisor', 'POST', `/api/v1/tasks/${state.id}/complete`, { decision: 'CONCUR' });
    await recordHistory(stack, taskWorkflowId(state.id), 'task-review-tolled-for-information');
  });
});
