import { Injectable } from '@nestjs/common';
import { AuditService } from '../../libs/audit';
import type { NewlyMatched, RescreenAdjudication, RescreenPage, RescreenProgress } from '../../libs/contracts/screening';
import {
  FinancingRepository,
  NotificationRepository,
  ProposalRepository,
  ProposalToRescreen,
  RescreenRow,
  ScreeningListRepository,
  ScreeningRecordRepository,
  TaskRepository,
  Transaction,
  UnitOfWork,
} from '../../libs/db';
import type { ProposalSubmission } from '../../libs/domain/intake/submission';
import { MatchIdentity, newMatches } from '../../libs/domain/screening/rescreen';
import { failPermanently, notFound, throwIt } from '../failures';
import { auditProposal } from '../proposal-projection';
import { ScreeningLists } from './screening-lists';
import { partiesOf } from './screening.activities';

const SYSTEM = 'system';

/** Agency roles told that a package they committed to was found on a screening list. */
const COMMITMENT_HOLDERS = ['FINANCING_OFFICER', 'SUPERVISOR'];

/**
 * Continuous-screening activities (docs/spec.md section 2.4a): the batch's pages, each re-screening
 * a keyset page of proposals against one list version in one transaction (idempotent per list
 * version and proposal), and what an adjudication of a re-screening's new matches changes.
 */
