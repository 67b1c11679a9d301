import type { NotificationRepository, ProposalEntity, ProposalRepository, Transaction } from '../libs/db';
import { ApplicantEvent, applicantNotice } from '../libs/domain/intake/applicant-notifications';
import { notFound, throwIt } from './failures';

/**
 * Enqueues the applicant's notice of an event of its proposal (libs/domain/intake/applicant-notifications),
 * in the transaction that records the event; once per `eventKey`. The recipient is the proposal's owner.
 */
export async function notifyApplicant(
  proposals: ProposalRepository,
  notifications: NotificationRepository,
  tx: Transaction,
  n: { proposalId: string; eventKey: string; taskId?: string | null; event: (proposal: ProposalEntity) => ApplicantEvent },
): Promise<void> {
  const proposal = (await proposals.findById(n.proposalId, tx)) ?? throwIt(notFound('Proposal', n.proposalId));
  const event = n.event(proposal);
  const notice = applicantNotice(proposal.title, event);
  if (!notice) return;
  await notifications.enqueue(tx, {
    eventKey: n.eventKey,
    kind: event.kind === 'STATUS' ? 'STATUS_CHANGE' : 'DECISION',
    proposalId: n.proposalId,
    taskId: n.taskId ?? null,
    recipientUsername: proposal.submittedBy,
    ...notice,
  });
}
