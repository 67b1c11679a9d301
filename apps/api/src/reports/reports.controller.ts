import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../../libs/auth';
import { FormatQuery } from '../common/format.query';
import { ReportsService } from './reports.service';
import { ApiOperationDoc } from '../common/openapi';
import { PipelineReportDto } from '../common/oversight-responses.dto';

@ApiTags('oversight')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Counts by status, open tasks and SLA breaches by agency, median days per stage, weekly throughput; `?format=csv`. */
  @ApiOperationDoc({
    summary: 'Pipeline report: counts, open tasks, SLA breaches, stage times',
    ok: PipelineReportDto,
    produces: ['text/csv'],
    errors: [400, 403],
  })
  @Get('pipeline')
  @Roles('PROGRAM_MANAGER', 'AUDITOR')
  async pipeline(@Query() query: FormatQuery, @Res({ passthrough: true }) res: Response) {
    if (query.format !== 'csv') return this.reports.pipeline();
    const csv = await this.reports.pipelineCsv();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="pipeline.csv"');
    return csv;
  }
}
