import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { Roles } from '../../../../libs/auth';
import { ReportRepository } from '../../../../libs/db';
import { FormatQuery } from '../common/format.query';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportRepository) {}

  /** Counts by status, open tasks and SLA breaches by agency, median days per stage, weekly throughput; `?format=csv`. */
  @Get('pipeline')
  @Roles('PROGRAM_MANAGER', 'AUDITOR')
  @ApiQuery({ name: 'format', enum: ['json', 'csv'], required: false })
  async pipeline(@Query() query: FormatQuery, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.pipeline();
    if (query.format !== 'csv') return report;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="pipeline.csv"');
    // One sheet: section, key, measure, value.
    const rows = [
      ...report.countsByStatus.map((r) => ['status', r.status, 'proposals', r.count]),
      ...report.tasksByAgency.flatMap((r) => [['agency', r.agency, 'open tasks', r.open], ['agency', r.agency, 'SLA breaches', r.slaBreaches]]),
      ...report.medianDaysPerStage.map((r) => ['stage', r.stage, 'median days', r.medianDays]),
      ...report.throughputPerWeek.flatMap((r) => [['week', r.week, 'submitted', r.submitted], ['week', r.week, 'closed', r.closed]]),
    ];
    return stringify(rows, { header: true, columns: ['section', 'key', 'measure', 'value'] });
  }
}
