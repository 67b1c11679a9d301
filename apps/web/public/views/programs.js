import { api } from '../api.js';
import { dataRow, field, h, section, table } from '../dom.js';
import { announce, badge, busy, emptyState, errorBanner, formatDate, formatDateTime, loading, pageHeader, reportFormError } from '../ui.js';

const days = (n) => (n < 0 ? `${-n} days overdue` : `${n} days remaining`);

/** The program manager's dashboard: every plan with its status, deadline and days remaining (docs/spec.md 2.5). */
export async function renderPrograms(root, ctx) {
  ctx.setTitle('Program plans');
  const results = h('div', { 'aria-busy': 'true' }, loading('Loading the program plans…'));
  root.append(
    pageHeader('Program plans', { subtitle: 'The 90-day establishment milestones of EO 14320 section 3.' }),
    results,
    ctx.mayCall('POST /programs/calendar-feed') ? calendarSubscription() : null,
  );
  let plans;
  try {
    plans = await api.get('/programs');
  } catch (error) {
    results.replaceChildren(errorBanner(error, { title: 'The plans could not be loaded' }));
    return;
  } finally {
    results.setAttribute('aria-busy', 'false');
  }
  if (!plans.length) {
    results.replaceChildren(emptyState('No program plan yet'));
    return;
  }
  const columns = ['Plan', 'Status', 'Deadline', 'Days remaining', 'Milestones done'];
  results.replaceChildren(
    table({
      caption: 'Program plans',
      columns,
      rows: plans.map((p) =>
        dataRow(columns, [
          h('a', { href: `#/programs/${p.id}`, class: 'usa-link' }, p.name),
          badge(p.status),
          formatDate(p.deadline),
          days(p.daysRemaining),
          `${p.milestones.filter((m) => m.status === 'DONE').length} of ${p.milestones.length}`,
        ]),
      ),
    }),
  );
}

const FEED = '/programs/calendar-feed';

/**
 * The caller's secret calendar feed URL of every plan's milestones. The server keeps only a hash of
 * it, so the URL is shown right after it is made and never again: to see one later, replace it.
 */
function calendarSubscription() {
  const banner = h('div');
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the calendar subscription…'));
  const show = (status, url) => {
    banner.replaceChildren();
    body.replaceChildren(...calendarContent(status, url));
  };
  const act = (button, label, work) =>
    busy(button, label, async () => {
      try {
        await work();
      } catch (error) {
        banner.replaceChildren(errorBanner(error, { title: 'The calendar subscription could not be changed' }));
      }
    });
  const create = (button) =>
    act(button, 'Creating…', async () => {
      const created = await api.post(FEED);
      show({ active: true, createdAt: created.createdAt }, new URL(created.url, window.location.origin).href);
      announce('Calendar feed URL created');
    });
  const revoke = (button) =>
    act(button, 'Revoking…', async () => {
      await api.del(FEED);
      show({ active: false });
      announce('Calendar feed URL revoked');
    });
  const button = (label, onClick, outline) => {
    const el = h('button', { type: 'button', class: ['usa-button', outline && 'usa-button--outline'] }, label);
    el.addEventListener('click', () => onClick(el));
    return el;
  };
  const calendarContent = (status, url) => {
    const replaceOrRevoke = h(
      'ul',
      { class: 'usa-button-group' },
      [button('Replace URL', create, true), button('Revoke', revoke, true)].map((b) => h('li', { class: 'usa-button-group__item' }, b)),
    );
    if (url) {
      const input = h('input', { type: 'text', readonly: true, value: url, spellcheck: 'false' });
      input.addEventListener('focus', () => input.select());
      return [
        field({
          label: 'Calendar feed URL',
          control: input,
          hint: 'Paste into your calendar app; it is shown once. Anyone with the URL sees the milestone dates.',
        }),
        replaceOrRevoke,
      ];
    }
    if (status.active)
      return [
        h(
          'p',
          {},
          `A calendar feed URL has been active since ${formatDateTime(status.createdAt)}. It was shown once, when created; replace it to get a new one.`,
        ),
        replaceOrRevoke,
      ];
    return [
      h('p', {}, "Subscribe to every plan's milestone dates from your calendar app, through a secret URL of your own."),
      button('Create calendar feed URL', create),
    ];
  };
  api
    .get(FEED)
    .then((status) => show(status))
    .catch((error) => body.replaceChildren(errorBanner(error, { title: 'The calendar subscription could not be loaded' })))
    .finally(() => body.setAttribute('aria-busy', 'false'));
  return section('Calendar subscription', banner, body);
}

