import { AgencyCallbackEntity } from './agency-callback.entity';
import { AuditChainEntity, AuditCheckpointEntity } from './audit-chain.entity';
import { AuditEventEntity } from './audit-event.entity';
import { CalendarFeedEntity } from './calendar-feed.entity';
import { FinancingReferralEntity } from './financing-referral.entity';
import { InformationRequestEntity } from './information-request.entity';
import { NotificationEntity } from './notification.entity';
import { CallForProposalsEntity, MilestoneEntity, ProgramEntity } from './program.entity';
import { ProposalEventEntity } from './proposal-event.entity';
import { ProposalEntity } from './proposal.entity';
import { ProposalVersionEntity } from './proposal-version.entity';
import { DocumentEntity } from './document.entity';
import { ProposalScreeningEntity, ScreeningEntryEntity, ScreeningListEntity, ScreeningRescreenEntity } from './screening.entity';
import { TaskEntity } from './task.entity';
import { UserEntity } from './user.entity';

export type { FinancingStatus } from './financing-referral.entity';
export type { NotificationKind } from './notification.entity';
export type { BenefitReferral } from './proposal.entity';
export {
  AgencyCallbackEntity,
  AuditChainEntity,
  AuditCheckpointEntity,
  AuditEventEntity,
  CalendarFeedEntity,
  CallForProposalsEntity,
  DocumentEntity,
  FinancingReferralEntity,
  InformationRequestEntity,
  MilestoneEntity,
  NotificationEntity,
  ProgramEntity,
  ProposalEntity,
  ProposalEventEntity,
  ProposalVersionEntity,
  ProposalScreeningEntity,
  ScreeningEntryEntity,
  ScreeningListEntity,
  ScreeningRescreenEntity,
  TaskEntity,
  UserEntity,
};
/** One entity per table created in ./migrations (TypeORM's own `migrations` table aside). */
export const ENTITIES = [
  ProposalEntity,
  ProposalEventEntity,
  UserEntity,
  AuditEventEntity,
  AuditChainEntity,
  AuditCheckpointEntity,
  TaskEntity,
  ScreeningListEntity,
  ScreeningEntryEntity,
  ProposalScreeningEntity,
  ScreeningRescreenEntity,
  AgencyCallbackEntity,
  NotificationEntity,
  InformationRequestEntity,
  FinancingReferralEntity,
  ProgramEntity,
  MilestoneEntity,
  CallForProposalsEntity,
  ProposalVersionEntity,
  DocumentEntity,
  CalendarFeedEntity,
];
