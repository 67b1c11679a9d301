import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { Roles } from '../../../../libs/auth';
import { FinancingRepository, ProposalRepository, TaskRepository } from '../../../../libs/db';
import { FormatQuery } from '../common/format.query';
import { taskView } from '../tasks/tasks.service';

const SUMMARY_COLUMNS = ['agency', 'instrumentId', 'targetMarket', 'referrals', 'committedUsd', 'pendingUsd'];

/** EDAG views (EO 14320 sec. 4(a)): the coordinator's queue and the financing package across proposals. */
@ApiTags('financing')
@ApiBearerAuth()
@Controller('financing')
export class FinancingController {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly proposals: ProposalRepository,
    private readonly financing: FinancingRepository,
  ) {}

  /** Assignments awaiting the coordinator, oldest first. */
  @Get('queue')
  @Roles('EDAG_COORDINATOR', 'AUDITOR', 'PROGRAM_MANAGER')
  async queue() {
    const open = await this.tasks.openOfType('FINANCING_ASSIGNMENT');
    const titles = await this.proposals.titles([...new Set(open.map((t) => t.proposalId))]);
    return { items: open.map((t) => ({ ...taskView(t), proposalTitle: titles.get(t.proposalId) })), total: open.length };
  }

  /** Committed and pending amounts by agency, instrument and target country; `?format=csv` for a spreadsheet. */
  @Get('summary')
  @Roles('EDAG_COORDINATOR', 'AUDITOR', 'PROGRAM_MANAGER')
  @ApiQuery({ name: 'format', enum: ['json', 'csv'], required: false })
  @Header('Cache-Control', 'no-store')
  async summary(@Query() query: FormatQuery, @Res({ passthrough: true }) res: Response) {
    const rows = await this.financing.summary();
    if (query.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="financing-summary.csv"');
      return stringify(rows, { header: true, columns: SUMMARY_COLUMNS });
    }
    const byAgency = await this.financing.totalsByAgency();
    const total = (key: 'committedUsd' | 'pendingUsd') => byAgency.reduce((sum, r) => sum + r[key], 0);
    return { rows, byAgency, totals: { committedUsd: total('committedUsd'), pendingUsd: total('pendingUsd') } };
  }
}
