import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AuditService } from '../../../../libs/audit';
import { Roles } from '../../../../libs/auth';
import { PageParam, PageSizeParam } from '../common/dto-decorators';
import { ApiOperationDoc } from '../common/openapi';
import { AuditPageDto, ChainVerdictDto } from '../common/oversight-responses.dto';

export class AuditQueryDto {
  /** The subject's id (a proposal, task, user…). */
  @IsOptional() @IsString() @MaxLength(200) subject?: string;
  @IsOptional() @IsString() @MaxLength(100) subjectType?: string;
  @IsOptional() @IsString() @MaxLength(200) actor?: string;
  @IsOptional() @IsString() @MaxLength(100) action?: string;
  @PageParam() page: number = 1;
  @PageSizeParam(500) pageSize: number = 50;
}

@ApiTags('oversight')
@Controller('audit')
@Roles('AUDITOR', 'PROGRAM_MANAGER')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiOperationDoc({ summary: 'Search the audit trail', ok: AuditPageDto, errors: [400, 403] })
  @Get()
  list(@Query() query: AuditQueryDto) {
    return this.audit.list({
      subjectId: query.subject,
      subjectType: query.subjectType,
      actor: query.actor,
      action: query.action,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @ApiOperationDoc({ summary: 'Verify the sealed audit chain', ok: ChainVerdictDto, errors: [403] })
  @Get('verify')
  verify() {
    return this.audit.verify();
  }
}
