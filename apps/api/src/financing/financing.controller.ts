import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../../libs/auth';
import { FormatQuery } from '../common/format.query';
import { FinancingService } from './financing.service';

/** EDAG views (EO 14320 sec. 4(a)): the coordinator's queue and the financing package across proposals. */
@ApiTags('financing')
@ApiBearerAuth()
@Controller('financing')
export class FinancingController {
  constructor(private readonly financing: FinancingService) {}

  /** Assignments awaiting the coordinator, oldest first. */
  @Get('queue')
  @Roles('EDAG_COORDINATOR', 'AUDITOR', 'PROGRAM_MANAGER')
  queue() {
    return this.financing.queue();
  }

  /** Committed and pending amounts by agency, instrument and target country; `?format=csv` for a spreadsheet. */
  @Get('summary')
  @Roles('EDAG_COORDINATOR', 'AUDITOR', 'PROGRAM_MANAGER')
  @ApiQuery({ name: 'format', enum: ['json', 'csv'], required: false })
  @Header('Cache-Control', 'no-store')
  async summary(@Query() query: FormatQuery, @Res({ passthrough: true }) res: Response) {
    if (query.format !== 'csv') return this.financing.summary();
    const csv = await this.financing.summaryCsv();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="financing-summary.csv"');
    return csv;
  }
}
