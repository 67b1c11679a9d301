import { ExecutionContext, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '../../../libs/audit';
import { AuthGuard, AuthModule } from '../../../libs/auth';
import { AppConfig, AppConfigModule, APP_CONFIG } from '../../../libs/config';
import { DbModule, ThrottleRepository } from '../../../libs/db';
import { loggerOptions } from '../../../libs/logging';
import { processTracing } from '../../../libs/telemetry/process-tracing';
import { TemporalClientModule } from '../../../libs/temporal';
import { UsersController } from './admin/users.controller';
import { AgencyCallbacksController } from './agency-callbacks/agency-callbacks.controller';
import { AgencyCallbacksService } from './agency-callbacks/agency-callbacks.service';
import { UsersService } from './admin/users.service';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { DocumentsController } from './documents/documents.controller';
import { DOCUMENT_PROVIDERS } from './documents/documents.providers';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueService } from './catalogue/catalogue.service';
import { DemoUsersSeeder } from './auth/demo-users.seeder';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { hasLoginLimit, LOGIN_THROTTLER, StandardThrottlerGuard, THROTTLE_WINDOW_MS } from './common/throttler.guard';
import { PostgresThrottlerStorage } from './common/throttler-storage';
import { FinancingController } from './financing/financing.controller';
import { FinancingService } from './financing/financing.service';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { CalendarFeedController } from './programs/calendar-feed.controller';
import { CalendarFeedService } from './programs/calendar-feed.service';
import { ProgramsController } from './programs/programs.controller';
import { ProgramsService } from './programs/programs.service';
import { ProposalsController } from './proposals/proposals.controller';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { ReferenceController } from './reference/reference.controller';
import { ReferenceService } from './reference/reference.service';
import { ProposalsService } from './proposals/proposals.service';
import { ScreeningController } from './screening/screening.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';

/** Every controller of the API; the access-matrix test walks their route metadata. */
export const API_CONTROLLERS = [
  HealthController,
  MetricsController,
  AuthController,
  ProposalsController,
  TasksController,
  FinancingController,
  // Before ProgramsController: its GET /programs/:id would take /programs/calendar-feed.
  CalendarFeedController,
  ProgramsController,
  ReportsController,
  AgencyCallbacksController,
  UsersController,
  AuditController,
  ReferenceController,
  DocumentsController,
  CatalogueController,
  ScreeningController,
];

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const isRead = (ctx: ExecutionContext) => READS.has(ctx.switchToHttp().getRequest<{ method: string }>().method);

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync(loggerOptions('api')),
    DbModule,
    AuditModule,
    AuthModule,
    TemporalClientModule,
    TerminusModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, ThrottleRepository],
      // Per client address, over all routes, signed in or not (so a flood of anonymous reads is cut off
      // before it reaches the auth guard): logins tightly (guessing; only handlers marked @LoginLimit()),
      // writes and reads loosely. /health and /metrics are exempt (StandardThrottlerGuard). Counted in
      // PostgreSQL, so the limits hold across API replicas.
      useFactory: (config: AppConfig, counters: ThrottleRepository) => ({
        storage: new PostgresThrottlerStorage(counters, THROTTLE_WINDOW_MS),
        generateKey: (_ctx: ExecutionContext, tracker: string, name: string) => `${name}:${tracker}`,
        throttlers: [
          {
            name: LOGIN_THROTTLER,
            ttl: THROTTLE_WINDOW_MS,
            limit: config.throttle.loginPerMinute,
            skipIf: (ctx) => !hasLoginLimit(ctx),
          },
          { name: 'writes', ttl: THROTTLE_WINDOW_MS, limit: config.throttle.writesPerMinute, skipIf: isRead },
          { name: 'reads', ttl: THROTTLE_WINDOW_MS, limit: config.throttle.readsPerMinute, skipIf: (ctx) => !isRead(ctx) },
        ],
      }),
    }),
  ],
  controllers: API_CONTROLLERS,
  providers: [
    AgencyCallbacksService,
    AuthService,
    CalendarFeedService,
    CatalogueService,
    DemoUsersSeeder,
    FinancingService,
    MetricsService,
    ProgramsService,
    ProposalsService,
    ReferenceService,
    ReportsService,
    TasksService,
    UsersService,
    ...DOCUMENT_PROVIDERS,
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_GUARD, useClass: StandardThrottlerGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class ApiModule implements OnApplicationShutdown {
  /** Exports the spans still batched: the root module's hook runs first on shutdown, after its own providers'. */
  onApplicationShutdown(): Promise<void> {
    return processTracing.shutdown();
  }
}
