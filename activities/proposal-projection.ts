import { Injectable } from '@nestjs/common';
import { AuditService } from '../libs/audit';
import { NotificationRepository, ProposalRepository, UnitOfWork } from '../libs/db';

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
