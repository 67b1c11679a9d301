import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { PROPOSAL_READER_ROLES } from '../../../../libs/domain/identity/roles';
import { CompleteMilestoneDto, CreateCallDto, CreateProgramDto, RebaselineMilestoneDto } from './programs.dto';
import { ProgramsService } from './programs.service';

const ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('programs')
@ApiBearerAuth()
@Controller('programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService) {}

  @Get()
  @Roles(...PROPOSAL_READER_ROLES)
  list() {
    return this.programs.list();
  }

  @Post()
  @Roles('PROGRAM_MANAGER')
  @HttpCode(201)
  create(@Body() body: CreateProgramDto, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.programs.create(body, user, requestId);
  }

  @Get(':id')
  @Roles(...PROPOSAL_READER_ROLES)
  get(@Param('id', ID) id: string) {
    return this.programs.get(id);
  }

  @Get(':id/calendar.ics')
  @Roles(...PROPOSAL_READER_ROLES)
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  async calendar(@Param('id', ID) id: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Content-Disposition', 'attachment; filename="program-milestones.ics"');
    return this.programs.calendar(id);
  }

  @Post(':id/milestones/:mid/completion')
  @Roles('PROGRAM_MANAGER')
  @HttpCode(200)
  complete(@Param('id', ID) id: string, @Param('mid', ID) mid: string, @Body() body: CompleteMilestoneDto, @CurrentUser() user: Principal) {
    return this.programs.complete(id, mid, body.evidence, user);
  }

  @Post(':id/calls')
  @Roles('PROGRAM_MANAGER')
  @HttpCode(201)
  addCall(@Param('id', ID) id: string, @Body() body: CreateCallDto, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.programs.addCall(id, body, user, requestId);
  }

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
