import { Module } from '@nestjs/common';
import { AgencyAdapters } from '../libs/adapters';
import { FinancingActivities } from './financing/financing.activities';
import { IntakeActivities } from './intake/intake.activities';
import { ProgramActivities } from './program/program.activities';
import { ScreeningService } from './screening/screening.service';
import { TaskActivities } from './tasks/task.activities';

const ACTIVITY_PROVIDERS = [FinancingActivities, IntakeActivities, ProgramActivities, ScreeningService, TaskActivities];

@Module({ providers: [...ACTIVITY_PROVIDERS, AgencyAdapters], exports: ACTIVITY_PROVIDERS })
export class ActivitiesModule {}
