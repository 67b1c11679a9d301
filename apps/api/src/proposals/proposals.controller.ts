import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ProposalsService } from './proposals.service';
import { SubmitProposalDto } from './submit-proposal.dto';

const PROPOSAL_ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('proposals')
@Controller('proposals')
export class ProposalsController {
  constructor(private readonly proposals: ProposalsService) {}

  @Post()
  @HttpCode(201)
  submit(@Body() body: SubmitProposalDto) {
    return this.proposals.submit(body);
  }

  @Get(':id')
  get(@Param('id', PROPOSAL_ID) id: string) {
    return this.proposals.get(id);
  }
}
