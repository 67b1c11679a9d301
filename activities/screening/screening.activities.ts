import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { AuditService } from '../../libs/audit';
import { AppConfig, APP_CONFIG } from '../../libs/config';
import { ProposalRepository, ScreeningResults, UnitOfWork } from '../../libs/db';
import { checkCompleteness } from '../../libs/domain/intake/completeness';
import type { ProposalSubmission } from '../../libs/domain/intake/submission';
import { assessEligibility, loadEarCountryGroups } from '../../libs/domain/screening/eligibility';
import { deadlineAfter } from '../../libs/domain/shared/business-days';
import { ACTIVITY_FAILURES, failPermanently, notFound } from '../failures';
import { PartyToScreen, ScreeningLists } from './screening-lists';

export interface ScreeningSummary {
  deficiencies: string[];
  /** When a deficient proposal's amendment window closes (AMENDMENT_WINDOW from now). */
  amendBy: string;
  eligible: boolean;
  ineligibilityReasons: string[];
  possibleMatches: number;
  matches: unknown[];
}

/** Every member and every named ultimate parent is screened (docs/spec.md section 2.2). */
export function partiesOf(submission: ProposalSubmission): PartyToScreen[] {
  return submission.consortium.members.flatMap((member) => [
    { role: `member ${member.name}`, name: member.name },
    ...(member.ultimateParentName ? [{ role: `ultimate parent of ${member.name}`, name: member.ultimateParentName }] : []),
  ]);
}

/**
 * Screening activities (docs/spec.md sections 2.1-2.2): the EO 3(b) completeness check, eligibility
 * and export-control flags, and party screening of one submission version, recorded with the
 * reference-data editions and list version used. They run on the intake task queue.
 */
@Injectable()
export class ScreeningActivities {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly proposals: ProposalRepository,
    private readonly lists: ScreeningLists,
    private readonly audit: AuditService,
  ) {}

  build() {
    return failPermanently({
      screenProposal: (request: { proposalId: string; version: number }) => this.screenProposal(request),
    });
  }

  /** Completeness (EO 3(b)), eligibility and flags (3(b)(v)), and party screening of one submission version. */
  async screenProposal({ proposalId, version }: { proposalId: string; version: number }): Promise<ScreeningSummary> {
    const proposal = await this.proposals.findById(proposalId);
    if (!proposal) throw notFound('Proposal', proposalId);
    // Never screen an older submission under this version's key; retried, since its amendment may still be committing.
    if (proposal.version < version) {
      throw ApplicationFailure.retryable(
        `Proposal ${proposalId} is stored at version ${proposal.version}, older than version ${version} to screen`,
        ACTIVITY_FAILURES.staleVersion,
      );
    }
    const submission = proposal.submission as unknown as ProposalSubmission;
    const deficiencies = checkCompleteness(submission);
    const countryGroups = loadEarCountryGroups();
    const eligibility = assessEligibility({
      submission,
      countriesOfConcern: this.config.countriesOfConcern,
      countryGroups,
      openWeightModelRule: this.config.openWeightModelRule,
    });
    const parties = await this.lists.screen(partiesOf(submission));
    const screening = {
      status: parties.matches.length ? 'POTENTIAL_MATCH' : 'CLEAR',
      matches: parties.matches,
      listVersion: parties.listVersion,
    };
    const results: ScreeningResults = {
      deficiencies,
      eligibility: { eligible: eligibility.eligible, reasons: eligibility.reasons, countryGroupsVersion: countryGroups.as_of },
      flags: eligibility.flags,
      screening,
    };
    const entry = {
      key: `screened:v${version}`,
      at: new Date(),
      action: 'SCREENED',
      actor: 'system',
      detail: {
        version,
        deficiencies: deficiencies.map((d) => d.code),
        eligible: eligibility.eligible,
        flags: eligibility.flags.map((f) => f.code),
        possibleMatches: parties.matches.length,
        listChecksum: parties.listVersion.checksum,
      },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      await this.proposals.storeScreeningResults(tx, proposalId, results);
      await this.audit.record(
        { actor: 'system', action: 'PROPOSAL_SCREENED', subjectType: 'proposal', subjectId: proposalId, after: results },
        tx,
      );
    });
    return {
      deficiencies: deficiencies.map((d) => d.code),
      amendBy: deadlineAfter(new Date(), this.config.durations.amendmentWindow).toISOString(),
      eligible: eligibility.eligible,
      ineligibilityReasons: eligibility.reasons.map((r) => r.code),
      possibleMatches: parties.matches.length,
      matches: parties.matches,
    };
  }
}

export type ScreeningActivityFunctions = ReturnType<ScreeningActivities['build']>;
