import { Injectable } from '@nestjs/common';
import { AuditService } from '../../libs/audit';
import { FinancingRepository, NotificationRepository, ProposalRepository, Transaction, UnitOfWork } from '../../libs/db';
import { loadCountryIncomeGroups, loadFinancingNeeds, RouteSuggestion, suggestRoutes } from '../../libs/domain/financing/routing';
import type { ProposalSubmission } from '../../libs/domain/intake/submission';
import { isReferredToSba, sbaReferralStatus } from '../../libs/domain/sba/referral';
import { determineSize, loadSbaSizeStandards, SizeDetermination } from '../../libs/domain/sba/size-standard';
import { FINANCING_INSTRUMENTS } from '../../libs/reference-data';
import { failPermanently, notFound, throwIt } from '../failures';
import { notifyApplicant } from '../applicant-notice';

export interface FinancingPlan {
  suggestions: RouteSuggestion[];
  instrumentIds: string[];
  /** SBA_REFERRAL is opened only when some member is small or SBA must size it (EO 14320 sec. 4(c)(vi)). */
  smallMembers: number;
  sbaMembers: (SizeDetermination & { name: string })[];
}

/** An agency's answer to a FINANCING_REVIEW referral, as the workflow reports it. */
export interface ReferralOutcome {
  proposalId: string;
  referralId: string;
  decision: string;
  amountUsd: number | null;
  terms: string | null;
  comment: string | null;
  decidedBy: string | null;
}

export interface ReferralToOpen {
  referralId: string;
  instrumentId: string;
  agency: string;
  amountUsd: number;
}

/** EDAG financing routing and SBA referral activities: rules from libs/domain, projections with audit. */
@Injectable()
export class FinancingActivities {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly proposals: ProposalRepository,
    private readonly financing: FinancingRepository,
    private readonly audit: AuditService,
    private readonly notifications: NotificationRepository,
  ) {}

  build() {
    return failPermanently({
      prepareFinancing: (proposalId: string) => this.prepareFinancing(proposalId),
      openReferrals: (request: { proposalId: string; referrals: ReferralToOpen[]; assignedBy: string | null }) =>
        this.openReferrals(request),
      recordReferralOutcome: (outcome: ReferralOutcome) => this.recordReferralOutcome(outcome),
    });
  }

  /** Suggested routes for the requested support (EO 4(d)) and each member's SBA size (13 CFR 121). */
  async prepareFinancing(proposalId: string): Promise<FinancingPlan> {
    const proposal = (await this.proposals.findById(proposalId)) ?? throwIt(notFound('Proposal', proposalId));
    const submission = proposal.submission as unknown as ProposalSubmission;
    const suggestions = suggestRoutes({
      federalSupport: submission.federalSupport ?? [],
      targetMarkets: submission.targetMarkets ?? [],
      catalogue: FINANCING_INSTRUMENTS,
      incomeGroups: loadCountryIncomeGroups(),
      needs: loadFinancingNeeds(),
    });
    const table = loadSbaSizeStandards();
    const sbaMembers = submission.consortium.members.map((member) => ({ name: member.name, ...determineSize(member, table) }));
    const sbaReferral = { status: sbaReferralStatus(sbaMembers), members: sbaMembers };
    const entry = {
      key: 'financing:prepared',
      at: new Date(),
      action: 'FINANCING_ROUTED',
      actor: 'system',
      detail: { suggestions: suggestions.length, sba: sbaReferral.status },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      await this.proposals.setSbaReferral(tx, proposalId, sbaReferral);
      await this.auditProposal(tx, 'system', 'SBA_SIZE_DETERMINED', proposalId, { after: sbaReferral });
    });
    return {
      suggestions,
      instrumentIds: FINANCING_INSTRUMENTS.map((i) => i.id),
      smallMembers: sbaMembers.filter(isReferredToSba).length,
      sbaMembers,
    };
  }

  async openReferrals({
    proposalId,
    referrals,
    assignedBy,
  }: {
    proposalId: string;
    referrals: ReferralToOpen[];
    assignedBy: string | null;
  }): Promise<void> {
    const proposal = (await this.proposals.findById(proposalId)) ?? throwIt(notFound('Proposal', proposalId));
    const requested = new Map(
      ((proposal.submission.federalSupport ?? []) as { instrumentId: string; amountUsd?: number }[]).map((s) => [
        s.instrumentId,
        s.amountUsd ?? null,
      ]),
    );
    const targetMarkets = (proposal.submission.targetMarkets ?? []) as string[];
    for (const r of referrals) {
      const entry = {
        key: `referral:${r.referralId}:assigned`,
        at: new Date(),
        action: 'FINANCING_ASSIGNED',
        actor: assignedBy ?? 'system',
        detail: { ...r },
      };
      await this.uow.run(async (tx) => {
        if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
        await this.financing.open(tx, {
          id: r.referralId,
          proposalId,
          instrumentId: r.instrumentId,
          agency: r.agency,
          amountRequested: requested.get(r.instrumentId) ?? null,
          amountAssigned: r.amountUsd,
          targetMarkets,
        });
        await this.auditProposal(tx, assignedBy ?? 'system', 'FINANCING_ASSIGNED', proposalId, { after: r });
      });
    }
  }

  async recordReferralOutcome(o: ReferralOutcome): Promise<void> {
    const status = o.decision === 'COMMIT' ? 'COMMITTED' : 'DECLINED';
    const entry = {
      key: `referral:${o.referralId}:decided`,
      at: new Date(),
      action: `FINANCING_${status}`,
      actor: o.decidedBy ?? 'system',
      detail: { referralId: o.referralId, amountUsd: o.amountUsd, comment: o.comment },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, o.proposalId, entry))) return;
      await this.financing.decide(tx, {
        id: o.referralId,
        status,
        amountCommitted: status === 'COMMITTED' ? o.amountUsd : null,
        terms: o.terms,
        comment: o.comment,
        decidedBy: o.decidedBy,
      });
      await this.auditProposal(tx, o.decidedBy ?? 'system', `FINANCING_${status}`, o.proposalId, {
        after: { referralId: o.referralId, amountUsd: o.amountUsd, terms: o.terms, comment: o.comment },
      });
      const referral = (await this.financing.forProposal(o.proposalId)).find((r) => r.id === o.referralId);
      const instrument = FINANCING_INSTRUMENTS.find((i) => i.id === referral?.instrumentId);
      await notifyApplicant(this.proposals, this.notifications, tx, {
        proposalId: o.proposalId,
        eventKey: `referral:${o.referralId}:applicant`,
        taskId: o.referralId,
        event: () => ({
          kind: 'FINANCING',
          instrument: instrument?.label ?? referral?.instrumentId ?? 'the requested instrument',
          agency: referral?.agency ?? 'A financing agency',
          committed: status === 'COMMITTED',
          amountUsd: status === 'COMMITTED' ? o.amountUsd : null,
        }),
      });
    });
  }

  private auditProposal(tx: Transaction, actor: string, action: string, proposalId: string, change: { after?: unknown }) {
    return this.audit.record({ actor, action, subjectType: 'proposal', subjectId: proposalId, ...change }, tx);
  }
}

export type FinancingActivityFunctions = ReturnType<FinancingActivities['build']>;
