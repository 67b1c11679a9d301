// The only door to the database: nothing outside libs/db imports TypeORM or sees a DataSource,
// an EntityManager or SQL. Writes that belong together take a Transaction from UnitOfWork.run.
export * from './entities';
export * from './db.module';
export { ensureDatabase } from './migrate';
export { openDatabase, type Database } from './database';
export { UnitOfWork, type IsolationLevel, type Transaction } from './unit-of-work';
export * from './repositories/audit.repository';
export * from './repositories/proposal.repository';
export * from './repositories/user.repository';
export * from './repositories/task.repository';
export * from './repositories/screening-list.repository';
export * from './repositories/screening-record.repository';
export * from './repositories/notification.repository';
export * from './repositories/financing.repository';
export * from './repositories/program.repository';
export * from './repositories/report.repository';
export * from './repositories/reconciliation.repository';
export * from './repositories/document.repository';
export * from './repositories/catalogue.repository';
export * from './repositories/information-request.repository';
export * from './repositories/calendar-feed.repository';
export * from './repositories/throttle.repository';
export { DatabaseHealth } from './database-health';
export { openBackupSnapshot, type AuditHead, type BackupSnapshot } from './backup-snapshot';
// Benchmark seeding and statement timing (scripts/bench only).
export { BenchFixtures, dropDatabase, type SeededInbox, type StatementTiming } from './bench-fixtures';
