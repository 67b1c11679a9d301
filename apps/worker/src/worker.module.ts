import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ActivitiesModule } from '../../../activities/activities.module';
import { AuditModule } from '../../../libs/audit';
import { AppConfigModule } from '../../../libs/config';
import { DbModule } from '../../../libs/db';
import { loggerOptions } from '../../../libs/logging';
import { NotifierService } from './notifier.service';
import { WorkerService } from './worker.service';

@Module({
  imports: [AppConfigModule, LoggerModule.forRootAsync(loggerOptions('worker')), DbModule, AuditModule, ActivitiesModule],
  providers: [WorkerService, NotifierService],
})
export class WorkerModule {}
