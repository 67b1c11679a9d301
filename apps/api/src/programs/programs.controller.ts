import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { PROPOSAL_READER_ROLES } from '../../../../libs/domain/identity/roles';
import { CompleteMilestoneDto, CreateCallDto, CreateProgramDto, RebaselineMilestoneDto } from './programs.dto';
import { ProgramsService } from './programs.service';
import { ApiOperationDoc } from '../common/openapi';
import { CallViewDto, ProgramDto } from './program-responses.dto';

const ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('programs')
@Controller('programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService) {}

  @ApiOperationDoc({ summary: 'List program plans', ok: [ProgramDto], errors: [403] })
  @Get()
  @Roles(...PROPOSAL_READER_ROLES)
  list() {
    return this.programs.list();
  }

  @ApiOperationDoc({ summary: 'Create a program plan', ok: ProgramDto, status: 201, errors: [400, 403, 409] })
  @Post()
  @Roles('PROGRAM_MANAGER')
  @HttpCode(201)
  create(@Body() body: CreateProgramDto, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.programs.create(body, user, requestId);
  }

  @ApiOperationDoc({ summary: 'Read a program plan and its milestones', ok: ProgramDto, errors: [403, 404] })
  @Get(':id')
  @Roles(...PROPOSAL_READER_ROLES)
  get(@Param('id', ID) id: string) {
    return this.programs.get(id);
  }

  @ApiOperationDoc({
    summary: "The plan's milestones as an iCalendar file",
    okSchema: { type: 'string' },
    produces: ['text/calendar'],
    errors: [403, 404],
  })
  @Get(':id/calendar.ics')
  @Roles(...PROPOSAL_READER_ROLES)
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  async calendar(@Param('id', ID) id: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Content-Disposition', 'attachment; filename="program-milestones.ics"');
    return this.programs.calendar(id);
  }

  @ApiOperationDoc({ summary: 'Mark a milestone done, with its evidence', ok: ProgramDto, errors: [400, 403, 404, 409, 422] })
  @Post(':id/milestones/:mid/completion')
  @Roles('PROGRAM_MANAGER')
  @HttpCode(200)
  complete(@Param('id', ID) id: string, @Param('mid', ID) mid: string, @Body() body: CompleteMilestoneDto, @CurrentUser() user: Principal) {
    return this.programs.complete(id, mid, body.evidence, user);
  }

  @ApiOperationDoc({ summary: 'Add a call for proposals to a plan', ok: CallViewDto, status: 201, errors: [400, 403, 404] })
  @Post(':id/calls')
  @Roles('PROGRAM_MANAGER')
  @HttpCode(201)
  addCall(@Param('id', ID) id: string, @Body() body: CreateCallDto, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.programs.addCall(id, body, user, requestId);
  }

  @ApiOperationDoc({ summary: "Move a milestone's due day, with a reason", ok: ProgramDto, errors: [400, 403, 404, 409] })
  @Post(':id/milestones/:mid/rebaseline')
  @Roles('PROGRAM_MANAGER')
  @HttpCode(200)
  rebaseline(
    @Param('id', ID) id: string,
    @Param('mid', ID) mid: string,
    @Body() body: RebaselineMilestoneDto,
    @CurrentUser() user: Principal,
  ) {
    return this.programs.rebaseline(id, mid, body.dueDay, body.reason, user);
  }
}