@Injectable()
export class RescreenActivities {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly lists: ScreeningListRepository,
    private readonly screeningLists: ScreeningLists,
    private readonly records: ScreeningRecordRepository,
    private readonly proposals: ProposalRepository,
    private readonly tasks: TaskRepository,
    private readonly financing: FinancingRepository,
    private readonly notifications: NotificationRepository,
    private readonly audit: AuditService,
  ) {}

  build() {
    return failPermanently({
      beginRescreen: (request: { listVersionId: string }) => this.beginRescreen(request.listVersionId),
      rescreenPage: (request: { listVersionId: string; after: string | null; limit: number }) => this.rescreenPage(request),
      finishRescreen: (request: { listVersionId: string }) => this.finishRescreen(request.listVersionId),
      recordRescreenAdjudication: (request: RescreenAdjudication) => this.recordRescreenAdjudication(request),
      closeCompletedAsIneligible: (request: RescreenAdjudication) => this.closeCompletedAsIneligible(request),
      revokeDesignation: (request: RescreenAdjudication) => this.revokeDesignation(request),
    });
  }

  async beginRescreen(listVersionId: string): Promise<RescreenProgress> {
    await this.listVersion(listVersionId);
    return progressOf(await this.records.beginRescreen(listVersionId));
  }

  /**
   * Re-screens the proposals after `after` against the list version. A retried page records nothing
   * twice and answers with what the first attempt recorded, so the batch starts each watch once.
   */
  async rescreenPage({
    listVersionId,
    after,
    limit,
  }: {
    listVersionId: string;
    after: string | null;
    limit: number;
  }): Promise<RescreenPage> {
    const listVersion = await this.listVersion(listVersionId);
    const page = await this.records.page(listVersionId, after, limit);
    const ids = page.map((p) => p.id);
    const adjudicated = await this.records.adjudicatedMatches(ids);
    const rows: RescreenRow[] = [];
    for (const proposal of page) {
      const { matches } = await this.screeningLists.screenAgainst(
        listVersion,
        partiesOf(proposal.submission as unknown as ProposalSubmission),
      );
      const fresh = newMatches(matches, [...knownAtIntake(proposal), ...((adjudicated.get(proposal.id) ?? []) as MatchIdentity[])]);
      rows.push({
        proposalId: proposal.id,
        submissionVersion: proposal.version,
        status: matches.length ? 'POTENTIAL_MATCH' : 'CLEAR',
        matches,
        newMatches: fresh,
      });
    }
    const progress = await this.uow.run(async (tx) => {
      let done = 0;
      let matched = 0;
      for (const row of rows) {
        if (!(await this.records.recordRescreen(tx, listVersionId, row))) continue;
        done += 1;
        if (row.newMatches.length) matched += 1;
        await this.recordOnProposal(tx, listVersion.checksum, listVersionId, row);
      }
      return this.records.addProgress(tx, listVersionId, done, matched);
    });
    const newlyMatched: NewlyMatched[] = await this.records.newlyMatched(listVersionId, ids);
    return { next: page.length < limit ? null : (ids.at(-1) as string), newlyMatched, progress: progressOf(progress) };
  }

  async finishRescreen(listVersionId: string): Promise<RescreenProgress> {
    return progressOf(await this.records.finishRescreen(listVersionId));
  }

  /** The adjudicator's decision on a re-screening's new matches: on the screening history and the proposal (audited). */
  async recordRescreenAdjudication(request: RescreenAdjudication): Promise<void> {
    const { listVersionId, proposalId, decision, decidedBy, comment } = request;
    await this.uow.run(async (tx) => {
      const entry = {
        key: `rescreen:${listVersionId}:adjudicated`,
        at: new Date(),
        action: 'SCREENING_ADJUDICATED',
        actor: decidedBy ?? SYSTEM,
        detail: { decision, comment, listVersionId },
      };
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      const { otherPending } = await this.records.recordDecision(tx, listVersionId, proposalId, {
        decision,
        decidedBy,
        taskId: request.taskId,
      });
      const status = decision === 'CONFIRM_MATCH' ? 'CONFIRMED_MATCH' : otherPending ? 'POTENTIAL_MATCH' : 'CLEAR';
      await this.records.recordProposalDecision(tx, proposalId, status, { decision, decidedBy, comment });
      await auditProposal(this.audit, tx, decidedBy ?? SYSTEM, 'SCREENING_ADJUDICATED', proposalId, {
        after: { screeningStatus: status, decision, listVersionId },
        reason: comment ?? undefined,
      });
    });
  }

  /** A confirmed match on a COMPLETED package (its workflow has closed): the proposal becomes INELIGIBLE here. */
  async closeCompletedAsIneligible(request: RescreenAdjudication): Promise<void> {
    const reason = confirmedReason(request);
    await this.uow.run(async (tx) => {
      const entry = {
        key: `rescreen:${request.listVersionId}:ineligible`,
        at: new Date(),
        action: 'STATUS_INELIGIBLE',
        actor: request.decidedBy ?? SYSTEM,
        detail: { from: 'COMPLETED', reason },
      };
      if (!(await this.records.closeCompletedAsIneligible(tx, request.proposalId))) return;
      await this.proposals.recordEvent(tx, request.proposalId, entry);
      await auditProposal(this.audit, tx, request.decidedBy ?? SYSTEM, 'PROPOSAL_STATUS_CHANGED', request.proposalId, {
        before: { status: 'COMPLETED' },
        after: { status: 'INELIGIBLE' },
        reason,
      });
    });
  }

  /**
   * A designated package found on a list loses its designation (and so its place in the catalogue);
   * every agency that committed financing to it is told. Nothing happens to a proposal never designated.
   */
  async revokeDesignation(request: RescreenAdjudication): Promise<void> {
    const { proposalId, listVersionId } = request;
    const proposal = (await this.proposals.findById(proposalId)) ?? throwIt(notFound('Proposal', proposalId));
    const designated = (await this.tasks.forProposal(proposalId)).some(
      (t) => t.type === 'DESIGNATION_DECISION' && t.decision === 'DESIGNATE',
    );
    if (!designated) return;
    const committed = [
      ...new Set((await this.financing.forProposal(proposalId)).filter((r) => r.status === 'COMMITTED').map((r) => r.agency)),
    ];
    const reason = confirmedReason(request);
    const revocation = { revokedAt: new Date().toISOString(), revokedReason: reason, revokedBy: request.decidedBy, listVersionId };
    await this.uow.run(async (tx) => {
      if (!(await this.records.revokeDesignation(tx, proposalId, revocation))) return;
      await this.proposals.recordEvent(tx, proposalId, {
        key: `rescreen:${listVersionId}:designation-revoked`,
        at: new Date(revocation.revokedAt),
        action: 'DESIGNATION_REVOKED',
        actor: request.decidedBy ?? SYSTEM,
        detail: { reason, notifiedAgencies: committed },
      });
      await auditProposal(this.audit, tx, request.decidedBy ?? SYSTEM, 'DESIGNATION_REVOKED', proposalId, {
        after: { designationRevoked: true, notifiedAgencies: committed },
        reason,
      });
      for (const agency of committed) {
        for (const role of COMMITMENT_HOLDERS) {
          await this.notifications.enqueue(tx, {
            eventKey: `designation-revoked:${proposalId}:${agency}:${role}`,
            kind: 'DECISION',
            proposalId,
            recipientRole: role,
            recipientAgency: agency,
            subject: `Designation revoked: ${proposal.title}`,
            body: `The designation of "${proposal.title}", to which ${agency} committed financing, was revoked: a screening list match was confirmed. It is no longer a priority AI export package.`,
          });
        }
      }
    });
  }

  private async listVersion(listVersionId: string) {
    return (await this.lists.byId(listVersionId)) ?? throwIt(notFound('Screening list version', listVersionId));
  }

  /** The timeline entry and audit event of a re-screening and, when it found new matches, the hold (audited too). */
  private async recordOnProposal(tx: Transaction, checksum: string, listVersionId: string, row: RescreenRow): Promise<void> {
    const at = new Date();
    await this.proposals.recordEvent(tx, row.proposalId, {
      key: `rescreen:${listVersionId}`,
      at,
      action: 'RESCREENED',
      actor: SYSTEM,
      detail: { listVersionId, listChecksum: checksum, possibleMatches: row.matches.length, newMatches: row.newMatches.length },
    });
    await auditProposal(this.audit, tx, SYSTEM, 'PROPOSAL_RESCREENED', row.proposalId, {
      after: { listVersionId, status: row.status, possibleMatches: row.matches.length, newMatches: row.newMatches.length },
    });
    if (!row.newMatches.length) return;
    await this.records.hold(tx, row.proposalId, { listVersionId, matches: row.newMatches, at: at.toISOString() });
    await auditProposal(this.audit, tx, SYSTEM, 'PROPOSAL_SCREENING_HOLD', row.proposalId, {
      after: { screeningStatus: 'POTENTIAL_MATCH', listVersionId, newMatches: row.newMatches },
      reason: `${row.newMatches.length} new possible screening list match(es) to adjudicate`,
    });
  }
}

/** Intake's own matches (adjudicated, or awaiting its adjudication) are not new to a re-screening. */
function knownAtIntake(proposal: ProposalToRescreen): MatchIdentity[] {
  return (proposal.screening?.matches ?? []) as MatchIdentity[];
}

function confirmedReason(request: RescreenAdjudication): string {
  return `Screening match confirmed on re-screening by ${request.decidedBy ?? SYSTEM}${request.comment ? `: ${request.comment}` : ''}`;
}

function progressOf(row: { total: number; done: number; newMatches: number }): RescreenProgress {
  return { total: row.total, done: row.done, newMatches: row.newMatches };
}

export type RescreenActivityFunctions = ReturnType<RescreenActivities['build']>;
