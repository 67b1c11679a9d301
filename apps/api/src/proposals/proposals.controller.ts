import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { asCsvDownload, rowsToCsv } from '../common/format.query';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { PROPOSAL_READER_ROLES } from '../../../../libs/domain/identity/roles';
import { applicantInformationRequest } from './applicant-view';
import { ProposalListQuery } from './proposal-list.query';
import { ProposalsService } from './proposals.service';
import { ApiOperationDoc } from '../common/openapi';
import {
  AnsweredInformationRequestDto,
  ProposalDto,
  ProposalPageDto,
  ProposalPrecheckDto,
  ProposalStatusDto,
  ProposalVersionListDto,
} from './proposal-responses.dto';
import { InformationRequestCreatedDto } from '../tasks/tasks-responses.dto';
import { TasksService } from '../tasks/tasks.service';
import {
  AmendProposalDto,
  InformationAnswerDto,
  InformationRequestDto,
  SubmitProposalDto,
  WithdrawProposalDto,
} from './submit-proposal.dto';

const PROPOSAL_ID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** An agency's question is answered in words (`data` answers SBA's request for size information only). */
function textAnswer(body: InformationAnswerDto): string {
  if (body.answer !== undefined) return body.answer;
  throw new BadRequestException({
    message: 'Request validation failed',
    details: [{ field: 'answer', message: 'answer is required: this request is answered in words' }],
  });
}
const IDEMPOTENCY_KEY = /^[\w.:-]{1,200}$/;

@ApiTags('proposals')
@Controller('proposals')
export class ProposalsController {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly tasks: TasksService,
  ) {}

  @ApiOperationDoc({
    summary: 'Submit a proposal (an AI export package)',
    ok: ProposalStatusDto,
    status: 201,
    errors: [400, 403, 413, 422],
  })
  @Post()
  @Roles('APPLICANT')
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key and body returns the same proposal' })
  submit(
    @Body() body: SubmitProposalDto,
    @CurrentUser() user: Principal,
    @Headers('idempotency-key') key?: string,
    @RequestId() requestId?: string,
  ) {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new BadRequestException({
        message: 'Invalid Idempotency-Key',
        details: [
          { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 200 letters, digits, dots, colons, dashes or underscores' },
        ],
      });
    }
    return this.proposals.submit(body, user, key, requestId);
  }

  @ApiOperationDoc({
    summary: 'Check a draft as intake would (completeness and eligibility), without filing it',
    ok: ProposalPrecheckDto,
    errors: [400, 403, 413],
  })
  @Post('checks')
  @Roles('APPLICANT')
  @HttpCode(200)
  precheck(@Body() body: SubmitProposalDto) {
    return this.proposals.precheck(body);
  }

  @ApiOperationDoc({
    summary: 'List proposals (an applicant sees its own; format=csv for CSV)',
    ok: ProposalPageDto,
    produces: ['text/csv'],
    errors: [400, 403],
  })
  @Get()
  @Roles('APPLICANT', ...PROPOSAL_READER_ROLES)
  async list(@Query() query: ProposalListQuery, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    const page = await this.proposals.list(query, user);
    // The same rows as the JSON page (for an applicant, its applicant view), one per line.
    return query.format === 'csv' ? asCsvDownload(res, 'proposals.csv', rowsToCsv(page.items)) : page;
  }

  @ApiOperationDoc({ summary: 'Read a proposal (an applicant sees the allow-listed view)', ok: ProposalDto, errors: [403, 404] })
  @Get(':id')
  @Roles('APPLICANT', ...PROPOSAL_READER_ROLES)
  get(@Param('id', PROPOSAL_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.proposals.get(id, user, requestId);
  }

  @ApiOperationDoc({
    summary: 'Amend a proposal returned for information',
    ok: ProposalStatusDto,
    status: 202,
    errors: [400, 403, 404, 409, 413, 422],
  })
  @Post(':id/amendments')
  @Roles('APPLICANT')
  @HttpCode(202)
  amend(
    @Param('id', PROPOSAL_ID) id: string,
    @Body() body: AmendProposalDto,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.proposals.amend(id, body, user, requestId);
  }

  @ApiOperationDoc({
    summary: 'Ask the applicant for information (pauses the review SLA)',
    ok: InformationRequestCreatedDto,
    status: 201,
    errors: [400, 403, 404, 409],
  })
  @Post(':id/information-requests')
  @Roles('REVIEWER', 'ADVOCACY_OFFICER', 'SUPERVISOR')
  @HttpCode(201)
  async requestInformation(
    @Param('id', PROPOSAL_ID) id: string,
    @Body() body: InformationRequestDto,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
  ) {
    await this.proposals.get(id, user, requestId);
    return this.tasks.requestInformation(id, body.question, user, requestId);
  }

  @ApiOperationDoc({
    summary: 'Answer an information request (in words, or with size figures for SBA)',
    ok: AnsweredInformationRequestDto,
    errors: [400, 403, 404, 409, 422],
  })
  @Post(':id/information-requests/:requestId/answer')
  @Roles('APPLICANT')
  @HttpCode(200)
  async answerInformation(
    @Param('id', PROPOSAL_ID) id: string,
    @Param('requestId', PROPOSAL_ID) informationRequestId: string,
    @Body() body: InformationAnswerDto,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
  ) {
    const proposal = await this.proposals.readable(id, user, requestId);
    if (body.documentIds) await this.proposals.checkCitedDocuments(proposal, body.documentIds, user);
    // SBA's request for size information goes to the proposal's workflow; any other to the task that asked.
    const sizeRequest = await this.proposals.sizeInformationRequest(id, informationRequestId);
    const answered = sizeRequest
      ? await this.proposals.answerSizeInformation(id, sizeRequest.id, body, user)
      : await this.tasks.answerInformation(id, informationRequestId, textAnswer(body), user, body.documentIds);
    // The applicant's copy of the request: the question and its answer, never the asking staff member (docs/spec.md section 1).
    return answered && { ...applicantInformationRequest(answered), pausedMs: answered.pausedMs };
  }

  @ApiOperationDoc({ summary: 'Withdraw a proposal', ok: ProposalStatusDto, status: 202, errors: [400, 403, 404, 409] })
  @Post(':id/withdrawal')
  @Roles('APPLICANT')
  @HttpCode(202)
  withdraw(
    @Param('id', PROPOSAL_ID) id: string,
    @Body() body: WithdrawProposalDto,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.proposals.withdraw(id, body.reason, user, requestId);
  }

  @Get(':id/versions')
  @Roles('APPLICANT', ...PROPOSAL_READER_ROLES)
  @ApiOperationDoc({
    summary: 'Every submitted and amended version of the proposal, oldest first, each body as sent',
    ok: ProposalVersionListDto,
    errors: [403, 404],
  })
  versions(@Param('id', PROPOSAL_ID) id: string, @CurrentUser() user: Principal, @RequestId() requestId?: string) {
    return this.proposals.versions(id, user, requestId);
  }
}
