import { api, download } from '../api.js';
import { dataRow, h, table } from '../dom.js';
import { badge, emptyState, errorBanner, formatUsd, instrumentLabel, loading, pageHeader, time } from '../ui.js';

/** The EDAG coordinator's queue (GET /financing/queue) and the financing summary (GET /financing/summary). */
export async function renderFinancing(root, ctx) {
  ctx.setTitle('Financing');
  const queue = h('div', { 'aria-busy': 'true' }, loading('Loading the assignment queue…'));
  const summary = h('div', { 'aria-busy': 'true' }, loading('Loading the financing summary…'));
  const csvError = h('div', { 'aria-live': 'polite' });
  const csv = h('button', { type: 'button', class: 'usa-button usa-button--outline' }, 'Download CSV');
  csv.addEventListener('click', async () => {
    csvError.replaceChildren();
    try {
      await download('/financing/summary?format=csv', 'financing-summary.csv');
    } catch (error) {
      csvError.replaceChildren(errorBanner(error, { title: 'The CSV could not be downloaded' }));
    }
  });
  root.append(
    pageHeader('Financing', { subtitle: 'Assignments awaiting the EDAG coordinator, and what the agencies committed.' }),
    h('section', { class: 'card', 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title' }, 'Assignment queue'), queue),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'summary-title' },
      h('div', { class: 'page-header' }, h('h2', { id: 'summary-title' }, 'Financing summary'), csv),
      csvError,
      summary,
    ),
  );
  const [q, s] = await Promise.allSettled([api.get('/financing/queue'), api.get('/financing/summary')]);
  if (!ctx.isCurrent()) return;
  queue.setAttribute('aria-busy', 'false');
  summary.setAttribute('aria-busy', 'false');
  if (q.status === 'rejected') queue.replaceChildren(errorBanner(q.reason, { title: 'The queue could not be loaded' }));
  else queue.replaceChildren(queueTable(q.value, ctx));
  if (s.status === 'rejected') summary.replaceChildren(errorBanner(s.reason, { title: 'The summary could not be loaded' }));
  else summary.replaceChildren(...summaryView(s.value));
}

function queueTable(page, ctx) {
  const items = [...(page.items ?? [])].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  if (!items.length) return emptyState('No financing assignment waits', 'Designated proposals appear here until the EDAG routes them.');
  const columns = ['Proposal', 'Waiting since', 'Due', 'Status', 'Action'];
  const assign = ctx.mayCall('POST /tasks/:id/complete');
  return h(
    'div',
    { 'data-testid': 'financing-queue' },
    h('p', { class: 'muted small' }, `${page.total ?? items.length} waiting, oldest first.`),
    table({
      caption: 'Financing assignments awaiting the EDAG coordinator',
      columns,
      rows: items.map((task) =>
        dataRow(columns, [
          h('a', { href: `#/proposals/${task.proposalId}` }, task.proposalTitle ?? task.proposalId),
          time(task.createdAt),
          task.dueAt ? time(task.dueAt) : '—',
          task.status ? badge(task.status) : '—',
          assign ? h('a', { href: '#/tasks?type=FINANCING_ASSIGNMENT', class: 'usa-link' }, 'Assign in the inbox') : '—',
        ]),
      ),
    }),
  );
}

function summaryView(data) {
  const totals = data.totals ?? { committedUsd: 0, pendingUsd: 0 };
  const boxes = h(
    'div',
    { class: 'financing-totals' },
    totalBox('Committed', totals.committedUsd, 'Amounts the agencies committed.'),
    totalBox('Pending', totals.pendingUsd, 'Assigned amounts not yet committed or declined.'),
  );
  const agencyColumns = ['Agency', 'Committed', 'Pending'];
  const rowColumns = ['Agency', 'Instrument', 'Target country', 'Referrals', 'Committed', 'Pending'];
  if (!(data.rows ?? []).length) return [boxes, emptyState('Nothing routed yet')];
  return [
    boxes,
    h('h3', {}, 'By agency'),
    table({
      caption: 'Committed and pending financing by agency',
      columns: agencyColumns,
      rows: (data.byAgency ?? []).map((r) => dataRow(agencyColumns, [r.agency, formatUsd(r.committedUsd), formatUsd(r.pendingUsd)])),
    }),
    h('h3', {}, 'By agency, instrument and target country'),
    table({
      caption: 'Financing by agency, instrument and target country',
      columns: rowColumns,
      rows: data.rows.map((r) =>
        dataRow(rowColumns, [
          r.agency,
          instrumentLabel(r.instrumentId),
          r.targetMarket,
          String(r.referrals),
          formatUsd(r.committedUsd),
          formatUsd(r.pendingUsd),
        ]),
      ),
    }),
  ];
}

function totalBox(title, value, text) {
  return h(
    'div',
    { class: 'usa-summary-box', role: 'region', 'aria-label': `${title} total` },
    h(
      'div',
      { class: 'usa-summary-box__body' },
      h('h3', { class: 'usa-summary-box__heading' }, title),
      h(
        'div',
        { class: 'usa-summary-box__text' },
        h('p', { class: 'financing-total', 'data-testid': `total-${title.toLowerCase()}` }, formatUsd(value)),
        h('p', { class: 'muted small' }, text),
      ),
    ),
  );
}
