import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { projectPath } from '../../libs/config/paths';
import { answerInformationUpdate, completeTaskUpdate, requestInformationUpdate, taskWorkflowId } from '../../libs/contracts/tasks';
import type { TaskType } from '../../libs/domain/tasks/task-types';
import { startProposalWorkflow } from '../../libs/temporal/start-once';
import { stopProcess, waitFor } from '../lib/services';
import type { OpenedTask } from './b0-worker';
import { ArmDriver, countStateTransitions, Lifecycle, Lifecycles, StateTransitions } from './load';
import type { BenchInfrastructure } from './system';
import { actorOf, APPLICANT, APPLICANT_INFORMATION, completionFor, takerOf, Timings } from './workload';

export const RAW_UPDATE = 'Update completeTask (raw)';
export const RAW_START = 'start proposalWorkflow (raw)';
export const RAW_ASK = 'Update requestInformation (raw)';
export const RAW_ANSWER = 'Update answerInformation (raw)';

/**
 * B0, raw Temporal: the real workflows in their own worker process with no-op activities, driven
 * straight through the SDK client. Each task is completed, as soon as its openTask runs, by the
 * same completeTask Update (same payload) the API sends; no HTTP, no database.
 */
export class B0Arm implements ArmDriver {
  readonly timings = new Timings();
  /** Task ids each proposal opened, for counting state transitions. */
  private readonly tasksOf = new Map<string, string[]>();
  readonly updateErrors: string[] = [];
  private readonly lifecycles: Lifecycles;
  /** Updates in flight: stop() lets them answer before the connection closes. */
  private readonly updates = new Set<Promise<void>>();

  private constructor(
    private readonly client: Client,
    private readonly connection: Connection,
    readonly worker: ChildProcess,
  ) {
    this.lifecycles = new Lifecycles(client);
    worker.on('message', (message: OpenedTask | 'ready') => {
      if (message !== 'ready') void this.complete(message);
    });
  }

  static async start(infra: BenchInfrastructure, logFile: string): Promise<B0Arm> {
    const namespace = await infra.namespace('bench-b0');
    const log = openSync(logFile, 'a');
    const worker = fork(projectPath('dist', 'scripts', 'bench', 'b0-worker.js'), [], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        TEMPORAL_ADDRESS: infra.temporalAddress,
        TEMPORAL_NAMESPACE: namespace,
      },
      stdio: ['ignore', log, log, 'ipc'],
    });
    let ready = false;
    worker.once('message', (message) => (ready = message === 'ready'));
    await waitFor('the B0 worker', async () => {
      if (worker.exitCode !== null) throw new Error(`the B0 worker exited with ${worker.exitCode}; see ${logFile}`);
      return ready;
    });
    const connection = await Connection.connect({ address: infra.temporalAddress });
    return new B0Arm(new Client({ connection, namespace }), connection, worker);
  }

  lifecycle(): Promise<Lifecycle> {
    return this.lifecycles.run(async () => {
      const proposalId = randomUUID();
      await this.timings.time(RAW_START, () => startProposalWorkflow(this.client, proposalId));
      return proposalId;
    });
  }

  stateTransitions(proposalId: string): Promise<StateTransitions> {
    return countStateTransitions(this.client, proposalId, this.tasksOf.get(proposalId) ?? []);
  }

  private async complete(task: OpenedTask): Promise<void> {
    this.tasksOf.set(task.proposalId, [...(this.tasksOf.get(task.proposalId) ?? []), task.taskId]);
    const type = task.type as TaskType;
    const taker = actorOf(takerOf(type, task.agency));
    const request = { ...completionFor(type, task.form), actor: taker };
    const handle = this.client.workflow.getHandle(taskWorkflowId(task.taskId));
    // The same exchange with the applicant as the E2E arm's, as the same Updates the API sends.
    const exchange = APPLICANT_INFORMATION[type];
    const update = (async () => {
      if (exchange) {
        const { requestId } = await this.timings.time(RAW_ASK, () =>
          handle.executeUpdate(requestInformationUpdate, { args: [{ question: exchange.question, actor: taker }] }),
        );
        await this.timings.time(RAW_ANSWER, () =>
          handle.executeUpdate(answerInformationUpdate, { args: [{ requestId, answer: exchange.answer, actor: actorOf(APPLICANT) }] }),
        );
      }
      await this.timings.time(RAW_UPDATE, () => handle.executeUpdate(completeTaskUpdate, { args: [request] }));
    })().then(
      () => undefined,
      (error: unknown) => void this.updateErrors.push(`${task.type} ${task.taskId}: ${String(error)}`),
    );
    this.updates.add(update);
    await update;
    this.updates.delete(update);
  }

  async stop(): Promise<void> {
    await this.lifecycles.stop();
    await Promise.all(this.updates);
    await this.connection.close();
    await stopProcess(this.worker);
  }
}
