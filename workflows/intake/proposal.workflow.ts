import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { IntakeActivityFunctions } from '../../activities/intake/intake.activities';
import type { ScreeningActivityFunctions } from '../../activities/screening/screening.activities';
import {
  AmendProposalRequest,
  amendProposalUpdate,
  PROPOSAL_FAILURES,
  ProposalWorkflowInput,
  ProposalWorkflowState,
  proposalStateQuery,
  ScreeningMatchConfirmed,
  screeningMatchConfirmedSignal,
  WithdrawProposalRequest,
  withdrawProposalUpdate,
} from '../../libs/contracts/intake';
import { STAGE_ATTRIBUTE } from '../../libs/contracts/search-attributes';
import { HumanTaskInput, TASKS_TASK_QUEUE, taskWorkflowId } from '../../libs/contracts/tasks';
import { isFinal, ProposalStatus } from '../../libs/domain/intake/proposal-status';
import { PROPOSAL_ACTIVITY } from '../activity-options';
import { runBenefits } from '../benefits/benefits-stage';
import { runFinancing } from '../financing/financing-stage';
import { sizeInformationLoop } from '../sba/size-information';
import { nonConcurringAgencies, positionsOf } from '../../libs/domain/review/reviews';
import { runReviews } from '../review/review-stage';
import { humanTaskWorkflow } from '../tasks/human-task.workflow';

const intake = proxyActivities<IntakeActivityFunctions>(PROPOSAL_ACTIVITY);

/**
 * Marks amendments that are stored before the proposal is screened again. Histories from before
 * re-screened as soon as the amendment was accepted, while `storeAmendment` was still running.
 */
const AMENDMENT_STORED_PATCH = 'amendment-stored-before-rescreening';

const screening = proxyActivities<ScreeningActivityFunctions>(PROPOSAL_ACTIVITY);

/** Marks the designation benefits (ITA advocacy, BIS licensing) run beside financing; before it, financing alone. */
const DESIGNATION_BENEFITS_PATCH = 'designation-benefits';
/** Marks a proposal ended by a match confirmed on re-screening (docs/spec.md section 2.4a), as a withdrawal ends it. */
const RESCREEN_CONFIRMATION_PATCH = 'rescreen-confirmation';

/**
 * One workflow per proposal (id `proposal:<id>`): completeness, eligibility and party screening
 * (EO 3(b), docs/spec.md section 2.1-2.2), the amendment loop, adjudication of possible list matches, then review.
 * Withdrawal is possible in any non-final state.
 */
