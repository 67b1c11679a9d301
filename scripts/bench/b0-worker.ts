import { NativeConnection, Worker } from '@temporalio/worker';
import type { BenefitsActivityFunctions } from '../../activities/benefits/benefits.activities';
import type { FinancingActivityFunctions, FinancingPlan } from '../../activities/financing/financing.activities';
import type { IntakeActivityFunctions } from '../../activities/intake/intake.activities';
import type { ProgramActivityFunctions } from '../../activities/program/program.activities';
import type { SbaActivityFunctions } from '../../activities/sba/sba.activities';
import type { ScreeningActivityFunctions } from '../../activities/screening/screening.activities';
import type { TaskActivityFunctions } from '../../activities/tasks/task.activities';
import { loadConfig } from '../../libs/config';
import { projectPath } from '../../libs/config/paths';
import { FINANCING_TASK_QUEUE } from '../../libs/contracts/financing';
import { INTAKE_TASK_QUEUE } from '../../libs/contracts/intake';
import { PROGRAM_TASK_QUEUE } from '../../libs/contracts/program';
import { TASKS_TASK_QUEUE } from '../../libs/contracts/tasks';
import { benefitReferrals } from '../../libs/domain/benefits/benefits';
import { loadCountryIncomeGroups, loadFinancingNeeds, suggestRoutes } from '../../libs/domain/financing/routing';
import type { ProposalSubmission } from '../../libs/domain/intake/submission';
import { isReferredToSba } from '../../libs/domain/sba/referral';
import { assessEligibility, loadEarCountryGroups } from '../../libs/domain/screening/eligibility';
import { determineSize, loadSbaSizeStandards } from '../../libs/domain/sba/size-standard';
import { taskDeadlines } from '../../libs/domain/tasks/sla';
import { FINANCING_INSTRUMENTS } from '../../libs/reference-data';
import { temporalConnectionOptions } from '../../libs/temporal/connection';
import { workerTracing } from '../../libs/temporal/tracing';
import { benchSubmission } from './workload';

/**
 * B0's worker process (forked by b0-arm.ts): the real workflow bundle on apps/worker's layout (one
 * Worker per task queue), with activities of the same names that touch nothing and answer what the
 * real ones answer for the bench proposal. `deliverTask` (which the task workflow starts once
 * openTask's result is recorded) hands each task to the parent over IPC, where the driver completes
 * it with one raw Update.
 */

/** The message openTask sends the driver. */
export interface OpenedTask {
  taskId: string;
  proposalId: string;
  type: string;
  agency: string;
  form: Record<string, unknown>;
}

/** The real prepareFinancing's answer for the bench submission (pure rules, computed once). */
function financingPlan(): FinancingPlan {
  const submission = benchSubmission() as unknown as ProposalSubmission;
  const table = loadSbaSizeStandards();
  const sbaMembers = submission.consortium.members.map((member) => ({ name: member.name, ...determineSize(member, table) }));
  return {
    suggestions: suggestRoutes({
      federalSupport: submission.federalSupport ?? [],
      targetMarkets: submission.targetMarkets ?? [],
      catalogue: FINANCING_INSTRUMENTS,
      incomeGroups: loadCountryIncomeGroups(),
      needs: loadFinancingNeeds(),
    }),
    instrumentIds: FINANCING_INSTRUMENTS.map((i) => i.id),
    smallMembers: sbaMembers.filter(isReferredToSba).length,
    sbaMembers,
  };
}

/** The real openBenefitReferrals' answer for the bench submission: advocacy, and licensing review if it is flagged. */
function benefitsPlanner(countriesOfConcern: string[]): BenefitsActivityFunctions['openBenefitReferrals'] {
  const submission = benchSubmission() as unknown as ProposalSubmission;
  const { flags } = assessEligibility({ submission, countriesOfConcern, countryGroups: loadEarCountryGroups(), openWeightModelRule: true });
  const proposal = { flags, targetMarkets: submission.targetMarkets ?? [], eccns: submission.stack?.hardware?.eccns ?? [] };
  return async ({ advocacyTaskId, licensingTaskId }) =>
    benefitReferrals(proposal, { advocacy: advocacyTaskId, licensing: licensingTaskId });
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const plan = financingPlan();
  const none = async () => undefined;
  const intake: IntakeActivityFunctions = { recordStatus: none, storeAmendment: none, recordAdjudication: none };
  const screening: ScreeningActivityFunctions = {
    screenProposal: async () => ({
      deficiencies: [],
      amendBy: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      eligible: true,
      ineligibilityReasons: [],
      possibleMatches: 0,
      matches: [],
    }),
  };
  const tasks: TaskActivityFunctions = {
    openTask: async (input) => taskDeadlines(input.type, new Date(), config),
    recordAssignment: none,
    recordReassignment: none,
    recordCompletion: none,
    recordSlaEvent: none,
    // The workflow starts delivery once openTask's result is in its history: the task is then in the inbox.
    deliverTask: async ({ input }) => {
      const opened: OpenedTask = {
        taskId: input.taskId,
        proposalId: input.proposalId,
        type: input.type,
        agency: input.agency,
        form: input.form,
      };
      process.send?.(opened);
    },
    recordInformationRequest: none,
    recordInformationAnswer: none,
  };
  const financing: FinancingActivityFunctions = { prepareFinancing: async () => plan, openReferrals: none, recordReferralOutcome: none };
  // The bench submission's members are sized from the submission alone: the size-information loop never runs.
  const noLoop = () => Promise.reject(new Error('B0 runs no SBA information loop'));
  const sba: SbaActivityFunctions = {
    recordSbaOutcome: none,
    requestSizeInformation: noLoop,
    recordSizeInformation: noLoop,
    lapseSizeInformation: none,
  };
  const benefits: BenefitsActivityFunctions = {
    openBenefitReferrals: benefitsPlanner(config.countriesOfConcern),
    recordBenefitOutcome: none,
  };
  // The program queue's Worker polls as in apps/worker; B0 starts no program plan.
  const noPrograms = () => Promise.reject(new Error('B0 runs no program plans'));
  const program: ProgramActivityFunctions = {
    loadPlan: noPrograms,
    recordMilestoneEvent: none,
    recordCompletion: none,
    recordRebaseline: noPrograms,
  };
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  // As apps/worker: the financing queue's Worker hosts activities only, the others workflows too.
  const contexts = [
    { taskQueue: INTAKE_TASK_QUEUE, hostsWorkflows: true, activities: { ...intake, ...screening } },
    { taskQueue: TASKS_TASK_QUEUE, hostsWorkflows: true, activities: tasks },
    { taskQueue: FINANCING_TASK_QUEUE, hostsWorkflows: false, activities: { ...financing, ...sba, ...benefits } },
    { taskQueue: PROGRAM_TASK_QUEUE, hostsWorkflows: true, activities: program },
  ];
  const workflows = {
    workflowBundle: { codePath: projectPath('dist', 'workflow-bundle.js') },
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  };
  const workers = await Promise.all(
    contexts.map(({ taskQueue, hostsWorkflows, activities }) =>
      Worker.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue,
        ...workerTracing(),
        ...(hostsWorkflows ? workflows : {}),
        activities,
      }),
    ),
  );
  process.on('disconnect', () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown()));
  const running = Promise.all(workers.map((w) => w.run()));
  process.send?.('ready');
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
