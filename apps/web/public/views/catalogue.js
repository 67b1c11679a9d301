import { query } from '../api.js';
import { field, h, select } from '../dom.js';
import { emptyState, layerLabel, loadPage, loading, pageHeader, pagination, sectorLabel, time } from '../ui.js';
import { rules } from '../rules.js';

/** GET /catalogue: the designated priority AI export packages, with its filters, as USWDS cards. */
export async function renderCatalogue(root, ctx) {
  ctx.setTitle('Catalogue');
  const filters = {
    targetMarket: ctx.query.get('targetMarket') ?? '',
    sector: ctx.query.get('sector') ?? '',
    layer: ctx.query.get('layer') ?? '',
    page: Math.max(1, Number(ctx.query.get('page')) || 1),
  };
  const market = h('input', { type: 'text', autocomplete: 'off', value: filters.targetMarket, maxlength: '2', size: '4' });
  const sector = select(
    (rules().applicationSectors ?? []).map((code) => ({ value: code, label: sectorLabel(code) })),
    { value: filters.sector, placeholder: 'Any sector' },
  );
  const layer = select(
    (rules().stackLayers ?? []).map((code) => ({ value: code, label: layerLabel(code) })),
    { value: filters.layer, placeholder: 'Any layer' },
  );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter the catalogue' },
    field({ label: 'Target market', control: market, field: 'targetMarket', hint: 'Two-letter country code, e.g. KE' }),
    field({ label: 'Sector', control: sector, field: 'sector' }),
    field({ label: 'Stack layer', control: layer, field: 'layer' }),
    h('div', { class: 'filters__actions' }, h('button', { type: 'submit', class: 'usa-button' }, 'Apply filters')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(`#/catalogue${query({ targetMarket: market.value.trim().toUpperCase(), sector: sector.value, layer: layer.value })}`);
  });
  const results = h('div', { 'aria-busy': 'true' }, loading('Loading the catalogue…'));
  root.append(
    pageHeader('Catalogue of priority AI export packages', { subtitle: 'Designated full-stack packages, most recently designated first.' }),
    h('div', { class: 'card card--flush' }, form),
    results,
  );
  const page = await loadPage(results, `/catalogue${query({ ...filters, pageSize: 20 })}`, 'The catalogue could not be loaded');
  if (!page) return;
  if (!page.items.length) {
    results.replaceChildren(emptyState('No designated packages match'));
    return;
  }
  results.replaceChildren(
    h(
      'ul',
      { class: 'usa-card-group catalogue-cards', 'aria-label': 'Designated packages' },
      page.items.map((item) =>
        h(
          'li',
          { class: 'usa-card tablet:grid-col-6 catalogue-card', dataset: { proposalId: item.proposalId } },
          h(
            'div',
            { class: 'usa-card__container' },
            h('div', { class: 'usa-card__header' }, h('h2', { class: 'usa-card__heading' }, item.title)),
            h(
              'div',
              { class: 'usa-card__body' },
              item.summary ? h('p', {}, item.summary) : null,
              h(
                'dl',
                { class: 'facts' },
                h('div', { class: 'facts__row' }, h('dt', {}, 'Designated'), h('dd', {}, time(item.designatedAt, false))),
                h('div', { class: 'facts__row' }, h('dt', {}, 'Target markets'), h('dd', {}, (item.targetMarkets ?? []).join(', ') || '—')),
                h(
                  'div',
                  { class: 'facts__row' },
                  h('dt', {}, 'Stack layers'),
                  h('dd', {}, (item.layers ?? []).map(layerLabel).join(', ') || '—'),
                ),
                h(
                  'div',
                  { class: 'facts__row' },
                  h('dt', {}, 'Sectors'),
                  h('dd', {}, (item.sectors ?? []).map(sectorLabel).join(', ') || '—'),
                ),
                h(
                  'div',
                  { class: 'facts__row' },
                  h('dt', {}, 'Consortium'),
                  h('dd', {}, (item.members ?? []).map((m) => `${m.name} (${m.country})`).join('; ') || '—'),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    pagination(page, (n) => `#/catalogue${query({ ...filters, page: n > 1 ? n : undefined })}`, 'Catalogue pages'),
  );
}
