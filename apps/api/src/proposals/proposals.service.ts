import { BadRequestException, Inject, Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { createHash, randomUUID } from 'node:crypto';
import { AuditService } from '../../../../libs/audit';
import { hasRole, Principal } from '../../../../libs/auth';
import { amendProposalUpdate, PROPOSAL_FAILURES, proposalWorkflowId, withdrawProposalUpdate } from '../../../../libs/contracts/intake';
import { answerSizeInformationUpdate, SIZE_INFORMATION_FAILURES } from '../../../../libs/contracts/financing';
import { startProposalWorkflow } from '../../../../libs/temporal';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { checkCompleteness } from '../../../../libs/domain/intake/completeness';
import type { ProposalSubmission } from '../../../../libs/domain/intake/submission';
import { assessEligibility, loadEarCountryGroups } from '../../../../libs/domain/screening/eligibility';
import {
  DocumentEntity,
  DocumentRepository,
  FinancingRepository,
  ProposalEntity,
  ProposalRepository,
  ScreeningHistoryItem,
  ScreeningRecordRepository,
  TaskEntity,
  TaskRepository,
  UnitOfWork,
} from '../../../../libs/db';
import type { TaskType } from '../../../../libs/domain/tasks/task-types';
import { ProgramsService } from '../programs/programs.service';
import { runUpdate } from '../common/workflow-update';
import { applicantDocuments, applicantListItem, applicantProposal } from './applicant-view';
import { refuseMissingDocuments } from '../documents/cited-documents';
import type { ProposalListQuery } from './proposal-list.query';
import type { AmendProposalDto, InformationAnswerDto, SubmitProposalDto } from './submit-proposal.dto';

/** docs/spec.md section 7: what GET /proposals/:id shows; later stages fill reviews, designation, financing and SBA. */
const REVIEW_KINDS: Partial<Record<TaskType, 'REVIEW' | 'CONSULTATION'>> = { AGENCY_REVIEW: 'REVIEW', CONSULTATION: 'CONSULTATION' };

/** Positions and the designation are the outcomes of the proposal's review and decision tasks. */
function decisionsOf(tasks: TaskEntity[]) {
  const reviews = tasks
    .filter((t) => REVIEW_KINDS[t.type])
    .map((t) => ({
      taskId: t.id,
      agency: t.agency,
      kind: REVIEW_KINDS[t.type],
      status: t.status,
      position: t.decision,
      conditions: t.conditions,
      comment: t.comment,
      decidedAt: t.completedAt,
      decidedBy: t.completedBy,
      dueAt: t.dueAt,
      escalated: t.escalated,
      evidenceDigest: t.evidenceDigest,
      evidence: t.evidence,
    }));
  const decided = tasks.filter((t) => t.type === 'DESIGNATION_DECISION' && t.decision).at(-1);
  const designation = decided
    ? {
        decision: decided.decision,
        comment: decided.comment,
        decidedAt: decided.completedAt,
        decidedBy: decided.completedBy,
        evidenceDigest: decided.evidenceDigest,
      }
    : null;
  return { reviews, designation };
}

/** A designation revoked by a confirmed re-screening match keeps its decision, with when and why it was revoked. */
function withRevocation<D extends object>(designation: D | null, revocation: ProposalEntity['designationRevocation']) {
  return designation && revocation
    ? { ...designation, revokedAt: revocation.revokedAt, revokedReason: revocation.revokedReason }
    : designation;
}

/** Every screening the proposal had (intake and re-screenings), oldest first, with its list version (docs/spec.md section 2.4a). */
function screeningHistory(screenings: ScreeningHistoryItem[]) {
  return screenings.map((s) => ({
    at: s.at,
    kind: s.kind,
    // docs/spec.md section 7 names the list version by its id; the list's checksum and import time beside it.
    listVersion: s.listVersion.id,
    list: s.listVersion,
    submissionVersion: s.submissionVersion,
    status: s.status,
    matches: s.matches,
    decision: s.decision,
    decidedBy: s.decidedBy,
    decidedAt: s.decidedAt,
  }));
}

function proposalView(
  proposal: ProposalEntity,
  tasks: TaskEntity[],
  timeline: { at: Date; action: string; actor: string; detail: Record<string, unknown> }[],
) {
  const { reviews, designation } = decisionsOf(tasks);
  return {
    id: proposal.id,
    title: proposal.title,
    status: proposal.status,
    organisation: proposal.organisation,
    submittedBy: proposal.submittedBy,
    callId: proposal.callId,
    version: proposal.version,
    submission: proposal.submission,
    deficiencies: proposal.deficiencies,
    amendBy: proposal.amendBy?.toISOString() ?? null,
    eligibility: proposal.eligibility,
    flags: proposal.flags,
    screening: proposal.screening,
    reviews,
    designation: withRevocation(designation, proposal.designationRevocation),
    sbaReferral: proposal.sbaReferral,
    benefits: proposal.benefits,
    createdAt: proposal.createdAt,
    updatedAt: proposal.updatedAt,
    timeline: timeline.map(({ at, action, actor, detail }) => ({ at, action, actor, detail })),
  };
}

const anchorProblem = {
  message: 'Request validation failed',
  details: [{ field: 'consortium.anchorMember', message: 'consortium.anchorMember must be the name of one of consortium.members' }],
};

/** Intake: stores a submission and starts its workflow; amendments and withdrawals go through the workflow. */
@Injectable()
export class ProposalsService {
  private readonly logger = new Logger(ProposalsService.name);

  constructor(
    private readonly proposals: ProposalRepository,
    private readonly tasks: TaskRepository,
    private readonly financing: FinancingRepository,
    private readonly screenings: ScreeningRecordRepository,
    private readonly programs: ProgramsService,
    private readonly temporal: Client,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly documents: DocumentRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The checks intake will run, on a draft that is not filed (the web form's steps ask before
   * filing): the same completeness rules (EO 14320 sec. 3(b)) and eligibility rules (sec. 3(b)(v)),
   * so the browser never keeps a copy of them. Nothing is stored.
   */
  precheck(dto: SubmitProposalDto) {
    if (!dto.consortium.members.some((m) => m.name === dto.consortium.anchorMember)) throw new BadRequestException(anchorProblem);
    const submission = JSON.parse(JSON.stringify(dto)) as ProposalSubmission;
    const eligibility = assessEligibility({
      submission,
      countriesOfConcern: this.config.countriesOfConcern,
      countryGroups: loadEarCountryGroups(),
      openWeightModelRule: this.config.openWeightModelRule,
    });
    return { deficiencies: checkCompleteness(submission), eligibility: { eligible: eligibility.eligible, reasons: eligibility.reasons } };
  }

  /**
   * Files a submission and starts `proposal:<id>`. With an Idempotency-Key, a replay of the same
   * body returns the first proposal and starts nothing; the same key with another body is refused.
   */
  async submit(
    dto: SubmitProposalDto,
    applicant: Principal,
    idempotencyKey?: string,
    requestId?: string,
  ): Promise<{ id: string; status: string }> {
    if (!dto.consortium.members.some((m) => m.name === dto.consortium.anchorMember)) throw new BadRequestException(anchorProblem);
    const submission = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
    const requestDigest = createHash('sha256').update(JSON.stringify(submission)).digest('hex');
    if (idempotencyKey) {
      const earlier = await this.proposals.findByIdempotencyKey(applicant.username, idempotencyKey);
      if (earlier) return this.replay(earlier, requestDigest);
    }
    const callId = await this.programs.callForSubmission();
    const id = randomUUID();
    try {
      await this.uow.run(async (tx) => {
        await this.proposals.insert(
          tx,
          {
            id,
            callId,
            title: dto.title,
            organisation: applicant.organisation ?? '',
            submittedBy: applicant.username,
            submission,
            idempotencyKey: idempotencyKey ?? null,
            requestDigest,
          },
          { key: 'received', at: new Date(), action: 'SUBMITTED', actor: applicant.username, detail: {} },
        );
        await this.audit.record(
          {
            actor: applicant.username,
            role: applicant.roles.join(','),
            agency: applicant.agency,
            action: 'PROPOSAL_SUBMITTED',
            subjectType: 'proposal',
            subjectId: id,
            after: { status: 'SUBMITTED', title: dto.title },
            requestId,
          },
          tx,
        );
      });
    } catch (error) {
      // A concurrent request with the same key won the insert: answer as its replay.
      const earlier = idempotencyKey && (await this.proposals.findByIdempotencyKey(applicant.username, idempotencyKey));
      if (earlier) return this.replay(earlier, requestDigest);
      throw error;
    }
    try {
      await startProposalWorkflow(this.temporal, id);
    } catch (error) {
      // The submission is safely stored: the worker's reconciler starts its workflow once Temporal answers.
      this.logger.warn(`Proposal ${id} stored; its workflow will be started by the reconciler: ${String(error)}`);
    }
    return { id, status: 'SUBMITTED' };
  }

  async amend(id: string, dto: AmendProposalDto, applicant: Principal, requestId?: string) {
    const proposal = await this.owned(id, applicant, requestId);
    const sections = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
    if (!Object.keys(sections).length)
      throw new BadRequestException({
        message: 'An amendment must give at least one section',
        details: [{ field: '', message: 'body must contain at least one section' }],
      });
    const consortium = dto.consortium ?? (proposal.submission.consortium as SubmitProposalDto['consortium']);
    if (!consortium.members.some((m) => m.name === consortium.anchorMember)) throw new BadRequestException(anchorProblem);
    const state = await this.workflowUpdate(id, () =>
      this.temporal.workflow
        .getHandle(proposalWorkflowId(id))
        .executeUpdate(amendProposalUpdate, { args: [{ sections, actor: actorOf(applicant) }] }),
    );
    return { id, status: 'SCREENING', version: state.version };
  }

  async withdraw(id: string, reason: string, applicant: Principal, requestId?: string) {
    await this.owned(id, applicant, requestId);
    await this.workflowUpdate(id, () =>
      this.temporal.workflow
        .getHandle(proposalWorkflowId(id))
        .executeUpdate(withdrawProposalUpdate, { args: [{ reason, actor: actorOf(applicant) }] }),
    );
    return { id, status: 'WITHDRAWN' };
  }

  async list(query: ProposalListQuery, user: Principal) {
    const { items, total } = await this.proposals.list({
      status: query.status,
      targetMarket: query.targetMarket,
      text: query.q,
      organisation: hasRole(user, 'APPLICANT') ? (user.organisation ?? '') : undefined,
      page: query.page,
      pageSize: query.pageSize,
    });
    const applicant = hasRole(user, 'APPLICANT');
    return {
      items: items.map((p) =>
        applicant
          ? applicantListItem(p)
          : {
              id: p.id,
              title: p.title,
              status: p.status,
              organisation: p.organisation,
              targetMarkets: (p.submission.targetMarkets as string[] | undefined) ?? [],
              flags: p.flags.map((f) => f.code),
              createdAt: p.createdAt,
              updatedAt: p.updatedAt,
            },
      ),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(id: string, user: Principal, requestId?: string) {
    const proposal = await this.readable(id, user, requestId);
    const [tasks, timeline, informationRequests, referrals, documents, screenings] = await Promise.all([
      this.tasks.forProposal(id),
      this.proposals.timeline(id),
      this.tasks.informationRequests(id),
      this.financing.forProposal(id),
      this.documents.forProposal(id),
      this.screenings.history(id),
    ]);
    // Interagency deliberation is pre-decisional (docs/spec.md section 1): an applicant's view is built from an allow-list.
    if (hasRole(user, 'APPLICANT'))
      return {
        ...applicantProposal(proposal, tasks, timeline, informationRequests, referrals),
        documents: applicantDocuments(documents, proposal.organisation),
      };
    // docs/spec.md section 7 `financing`: per instrument, agency, amounts requested, assigned and committed, and status.
    const financing = referrals.map((r) => ({
      referralId: r.id,
      instrumentId: r.instrumentId,
      agency: r.agency,
      amountUsd: r.amountCommitted ?? r.amountAssigned,
      amountRequestedUsd: r.amountRequested,
      amountAssignedUsd: r.amountAssigned,
      amountCommittedUsd: r.amountCommitted,
      status: r.status,
      terms: r.terms,
      comment: r.comment,
      decidedBy: r.decidedBy,
      decidedAt: r.decidedAt,
    }));
    return {
      ...proposalView(proposal, tasks, timeline),
      screenings: screeningHistory(screenings),
      financing,
      informationRequests,
      documents: documents.map(staffDocumentView),
    };
  }

  private replay(earlier: ProposalEntity, requestDigest: string) {
    if (earlier.requestDigest !== requestDigest) {
      throw new UnprocessableEntityException({
        message: 'This Idempotency-Key was already used with a different request body',
        details: [{ field: 'Idempotency-Key', message: 'reuse a key only to retry the identical request' }],
      });
    }
    return { id: earlier.id, status: earlier.status };
  }

  /**
   * A proposal the user may see. Another organisation's proposal answers 404, as an unknown one
   * does: to an applicant its existence is itself confidential (docs/spec.md section 1). The denial is audited.
   */
  async readable(id: string, user: Principal, requestId?: string): Promise<ProposalEntity> {
    const proposal = await this.proposals.findById(id);
    if (proposal && hasRole(user, 'APPLICANT') && proposal.organisation !== user.organisation) {
      await this.audit.record({
        actor: user.username,
        role: user.roles.join(','),
        agency: user.agency,
        action: 'ACCESS_DENIED',
        subjectType: 'proposal',
        subjectId: id,
        reason: "Another organisation's proposal",
        requestId,
      });
      throw new NotFoundException(`Proposal ${id} not found`);
    }
    if (!proposal) throw new NotFoundException(`Proposal ${id} not found`);
    return proposal;
  }

  /** Amending and withdrawing are for the submitting organisation only. */
  private owned(id: string, applicant: Principal, requestId?: string): Promise<ProposalEntity> {
    return this.readable(id, applicant, requestId);
  }

  /** Runs an Update on the proposal's workflow; its validator's refusal (wrong state) is a 409. */
  private workflowUpdate<T>(id: string, run: () => Promise<T>): Promise<T> {
    return runUpdate(run, { conflict: [PROPOSAL_FAILURES.wrongState], closedMessage: `Proposal ${id} is already in a final state` });
  }

  /**
   * Every submitted and amended version, oldest first, each body as the applicant sent it (docs/spec.md
   * section 2.4b): the whole submission for version 1, the sections it replaced for an amendment.
   */
  async versions(id: string, user: Principal, requestId?: string) {
    await this.readable(id, user, requestId);
    const versions = await this.proposals.versions(id);
    return { items: versions.map(({ version, submittedAt, submittedBy, body }) => ({ version, submittedAt, submittedBy, body })) };
  }

  /** 422 unless every cited id is a document of this proposal that the caller may see (an applicant: its own uploads). */
  async checkCitedDocuments(proposal: ProposalEntity, documentIds: readonly string[], user: Principal): Promise<void> {
    const uploaderOrganisation = hasRole(user, 'APPLICANT') ? proposal.organisation : undefined;
    const missing = await this.documents.findMissing(documentIds, { proposalId: proposal.id, uploaderOrganisation });
    refuseMissingDocuments('documentIds', documentIds, missing);
  }

  /** The proposal's request for size information of this id (docs/spec.md section 2.4), if it is one. */
  async sizeInformationRequest(proposalId: string, requestId: string) {
    return (await this.tasks.informationRequests(proposalId)).find((r) => r.id === requestId && r.kind === 'SBA_SIZE');
  }

  /**
   * The applicant answers SBA's request with each member's figures: the proposal's workflow sizes the
   * members again (and refers them when one is small). 409 when the request is not open, 422 for a
   * member it did not ask about.
   */
  async answerSizeInformation(proposalId: string, requestId: string, body: InformationAnswerDto, applicant: Principal) {
    if (!body.data)
      throw new BadRequestException({
        message: 'Request validation failed',
        details: [{ field: 'data', message: 'data.members must give the size figures this request asks for' }],
      });
    const members = body.data.members.map(({ name, usConcern, naics, employees, averageAnnualReceiptsUsd }) => ({
      name,
      usConcern,
      naics,
      employees,
      averageAnnualReceiptsUsd,
    }));
    await runUpdate(
      () =>
        this.temporal.workflow
          .getHandle(proposalWorkflowId(proposalId))
          .executeUpdate(answerSizeInformationUpdate, { args: [{ requestId, members, actor: actorOf(applicant) }] }),
      {
        conflict: [SIZE_INFORMATION_FAILURES.notOpen],
        unprocessable: [SIZE_INFORMATION_FAILURES.unknownMember],
        closedMessage: `Proposal ${proposalId} is already in a final state`,
      },
    );
    return this.sizeInformationRequest(proposalId, requestId);
  }
}

/** Staff see every document of the proposal and who uploaded it. */
function staffDocumentView(d: DocumentEntity) {
  return {
    id: d.id,
    name: d.name,
    mediaType: d.mediaType,
    size: d.size,
    sha256: d.sha256,
    uploadedAt: d.uploadedAt,
    uploadedBy: d.uploadedBy,
    uploaderAgency: d.uploaderAgency,
  };
}

function actorOf(user: Principal) {
  return { username: user.username, roles: user.roles, agency: user.agency };
}
