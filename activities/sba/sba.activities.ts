import { Injectable } from '@nestjs/common';
import { ProposalProjection } from '../proposal-projection';
import { failPermanently } from '../failures';
import { notifyApplicant } from '../applicant-notice';

export interface SbaOutcome {
  proposalId: string;
  taskId: string;
  decision: string;
  comment: string | null;
  decidedBy: string | null;
}

/**
 * SBA referral activities (EO 14320 sec. 4(c)(vi)): project SBA's answer into the proposal and the
 * audit trail. They run on the financing task queue, beside the EDAG routing they parallel.
 */
@Injectable()
export class SbaActivities extends ProposalProjection {
  build() {
    return failPermanently({
      recordSbaOutcome: (outcome: SbaOutcome) => this.recordSbaOutcome(outcome),
    });
  }

  async recordSbaOutcome(o: SbaOutcome): Promise<void> {
    const status = o.decision === 'ACCEPT' ? 'ACCEPTED' : 'DECLINED';
    const entry = {
      key: `sba:${o.taskId}:decided`,
      at: new Date(),
      action: `SBA_REFERRAL_${status}`,
      actor: o.decidedBy ?? 'system',
      detail: { comment: o.comment },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, o.proposalId, entry))) return;
      await this.proposals.recordSbaOutcome(tx, o.proposalId, { status, taskId: o.taskId, decision: o.decision, comment: o.comment });
      await this.audit.record(
        {
          actor: o.decidedBy ?? 'system',
          action: `SBA_REFERRAL_${status}`,
          subjectType: 'proposal',
          subjectId: o.proposalId,
          after: { decision: o.decision, comment: o.comment },
        },
        tx,
      );
      await notifyApplicant(this.proposals, this.notifications, tx, {
        proposalId: o.proposalId,
        eventKey: `sba:${o.taskId}:applicant`,
        taskId: o.taskId,
        event: () => ({ kind: 'SBA', accepted: status === 'ACCEPTED' }),
      });
    });
  }
}

export type SbaActivityFunctions = ReturnType<SbaActivities['build']>;
