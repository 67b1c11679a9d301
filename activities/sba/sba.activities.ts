import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../libs/audit';
import { AppConfig, APP_CONFIG } from '../../libs/config';
import type { MemberSizeData, SizeInformationAnswer } from '../../libs/contracts/financing';
import { InformationRequestRepository, NotificationRepository, ProposalRepository, UnitOfWork } from '../../libs/db';
import type { ProposalSubmission } from '../../libs/domain/intake/submission';
import { isReferredToSba, sbaReferralStatus } from '../../libs/domain/sba/referral';
import { MemberToAsk, membersToAsk, SuppliedSize, sizeInformationQuestion, withSuppliedSize } from '../../libs/domain/sba/size-information';
import { determineSize, loadSbaSizeStandards, SizeDetermination } from '../../libs/domain/sba/size-standard';
import { deadlineAfter } from '../../libs/domain/shared/business-days';
import { failPermanently, notFound, throwIt } from '../failures';
import { ProposalProjection } from '../proposal-projection';
import { notifyApplicant } from '../applicant-notice';

export interface SbaOutcome {
  proposalId: string;
  taskId: string;
  decision: string;
  comment: string | null;
  decidedBy: string | null;
}

/** The members sized again: what the SBA referral goes on with (as prepareFinancing's plan). */
export interface SbaSizing {
  status: string;
  smallMembers: number;
  sbaMembers: (SizeDetermination & { name: string })[];
}

/** A request for size information opened: the members asked and when it lapses. */
export interface SizeInformationOpened {
  requestId: string;
  members: MemberToAsk[];
  dueAt: string;
}

/**
 * SBA referral activities (EO 14320 sec. 4(c)(vi)): project SBA's answer into the proposal and the
 * audit trail, and run the "needs information" loop with the applicant (docs/spec.md section 2.4).
 * They run on the financing task queue, beside the EDAG routing they parallel.
 */
@Injectable()
export class SbaActivities extends ProposalProjection {
  constructor(
    uow: UnitOfWork,
    proposals: ProposalRepository,
    audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: InformationRequestRepository,
    notifications: NotificationRepository,
  ) {
    super(uow, proposals, audit, notifications);
  }

