import { Injectable } from '@nestjs/common';
import type { TaskActor } from '../../libs/contracts/tasks';
import { ApplicationFailure } from '@temporalio/common';
import { ACTIVITY_FAILURES, failPermanently } from '../failures';
import { auditProposal, ProposalProjection } from '../proposal-projection';
import { notifyApplicant } from '../applicant-notice';
import { amendByOf } from '../../libs/domain/intake/applicant-timeline';
import type { ProposalStatus } from '../../libs/domain/intake/proposal-status';

export interface StatusChange {
  proposalId: string;
  from: ProposalStatus;
  status: ProposalStatus;
  /** `wf:<runId>:<step>`, unique within the proposal's history: makes retries idempotent; the step orders the moves. */
  eventKey: string;
  at: string;
  reason: string;
  actor: string;
}

/** The step counter at the end of the workflow's event key `wf:<runId>:<step>`. */
function stepOf(eventKey: string): number {
  const step = Number(/:(\d+)$/.exec(eventKey)?.[1]);
  if (!Number.isSafeInteger(step) || step < 1)
    throw ApplicationFailure.nonRetryable(`Status event key ${eventKey} carries no step number`, ACTIVITY_FAILURES.invalidInput);
  return step;
}

/** Intake activities: amendments, adjudication outcomes and the projection of the proposal's state into the read model and audit trail. */
@Injectable()
export class IntakeActivities extends ProposalProjection {
  /** Built as a factory so the Worker gets plain functions bound to the Nest-managed providers. */
  build() {
    return failPermanently({
      recordStatus: (change: StatusChange) => this.recordStatus(change),
      storeAmendment: (request: { proposalId: string; version: number; sections: Record<string, unknown>; actor: TaskActor }) =>
        this.storeAmendment(request),
      recordAdjudication: (request: { proposalId: string; decision: string; decidedBy: string | null; comment: string | null }) =>
        this.recordAdjudication(request),
    });
  }

  async recordStatus(change: StatusChange): Promise<void> {
    const entry = {
      key: change.eventKey,
      at: new Date(change.at),
      action: `STATUS_${change.status}`,
      actor: change.actor,
      detail: { from: change.from, reason: change.reason },
    };
    const step = stepOf(change.eventKey);
    await this.uow.run(async (tx) => {
      // A retry (same step) or a late step (an earlier one) changes nothing: the status only moves forwards.
      if (!(await this.proposals.advanceStatus(tx, change.proposalId, change.status, step))) return;
      if (!(await this.proposals.recordEvent(tx, change.proposalId, entry))) return;
      await auditProposal(this.audit, tx, change.actor, 'PROPOSAL_STATUS_CHANGED', change.proposalId, {
        before: { status: change.from },
        after: { status: change.status },
        reason: change.reason,
      });
      // The amend-by date is the proposal's while it is returned for information, and cleared by any later move.
      const amendBy = change.status === 'RETURNED_FOR_INFORMATION' ? amendByOf(entry) : null;
      await this.proposals.recordAmendBy(tx, change.proposalId, amendBy);
      await notifyApplicant(this.proposals, this.notifications, tx, {
        proposalId: change.proposalId,
        eventKey: `${change.proposalId}:${change.eventKey}:applicant`,
        event: (p) => ({
          kind: 'STATUS',
          status: change.status,
          bySystem: change.actor === 'system',
          deficiencies: p.deficiencies ?? [],
          amendBy,
          eligibilityReasons: p.eligibility?.reasons ?? [],
        }),
      });
    });
  }

  /**
   * Sections given replace the stored ones (docs/spec.md section 7); the version counts amendments.
   * The amendment itself is kept unchanged as that version (section 2.4b).
   */
  async storeAmendment({
    proposalId,
    version,
    sections,
    actor,
  }: {
    proposalId: string;
    version: number;
    sections: Record<string, unknown>;
    actor: TaskActor;
  }): Promise<void> {
    const entry = {
      key: `amended:v${version}`,
      at: new Date(),
      action: 'AMENDED',
      actor: actor.username,
      detail: { version, sections: Object.keys(sections) },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      const before = await this.proposals.storeAmendment(tx, proposalId, { version, sections });
      await this.proposals.recordVersion(tx, { proposalId, version, submittedAt: entry.at, submittedBy: actor.username, body: sections });
      await auditProposal(
        this.audit,
        tx,
        actor.username,
        'PROPOSAL_AMENDED',
        proposalId,
        { before: { version: before.version }, after: { version, sections } },
        actor,
      );
    });
  }

  async recordAdjudication({
    proposalId,
    decision,
    decidedBy,
    comment,
  }: {
    proposalId: string;
    decision: string;
    decidedBy: string | null;
    comment: string | null;
  }): Promise<void> {
    const status = decision === 'CONFIRM_MATCH' ? 'CONFIRMED_MATCH' : 'CLEAR';
    const entry = {
      key: 'adjudicated',
      at: new Date(),
      action: 'SCREENING_ADJUDICATED',
      actor: decidedBy ?? 'system',
      detail: { decision, comment },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      await this.proposals.recordAdjudication(tx, proposalId, status, { decision, decidedBy, comment });
    });
  }
}

export type IntakeActivityFunctions = ReturnType<IntakeActivities['build']>;
