import { api, download, query } from '../api.js';
import { dataRow, field, h, table } from '../dom.js';
import { announce, busy, emptyState, errorBanner, loadPage, humanize, loading, notice, pageHeader, pagination, time } from '../ui.js';

/** GET /audit (filtered, paged) and GET /audit/verify (the hash chain check). */
export async function renderAudit(root, ctx) {
  ctx.setTitle('Audit trail');
  const filters = {
    subject: ctx.query.get('subject') ?? '',
    actor: ctx.query.get('actor') ?? '',
    action: ctx.query.get('action') ?? '',
    subjectType: ctx.query.get('subjectType') ?? '',
    page: Math.max(1, Number(ctx.query.get('page')) || 1),
  };

  const verifyResult = h('div', { class: 'verify-result', 'aria-live': 'polite' });
  const verify = h('button', { type: 'button', class: 'usa-button' }, 'Verify chain');
  verify.addEventListener('click', async () => {
    verifyResult.replaceChildren();
    try {
      const verdict = await busy(verify, 'Verifying…', () => api.get('/audit/verify'));
      const events = Number(verdict.events ?? 0).toLocaleString();
      verifyResult.replaceChildren(
        verdict.valid
          ? notice(
              'success',
              'Chain valid',
              h('p', {}, `All ${events} audit events check out: no event was changed, removed or reordered.`),
            )
          : notice(
              'error',
              'Chain broken',
              h(
                'p',
                {},
                `The hash chain does not check out${verdict.firstBrokenAt ? ` from event ${verdict.firstBrokenAt}` : ''} (${events} events examined). Treat the trail after that point as tampered with.`,
              ),
            ),
      );
      verifyResult.append(sealerStatus(verdict));
      announce(verdict.valid ? 'Audit chain valid' : 'Audit chain broken');
    } catch (error) {
      verifyResult.replaceChildren(errorBanner(error, { title: 'The chain could not be verified' }));
    }
  });

  const subject = h('input', { type: 'text', autocomplete: 'off', value: filters.subject });
  const actor = h('input', { type: 'text', autocomplete: 'off', value: filters.actor });
  const action = h('input', { type: 'text', autocomplete: 'off', value: filters.action, autocapitalize: 'characters' });
  const subjectType = h('input', { type: 'text', autocomplete: 'off', value: filters.subjectType });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter audit events' },
    field({ label: 'Subject id', control: subject, field: 'subject', hint: 'A proposal, task or user id', className: 'field--grow' }),
    field({ label: 'Actor', control: actor, field: 'actor' }),
    field({ label: 'Action', control: action, field: 'action', hint: 'e.g. ACCESS_DENIED' }),
    field({ label: 'Subject type', control: subjectType, field: 'subjectType', hint: 'e.g. proposal, task, user' }),
    h(
      'div',
      { class: 'filters__actions' },
      h('button', { type: 'submit', class: 'usa-button' }, 'Apply filters'),
      filters.subject || filters.actor || filters.action || filters.subjectType
        ? h('a', { class: 'usa-button usa-button--outline', href: '#/audit' }, 'Clear')
        : null,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(
      `#/audit${query({
        subject: subject.value.trim(),
        actor: actor.value.trim(),
        action: action.value.trim().toUpperCase(),
        subjectType: subjectType.value.trim(),
      })}`,
    );
  });

  const csvError = h('div', { 'aria-live': 'polite' });
  const csv = h('button', { type: 'button', class: 'usa-button usa-button--outline' }, 'Download CSV');
  csv.addEventListener('click', async () => {
    csvError.replaceChildren();
    try {
      await busy(csv, 'Downloading…', () =>
        download(`/audit${query({ ...filters, page: undefined, pageSize: 500, format: 'csv' })}`, 'audit.csv'),
      );
      announce('Audit CSV downloaded');
    } catch (error) {
      csvError.replaceChildren(errorBanner(error, { title: 'The CSV could not be downloaded' }));
    }
  });
  const results = h('div', { 'aria-busy': 'true' }, loading('Loading audit events…'));
  root.append(
    pageHeader('Audit trail', { subtitle: 'Every state change, task action, sign-in and denied request, append-only and hash-chained.' }),
    h(
      'section',
      { class: 'card verify-card', 'aria-labelledby': 'verify-title' },
      h(
        'div',
        {},
        h('h2', { id: 'verify-title' }, 'Integrity'),
        h('p', { class: 'muted small' }, 'Recompute the hash chain over the whole trail to detect any tampering.'),
      ),
      verify,
      verifyResult,
    ),
    h('div', { class: 'card card--flush' }, form),
    h('div', { class: 'button-row' }, csv),
    csvError,
    results,
  );

  const page = await loadPage(results, `/audit${query({ ...filters, pageSize: 50 })}`, 'The audit trail could not be loaded');
  if (!page) return;
  if (!page.items.length) {
    results.replaceChildren(emptyState('No audit events match'));
    return;
  }
  results.replaceChildren(
    table({
      caption: 'Audit events',
      className: 'table--audit',
      columns: ['#', 'Time', 'Actor', 'Action', 'Subject', 'Reason / change'],
      rows: page.items.map((e) =>
        dataRow(
          ['#', 'Time', 'Actor', 'Action', 'Subject', 'Reason / change'],
          [
            h('span', { class: 'muted small' }, String(e.id)),
            time(e.at),
            [
              h('strong', {}, e.actor),
              e.role || e.agency ? h('span', { class: 'muted small block' }, [e.role, e.agency].filter(Boolean).join(' · ')) : null,
            ],
            h('code', { class: 'code-tag' }, e.action),
            [e.subjectType ? humanize(e.subjectType) : '', e.subjectId ? [' ', subjectLink(e)] : null],
            change(e),
          ],
          { class: e.action === 'ACCESS_DENIED' || e.action === 'LOGIN_FAILED' ? 'row--alert' : null },
        ),
      ),
    }),
    pagination(page, (n) => `#/audit${query({ ...filters, page: n > 1 ? n : undefined })}`, 'Audit pages'),
  );
}

