import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../libs/config/paths';
import { proposalWorkflowId } from '../../libs/contracts/intake';
import { temporalBinary } from '../../scripts/lib/services';
import { assertReconciled, stackEnv } from '../support/fault-checks';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

/**
 * Every `temporal workflow …` and `temporal task-queue …` command docs/runbook.md gives, as written
 * there (placeholders filled in), run with the CLI against a live system: the runbook's commands are
 * tried, not only read. The resets come last, and the read model must still agree with the workflows.
 */
function runbookCommands(): string[] {
  const text = readFileSync(projectPath('docs', 'runbook.md'), 'utf8');
  const inCodeBlocks = [...text.matchAll(/^ *(temporal (?:workflow|task-queue) .+)$/gm)].map((m) => m[1].replace(/\s+#.*$/, ''));
  const inline = [...text.matchAll(/`(temporal (?:workflow|task-queue) [^`]+)`/g)].map((m) => m[1]);
  // A command has flags; a bare `temporal workflow show` in prose only names one.
  return [...new Set([...inCodeBlocks, ...inline].map((command) => command.trim()))].filter((command) => command.includes(' --'));
}

describe('the runbook’s Temporal CLI commands', () => {
  let stack: Stack;
  let bin: string;
  beforeAll(async () => {
    stack = await Stack.start();
    // The runbook calls the CLI `temporal`, found on PATH.
    bin = mkdtempSync(join(tmpdir(), 'exports-desk-cli-'));
    symlinkSync(temporalBinary(), join(bin, 'temporal'));
  });
  afterAll(async () => {
    await stack?.stop();
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  const cli = (command: string) => {
    const env = stackEnv(stack);
    // The runbook's convention: TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE exported for the CLI.
    const run = spawnSync('bash', ['-c', command], {
      env: { ...env, HOME: process.env.HOME, PATH: `${bin}:${env.PATH}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { command, status: run.status, output: run.stdout, errors: run.stderr };
  };

  it('runs each command of the runbook against a proposal under review and a re-screening batch, resets included', async () => {
    const filed = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;
    await stack.eventually('the proposal under review', async () => {
      const p = await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`);
      return p.body.status === 'UNDER_REVIEW';
    });
    // The worker's sweep starts the batch of the seeded list at its boot (runbook section 2).
    const [list] = await stack.eventually('the seeded list re-screened', async () => {
      const lists = (await stack.as('auditor', 'GET', '/api/v1/screening/lists')).body.items;
      return lists[0]?.rescreen?.finishedAt && lists;
    });
    const history = JSON.parse(cli(`temporal workflow show --workflow-id ${proposalWorkflowId(id)} --output json`).output) as {
      events: { eventId: string; eventType: string }[];
    };
    const lastCompletedTask = history.events.filter((e) => /WORKFLOW_TASK_COMPLETED|WorkflowTaskCompleted/.test(e.eventType)).pop();
    expect(lastCompletedTask).toBeDefined();

    const commands = runbookCommands().map((command) =>
      command
        .replaceAll('proposal:<id>', proposalWorkflowId(id))
        .replaceAll('<listVersionId>', list.id)
        .replaceAll('<n>', String(lastCompletedTask?.eventId))
        .replaceAll('<version>', 'test'),
    );
    expect(commands.length).toBeGreaterThanOrEqual(12);
    const resets = commands.filter((c) => c.includes(' workflow reset '));
    expect(resets.length).toBeGreaterThanOrEqual(3);
    const results = [...commands.filter((c) => !resets.includes(c)), ...resets].map(cli);
    // Nothing left unfilled, and every command answered without error.
    expect(
      results
        .filter((r) => /<\w+>/.test(r.command) || r.status !== 0)
        .map(
          (r) =>
            `${r.command}: ${r.errors
              .split('\n')
              .filter((l) => l.includes('level=ERROR'))
              .join(' ')}`,
        ),
    ).toEqual([]);
    const byCommand = (part: string) => results.find((r) => r.command.includes(part))?.output ?? '';
    expect(byCommand(`query --workflow-id ${proposalWorkflowId(id)} --name proposalState`)).toContain('UNDER_REVIEW');
    expect(byCommand('WorkflowType = "humanTaskWorkflow"')).toContain('task:');
    expect(byCommand('task-queue describe --task-queue exports-desk-intake')).toMatch(/poller|Poller|identity|Identity/);

    // After the resets the workflow goes on from its last completed task: same state, read model in agreement.
    await stack.eventually('the reset run answering', async () =>
      cli(`temporal workflow query --workflow-id ${proposalWorkflowId(id)} --name proposalState`).output.includes('UNDER_REVIEW'),
    );
    await assertReconciled(stack);
  });
});
