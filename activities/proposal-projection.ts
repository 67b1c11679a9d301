import { Injectable } from '@nestjs/common';
import { AuditService } from '../libs/audit';
import type { TaskActor } from '../libs/contracts/tasks';
import { NotificationRepository, ProposalRepository, Transaction, UnitOfWork } from '../libs/db';

/**
 * What every activity class projecting into a proposal's record needs: its repository, the audit
 * trail, the notification outbox, and a unit of work so that the timeline event, the change, its
 * audit event and its notices commit together.
 */
@Injectable()
export abstract class ProposalProjection {
  constructor(
    protected readonly uow: UnitOfWork,
    protected readonly proposals: ProposalRepository,
    protected readonly audit: AuditService,
    protected readonly notifications: NotificationRepository,
  ) {}
}

/** An audit event about a proposal, in the transaction of the change it records; role and agency when a person acted. */
export function auditProposal(
  audit: AuditService,
  tx: Transaction,
  actor: string,
  action: string,
  proposalId: string,
  change: { before?: unknown; after?: unknown; reason?: string },
  who?: TaskActor,
) {
  return audit.record(
    {
      actor,
      role: who?.roles.join(',') ?? null,
      agency: who?.agency ?? null,
      action,
      subjectType: 'proposal',
      subjectId: proposalId,
      ...change,
    },
    tx,
  );
}
