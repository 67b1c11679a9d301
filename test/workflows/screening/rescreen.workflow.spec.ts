import { Worker } from '@temporalio/worker';
import type { RescreenActivityFunctions } from '../../../activities/screening/rescreen.activities';
import { FINANCING_TASK_QUEUE } from '../../../libs/contracts/financing';
import { INTAKE_TASK_QUEUE } from '../../../libs/contracts/intake';
import {
  NewlyMatched,
  RescreenAdjudication,
  RescreenInput,
  RescreenProgress,
  rescreenWatchWorkflowId,
  rescreenWorkflowId,
} from '../../../libs/contracts/screening';
import { RESCREEN_DONE_ATTRIBUTE, RESCREEN_TOTAL_ATTRIBUTE, STAGE_ATTRIBUTE } from '../../../libs/contracts/search-attributes';
import { TASKS_TASK_QUEUE } from '../../../libs/contracts/tasks';
import { startRescreenWorkflow } from '../../../libs/temporal/start-once';
import type { rescreenWatchWorkflow } from '../../../workflows/screening/rescreen-watch.workflow';
import type { rescreenListWorkflow } from '../../../workflows/screening/rescreen.workflow';
import { workflowBundle } from '../../support/workflow-bundle';
import { workerTracing } from '../../../libs/temporal/tracing';
import { clean, eventually, newId, WorkflowHarness } from '../../support/workflow-harness';
import { patchMarkers, saveHistory } from '../../support/workflow-histories';

/** The batch and the watch run on a queue of their own here, whose Worker has the stub re-screening activities. */
const RESCREEN_QUEUE = 'rescreen-test';

interface StubList {
  proposals: string[];
  /** Proposals whose re-screening finds new matches. */
  matched: Set<string>;
  /** Page attempts to fail (by cursor) before one succeeds. */
  failures: Map<string | null, number>;
  /** The page activity waits for it. */
  gate?: Promise<void>;
}

/**
 * rescreenListWorkflow and rescreenWatchWorkflow (docs/spec.md section 2.4a) on real Workers with stub
 * activities: the stub "database" records each re-screening once per proposal, as the real one does
 * by (list version, proposal). The watch's adjudication task and the proposal it confirms run on the
 * standard harness (intake, tasks and financing queues).
 */
