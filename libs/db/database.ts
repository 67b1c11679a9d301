import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { migrateDatabase } from './migrate';
import { AuditRepository } from './repositories/audit.repository';
import { FinancingRepository } from './repositories/financing.repository';
import { NotificationRepository } from './repositories/notification.repository';
import { ProgramRepository } from './repositories/program.repository';
import { ProposalRepository } from './repositories/proposal.repository';
import { ReconciliationRepository } from './repositories/reconciliation.repository';
import { ReportRepository } from './repositories/report.repository';
import { ScreeningListRepository } from './repositories/screening-list.repository';
import { TaskRepository } from './repositories/task.repository';
import { ThrottleRepository } from './repositories/throttle.repository';
import { UserRepository } from './repositories/user.repository';
import { UnitOfWork } from './unit-of-work';

/** The database outside Nest (scripts, tests): the same repositories and unit of work the apps inject. */
export interface Database {
  readonly unitOfWork: UnitOfWork;
  readonly audit: AuditRepository;
  readonly financing: FinancingRepository;
  readonly notifications: NotificationRepository;
  readonly programs: ProgramRepository;
  readonly proposals: ProposalRepository;
  readonly reconciliation: ReconciliationRepository;
  readonly reports: ReportRepository;
  readonly screeningLists: ScreeningListRepository;
  readonly tasks: TaskRepository;
  readonly throttle: ThrottleRepository;
  readonly users: UserRepository;
  /** Runs pending migrations under the migration advisory lock; the names applied. */
  migrate(): Promise<string[]>;
  /** Reverts the most recent migration. */
  revertLastMigration(): Promise<void>;
  /** Whether some migration has not run yet. */
  hasPendingMigrations(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects to `databaseUrl` (which must exist: see ensureDatabase). Call `close()` when done. */
export async function openDatabase(databaseUrl: string): Promise<Database> {
  const db = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  return {
    unitOfWork: new UnitOfWork(db),
    audit: new AuditRepository(db),
    financing: new FinancingRepository(db),
    notifications: new NotificationRepository(db),
    programs: new ProgramRepository(db),
    proposals: new ProposalRepository(db),
    reconciliation: new ReconciliationRepository(db),
    reports: new ReportRepository(db),
    screeningLists: new ScreeningListRepository(db),
    tasks: new TaskRepository(db),
    throttle: new ThrottleRepository(db),
    users: new UserRepository(db),
    migrate: () => migrateDatabase(db),
    revertLastMigration: () => db.undoLastMigration({ transaction: 'each' }),
    hasPendingMigrations: () => db.showMigrations(),
    close: () => db.destroy(),
  };
}
