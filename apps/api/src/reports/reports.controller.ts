import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../../libs/auth';
import { asCsvDownload } from '../common/format.query';
import { PipelineQuery } from './pipeline.query';
import { ReportsService } from './reports.service';
import { ApiOperationDoc } from '../common/openapi';
import { PipelineReportDto } from '../common/oversight-responses.dto';

@ApiTags('oversight')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /**
   * Counts by status, open tasks and SLA breaches (open overdue and completed late) by agency, median
   * days per stage, weekly throughput; within `from`..`to` and for one `agency` when given; `?format=csv`.
   */
  @ApiOperationDoc({
    summary: 'Pipeline report: counts, open tasks, SLA breaches, stage times',
    ok: PipelineReportDto,
    produces: ['text/csv'],
    errors: [400, 403],
  })
  @Get('pipeline')
  @Roles('PROGRAM_MANAGER', 'AUDITOR')
  async pipeline(@Query() query: PipelineQuery, @Res({ passthrough: true }) res: Response) {
    const filter = { from: query.from, to: query.to, agency: query.agency };
    if (query.format !== 'csv') return this.reports.pipeline(filter);
    return asCsvDownload(res, 'pipeline.csv', await this.reports.pipelineCsv(filter));
  }
}
