import { api, download, query } from '../api.js';
import { barChart } from '../charts.js';
import { dataRow, field, h, table } from '../dom.js';
import { busy, errorBanner, humanize, loading, pageHeader } from '../ui.js';

/** GET /reports/pipeline: counts by status, median days per stage, weekly throughput, SLA breaches by agency. */
export async function renderPipeline(root, ctx) {
  ctx.setTitle('Pipeline');
  const filters = { from: ctx.query.get('from') ?? '', to: ctx.query.get('to') ?? '' };
  const from = h('input', { type: 'date', value: filters.from });
  const to = h('input', { type: 'date', value: filters.to });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter the pipeline' },
    field({ label: 'From', control: from, field: 'from' }),
    field({ label: 'To (inclusive)', control: to, field: 'to' }),
    h('div', { class: 'filters__actions' }, h('button', { type: 'submit', class: 'usa-button' }, 'Apply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(`#/pipeline${query({ from: from.value, to: to.value })}`);
  });
  const csv = h('button', { type: 'button', class: 'usa-button usa-button--outline' }, 'Download CSV');
  csv.addEventListener('click', () =>
    busy(csv, 'Preparing…', () => download(`/reports/pipeline${query({ ...filters, format: 'csv' })}`, 'pipeline.csv')),
  );
  const results = h('div', { 'aria-busy': 'true' }, loading('Loading the pipeline…'));
  root.append(
    pageHeader('Pipeline', { subtitle: 'Where proposals stand, how long stages take, and SLA breaches.', actions: csv }),
    h('div', { class: 'card card--flush' }, form),
    results,
  );
  let report;
  try {
    report = await api.get(`/reports/pipeline${query(filters)}`);
  } catch (error) {
    results.replaceChildren(errorBanner(error, { title: 'The pipeline could not be loaded' }));
    return;
  } finally {
    results.setAttribute('aria-busy', 'false');
  }
  const agencyColumns = ['Agency', 'Open tasks', 'Open overdue', 'Completed late', 'Lapsed', 'SLA breaches'];
  results.replaceChildren(
    h(
      'div',
      { class: 'chart-grid' },
      barChart({
        title: 'Proposals by status',
        unit: 'proposals',
        testId: 'chart-status',
        rows: report.countsByStatus.map((r) => ({ label: humanize(r.status), value: r.count })),
      }),
      barChart({
        title: 'Median days per stage',
        unit: 'days',
        rows: report.medianDaysPerStage.map((r) => ({ label: humanize(r.stage), value: Math.round(r.medianDays * 10) / 10 })),
      }),
      barChart({
        title: 'Closed per week',
        unit: 'proposals closed',
        rows: report.throughputPerWeek.map((r) => ({ label: `Week of ${r.week}`, value: r.closed })),
      }),
      barChart({
        title: 'SLA breaches by agency',
        unit: 'breaches',
        rows: report.tasksByAgency.map((r) => ({ label: r.agency, value: r.slaBreaches })),
      }),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'agency-table' },
      h('h2', { id: 'agency-table' }, 'Tasks by agency'),
      table({
        caption: 'Tasks by agency',
        columns: agencyColumns,
        rows: report.tasksByAgency.map((r) =>
          dataRow(agencyColumns, [
            r.agency,
            String(r.open),
            String(r.openOverdue),
            String(r.completedLate),
            String(r.lapsed),
            String(r.slaBreaches),
          ]),
        ),
      }),
    ),
  );
}
