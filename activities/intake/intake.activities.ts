import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../libs/audit';
import { AppConfig, APP_CONFIG } from '../../libs/config';
import type { TaskActor } from '../../libs/contracts/tasks';
import { ProposalEntity, ProposalRepository } from '../../libs/db';
import { deadlineAfter } from '../../libs/domain/calendar/business-days';
import { checkCompleteness } from '../../libs/domain/intake/completeness';
import type { ProposalStatus } from '../../libs/domain/intake/proposal-status';
import type { ProposalSubmission } from '../../libs/domain/intake/submission';
import { assessEligibility, loadEarCountryGroups } from '../../libs/domain/screening/eligibility';
import { PartyToScreen, ScreeningService } from '../screening/screening.service';

export interface StatusChange {
  proposalId: string;
  from: ProposalStatus;
  status: ProposalStatus;
  /** Unique within the proposal's history (the workflow's step counter): makes retries idempotent. */
  eventKey: string;
  at: string;
  reason: string;
  actor: string;
}

export interface ScreeningSummary {
  deficiencies: string[];
  /** When a deficient proposal's amendment window closes (AMENDMENT_WINDOW from now). */
  amendBy: string;
  eligible: boolean;
  ineligibilityReasons: string[];
  possibleMatches: number;
  matches: unknown[];
}

/** Every member and every named ultimate parent is screened (SPEC 2.2). */
function partiesOf(submission: ProposalSubmission): PartyToScreen[] {
  return submission.consortium.members.flatMap((member) => [
    { role: `member ${member.name}`, name: member.name },
    ...(member.ultimateParentName ? [{ role: `ultimate parent of ${member.name}`, name: member.ultimateParentName }] : []),
  ]);
}

/** Intake activities: screening, amendments and the projection of the proposal's state into the read model and audit trail. */
@Injectable()
export class IntakeActivities {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly proposals: ProposalRepository,
    private readonly screening: ScreeningService,
    private readonly audit: AuditService,
  ) {}

  /** Built as a factory so the Worker gets plain functions bound to the Nest-managed providers. */
  build() {
    return {
      recordStatus: (change: StatusChange) => this.recordStatus(change),
      screenProposal: (request: { proposalId: string; version: number }) => this.screenProposal(request),
      storeAmendment: (request: { proposalId: string; version: number; sections: Record<string, unknown>; actor: TaskActor }) => this.storeAmendment(request),
      recordAdjudication: (request: { proposalId: string; decision: string; decidedBy: string | null; comment: string | null }) => this.recordAdjudication(request),
    };
  }

  async recordStatus(change: StatusChange): Promise<void> {
    const entry = { key: change.eventKey, at: new Date(change.at), action: `STATUS_${change.status}`, actor: change.actor, detail: { from: change.from, reason: change.reason } };
    await this.proposals.projectStatus(change.proposalId, change.status, entry, (tx) =>
      this.auditProposal(tx, change.actor, 'PROPOSAL_STATUS_CHANGED', change.proposalId, { before: { status: change.from }, after: { status: change.status }, reason: change.reason }),
    );
  }

  /** Completeness (EO 3(b)), eligibility and flags (3(b)(v)), and party screening of one submission version. */
  async screenProposal({ proposalId, version }: { proposalId: string; version: number }): Promise<ScreeningSummary> {
    const proposal = (await this.proposals.findById(proposalId)) as ProposalEntity;
    const submission = proposal.submission as unknown as ProposalSubmission;
    const deficiencies = checkCompleteness(submission);
    const countryGroups = loadEarCountryGroups();
    const eligibility = assessEligibility({ submission, countriesOfConcern: this.config.countriesOfConcern, countryGroups });
    const parties = await this.screening.screen(partiesOf(submission));
    const screening = { status: parties.matches.length ? 'POTENTIAL_MATCH' : 'CLEAR', matches: parties.matches, listVersion: parties.listVersion };
    const results = {
      deficiencies,
      eligibility: { eligible: eligibility.eligible, reasons: eligibility.reasons, countryGroupsVersion: countryGroups.as_of },
      flags: eligibility.flags,
      screening,
    };
    await this.proposals.recordEvent(
      proposalId,
      {
        key: `screened:v${version}`, at: new Date(), action: 'SCREENED', actor: 'system',
        detail: { version, deficiencies: deficiencies.map((d) => d.code), eligible: eligibility.eligible, flags: eligibility.flags.map((f) => f.code), possibleMatches: parties.matches.length, listChecksum: parties.listVersion.checksum },
      },
      async (tx) => {
        await tx.update(ProposalEntity, { id: proposalId }, results as never);
        await this.auditProposal(tx, 'system', 'PROPOSAL_SCREENED', proposalId, { after: results });
      },
    );
    return {
      deficiencies: deficiencies.map((d) => d.code),
      amendBy: deadlineAfter(new Date(), this.config.durations.amendmentWindow).toISOString(),
      eligible: eligibility.eligible,
      ineligibilityReasons: eligibility.reasons.map((r) => r.code),
      possibleMatches: parties.matches.length,
      matches: parties.matches,
    };
  }

  /** Sections given replace the stored ones (SPEC section 7); the version counts amendments. */
  async storeAmendment({ proposalId, version, sections, actor }: { proposalId: string; version: number; sections: Record<string, unknown>; actor: TaskActor }): Promise<void> {
    await this.proposals.recordEvent(
      proposalId,
      { key: `amended:v${version}`, at: new Date(), action: 'AMENDED', actor: actor.username, detail: { version, sections: Object.keys(sections) } },
      async (tx) => {
        const before = (await tx.findOneBy(ProposalEntity, { id: proposalId })) as ProposalEntity;
        const submission = { ...before.submission, ...sections };
        await tx.update(ProposalEntity, { id: proposalId }, { submission, version, title: String(submission.title ?? before.title) } as never);
        await this.auditProposal(tx, actor.username, 'PROPOSAL_AMENDED', proposalId, { before: { version: before.version }, after: { version, sections } }, actor);
      },
    );
  }

  async recordAdjudication({ proposalId, decision, decidedBy, comment }: { proposalId: string; decision: string; decidedBy: string | null; comment: string | null }): Promise<void> {
    const status = decision === 'CONFIRM_MATCH' ? 'CONFIRMED_MATCH' : 'CLEAR';
    await this.proposals.recordEvent(
      proposalId,
      { key: 'adjudicated', at: new Date(), action: 'SCREENING_ADJUDICATED', actor: decidedBy ?? 'system', detail: { decision, comment } },
      async (tx) => {
        const proposal = (await tx.findOneBy(ProposalEntity, { id: proposalId })) as ProposalEntity;
        await tx.update(ProposalEntity, { id: proposalId }, { screening: { ...proposal.screening, status, adjudication: { decision, decidedBy, comment } } } as never);
      },
    );
  }

  private auditProposal(tx: EntityManager, actor: string, action: string, proposalId: string, change: { before?: unknown; after?: unknown; reason?: string }, who?: TaskActor) {
    return this.audit.record(
      { actor, role: who?.roles.join(',') ?? null, agency: who?.agency ?? null, action, subjectType: 'proposal', subjectId: proposalId, ...change },
      tx,
    );
  }
}

export type IntakeActivityFunctions = ReturnType<IntakeActivities['build']>;
