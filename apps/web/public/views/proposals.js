import { query } from '../api.js';
import { dataRow, field, h, select, table } from '../dom.js';
import { rules } from '../rules.js';
import { badge, emptyState, loadPage, humanize, loading, pageHeader, pagination, time } from '../ui.js';

/** GET /proposals with filters (status, target market, words) and pagination; filters live in the URL. */
export async function renderProposals(root, ctx) {
  ctx.setTitle('Proposals');
  // Whoever may file proposals sees their own organisation's (applicants); the rest see the pipeline.
  const isApplicant = ctx.mayCall('POST /proposals');
  const filters = {
    status: ctx.query.get('status') ?? '',
    targetMarket: ctx.query.get('targetMarket') ?? '',
    q: ctx.query.get('q') ?? '',
    page: Math.max(1, Number(ctx.query.get('page')) || 1),
  };
  const hrefWith = (changes) => `#/proposals${query({ ...filters, ...changes, page: changes.page > 1 ? changes.page : undefined })}`;

  const status = select(
    rules().proposalStatuses.map((s) => ({ value: s, label: humanize(s) })),
    { value: filters.status, name: 'status', placeholder: 'Any status' },
  );
  const market = h('input', {
    type: 'text',
    name: 'targetMarket',
    value: filters.targetMarket,
    maxlength: '2',
    autocomplete: 'off',
    class: 'input--short',
    pattern: '[A-Za-z]{2}',
  });
  const words = h('input', { type: 'search', name: 'q', value: filters.q, autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter proposals' },
    field({ label: 'Status', control: status, field: 'status' }),
    field({ label: 'Target market', control: market, field: 'targetMarket', hint: 'ISO code, e.g. KE' }),
    field({ label: 'Search', control: words, field: 'q', hint: 'Words in the title or consortium', className: 'field--grow' }),
    h(
      'div',
      { class: 'filters__actions' },
      h('button', { type: 'submit', class: 'usa-button' }, 'Apply filters'),
      filters.status || filters.targetMarket || filters.q
        ? h('a', { class: 'usa-button usa-button--outline', href: '#/proposals' }, 'Clear')
        : null,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(`#/proposals${query({ status: status.value, targetMarket: market.value.trim().toUpperCase(), q: words.value.trim() })}`);
  });

  const results = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading('Loading proposals…'));
  root.append(
    pageHeader(isApplicant ? 'Your proposals' : 'Proposals', {
      subtitle: isApplicant
        ? 'Full-stack AI export packages your consortium has filed.'
        : 'Full-stack AI export packages in the program pipeline.',
      actions: isApplicant ? h('a', { class: 'usa-button', href: '#/new' }, 'New proposal') : null,
    }),
    h('div', { class: 'card card--flush' }, form),
    results,
  );

  const page = await loadPage(results, `/proposals${query({ ...filters, pageSize: 20 })}`, 'The proposals could not be loaded');
  if (!page) return;
  if (!page.items.length) {
    results.replaceChildren(
      emptyState(
        filters.status || filters.targetMarket || filters.q ? 'No proposals match these filters' : 'No proposals yet',
        isApplicant && !(filters.status || filters.targetMarket || filters.q)
          ? 'File your consortium’s first full-stack AI export package with “New proposal”.'
          : null,
      ),
    );
    return;
  }
  results.replaceChildren(
    table({
      caption: 'Proposals',
      className: 'table--proposals',
      columns: ['Title', 'Organisation', 'Status', 'Target markets', 'Flags', 'Updated'],
      rows: page.items.map((p) =>
        dataRow(
          ['Title', 'Organisation', 'Status', 'Target markets', 'Flags', 'Updated'],
          [
            h('a', { href: `#/proposals/${p.id}`, class: 'strong-link' }, p.title),
            p.organisation || '—',
            badge(p.status),
            p.targetMarkets?.length ? p.targetMarkets.join(', ') : '—',
            p.flags?.length
              ? h(
                  'ul',
                  { class: 'tag-list' },
                  p.flags.map((f) => h('li', { class: 'tag tag--warn', title: f }, humanize(f))),
                )
              : '—',
            time(p.updatedAt),
          ],
          { dataset: { proposalId: p.id } },
        ),
      ),
    }),
    pagination(page, (n) => hrefWith({ page: n }), 'Proposal pages'),
  );
}
