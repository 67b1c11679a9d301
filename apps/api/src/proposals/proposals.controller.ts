import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { PROPOSAL_READER_ROLES } from '../../../../libs/domain/identity/roles';
import { ProposalListQuery } from './proposal-list.query';
import { ProposalsService } from './proposals.service';
import { SubmitProposalDto } from './submit-proposal.dto';

const PROPOSAL_ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class ProposalsController {
  constructor(private readonly proposals: ProposalsService) {}

  @Post()
  @Roles('APPLICANT')
  @HttpCode(201)
  submit(@Body() body: SubmitProposalDto, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.proposals.submit(body, user, requestId);
  }

  @Get()
  @Roles('APPLICANT', ...PROPOSAL_READER_ROLES)
  list(@Query() query: ProposalListQuery, @CurrentUser() user: Principal) {
    return this.proposals.list(query, user);
  }

  @Get(':id')
  @Roles('APPLICANT', ...PROPOSAL_READER_ROLES)
  get(@Param('id', PROPOSAL_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.proposals.get(id, user, requestId);
  }
}