  build() {
    return failPermanently({
      recordSbaOutcome: (outcome: SbaOutcome) => this.recordSbaOutcome(outcome),
      requestSizeInformation: (request: { proposalId: string; requestId: string }) => this.requestSizeInformation(request),
      recordSizeInformation: (answer: SizeInformationAnswer & { proposalId: string }) => this.recordSizeInformation(answer),
      lapseSizeInformation: (request: { proposalId: string; requestId: string }) => this.lapseSizeInformation(request),
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

  /** Asks the applicant for the size data missing per member; the request lapses after AMENDMENT_WINDOW. */
  async requestSizeInformation({ proposalId, requestId }: { proposalId: string; requestId: string }): Promise<SizeInformationOpened> {
    const proposal = (await this.proposals.findById(proposalId)) ?? throwIt(notFound('Proposal', proposalId));
    const members = membersToAsk(proposal.sbaReferral.members as (SizeDetermination & { name: string })[]);
    const question = sizeInformationQuestion(members);
    const dueAt = deadlineAfter(new Date(), this.config.durations.amendmentWindow);
    const entry = {
      key: `info:${requestId}:asked`,
      at: new Date(),
      action: 'INFORMATION_REQUESTED',
      actor: 'system',
      detail: { requestId, agency: 'SBA', question, members, dueAt: dueAt.toISOString() },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      await this.requests.recordSizeRequest(tx, { id: requestId, proposalId, question, asked: { members }, dueAt });
      await this.audit.record(
        { actor: 'system', action: 'SBA_INFORMATION_REQUESTED', subjectType: 'proposal', subjectId: proposalId, after: entry.detail },
        tx,
      );
      await this.notifications.enqueue(tx, {
        eventKey: `info:${requestId}:asked`,
        kind: 'INFORMATION_REQUEST',
        proposalId,
        recipientUsername: proposal.submittedBy,
        subject: `SBA needs size information on "${proposal.title}"`,
        body: `${question} Answer by ${dueAt.toISOString()}.`,
      });
    });
    // A retried request keeps the deadline first written.
    const stored = (await this.proposals.timeline(proposalId)).find((e) => e.eventKey === entry.key);
    return { requestId, members, dueAt: String(stored?.detail.dueAt ?? entry.detail.dueAt) };
  }

  /**
   * Stores the applicant's answer and sizes every member again with what it supplied (stored on the
   * proposal's SBA referral as `supplied`); while a member still needs information the status stays so.
   */
  async recordSizeInformation(a: SizeInformationAnswer & { proposalId: string }): Promise<SbaSizing> {
    const proposal = (await this.proposals.findById(a.proposalId)) ?? throwIt(notFound('Proposal', a.proposalId));
    const supplied: Record<string, SuppliedSize> = {
      ...((proposal.sbaReferral as { supplied?: Record<string, SuppliedSize> }).supplied ?? {}),
      ...Object.fromEntries(a.members.map(({ name, ...size }: MemberSizeData) => [name, size])),
    };
    const table = loadSbaSizeStandards();
    const submission = proposal.submission as unknown as ProposalSubmission;
    const sbaMembers = submission.consortium.members.map((member) => ({
      name: member.name,
      ...determineSize(withSuppliedSize(member, supplied[member.name]), table),
    }));
    const status = sbaReferralStatus(sbaMembers);
    const entry = {
      key: `info:${a.requestId}:answered`,
      at: new Date(),
      action: 'INFORMATION_ANSWERED',
      actor: a.actor.username,
      detail: { requestId: a.requestId, agency: 'SBA', members: a.members.map((m) => m.name), sba: status },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, a.proposalId, entry))) return;
      await this.requests.recordSizeAnswer(tx, {
        id: a.requestId,
        answer: `Size information for ${a.members.map((m) => m.name).join(', ')}`,
        answerData: { members: a.members },
        answeredBy: a.actor.username,
      });
      const sbaReferral = { status, members: sbaMembers, supplied };
      await this.proposals.setSbaReferral(tx, a.proposalId, sbaReferral);
      await this.audit.record(
        {
          actor: a.actor.username,
          role: a.actor.roles.join(','),
          agency: a.actor.agency,
          action: 'SBA_SIZE_DETERMINED',
          subjectType: 'proposal',
          subjectId: a.proposalId,
          after: sbaReferral,
          reason: `Sized again with the answer to information request ${a.requestId}`,
        },
        tx,
      );
    });
    return { status, smallMembers: sbaMembers.filter(isReferredToSba).length, sbaMembers };
  }

  /** The window closed unanswered: no referral, for a reason the applicant is shown. */
  async lapseSizeInformation({ proposalId, requestId }: { proposalId: string; requestId: string }): Promise<void> {
    const reason = 'The request for size information lapsed unanswered, so no member could be referred to SBA.';
    const entry = {
      key: `info:${requestId}:lapsed`,
      at: new Date(),
      action: 'SBA_INFORMATION_LAPSED',
      actor: 'system',
      detail: { requestId, reason },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      await this.requests.lapse(tx, requestId);
      const proposal = (await this.proposals.findById(proposalId, tx)) ?? throwIt(notFound('Proposal', proposalId));
      await this.proposals.setSbaReferral(tx, proposalId, { ...proposal.sbaReferral, status: 'NOT_APPLICABLE', lapsed: true, reason });
      await this.audit.record(
        { actor: 'system', action: 'SBA_INFORMATION_LAPSED', subjectType: 'proposal', subjectId: proposalId, after: { requestId }, reason },
        tx,
      );
    });
  }
}

export type SbaActivityFunctions = ReturnType<SbaActivities['build']>;