export async function proposalWorkflow(input: ProposalWorkflowInput): Promise<ProposalWorkflowState> {
  const state: ProposalWorkflowState = { proposalId: input.proposalId, status: 'SUBMITTED', version: 1 };
  let step = 0;
  let amended = false;
  /** An accepted amendment is being stored (AMENDMENT_STORED_PATCH). */
  let amending = false;
  let withdrawal: WithdrawProposalRequest | undefined;
  let confirmedMatch: ScreeningMatchConfirmed | undefined;
  setHandler(proposalStateQuery, () => state);
  const sizeInformation = sizeInformationLoop(input.proposalId);
  setHandler(screeningMatchConfirmedSignal, (confirmed) => void (confirmedMatch ??= confirmed));

  setHandler(
    amendProposalUpdate,
    async (request) => {
      const store = (version: number) =>
        intake.storeAmendment({ proposalId: input.proposalId, version, sections: request.sections, actor: request.actor });
      if (patched(AMENDMENT_STORED_PATCH)) {
        // Screening reads the stored submission: it starts again once the amendment is stored.
        amending = true;
        state.version += 1;
        await store(state.version);
        amending = false;
        amended = true;
      } else {
        amended = true;
        state.version += 1;
        await store(state.version);
      }
      return state;
    },
    {
      validator: (_request: AmendProposalRequest) => {
        if (state.status !== 'RETURNED_FOR_INFORMATION' || amended || amending || withdrawal || confirmedMatch) {
          throw ApplicationFailure.nonRetryable(
            `Only a proposal returned for information can be amended; this one is ${state.status}`,
            PROPOSAL_FAILURES.wrongState,
          );
        }
      },
    },
  );

  setHandler(
    withdrawProposalUpdate,
    (request) => {
      withdrawal = request;
      return state;
    },
    {
      validator: (_request: WithdrawProposalRequest) => {
        if (isFinal(state.status) || withdrawal || confirmedMatch) {
          throw ApplicationFailure.nonRetryable(
            `The proposal is already ${withdrawal ? 'being withdrawn' : confirmedMatch ? 'being made ineligible' : state.status}`,
            PROPOSAL_FAILURES.wrongState,
          );
        }
      },
    },
  );

  async function moveTo(status: ProposalStatus, reason: string, actor = 'system'): Promise<void> {
    const from = state.status;
    state.status = status;
    step += 1;
    upsertSearchAttributes([{ key: STAGE_ATTRIBUTE, value: status }]);
    await intake.recordStatus({
      proposalId: input.proposalId,
      from,
      status,
      eventKey: `wf:${workflowInfo().runId}:${step}`,
      at: new Date().toISOString(),
      reason,
      actor,
    });
  }

  /** Runs a human task as a child workflow with its own id, history and clock. */
  function humanTask(task: Omit<HumanTaskInput, 'taskId' | 'proposalId'>, taskId = uuid4()) {
    return executeChild(humanTaskWorkflow, {
      taskQueue: TASKS_TASK_QUEUE,
      workflowId: taskWorkflowId(taskId),
      args: [{ ...task, taskId, proposalId: input.proposalId }],
    });
  }

  async function screenUntilSettled(): Promise<void> {
    await moveTo('SCREENING', 'Received: completeness, eligibility and party screening started');
    for (;;) {
      const result = await screening.screenProposal({ proposalId: input.proposalId, version: state.version });
      if (result.deficiencies.length) {
        await moveTo(
          'RETURNED_FOR_INFORMATION',
          `Incomplete under EO 14320 sec. 3(b): ${result.deficiencies.join(', ')}; amend by ${result.amendBy}`,
        );
        // An amendment accepted within the window counts even if it is still being stored when the window closes.
        const answered = await condition(() => amended || amending, Math.max(0, new Date(result.amendBy).getTime() - Date.now()));
        if (!answered) {
          await moveTo('WITHDRAWN', 'The amendment window lapsed without an amendment');
          return;
        }
        // Only while an amendment is being stored: otherwise no pause, as histories from before the patch ran.
        if (!amended) await condition(() => amended);
        amended = false;
        await moveTo('SCREENING', `Amended (version ${state.version}): screening again`);
        continue;
      }
      if (!result.eligible) {
        await moveTo('INELIGIBLE', `Ineligible: ${result.ineligibilityReasons.join(', ')}`);
        return;
      }
      if (result.possibleMatches > 0) {
        await moveTo('ADJUDICATION', `${result.possibleMatches} possible screening list match(es) to adjudicate`);
        const outcome = await humanTask({
          type: 'SCREENING_ADJUDICATION',
          agency: 'COMMERCE',
          form: { matches: result.matches },
          context: {},
        });
        await intake.recordAdjudication({
          proposalId: input.proposalId,
          decision: outcome.decision,
          decidedBy: outcome.decidedBy,
          comment: outcome.comment,
        });
        if (outcome.decision === 'CONFIRM_MATCH') {
          await moveTo('INELIGIBLE', `Screening match confirmed by ${outcome.decidedBy}: ${outcome.comment ?? ''}`.trim());
          return;
        }
      }
      await moveTo('UNDER_REVIEW', 'Screened clean: agency reviews open');
      await reviewAndDecide();
      return;
    }
  }

  /** EO 14320 sec. 3(d): parallel reviews and consultations, then Commerce's designation decision. */
  async function reviewAndDecide(): Promise<void> {
    const outcomes = await runReviews(humanTask, { title: 'Agency review' });
    const positions = positionsOf(outcomes);
    const nonConcurring = nonConcurringAgencies(positions);
    await moveTo(
      'AWAITING_DETERMINATION',
      `All required reviews in${nonConcurring.length ? `; non-concurrence: ${nonConcurring.join(', ')}` : ''}`,
    );
    const decision = await humanTask({
      type: 'DESIGNATION_DECISION',
      agency: 'COMMERCE',
      form: { positions },
      context: { anyNonConcurrence: nonConcurring.length > 0 },
    });
    if (decision.decision === 'DECLINE') {
      await moveTo(
        'NOT_SELECTED',
        `Designation declined by ${decision.decidedBy}: ${decision.comment ?? ''}`.trim(),
        decision.decidedBy ?? 'system',
      );
      return;
    }
    await moveTo('FINANCING', `Designated a priority AI export package by ${decision.decidedBy}`, decision.decidedBy ?? 'system');
    const withBenefits = patched(DESIGNATION_BENEFITS_PATCH);
    await Promise.all([
      runFinancing(input.proposalId, humanTask, sizeInformation),
      withBenefits && runBenefits(input.proposalId, humanTask),
    ]);
    await moveTo(
      'COMPLETED',
      withBenefits
        ? 'Every financing, SBA, advocacy and licensing referral has an outcome'
        : 'Every financing and SBA referral has an outcome',
    );
  }

  const main = new CancellationScope();
  const finished = main.run(screenUntilSettled).catch((error: unknown) => {
    if (!isCancellation(error)) throw error;
  });
  await Promise.race([finished, condition(() => withdrawal !== undefined || confirmedMatch !== undefined)]);
  if (withdrawal && !isFinal(state.status)) {
    main.cancel();
    await finished;
    await moveTo('WITHDRAWN', `Withdrawn by the applicant: ${withdrawal.reason}`, withdrawal.actor.username);
  } else if (confirmedMatch && !isFinal(state.status) && patched(RESCREEN_CONFIRMATION_PATCH)) {
    // Its open tasks are cancelled with the main scope (their inbox rows CANCELLED), as on withdrawal.
    main.cancel();
    await finished;
    const by = confirmedMatch.decidedBy ?? 'system';
    await moveTo(
      'INELIGIBLE',
      `Screening match confirmed on re-screening by ${by}${confirmedMatch.comment ? `: ${confirmedMatch.comment}` : ''}`,
      by,
    );
  }
  // An amendment still being stored finishes before the workflow closes (no Update is left unanswered).
  await condition(allHandlersFinished);
  return state;
}