describe('continuous screening workflows', () => {
  let h: WorkflowHarness;
  let worker: Worker;
  let running: Promise<void>;
  const lists = new Map<string, StubList>();
  const recorded = new Map<string, Set<string>>();
  const calls: { name: string; input: any }[] = [];
  const callsOf = (name: string, where: (input: any) => boolean = () => true) =>
    calls.filter((c) => c.name === name && where(c.input)).map((c) => c.input);

  const progressOf = (listVersionId: string): RescreenProgress => {
    const list = lists.get(listVersionId) as StubList;
    const done = recorded.get(listVersionId)?.size ?? 0;
    const newMatches = [...(recorded.get(listVersionId) ?? [])].filter((p) => list.matched.has(p)).length;
    return { total: list.proposals.length, done, newMatches };
  };

  const stubs: RescreenActivityFunctions = {
    beginRescreen: async (input) => {
      calls.push({ name: 'beginRescreen', input });
      return progressOf(input.listVersionId);
    },
    rescreenPage: async (input) => {
      calls.push({ name: 'rescreenPage', input });
      const list = lists.get(input.listVersionId) as StubList;
      await list.gate;
      const left = list.failures.get(input.after) ?? 0;
      const ids = list.proposals.filter((p) => input.after === null || p > input.after).slice(0, input.limit);
      const done = recorded.get(input.listVersionId) ?? new Set<string>();
      recorded.set(input.listVersionId, done);
      ids.forEach((id) => done.add(id));
      // Fails after writing: the retry must write nothing twice (the Set), as the real page's keyed inserts do not.
      if (left > 0) {
        list.failures.set(input.after, left - 1);
        throw new Error(`page after ${input.after}: database connection lost`);
      }
      const newlyMatched: NewlyMatched[] = ids
        .filter((id) => list.matched.has(id))
        .map((proposalId) => ({ proposalId, matches: [{ role: 'member X' }] }));
      return { next: ids.length < input.limit ? null : (ids.at(-1) as string), newlyMatched, progress: progressOf(input.listVersionId) };
    },
    finishRescreen: async (input) => {
      calls.push({ name: 'finishRescreen', input });
      return progressOf(input.listVersionId);
    },
    recordRescreenAdjudication: async (input) => void calls.push({ name: 'recordRescreenAdjudication', input }),
    closeCompletedAsIneligible: async (input) => void calls.push({ name: 'closeCompletedAsIneligible', input }),
    revokeDesignation: async (input) => void calls.push({ name: 'revokeDesignation', input }),
  };

  beforeAll(async () => {
    h = await WorkflowHarness.start([INTAKE_TASK_QUEUE, TASKS_TASK_QUEUE, FINANCING_TASK_QUEUE]);
    worker = await Worker.create({
      connection: h.env.nativeConnection,
      taskQueue: RESCREEN_QUEUE,
      workflowBundle: await workflowBundle(),
      ...workerTracing(),
      activities: stubs,
    });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    await h?.stop();
  });

  const newList = (count: number, extra: Partial<StubList> = {}) => {
    const listVersionId = newId();
    // Sorted ids: the keyset order of the real page query.
    const proposals = Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, '0')}`);
    lists.set(listVersionId, { proposals, matched: new Set(), failures: new Map(), ...extra });
    return { listVersionId, proposals };
  };

  const startBatch = (input: RescreenInput) =>
    h.client.workflow.start<typeof rescreenListWorkflow>('rescreenListWorkflow', {
      taskQueue: RESCREEN_QUEUE,
      workflowId: rescreenWorkflowId(input.listVersionId),
      args: [input],
    });

  it('resumes a failing page without redoing earlier pages, keeps its cursor across continue-as-new and starts each watch once', async () => {
    const { listVersionId, proposals } = newList(7);
    const list = lists.get(listVersionId) as StubList;
    list.matched = new Set([proposals[1], proposals[4]]);
    // The third page (after p003) fails twice, then succeeds.
    list.failures.set(proposals[3], 2);
    const handle = await startBatch({ listVersionId, pageSize: 2, pagesPerRun: 2 });
    const progress = await handle.result();

    expect(progress).toEqual({ total: 7, done: 7, newMatches: 2 });
    const cursors = callsOf('rescreenPage', (i) => i.listVersionId === listVersionId).map((i) => i.after);
    // Each page once, the failing one three times; never again from the start after continuing as new.
    expect(cursors).toEqual([null, proposals[1], proposals[3], proposals[3], proposals[3], proposals[5]]);
    const first = await h.client.workflow.getHandle(rescreenWorkflowId(listVersionId), handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const last = await h.client.workflow.getHandle(rescreenWorkflowId(listVersionId)).describe();
    expect(last.runId).not.toBe(handle.firstExecutionRunId);
    expect(last.searchAttributes[STAGE_ATTRIBUTE.name]).toEqual(['RESCREENED']);
    expect(last.typedSearchAttributes.get(RESCREEN_DONE_ATTRIBUTE)).toBe(7);
    expect(last.typedSearchAttributes.get(RESCREEN_TOTAL_ATTRIBUTE)).toBe(7);
    for (const proposalId of [proposals[1], proposals[4]]) {
      const watch = await h.client.workflow.getHandle(rescreenWatchWorkflowId(listVersionId, proposalId)).describe();
      expect(watch.type).toBe('rescreenWatchWorkflow');
      await h.openedTask(proposalId, 'SCREENING_ADJUDICATION');
    }
    await expect(h.client.workflow.getHandle(rescreenWatchWorkflowId(listVersionId, proposals[0])).describe()).rejects.toThrow();
    await saveHistory(
      h.client.workflow.getHandle(rescreenWorkflowId(listVersionId), handle.firstExecutionRunId),
      'rescreen-batch-continued-as-new',
    );
  });

  it('is started once per list version: a second start, running or finished, re-screens nothing', async () => {
    let open!: () => void;
    const { listVersionId } = newList(3, { gate: new Promise<void>((resolve) => (open = resolve)) });
    const handle = await h.client.workflow.start<typeof rescreenListWorkflow>('rescreenListWorkflow', {
      taskQueue: RESCREEN_QUEUE,
      workflowId: rescreenWorkflowId(listVersionId),
      args: [{ listVersionId }],
    });
    await eventually('the first page', () => callsOf('rescreenPage', (i) => i.listVersionId === listVersionId).length > 0);
    expect(await startRescreenWorkflow(h.client, listVersionId)).toBe('already-started');
    open();
    expect(await handle.result()).toEqual({ total: 3, done: 3, newMatches: 0 });
    expect(await startRescreenWorkflow(h.client, listVersionId)).toBe('already-started');
    expect(callsOf('beginRescreen', (i) => i.listVersionId === listVersionId)).toHaveLength(1);
    expect(callsOf('rescreenPage', (i) => i.listVersionId === listVersionId)).toHaveLength(1);
  });

  const startWatch = (listVersionId: string, proposalId: string) =>
    h.client.workflow.start<typeof rescreenWatchWorkflow>('rescreenWatchWorkflow', {
      taskQueue: RESCREEN_QUEUE,
      workflowId: rescreenWatchWorkflowId(listVersionId, proposalId),
      args: [{ listVersionId, proposalId, matches: [{ role: 'member Blue River Data LLC', listedName: 'Blue River Data' }] }],
    });

  it('confirms a match on a proposal under review: the proposal workflow cancels its reviews and ends INELIGIBLE', async () => {
    const { proposalId, handle: proposal } = await h.startProposal({ screenings: [clean()] });
    const reviews = await h.reviewTasks(proposalId);
    const listVersionId = newId();
    const watch = await startWatch(listVersionId, proposalId);
    const task = await h.openedTask(proposalId, 'SCREENING_ADJUDICATION');
    expect(task.input.form).toEqual({ matches: [expect.objectContaining({ listedName: 'Blue River Data' })], listVersionId });
    await h.complete(task, { decision: 'CONFIRM_MATCH', comment: 'Same entity as the listed one' });

    expect(await proposal.result()).toEqual(expect.objectContaining({ status: 'INELIGIBLE' }));
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'UNDER_REVIEW', 'INELIGIBLE']);
    const ineligible = h.callsOf('recordStatus', (i) => i.proposalId === proposalId && i.status === 'INELIGIBLE')[0].input;
    expect(ineligible.reason).toContain('Same entity as the listed one');
    for (const review of reviews) expect(h.slaEvents(review.taskId)).toContain('CANCELLED');
    expect((await watch.result()).decision).toBe('CONFIRM_MATCH');
    const adjudication: RescreenAdjudication = {
      listVersionId,
      proposalId,
      taskId: task.taskId,
      decision: 'CONFIRM_MATCH',
      decidedBy: expect.any(String),
      comment: 'Same entity as the listed one',
    };
    expect(callsOf('recordRescreenAdjudication', (i) => i.proposalId === proposalId)).toEqual([adjudication]);
    // The running workflow made it INELIGIBLE; the watch only revokes a designation, if any.
    expect(callsOf('closeCompletedAsIneligible', (i) => i.proposalId === proposalId)).toEqual([]);
    expect(callsOf('revokeDesignation', (i) => i.proposalId === proposalId)).toEqual([adjudication]);
    expect(patchMarkers(await proposal.fetchHistory())).toContain('rescreen-confirmation');
    await saveHistory(watch, 'rescreen-watch-confirmed-under-review');
    await saveHistory(proposal, 'rescreen-proposal-confirmed-mid-review');
  });

  it('confirms a match on a package whose workflow has closed (COMPLETED): made INELIGIBLE and its designation revoked by activities', async () => {
    const proposalId = newId();
    const listVersionId = newId();
    const watch = await startWatch(listVersionId, proposalId);
    const task = await h.openedTask(proposalId, 'SCREENING_ADJUDICATION');
    await h.complete(task, { decision: 'CONFIRM_MATCH', comment: 'Confirmed with BIS' });
    await watch.result();
    expect(callsOf('closeCompletedAsIneligible', (i) => i.proposalId === proposalId)).toHaveLength(1);
    expect(callsOf('revokeDesignation', (i) => i.proposalId === proposalId)).toHaveLength(1);
    await saveHistory(watch, 'rescreen-watch-confirmed-completed');
  });

  it('clears a match: the hold is lifted and the proposal goes on', async () => {
    const { proposalId, handle: proposal } = await h.startProposal({ screenings: [clean()] });
    await h.reviewTasks(proposalId);
    const listVersionId = newId();
    const watch = await startWatch(listVersionId, proposalId);
    await h.complete(await h.openedTask(proposalId, 'SCREENING_ADJUDICATION'), { decision: 'CLEAR', comment: 'Different entity' });
    expect((await watch.result()).decision).toBe('CLEAR');
    expect(callsOf('recordRescreenAdjudication', (i) => i.proposalId === proposalId).map((i) => i.decision)).toEqual(['CLEAR']);
    expect(callsOf('closeCompletedAsIneligible', (i) => i.proposalId === proposalId)).toEqual([]);
    expect(callsOf('revokeDesignation', (i) => i.proposalId === proposalId)).toEqual([]);
    expect((await proposal.describe()).status.name).toBe('RUNNING');
    await h.designate(proposalId);
    await saveHistory(watch, 'rescreen-watch-cleared');
  });
});
