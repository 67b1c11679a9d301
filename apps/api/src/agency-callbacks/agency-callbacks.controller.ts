import { Body, Controller, HttpCode, Param, ParseEnumPipe, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { IsArray, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Public, RequestId } from '../../../../libs/auth';
import { AGENCIES, Agency } from '../../../../libs/domain/identity/roles';
import { IsNotBlank } from '../common/dto-decorators';
import { AgencyCallbacksService } from './agency-callbacks.service';
import { ApiOperationDoc } from '../common/openapi';
import { TaskDto } from '../tasks/tasks-responses.dto';

export class AgencyDecisionDto {
  @IsUUID() taskId: string;
  @IsString() @IsNotBlank() @MaxLength(50) decision: string;
  @IsOptional() @IsString() @MaxLength(10_000) comment?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(2_000, { each: true }) conditions?: string[];
  @IsOptional() @IsObject() data?: Record<string, unknown>;
  /** The official in the agency's own system who decided. */
  @IsString() @IsNotBlank() @MaxLength(200) decidedBy: string;
}

const AGENCY = new ParseEnumPipe(Object.fromEntries(AGENCIES.map((a) => [a, a])), { errorHttpStatusCode: 404 });

/** Decisions coming back from agencies' own systems, authenticated by HMAC signature instead of a user token. */
@ApiTags('agency-callbacks')
@Controller('agency-callbacks')
export class AgencyCallbacksController {
  constructor(private readonly callbacks: AgencyCallbacksService) {}

  @ApiOperationDoc({
    summary: "Record a decision from an agency's own system (HMAC-signed, no bearer token)",
    ok: TaskDto,
    public: true,
    errors: [400, 401, 404, 409, 422],
  })
  @Post(':agency')
  @Public()
  @HttpCode(200)
  receive(
    @Param('agency', AGENCY) agency: Agency,
    @Body() body: AgencyDecisionDto,
    @Req() request: RawBodyRequest<Request>,
    @RequestId() requestId?: string,
  ) {
    return this.callbacks.receive(
      agency,
      body,
      {
        rawBody: request.rawBody?.toString('utf8') ?? '',
        signature: request.header('x-exports-desk-signature'),
        timestamp: request.header('x-exports-desk-timestamp'),
      },
      requestId,
    );
  }
}
