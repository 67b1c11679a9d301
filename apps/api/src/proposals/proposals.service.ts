import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { proposalWorkflow } from '../../../../workflows/intake/proposal.workflow';
import { AuditService } from '../../../../libs/audit';
import { hasRole, Principal } from '../../../../libs/auth';
import { INTAKE_TASK_QUEUE, proposalWorkflowId } from '../../../../libs/contracts/intake';
import { ProposalEntity, ProposalRepository } from '../../../../libs/db';
import type { ProposalListQuery } from './proposal-list.query';
import type { SubmitProposalDto } from './submit-proposal.dto';

export interface ProposalView {
  id: string;
  title: string;
  status: string;
  organisation: string;
  submission: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  timeline: { at: Date; action: string; actor: string; detail: Record<string, unknown> }[];
}

/** Intake: stores a submission and starts its workflow; reads come from the projection. */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly proposals: ProposalRepository,
    private readonly temporal: Client,
    private readonly audit: AuditService,
  ) {}

  async submit(dto: SubmitProposalDto, applicant: Principal, requestId?: string): Promise<{ id: string; status: string }> {
    if (!dto.consortium.members.some((m) => m.name === dto.consortium.anchorMember)) {
      throw new BadRequestException({
        message: 'Request validation failed',
        details: [{ field: 'consortium.anchorMember', message: 'consortium.anchorMember must be the name of one of consortium.members' }],
      });
    }
    const id = randomUUID();
    await this.proposals.insert(
      { id, title: dto.title, organisation: applicant.organisation ?? '', submittedBy: applicant.username, submission: JSON.parse(JSON.stringify(dto)) },
      { key: 'received', at: new Date(), action: 'SUBMITTED', actor: applicant.username, detail: {} },
    );
    await this.audit.record({
      actor: applicant.username, role: applicant.roles.join(','), agency: applicant.agency,
      action: 'PROPOSAL_SUBMITTED', subjectType: 'proposal', subjectId: id, after: { status: 'SUBMITTED', title: dto.title }, requestId,
    });
    await this.temporal.workflow.start<typeof proposalWorkflow>('proposalWorkflow', {
      taskQueue: INTAKE_TASK_QUEUE,
      workflowId: proposalWorkflowId(id),
      args: [{ proposalId: id }],
    });
    return { id, status: 'SUBMITTED' };
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
    return {
      items: items.map(({ id, title, status, organisation, createdAt, updatedAt }) => ({ id, title, status, organisation, createdAt, updatedAt })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(id: string, user: Principal, requestId?: string): Promise<ProposalView> {
    const proposal = await this.readable(id, user, requestId);
    const timeline = await this.proposals.timeline(id);
    return {
      id: proposal.id,
      title: proposal.title,
      status: proposal.status,
      organisation: proposal.organisation,
      submission: proposal.submission,
      createdAt: proposal.createdAt,
      updatedAt: proposal.updatedAt,
      timeline: timeline.map(({ at, action, actor, detail }) => ({ at, action, actor, detail })),
    };
  }

  /**
   * A proposal the user may see. Another organisation's proposal answers 404, as an unknown one
   * does: to an applicant its existence is itself confidential (SPEC section 1). The denial is audited.
   */
  private async readable(id: string, user: Principal, requestId?: string): Promise<ProposalEntity> {
    const proposal = await this.proposals.findById(id);
    if (proposal && hasRole(user, 'APPLICANT') && proposal.organisation !== user.organisation) {
      await this.audit.record({
        actor: user.username, role: user.roles.join(','), agency: user.agency, action: 'ACCESS_DENIED',
        subjectType: 'proposal', subjectId: id, reason: "Another organisation's proposal", requestId,
      });
      throw new NotFoundException(`Proposal ${id} not found`);
    }
    if (!proposal) throw new NotFoundException(`Proposal ${id} not found`);
    return proposal;
  }
}
