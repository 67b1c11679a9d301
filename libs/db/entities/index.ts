import { AuditEventEntity } from './audit-event.entity';
import { ProposalEventEntity } from './proposal-event.entity';
import { ProposalEntity } from './proposal.entity';
import { ScreeningEntryEntity, ScreeningListEntity } from './screening.entity';
import { TaskEntity } from './task.entity';
import { UserEntity } from './user.entity';

export { AuditEventEntity, ProposalEntity, ProposalEventEntity, ScreeningEntryEntity, ScreeningListEntity, TaskEntity, UserEntity };
export const ENTITIES = [ProposalEntity, ProposalEventEntity, UserEntity, AuditEventEntity, TaskEntity, ScreeningListEntity, ScreeningEntryEntity];
