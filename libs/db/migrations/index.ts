import { InitialSchema1764300000000 } from './1764300000000-InitialSchema';
import { AuditTrail1764300000100 } from './1764300000100-AuditTrail';
import { UsersAndOwnership1764300000200 } from './1764300000200-UsersAndOwnership';
import { TaskInbox1764300000300 } from './1764300000300-TaskInbox';
import { ScreeningAndIntake1764300000400 } from './1764300000400-ScreeningAndIntake';
import { AgencyCallbacks1764300000500 } from './1764300000500-AgencyCallbacks';
import { NotificationOutbox1764300000600 } from './1764300000600-NotificationOutbox';
import { InformationRequests1764300000700 } from './1764300000700-InformationRequests';
import { FinancingAndSba1764300000800 } from './1764300000800-FinancingAndSba';
import { ProgramPlans1764300000900 } from './1764300000900-ProgramPlans';
import { CallsForProposals1764300001000 } from './1764300001000-CallsForProposals';
import { OutboxLeasesAndStatusSteps1764300001100 } from './1764300001100-OutboxLeasesAndStatusSteps';
import { SessionVersion1764300001170 } from './1764300001170-SessionVersion';
import { AuditSealing1764300001200 } from './1764300001200-AuditSealing';
import { InboxPageIndexes1764300001300 } from './1764300001300-InboxPageIndexes';
import { ProposalVersions1764300001500 } from './1764300001500-ProposalVersions';
import { Documents1764300001510 } from './1764300001510-Documents';
import { ContinuousScreening1764300001600 } from './1764300001600-ContinuousScreening';
import { DesignationBenefits1764300001700 } from './1764300001700-DesignationBenefits';
import { SizeInformationRequests1764300001710 } from './1764300001710-SizeInformationRequests';
import { ProposalAmendBy1764300001800 } from './1764300001800-ProposalAmendBy';
import { NotificationDeliveredTo1764300001810 } from './1764300001810-NotificationDeliveredTo';
import { ScreeningEntryLookup1764300001820 } from './1764300001820-ScreeningEntryLookup';
import { CalendarFeeds1764300001900 } from './1764300001900-CalendarFeeds';
import { ThrottleCounters1764300002030 } from './1764300002030-ThrottleCounters';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [
  InitialSchema1764300000000,
  AuditTrail1764300000100,
  UsersAndOwnership1764300000200,
  TaskInbox1764300000300,
  ScreeningAndIntake1764300000400,
  AgencyCallbacks1764300000500,
  NotificationOutbox1764300000600,
  InformationRequests1764300000700,
  FinancingAndSba1764300000800,
  ProgramPlans1764300000900,
  CallsForProposals1764300001000,
  OutboxLeasesAndStatusSteps1764300001100,
  SessionVersion1764300001170,
  AuditSealing1764300001200,
  InboxPageIndexes1764300001300,
  ProposalVersions1764300001500,
  Documents1764300001510,
  ContinuousScreening1764300001600,
  DesignationBenefits1764300001700,
  SizeInformationRequests1764300001710,
  ProposalAmendBy1764300001800,
  NotificationDeliveredTo1764300001810,
  ScreeningEntryLookup1764300001820,
  CalendarFeeds1764300001900,
  ThrottleCounters1764300002030,
];
