import { Injectable } from '@nestjs/common';
import { AuditService } from '../../libs/audit';
import { ProposalRepository } from '../../libs/db/repositories/proposal.repository';
import type { ProposalStatus } from '../../libs/domain/intake/proposal-status';

export interface StatusChange {
  proposalId: string;
  from: ProposalStatus;
  status: ProposalStatus;
  /** Unique within the proposal's history (e.g. the workflow's step counter): makes retries idempotent. */
  eventKey: string;
  at: string;
  reason?: string;
}

/** Intake activities: project the proposal workflow's state into the read model and the audit trail. */
@Injectable()
export class IntakeActivities {
  constructor(
    private readonly proposals: ProposalRepository,
    private readonly audit: AuditService,
  ) {}

  /** Built as a factory so the Worker gets plain functions bound to the Nest-managed providers. */
  build() {
    return {
      recordStatus: (change: StatusChange) => this.recordStatus(change),
    };
  }

  async recordStatus(change: StatusChange): Promise<void> {
    const entry = {
      key: change.eventKey,
      at: new Date(change.at),
      action: `STATUS_${change.status}`,
      actor: 'system',
      detail: change.reason ? { reason: change.reason } : {},
    };
    await this.proposals.projectStatus(change.proposalId, change.status, entry, (tx) =>
      this.audit.record(
        {
          actor: 'system', action: 'PROPOSAL_STATUS_CHANGED', subjectType: 'proposal', subjectId: change.proposalId,
          before: { status: change.from }, after: { status: change.status }, reason: change.reason ?? null,
        },
        tx,
      ),
    );
  }
}

export type IntakeActivityFunctions = ReturnType<IntakeActivities['build']>;
