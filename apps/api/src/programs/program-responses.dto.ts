import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENCIES } from '../../../../libs/domain/identity/roles';

/** Milestone evidence as stored and shown, whichever form it was sent in. */
export class MilestoneEvidenceViewDto {
  @ApiProperty() text: string;
  @ApiProperty({ type: String, nullable: true }) link: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) documentIds: string[];
}

export class MilestoneViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: AGENCIES }) ownerAgency: string;
  @ApiProperty() dueDay: number;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ type: String, nullable: true }) eoRef: string | null;
  @ApiProperty({ type: [String] }) dependsOn: string[];
  @ApiProperty({ enum: ['PENDING', 'DONE', 'OVERDUE'] }) status: string;
  @ApiProperty() daysRemaining: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) remindedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) completedBy: string | null;
  @ApiProperty({ type: MilestoneEvidenceViewDto, nullable: true }) evidence: MilestoneEvidenceViewDto | null;
}

export class CallViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) openDate: string;
  @ApiProperty({ format: 'date' }) closeDate: string;
  @ApiProperty() governsIntake: boolean;
}

/** A program plan and where it stands (docs/spec.md section 2.5). */
export class ProgramDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty() deadlineDays: number;
  @ApiProperty({ format: 'date' }) deadline: string;
  @ApiProperty() daysRemaining: number;
  @ApiProperty({ enum: ['ON_TRACK', 'AT_RISK', 'OVERDUE', 'ESTABLISHED'] }) status: string;
  @ApiProperty({ type: [MilestoneViewDto] }) milestones: MilestoneViewDto[];
  @ApiProperty({ type: [CallViewDto] }) calls: CallViewDto[];
}

/** A new calendar feed (its URL is in no later answer). */
export class CalendarFeedCreatedDto {
  @ApiProperty({
    description: 'Absolute path of the feed (shown once: only a hash of its secret is kept)',
    example: '/api/v1/calendar/….ics',
  })
  url: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CalendarFeedStatusDto {
  @ApiProperty() active: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the active feed was created' }) createdAt?: string;
}
