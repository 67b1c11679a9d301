import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANY_OBJECT } from './response.dto';
import { PagedListDto } from './openapi';
import { TaskDto } from '../tasks/tasks-responses.dto';

/** One audited state change: who, when, what and why (docs/spec.md section 4). */
export class AuditEventDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() actor: string;
  @ApiProperty({ type: String, nullable: true }) role: string | null;
  @ApiProperty({ type: String, nullable: true }) agency: string | null;
  @ApiProperty() action: string;
  @ApiProperty() subjectType: string;
  @ApiProperty() subjectId: string;
  @ApiProperty({ ...ANY_OBJECT, nullable: true }) before: Record<string, unknown> | null;
  @ApiProperty({ ...ANY_OBJECT, nullable: true }) after: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
}

export class AuditPageDto extends PagedListDto(AuditEventDto) {}

/** GET /audit/verify: whether the sealed chain and its signed checkpoints hold. */
export class ChainVerdictDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Events checked' }) events: number;
  @ApiProperty({ description: 'Events committed but not yet sealed' }) pending: number;
  @ApiProperty({ description: 'Age of the oldest unsealed event in seconds' }) lagSeconds: number;
  @ApiProperty({ description: 'Signed checkpoints' }) checkpoints: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Checkpoints per signing key id' })
  checkpointsByKey: Record<string, number>;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the newest checkpoint was signed' }) lastCheckpointAt?: string;
}

/** GET /reports/pipeline (docs/spec.md section 7, Oversight). */
export class PipelineReportDto {
  @ApiProperty({ type: 'array', items: ANY_OBJECT, description: '[{status, count}]' }) countsByStatus: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: ANY_OBJECT, description: '[{agency, open, slaBreaches}]' }) tasksByAgency: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: ANY_OBJECT, description: '[{stage, medianDays, transitions}]' }) medianDaysPerStage: Record<
    string,
    unknown
  >[];
  @ApiProperty({ type: 'array', items: ANY_OBJECT, description: '[{week, submitted, closed}]' }) throughputPerWeek: Record<
    string,
    unknown
  >[];
}

/** GET /financing/summary: what the EDAG routed, by agency, instrument and target country. */
export class FinancingSummaryDto {
  @ApiProperty({ type: 'array', items: ANY_OBJECT }) rows: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: ANY_OBJECT }) byAgency: Record<string, unknown>[];
  @ApiProperty({ ...ANY_OBJECT, description: '{committedUsd, pendingUsd}' }) totals: Record<string, number>;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status: string;
}

export class HealthDetailsDto extends HealthDto {
  @ApiProperty({ ...ANY_OBJECT, description: '{postgres, temporal}: each {status: up} or {status: down, message}' }) details: Record<
    string,
    unknown
  >;
}

/** GET /financing/queue: the assignments awaiting the EDAG coordinator, oldest first. */
export class FinancingQueueDto {
  @ApiProperty({ type: [TaskDto], description: 'Each task with its proposalTitle' }) items: TaskDto[];
  @ApiProperty() total: number;
}
