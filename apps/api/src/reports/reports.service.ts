import { BadRequestException, Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { PipelineFilter, PipelineReport, ReportRepository } from '../../../../libs/db';

/** Oversight reports for program managers and auditors (docs/spec.md section 7). */
@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportRepository) {}

  /** Counts by status, open tasks and SLA breaches by agency, median days per stage, weekly throughput. */
  pipeline(filter: PipelineFilter): Promise<PipelineReport> {
    if (filter.from && filter.to && filter.from > filter.to) {
      throw new BadRequestException({
        message: 'Request validation failed',
        details: [{ field: 'from', message: 'from must not be after to' }],
      });
    }
    return this.reports.pipeline(filter);
  }

  /** The pipeline report as one sheet: section, key, measure, value. */
  async pipelineCsv(filter: PipelineFilter): Promise<string> {
    const report = await this.pipeline(filter);
    const rows = [
      ...report.countsByStatus.map((r) => ['status', r.status, 'proposals', r.count]),
      ...report.tasksByAgency.flatMap((r) => [
        ['agency', r.agency, 'open tasks', r.open],
        ['agency', r.agency, 'SLA breaches', r.slaBreaches],
        ['agency', r.agency, 'open overdue', r.openOverdue],
        ['agency', r.agency, 'completed late', r.completedLate],
        ['agency', r.agency, 'lapsed', r.lapsed],
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
