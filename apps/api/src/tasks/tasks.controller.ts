import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { AGENCY_STAFF_ROLES } from '../../../../libs/domain/identity/roles';
import { CompleteTaskDto, TaskListQuery } from './tasks.dto';
import { TasksService } from './tasks.service';

const TASK_ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  // Oversight reads every inbox; its writes are refused by the agency and role checks.
  @Roles(...AGENCY_STAFF_ROLES, 'AUDITOR', 'PROGRAM_MANAGER')
  list(@Query() query: TaskListQuery, @CurrentUser() user: Principal) {
    return this.tasks.list(query, user);
  }

  @Post(':id/claim')
  @Roles(...AGENCY_STAFF_ROLES)
  @HttpCode(200)
  claim(@Param('id', TASK_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.tasks.claim(id, user, requestId);
  }

  @Post(':id/release')
  @Roles(...AGENCY_STAFF_ROLES)
  @HttpCode(200)
  release(@Param('id', TASK_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.tasks.release(id, user, requestId);
  }

  @Post(':id/complete')
  @Roles(...AGENCY_STAFF_ROLES)
  @HttpCode(200)
  complete(
    @Param('id', TASK_ID) id: string,
    @Body() body: CompleteTaskDto,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.tasks.complete(id, body, user, requestId);
  }
}