function subjectLink(e) {
  if (e.subjectType === 'proposal') return h('a', { href: `#/proposals/${e.subjectId}`, class: 'mono' }, String(e.subjectId).slice(0, 8));
  const id = String(e.subjectId);
  const short = /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? id.slice(0, 8) : id.length > 28 ? `${id.slice(0, 28)}…` : id;
  return h('a', { href: `#/audit${query({ subject: id })}`, class: 'mono', title: `Events about ${id}` }, short);
}

function listed(values) {
  if (!values.length) return 'none';
  if (values.length > 3) return `${values.length} items`;
  return values.map((x) => (typeof x === 'object' && x !== null ? (x.code ?? '…') : x)).join(', ');
}

function summarise(value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return String(value);
  return Object.entries(value)
    .filter(([, v]) => v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v)))
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? listed(v) : v}`)
    .join(' · ');
}

function change(e) {
  const before = summarise(e.before);
  const after = summarise(e.after);
  const parts = [];
  if (e.reason) parts.push(h('span', { class: 'block' }, e.reason));
  if (before) parts.push(h('span', { class: 'block muted small' }, 'Before: ', before));
  if (after) parts.push(h('span', { class: 'block muted small' }, 'After: ', after));
  return parts.length ? parts : '—';
}

/** The sealer's status from the verdict: last signed checkpoint, backlog and its age. */
function sealerStatus(verdict) {
  const lag = Number(verdict.lagSeconds ?? 0);
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'sealer-status', 'aria-label': 'Sealer status' },
    h(
      'div',
      { class: 'facts__row' },
      h('dt', {}, 'Last signed checkpoint'),
      h('dd', {}, verdict.lastCheckpointAt ? time(verdict.lastCheckpointAt) : 'None yet'),
    ),
    h('div', { class: 'facts__row' }, h('dt', {}, 'Checkpoints'), h('dd', {}, String(verdict.checkpoints ?? 0))),
    h('div', { class: 'facts__row' }, h('dt', {}, 'Sealed events'), h('dd', {}, String(verdict.sealed ?? 0))),
    h(
      'div',
      { class: 'facts__row' },
      h('dt', {}, 'Waiting to be sealed'),
      h('dd', {}, `${verdict.pending ?? 0} event(s)${lag > 0 ? `, oldest ${lag} s old` : ''}`),
    ),
  );
}
