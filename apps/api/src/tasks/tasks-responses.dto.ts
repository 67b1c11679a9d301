import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_STATUSES, TASK_TYPE_NAMES } from '../../../../libs/domain/tasks/task-types';
import { ANY_OBJECT } from '../common/response.dto';
import { PagedListDto } from '../common/openapi';

/** A task of the one human-task mechanism (docs/spec.md section 3), with what its form needs. */
export class TaskDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) proposalId: string;
  @ApiProperty({ enum: TASK_TYPE_NAMES }) type: string;
  @ApiProperty() agency: string;
  @ApiProperty({ enum: TASK_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) assignee: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: string | null;
  @ApiProperty() escalated: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) decision: string | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: [String], nullable: true }) conditions: string[] | null;
  @ApiProperty({ ...ANY_OBJECT, nullable: true }) data: Record<string, unknown> | null;
  @ApiPropertyOptional({
    type: 'array',
    items: ANY_OBJECT,
    description: 'FINANCING_ASSIGNMENT: [{instrumentId, agency, amountUsd, warnings}]',
  })
  suggestions?: Record<string, unknown>[];
  @ApiPropertyOptional({ type: 'array', items: ANY_OBJECT, description: 'SCREENING_ADJUDICATION: the matches it is about' })
  matches?: Record<string, unknown>[];
}

export class TaskPageDto extends PagedListDto(TaskDto) {}

/** A reviewer's question to the applicant (the review task's SLA clock stops until the answer). */
export class InformationRequestCreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() agency: string;
  @ApiProperty() question: string;
}

/** A user a supervisor may hand a task to (GET /tasks/:id/eligible-assignees). */
export class EligibleAssigneeDto {
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
}

export class EligibleAssigneesDto {
  @ApiProperty({ type: [EligibleAssigneeDto] }) items: EligibleAssigneeDto[];
}
