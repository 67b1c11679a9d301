import { Module } from '@nestjs/common';
import { IntakeActivities } from './intake/intake.activities';

const ACTIVITY_PROVIDERS = [IntakeActivities];

@Module({ providers: ACTIVITY_PROVIDERS, exports: ACTIVITY_PROVIDERS })
export class ActivitiesModule {}
