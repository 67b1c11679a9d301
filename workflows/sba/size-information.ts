import { ApplicationFailure, condition, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import type { SbaActivityFunctions, SbaSizing } from '../../activities/sba/sba.activities';
import {
  answerSizeInformationUpdate,
  FINANCING_TASK_QUEUE,
  SIZE_INFORMATION_FAILURES,
  SizeInformationAnswer,
} from '../../libs/contracts/financing';
import { onQueue, PROPOSAL_ACTIVITY } from '../activity-options';

const sba = proxyActivities<SbaActivityFunctions>(onQueue(FINANCING_TASK_QUEUE, PROPOSAL_ACTIVITY));

/** The SBA "needs information" loop of one proposal (docs/spec.md section 2.4). */
export interface SizeInformationLoop {
  /** Asks the applicant until no member needs information; undefined when a request lapsed unanswered. */
  untilSized(): Promise<SbaSizing | undefined>;
}

/**
 * Registers the proposal workflow's `answerSizeInformation` Update (call it before the workflow's
 * first await). Its validator refuses an answer to a request that is not open (409) or one naming a
 * member the request did not ask about (422); the handler stores the answer and sizes the members
 * again before it returns, so the caller reads the new determination.
 */
export function sizeInformationLoop(proposalId: string): SizeInformationLoop {
  let open: { requestId: string; members: string[] } | undefined;
  let answering = false;
  let sized: SbaSizing | undefined;

  setHandler(
    answerSizeInformationUpdate,
    async (answer: SizeInformationAnswer) => {
      // Set before the first await: a concurrent second answer fails its validator.
      answering = true;
      const result = await sba.recordSizeInformation({ ...answer, proposalId });
      open = undefined;
      answering = false;
      sized = result;
      return { requestId: answer.requestId, status: result.status };
    },
    {
      validator: (answer: SizeInformationAnswer) => {
        if (!open || answering || sized || open.requestId !== answer.requestId) {
          throw ApplicationFailure.nonRetryable(
            'No such request for size information is awaiting an answer',
            SIZE_INFORMATION_FAILURES.notOpen,
          );
        }
        const asked = open.members;
        const unknown = answer.members.map((m) => m.name).filter((name) => !asked.includes(name));
        if (unknown.length) {
          throw ApplicationFailure.nonRetryable(
            `The request asks about ${asked.join(', ')}, not about ${unknown.join(', ')}`,
            SIZE_INFORMATION_FAILURES.unknownMember,
          );
        }
      },
    },
  );

  return {
    async untilSized() {
      for (;;) {
        const request = await sba.requestSizeInformation({ proposalId, requestId: uuid4() });
        open = { requestId: request.requestId, members: request.members.map((m) => m.name) };
        // An answer accepted before the deadline counts even if it is still being stored when the window closes.
        const answered = await condition(() => answering || !!sized, Math.max(0, Date.parse(request.dueAt) - Date.now()));
        if (!answered) {
          open = undefined;
          await sba.lapseSizeInformation({ proposalId, requestId: request.requestId });
          return undefined;
        }
        await condition(() => !!sized);
        const result = sized as SbaSizing;
        sized = undefined;
        if (result.status !== 'NEEDS_INFORMATION') return result;
      }
    },
  };
}
