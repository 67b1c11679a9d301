import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../../libs/auth';
import { FormatQuery } from '../common/format.query';
import { FinancingService } from './financing.service';
import { ApiOperationDoc } from '../common/openapi';
import { FinancingQueueDto, FinancingSummaryDto } from '../common/oversight-responses.dto';

/** EDAG views (EO 14320 sec. 4(a)): the coordinator's queue and the financing package across proposals. */
@ApiTags('financing')
@Controller('financing')
export class FinancingController {
  constructor(private readonly financing: FinancingService) {}

  /** Assignments awaiting the coordinator, oldest first. */
  @ApiOperationDoc({ summary: 'Financing assignments awaiting the EDAG coordinator', ok: FinancingQueueDto, errors: [403] })
  @Get('queue')
  @Roles('EDAG_COORDINATOR', 'AUDITOR', 'PROGRAM_MANAGER')
  queue() {
    return this.financing.queue();
  }

  /** Committed and pending amounts by agency, instrument and target country; `?format=csv` for a spreadsheet. */
  @ApiOperationDoc({
    summary: 'Committed and pending financing by agency, instrument and country',
    ok: FinancingSummaryDto,
    produces: ['text/csv'],
    errors: [400, 403],
  })
  @Get('summary')
  @Roles('EDAG_COORDINATOR', 'AUDITOR', 'PROGRAM_MANAGER')
  @Header('Cache-Control', 'no-store')
  async summary(@Query() query: FormatQuery, @Res({ passthrough: true }) res: Response) {
    if (query.format !== 'csv') return this.financing.summary();
    const csv = await this.financing.summaryCsv();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="financing-summary.csv"');
    return csv;
  }
}