/** One plan: its milestones on a timeline, each completed with evidence or re-baselined with a reason. */
export async function renderProgram(root, ctx) {
  const [id] = ctx.params;
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the plan…'));
  root.append(body);
  let plan;
  try {
    plan = await api.get(`/programs/${id}`);
  } catch (error) {
    body.replaceChildren(pageHeader('Program plan'), errorBanner(error, { title: 'The plan could not be loaded' }));
    return;
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
  ctx.setTitle(plan.name);
  const manages = ctx.mayCall('POST /programs/:id/milestones/:mid/completion');
  const done = plan.milestones.filter((m) => m.status === 'DONE').length;
  body.replaceChildren(
    h('p', {}, h('a', { href: '#/programs', class: 'usa-link' }, '← All plans')),
    pageHeader(plan.name, {
      subtitle: `Started ${formatDate(plan.startDate)}; deadline ${formatDate(plan.deadline)} (${days(plan.daysRemaining)}).`,
    }),
    h(
      'div',
      { class: 'usa-summary-box', role: 'region', 'aria-labelledby': 'plan-summary' },
      h(
        'div',
        { class: 'usa-summary-box__body' },
        h('h2', { class: 'usa-summary-box__heading', id: 'plan-summary' }, 'Where the plan stands'),
        h(
          'div',
          { class: 'usa-summary-box__text' },
          h('p', {}, badge(plan.status), ` ${done} of ${plan.milestones.length} milestones done.`),
        ),
      ),
    ),
    h('h2', {}, 'Milestones'),
    h(
      'ol',
      { class: 'usa-process-list milestone-timeline' },
      plan.milestones.map((m) => milestoneItem(plan, m, manages, () => ctx.navigate(`#/programs/${id}`))),
    ),
  );
}

function milestoneItem(plan, m, manages, reload) {
  return h(
    'li',
    { class: ['usa-process-list__item', `milestone--${m.status.toLowerCase()}`], dataset: { milestone: m.key } },
    h('h3', { class: 'usa-process-list__heading' }, m.title, ' ', badge(m.status)),
    h(
      'p',
      {},
      `Owner: ${m.ownerAgency} · due ${formatDate(m.dueDate)} (day ${m.dueDay})`,
      m.status === 'DONE' ? ` · completed ${formatDate(m.completedAt)} by ${m.completedBy ?? '—'}` : ` · ${days(m.daysRemaining)}`,
      m.eoRef ? ` · ${m.eoRef}` : '',
    ),
    m.evidence
      ? h(
          'p',
          { class: 'milestone__evidence' },
          h('strong', {}, 'Evidence: '),
          m.evidence.text,
          m.evidence.link
            ? h('span', {}, ' — ', h('a', { href: m.evidence.link, class: 'usa-link', rel: 'noopener noreferrer' }, m.evidence.link))
            : null,
        )
      : null,
    manages && m.status !== 'DONE' ? milestoneForms(plan, m, reload) : null,
  );
}

function milestoneForms(plan, m, reload) {
  const evidence = h('textarea', { rows: '3', required: true });
  const link = h('input', { type: 'url', placeholder: 'https://…' });
  const completeBanner = h('div');
  const completeButton = h('button', { type: 'submit', class: 'usa-button' }, 'Mark done');
  const complete = h(
    'form',
    { class: 'milestone__form', 'aria-label': `Complete ${m.title}` },
    completeBanner,
    field({ label: 'Evidence', control: evidence, field: 'evidence.text', required: true, hint: 'What shows the milestone is met.' }),
    field({ label: 'Link (optional)', control: link, field: 'evidence.link' }),
    completeButton,
  );
  complete.addEventListener('submit', (event) => {
    event.preventDefault();
    const sent = link.value.trim() ? { text: evidence.value, link: link.value.trim() } : evidence.value;
    busy(completeButton, 'Saving…', async () => {
      try {
        await api.post(`/programs/${plan.id}/milestones/${m.id}/completion`, { evidence: sent });
        announce(`${m.title} marked done`);
        reload();
      } catch (error) {
        reportFormError(complete, completeBanner, error);
      }
    });
  });
  const dueDay = h('input', { type: 'number', min: '1', value: String(m.dueDay), class: 'usa-input--small' });
  const reason = h('textarea', { rows: '2', required: true });
  const rebaselineBanner = h('div');
  const rebaselineButton = h('button', { type: 'submit', class: 'usa-button usa-button--outline' }, 'Re-baseline');
  const rebaseline = h(
    'form',
    { class: 'milestone__form', 'aria-label': `Re-baseline ${m.title}` },
    rebaselineBanner,
    field({ label: 'New due day (days from the plan start)', control: dueDay, field: 'dueDay', required: true }),
    field({ label: 'Reason', control: reason, field: 'reason', required: true }),
    rebaselineButton,
  );
  rebaseline.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(rebaselineButton, 'Saving…', async () => {
      try {
        await api.post(`/programs/${plan.id}/milestones/${m.id}/rebaseline`, { dueDay: Number(dueDay.value), reason: reason.value });
        announce(`${m.title} re-baselined`);
        reload();
      } catch (error) {
        reportFormError(rebaseline, rebaselineBanner, error);
      }
    });
  });
  return h(
    'details',
    { class: 'milestone__actions' },
    h('summary', {}, `Update ${m.title}`),
    h('div', { class: 'grid grid--2' }, complete, rebaseline),
  );
}
