import { Module, OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ActivitiesModule } from '../../../activities/activities.module';
import { AuditModule } from '../../../libs/audit';
import { AppConfigModule } from '../../../libs/config';
import { DbModule } from '../../../libs/db';
import { loggerOptions } from '../../../libs/logging';
import { processTracing } from '../../../libs/telemetry/process-tracing';
import { AuditSealerService } from './audit-sealer.service';
import { TemporalClientModule } from '../../../libs/temporal';
import { NotifierService } from './notifier.service';
import { RescreenStarter } from './rescreen-starter.service';
import { SubmissionReconciler } from './submission-reconciler.service';
import { WorkerService } from './worker.service';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync(loggerOptions('worker')),
    DbModule,
    AuditModule,
    TemporalClientModule,
    ActivitiesModule,
  ],
  providers: [WorkerService, NotifierService, SubmissionReconciler, AuditSealerService, RescreenStarter],
})
export class WorkerModule implements OnApplicationShutdown {
  /** Exports the spans still batched, after WorkerService has drained the Workers (a module's own hook follows its providers'). */
  onApplicationShutdown(): Promise<void> {
    return processTracing.shutdown();
  }
}
