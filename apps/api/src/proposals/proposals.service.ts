import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { proposalWorkflow } from '../../../../workflows/intake/proposal.workflow';
import { INTAKE_TASK_QUEUE, proposalWorkflowId } from '../../../../libs/contracts/intake';
import { ProposalRepository } from '../../../../libs/db';
import type { SubmitProposalDto } from './submit-proposal.dto';

export interface ProposalView {
  id: string;
  title: string;
  status: string;
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
  ) {}

  async submit(dto: SubmitProposalDto): Promise<{ id: string; status: string }> {
    if (!dto.consortium.members.some((m) => m.name === dto.consortium.anchorMember)) {
      throw new BadRequestException({
        message: 'Request validation failed',
        details: [{ field: 'consortium.anchorMember', message: 'consortium.anchorMember must be the name of one of consortium.members' }],
      });
    }
    const id = randomUUID();
    await this.proposals.insert(
      { id, title: dto.title, submission: JSON.parse(JSON.stringify(dto)) },
      { key: 'received', at: new Date(), action: 'SUBMITTED', actor: 'applicant', detail: {} },
    );
    await this.temporal.workflow.start<typeof proposalWorkflow>('proposalWorkflow', {
      taskQueue: INTAKE_TASK_QUEUE,
      workflowId: proposalWorkflowId(id),
      args: [{ proposalId: id }],
    });
    return { id, status: 'SUBMITTED' };
  }

  async get(id: string): Promise<ProposalView> {
    const proposal = await this.proposals.findById(id);
    if (!proposal) throw new NotFoundException(`Proposal ${id} not found`);
    const timeline = await this.proposals.timeline(id);
    return {
      id: proposal.id,
      title: proposal.title,
      status: proposal.status,
      submission: proposal.submission,
      createdAt: proposal.createdAt,
      updatedAt: proposal.updatedAt,
      timeline: timeline.map(({ at, action, actor, detail }) => ({ at, action, actor, detail })),
    };
  }
}
