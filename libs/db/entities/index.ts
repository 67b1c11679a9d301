import { ProposalEntity } from './proposal.entity';
import { ProposalEventEntity } from './proposal-event.entity';
import { UserEntity } from './user.entity';
import { AuditEventEntity } from './audit-event.entity';

export { ProposalEntity, ProposalEventEntity, UserEntity, AuditEventEntity };
export const ENTITIES = [ProposalEntity, ProposalEventEntity, UserEntity, AuditEventEntity];
