import { Module } from '@nestjs/common';
import { AgencyAdapters } from '../libs/adapters';
import { BenefitsActivities } from './benefits/benefits.activities';
import { FinancingActivities } from './financing/financing.activities';
import { IntakeActivities } from './intake/intake.activities';
import { ProgramActivities } from './program/program.activities';
import { SbaActivities } from './sba/sba.activities';
import { RescreenActivities } from './screening/rescreen.activities';
import { ScreeningActivities } from './screening/screening.activities';
import { ScreeningLists } from './screening/screening-lists';
import { TaskActivities } from './tasks/task.activities';

const ACTIVITY_PROVIDERS = [
  BenefitsActivities,
  FinancingActivities,
  IntakeActivities,
  ProgramActivities,
  RescreenActivities,
  SbaActivities,
  ScreeningActivities,
  ScreeningLists,
  TaskActivities,
];

@Module({ providers: [...ACTIVITY_PROVIDERS, AgencyAdapters], exports: ACTIVITY_PROVIDERS })
export class ActivitiesModule {}
