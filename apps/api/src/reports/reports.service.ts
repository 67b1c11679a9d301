import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { PipelineReport, ReportRepository } from '../../../../libs/db';

/** Oversight reports for program managers and auditors (docs/spec.md section 7). */
@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportRepository) {}

  /** Counts by status, open tasks and SLA breaches by agency, median days per stage, weekly throughput. */
  pipeline(): Promise<PipelineReport> {
    return this.reports.pipeline();
  }

  /** The pipeline report as one sheet: section, key, measure, value. */
  async pipelineCsv(): Promise<string> {
    const report = await this.reports.pipeline();
    const rows = [
      ...report.countsByStatus.map((r) => ['status', r.status, 'proposals', r.count]),
      ...report.tasksByAgency.flatMap((r) => [
        ['agency', r.agency, 'open tasks', r.open],
        ['agency', r.agency, 'SLA breaches', r.slaBreaches],
      ]),
      ...report.medianDaysPerStage.map((r) => ['stage', r.stage, 'median days', r.medianDays]),
      ...report.throughputPerWeek.flatMap((r) => [
        ['week', r.week, 'submitted', r.submitted],
        ['week', r.week, 'closed', r.closed],
      ]),
    ];
    return stringify(rows, { header: true, columns: ['section', 'key', 'measure', 'value'] });
  }
}
