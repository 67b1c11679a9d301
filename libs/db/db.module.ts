import { Global, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, APP_CONFIG } from '../config';
import { dataSourceOptions } from './data-source';
import { migrateDatabase } from './migrate';
import { AuditRepository } from './repositories/audit.repository';
import { CalendarFeedRepository } from './repositories/calendar-feed.repository';
import { DocumentRepository } from './repositories/document.repository';
import { CatalogueRepository } from './repositories/catalogue.repository';
import { InformationRequestRepository } from './repositories/information-request.repository';
import { ProposalRepository } from './repositories/proposal.repository';
import { ReconciliationRepository } from './repositories/reconciliation.repository';
import { FinancingRepository } from './repositories/financing.repository';
import { NotificationRepository } from './repositories/notification.repository';
import { ProgramRepository } from './repositories/program.repository';
import { ReportRepository } from './repositories/report.repository';
import { ScreeningListRepository } from './repositories/screening-list.repository';
import { ScreeningRecordRepository } from './repositories/screening-record.repository';
import { TaskRepository } from './repositories/task.repository';
import { ThrottleRepository } from './repositories/throttle.repository';
import { UserRepository } from './repositories/user.repository';
import { DatabaseHealth } from './database-health';
import { UnitOfWork } from './unit-of-work';

const REPOSITORIES = [
  UnitOfWork,
  DatabaseHealth,
  AuditRepository,
  CalendarFeedRepository,
  DocumentRepository,
  CatalogueRepository,
  FinancingRepository,
  InformationRequestRepository,
  NotificationRepository,
  ProgramRepository,
  ProposalRepository,
  ReconciliationRepository,
  ReportRepository,
  ScreeningListRepository,
  ScreeningRecordRepository,
  TaskRepository,
  ThrottleRepository,
  UserRepository,
];

/** Brings the schema up to date before any other module touches the database. */
@Injectable()
class SchemaMigrator implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const applied = await migrateDatabase(this.dataSource);
    if (applied.length) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl),
    }),
  ],
  providers: [SchemaMigrator, ...REPOSITORIES],
  exports: REPOSITORIES,
})
export class DbModule {}
