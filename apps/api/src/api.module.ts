import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AppConfigModule } from '../../../libs/config';
import { DbModule } from '../../../libs/db';
import { loggerOptions } from '../../../libs/logging';
import { TemporalClientModule } from '../../../libs/temporal';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { HealthController } from './health/health.controller';
import { ProposalsController } from './proposals/proposals.controller';
import { ProposalsService } from './proposals/proposals.service';

@Module({
  imports: [AppConfigModule, LoggerModule.forRootAsync(loggerOptions('api')), DbModule, TemporalClientModule, TerminusModule],
  controllers: [HealthController, ProposalsController],
  providers: [ProposalsService, { provide: APP_FILTER, useClass: HttpExceptionFilter }],
})
export class ApiModule {}
