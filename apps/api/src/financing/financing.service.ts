import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { FinancingRepository, FinancingSummaryRow, FinancingTotalsRow, ProposalRepository, TaskRepository } from '../../../../libs/db';
import { taskView } from '../tasks/tasks.service';

const SUMMARY_COLUMNS = ['agency', 'instrumentId', 'targetMarket', 'referrals', 'committedUsd', 'pendingUsd'];

export interface FinancingSummary {
  rows: FinancingSummaryRow[];
  byAgency: FinancingTotalsRow[];
  totals: { committedUsd: number; pendingUsd: number };
}

/** EDAG views (EO 14320 sec. 4(a)): the coordinator's queue and the financing package across proposals. */
@Injectable()
export class FinancingService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly proposals: ProposalRepository,
    private readonly financing: FinancingRepository,
  ) {}

  /** Assignments awaiting the coordinator, oldest first. */
  async queue() {
    const open = await this.tasks.openOfType('FINANCING_ASSIGNMENT');
    const titles = await this.proposals.titles([...new Set(open.map((t) => t.proposalId))]);
    return { items: open.map((t) => ({ ...taskView(t), proposalTitle: titles.get(t.proposalId) })), total: open.length };
  }

  /** Committed and pending amounts by agency, instrument and target country, with totals by agency and overall. */
  async summary(): Promise<FinancingSummary> {
    const rows = await this.financing.summary();
    const byAgency = await this.financing.totalsByAgency();
    const total = (key: 'committedUsd' | 'pendingUsd') => byAgency.reduce((sum, r) => sum + r[key], 0);
    return { rows, byAgency, totals: { committedUsd: total('committedUsd'), pendingUsd: total('pendingUsd') } };
  }

  /** The summary rows as CSV, one line per agency, instrument and target country. */
  async summaryCsv(): Promise<string> {
    return stringify(await this.financing.summary(), { header: true, columns: SUMMARY_COLUMNS });
  }
}
