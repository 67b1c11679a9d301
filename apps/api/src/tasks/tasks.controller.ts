import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { asCsvDownload, rowsToCsv } from '../common/format.query';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { AGENCY_STAFF_ROLES } from '../../../../libs/domain/identity/roles';
import { CompleteTaskDto, ReassignTaskDto, TaskListQuery } from './tasks.dto';
import { TasksService } from './tasks.service';
import { ApiOperationDoc } from '../common/openapi';
import { EligibleAssigneesDto, TaskDto, TaskPageDto } from './tasks-responses.dto';

const TASK_ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });
/** As on POST /proposals (docs/spec.md section 7). */
const IDEMPOTENCY_KEY = /^[\w.:-]{1,200}$/;
@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @ApiOperationDoc({
    summary: "List the caller's visible tasks (format=csv for CSV)",
    ok: TaskPageDto,
    produces: ['text/csv'],
    errors: [400, 403],
  })
  @Get()
  // Oversight reads every inbox; its writes are refused by the agency and role checks.
  @Roles(...AGENCY_STAFF_ROLES, 'AUDITOR', 'PROGRAM_MANAGER')
  async list(@Query() query: TaskListQuery, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    const page = await this.tasks.list(query, user);
    return query.format === 'csv' ? asCsvDownload(res, 'tasks.csv', rowsToCsv(page.items)) : page;
  }

  @ApiOperationDoc({ summary: 'Claim a task', ok: TaskDto, errors: [403, 404, 409] })
  @Post(':id/claim')
  @Roles(...AGENCY_STAFF_ROLES)
  @HttpCode(200)
  claim(@Param('id', TASK_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.tasks.claim(id, user, requestId);
  }

  @ApiOperationDoc({ summary: 'Release a claimed task', ok: TaskDto, errors: [403, 404, 409] })
  @Post(':id/release')
  @Roles(...AGENCY_STAFF_ROLES)
  @HttpCode(200)
  release(@Param('id', TASK_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.tasks.release(id, user, requestId);
  }

  @ApiOperationDoc({ summary: 'Complete a task with a decision', ok: TaskDto, errors: [400, 403, 404, 409, 422] })
  @Post(':id/complete')
  @Roles(...AGENCY_STAFF_ROLES)
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key and body returns the original answer' })
  complete(
    @Param('id', TASK_ID) id: string,
    @Body() body: CompleteTaskDto,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
    @Headers('idempotency-key') key?: string,
  ) {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new BadRequestException({
        message: 'Invalid Idempotency-Key',
        details: [
          { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 200 letters, digits, dots, colons, dashes or underscores' },
        ],
      });
    }
    return this.tasks.complete(id, body, user, requestId, key);
  }

  /** The reassignment form's picker: the same caller as POST :id/reassignment, and exactly the assignees it accepts. */
  @ApiOperationDoc({
    summary: "Users a task may be reassigned to: active users of its agency whose role may take it, and the agency's supervisors",
    ok: EligibleAssigneesDto,
    errors: [403, 404],
  })
  @Get(':id/eligible-assignees')
  @Roles('SUPERVISOR')
  eligibleAssignees(@Param('id', TASK_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.tasks.eligibleAssignees(id, user, requestId);
  }

  /** A supervisor of the task's agency hands it to a named user of the agency, with a reason (docs/spec.md section 7). */
  @ApiOperationDoc({ summary: 'Reassign a task to a named user of its agency', ok: TaskDto, errors: [400, 403, 404, 409, 422] })
  @Post(':id/reassignment')
  @Roles('SUPERVISOR')
  @HttpCode(200)
  reassign(
    @Param('id', TASK_ID) id: string,
    @Body() body: ReassignTaskDto,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.tasks.reassign(id, body, user, requestId);
  }
}
