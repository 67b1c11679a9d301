import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { TASK_STATUSES, TASK_TYPE_NAMES, TaskStatus, TaskType } from '../../../../libs/domain/tasks/task-types';
import { IsNotBlank, NotWith, PageParam, PageSizeParam, QueryInt } from '../common/dto-decorators';
import { FormatQuery } from '../common/format.query';

export class TaskListQuery extends FormatQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
  @ApiPropertyOptional({ enum: TASK_TYPE_NAMES }) @IsOptional() @IsIn(TASK_TYPE_NAMES) type?: TaskType;
  @IsOptional() @IsUUID() proposalId?: string;
  /** 'true': only escalated tasks (a supervisor's queue); 'false': only those not escalated. */
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) escalated?: 'true' | 'false';
  /** 'true': only open or claimed tasks whose due date has passed. */
  @ApiPropertyOptional({ enum: ['true'] }) @IsOptional() @IsIn(['true']) overdue?: 'true';
  /** Only open or claimed tasks due within this many days from now (overdue ones included); not with `overdue`. */
  @IsOptional() @QueryInt({ min: 0, max: 365 }) @NotWith('overdue') dueWithinDays?: number;
  @PageParam() page: number = 1;
  @PageSizeParam(100) pageSize: number = 20;
}

export class CompleteTaskDto {
  /** One of the task type's decisions (docs/spec.md section 3); checked against the task by its workflow. */
  @IsString() @IsNotBlank() @MaxLength(50) decision: string;
  @IsOptional() @IsString() @MaxLength(10_000) comment?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(2_000, { each: true }) conditions?: string[];
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() data?: Record<string, unknown>;
}

export class ReassignTaskDto {
  /** The username of an active user of the task's agency whose role may take the task type. */
  @IsString() @IsNotBlank() @MaxLength(64) assignee: string;
  /** Why (audited, and told to the previous and the new assignee). */
  @IsString() @IsNotBlank() @MaxLength(2_000) reason: string;
}
