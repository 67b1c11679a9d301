import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../../libs/auth';
import { FormatQuery } from '../common/format.query';
import { ReportsService } from './reports.service';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Counts by status, open tasks and SLA breaches by agency, median days per stage, weekly throughput; `?format=csv`. */
  @Get('pipeline')
  @Roles('PROGRAM_MANAGER', 'AUDITOR')
  @ApiQuery({ name: 'format', enum: ['json', 'csv'], required: false })
  async pipeline(@Query() query: FormatQuery, @Res({ passthrough: true }) res: Response) {
    if (query.format !== 'csv') return this.reports.pipeline();
    const csv = await this.reports.pipelineCsv();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="pipeline.csv"');
    return csv;
  }
}
