// Shared pieces of the pages: labels, badges, dates, error display, pagination, announcements.
import { api, ApiError, SessionEndedError } from './api.js';
import { h, clear } from './dom.js';
import { instrument } from './rules.js';

// Labels and colours for display only, keyed by the codes the server defines. The lists of codes
// and the rules themselves (statuses, decisions and what they need, the catalogue, who may see
// what) come from GET /reference/rules (rules.js).

/** Display names of the task types (docs/spec.md section 3). */
export const TASK_TYPE_LABELS = {
  SCREENING_ADJUDICATION: 'Screening adjudication',
  AGENCY_REVIEW: 'Agency review',
  CONSULTATION: 'Consultation',
  DESIGNATION_DECISION: 'Designation decision',
  FINANCING_ASSIGNMENT: 'Financing assignment',
  FINANCING_REVIEW: 'Financing review',
  SBA_REFERRAL: 'SBA referral',
  ADVOCACY_REFERRAL: 'Advocacy referral',
  LICENSING_REVIEW: 'Priority licensing review',
};
export const taskTypeLabel = (type) => TASK_TYPE_LABELS[type] ?? humanize(type);

export const DECISION_LABELS = {
  CLEAR: 'Clear — not the listed party',
  CONFIRM_MATCH: 'Confirm match — the party is listed',
  CONCUR: 'Concur',
  CONCUR_WITH_CONDITIONS: 'Concur with conditions',
  NON_CONCUR: 'Non-concur',
  DESIGNATE: 'Designate as a priority AI export package',
  DECLINE: 'Decline',
  ASSIGN: 'Assign financing instruments',
  COMMIT: 'Commit',
  ACCEPT: 'Accept referral',
  PRIORITIZE: 'Prioritize the license review',
};

/** "Loan guarantee (medium/long-term buyer financing) (EXIM)": the catalogue's label and agency, else the id. */
export const instrumentLabel = (id) => {
  const found = instrument(id);
  return found ? `${found.label} (${found.agency})` : id;
};

/** Stack layers and application sectors read well humanized ("DATA_PIPELINES" -> "Data pipelines"). */
export const layerLabel = (code) => humanize(code);
export const sectorLabel = (code) => humanize(code);

export const ROLE_LABELS = {
  APPLICANT: 'Applicant',
  COMPLIANCE_OFFICER: 'Compliance officer',
  REVIEWER: 'Reviewer',
  SUPERVISOR: 'Supervisor',
  DECIDING_OFFICIAL: 'Deciding official',
  EDAG_COORDINATOR: 'EDAG coordinator',
  FINANCING_OFFICER: 'Financing officer',
  SBA_OFFICER: 'SBA officer',
  ADVOCACY_OFFICER: 'Advocacy officer (ITA)',
  LICENSING_OFFICER: 'Licensing officer (BIS)',
  PROGRAM_MANAGER: 'Program manager',
  AUDITOR: 'Auditor',
  ADMIN: 'Administrator',
};

/** "RETURNED_FOR_INFORMATION" -> "Returned for information". */
export function humanize(code) {
  if (!code) return '';
  const text = String(code).toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const STATUS_TONES = {
  SUBMITTED: 'info',
  SCREENING: 'info',
  RETURNED_FOR_INFORMATION: 'warn',
  ADJUDICATION: 'warn',
  INELIGIBLE: 'danger',
  UNDER_REVIEW: 'progress',
  AWAITING_DETERMINATION: 'progress',
  NOT_SELECTED: 'neutral',
  FINANCING: 'teal',
  COMPLETED: 'ok',
  WITHDRAWN: 'neutral',
  OPEN: 'info',
  CLAIMED: 'progress',
  CANCELLED: 'neutral',
  PENDING: 'info',
  CLEAR: 'ok',
  POTENTIAL_MATCH: 'warn',
  CONFIRMED_MATCH: 'danger',
  CONCUR: 'ok',
  CONCUR_WITH_CONDITIONS: 'warn',
  NON_CONCUR: 'danger',
  NO_RESPONSE: 'neutral',
  DESIGNATE: 'ok',
  DECLINE: 'danger',
  COMMITTED: 'ok',
  DECLINED: 'danger',
  ACCEPTED: 'ok',
  NEEDS_INFORMATION: 'warn',
  NOT_APPLICABLE: 'neutral',
  // Program plans and their milestones.
  ON_TRACK: 'ok',
  ESTABLISHED: 'ok',
  DONE: 'ok',
  AT_RISK: 'warn',
  OVERDUE: 'danger',
  // Information requests, answered or awaiting an answer.
  ANSWERED: 'ok',
  AWAITING_ANSWER: 'warn',
  // SBA size determinations.
  SMALL: 'ok',
  NOT_SMALL: 'neutral',
  NOT_US_CONCERN: 'neutral',
  SBA_TO_DETERMINE: 'warn',
};

/** A coloured status pill; the text is always shown, colour is never the only signal. */
export function badge(code, { tone, label } = {}) {
  return h(
    'span',
    { class: `usa-tag badge badge--${tone ?? STATUS_TONES[code] ?? 'neutral'}`, dataset: { status: code ?? '' } },
    label ?? humanize(code),
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

export function formatDate(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateOnly.format(date);
}

/** A <time> element with the exact instant as its machine-readable value and tooltip. */
export function time(value, withTime = true) {
  if (!value) return '—';
  return h(
    'time',
    { datetime: new Date(value).toISOString(), title: new Date(value).toISOString() },
    withTime ? formatDateTime(value) : formatDate(value),
  );
}

export function formatUsd(value) {
  if (value === undefined || value === null || value === '') return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(Number(value));
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '';
}

/** Speaks a message to screen readers through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** A message box; `role=alert` for errors so it is read out at once. */
export function notice(kind, title, ...body) {
  const variant = ALERT_VARIANTS[kind] ?? 'info';
  return h(
    'div',
    {
      class: ['usa-alert', `usa-alert--${variant}`, title ? null : 'usa-alert--slim'],
      role: kind === 'error' ? 'alert' : 'status',
      dataset: { kind },
    },
    h(
      'div',
      { class: 'usa-alert__body' },
      title ? h('h2', { class: 'usa-alert__heading' }, title) : null,
      body.length ? h('div', { class: 'usa-alert__text' }, body) : null,
    ),
  );
}

/** Our notice kinds -> the USWDS alert variants. */
const ALERT_VARIANTS = { error: 'error', warn: 'warning', info: 'info', success: 'success' };

const STATUS_TITLES = {
  0: 'Connection problem',
  400: 'Please correct the highlighted fields',
  401: 'Sign-in failed',
  403: 'Not allowed',
  404: 'Not found',
  409: 'This cannot be done in the current state',
  413: 'Too large',
  415: 'Unsupported request',
  422: 'The request was refused',
  429: 'Too many requests',
};

/** The banner for an API error (or any error), with field details listed. */
export function errorBanner(error, { title } = {}) {
  if (!(error instanceof ApiError)) {
    return notice('error', title ?? 'Something went wrong', h('p', {}, error?.message ?? String(error)));
  }
  const heading =
    title ?? STATUS_TITLES[error.status] ?? (error.status >= 500 ? 'The server could not complete this request' : 'The request failed');
  // A refusal whose message only repeats its field details shows the details alone.
  const repeated = error.details.length > 0 && error.details.every((d) => error.message.includes(d.message));
  return notice(
    'error',
    heading,
    repeated ? null : h('p', {}, error.message),
    error.details.length
      ? h(
          'ul',
          { class: 'error-list' },
          error.details.map((d) => h('li', {}, d.field ? h('code', {}, d.field) : null, d.field ? ': ' : '', d.message)),
        )
      : null,
  );
}

/** Finds the control an API field path names, trying parent paths: members[2].country -> members[2] -> members. */
function controlFor(form, path) {
  let current = path;
  while (current) {
    const el = form.querySelector(`[data-field="${CSS.escape(current)}"]`);
    if (el) return el;
    const next = current.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
    if (next === current) break;
    current = next;
  }
  return null;
}

/** Removes the error marks left by showFieldErrors. */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) {
    el.textContent = '';
    el.hidden = true;
  }
  for (const el of form.querySelectorAll('.field--invalid')) el.classList.remove('field--invalid');
}

/**
 * Puts each `details[].message` under the field it names and marks the field invalid; returns the
 * details that match no field (they go in the banner only). Focuses the first invalid field.
 */
export function showFieldErrors(form, details) {
  clearFieldErrors(form);
  const unplaced = [];
  let first = null;
  for (const detail of details ?? []) {
    const control = detail.field ? controlFor(form, detail.field) : null;
    if (!control) {
      unplaced.push(detail);
      continue;
    }
    control.setAttribute('aria-invalid', 'true');
    const wrapper = control.closest('.field, .check, fieldset');
    wrapper?.classList.add('field--invalid');
    const message = wrapper?.querySelector(':scope > .field-error') ?? (control.id ? document.getElementById(`${control.id}-error`) : null);
    if (message) {
      message.hidden = false;
      message.textContent = message.textContent ? `${message.textContent} ${detail.message}` : detail.message;
    } else {
      unplaced.push(detail);
    }
    first ??= control;
  }
  return { unplaced, first };
}

/** Shows an API error for a form: field messages in place, a summary banner in `banner`. */
export function reportFormError(form, banner, error) {
  clear(banner);
  if (error instanceof SessionEndedError) return;
  const { first } = error instanceof ApiError ? showFieldErrors(form, error.details) : { first: null };
  banner.append(errorBanner(error));
  announce(`Error: ${error.message}`);
  if (first && typeof first.focus === 'function') {
    first.focus();
  } else {
    banner.querySelector('[role=alert]')?.setAttribute('tabindex', '-1');
    banner.querySelector('[role=alert]')?.focus();
  }
}

/** Page x of y, with previous/next links that keep the other query parameters. */
export function pagination({ page, pageSize, total }, hrefFor, label = 'Pagination') {
  const pages = Math.max(1, Math.ceil((total ?? 0) / (pageSize || 20)));
  const from = total ? (page - 1) * pageSize + 1 : 0;
  const to = Math.min(total ?? 0, page * pageSize);
  return h(
    'nav',
    { class: 'pagination usa-pagination', 'aria-label': label },
    h('p', { class: 'pagination__summary' }, total ? `Showing ${from}–${to} of ${total}` : 'No results'),
    h(
      'div',
      { class: 'pagination__links' },
      page > 1
        ? h('a', { class: 'usa-button usa-button--outline', href: hrefFor(page - 1), rel: 'prev' }, '← Previous')
        : h('span', { class: 'usa-button usa-button--outline', 'aria-disabled': 'true' }, '← Previous'),
      h('span', { class: 'pagination__page' }, `Page ${page} of ${pages}`),
      page < pages
        ? h('a', { class: 'usa-button usa-button--outline', href: hrefFor(page + 1), rel: 'next' }, 'Next →')
        : h('span', { class: 'usa-button usa-button--outline', 'aria-disabled': 'true' }, 'Next →'),
    ),
  );
}

/** The page heading; focused after navigation so screen readers start at the new page. */
export function pageHeader(title, { subtitle, actions } = {}) {
  return h(
    'div',
    { class: 'page-header' },
    h('div', {}, h('h1', { tabindex: '-1', class: 'page-title' }, title), subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null),
    actions ? h('div', { class: 'page-actions' }, actions) : null,
  );
}

/**
 * Loads one page of a list into `results` (marked busy until then): the page, or null after
 * showing the error in its place.
 */
export async function loadPage(results, path, errorTitle) {
  try {
    return await api.get(path);
  } catch (error) {
    results.replaceChildren(errorBanner(error, { title: errorTitle }));
    return null;
  } finally {
    results.setAttribute('aria-busy', 'false');
  }
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function emptyState(title, text) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty__title' }, title), text ? h('p', { class: 'muted' }, text) : null);
}

/** Disables a submit button while `work` runs, with a busy label. */
export async function busy(button, label, work) {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = original;
  }
}

/**
 * The USWDS step indicator of a multi-step form. `set(index, flagged)` marks the steps before
 * `index` complete, `index` current, and names the steps in `flagged` (a Set) as having gaps, in
 * words as well as the segment's label. The heading takes focus on a step change.
 */
export function stepIndicator(labels) {
  const segments = labels.map(() => h('li', { class: 'usa-step-indicator__segment' }));
  const counter = h('span', { class: 'usa-step-indicator__current-step' });
  const text = h('span', { class: 'usa-step-indicator__heading-text' });
  const heading = h(
    'h2',
    { class: 'usa-step-indicator__heading', tabindex: '-1' },
    h(
      'span',
      { class: 'usa-step-indicator__heading-counter' },
      h('span', { class: 'usa-sr-only' }, 'Step'),
      counter,
      h('span', { class: 'usa-step-indicator__total-steps' }, `of ${labels.length}`),
    ),
    text,
  );
  const element = h(
    'div',
    { class: 'usa-step-indicator usa-step-indicator--counters-sm', 'aria-label': 'Progress' },
    h('ol', { class: 'usa-step-indicator__segments' }, segments),
    h('div', { class: 'usa-step-indicator__header' }, heading),
  );
  const set = (index, flagged = new Set()) => {
    segments.forEach((segment, i) => {
      const state = i < index ? 'complete' : i === index ? 'current' : null;
      segment.className = ['usa-step-indicator__segment', state ? `usa-step-indicator__segment--${state}` : null].filter(Boolean).join(' ');
      if (state === 'current') segment.setAttribute('aria-current', 'step');
      else segment.removeAttribute('aria-current');
      const status = i === index ? '' : flagged.has(i) ? 'has gaps' : i < index ? 'completed' : 'not completed';
      segment.replaceChildren(
        h(
          'span',
          { class: 'usa-step-indicator__segment-label' },
          labels[i],
          flagged.has(i) ? h('span', { class: 'step-gap', 'aria-hidden': 'true' }, ' (gaps)') : null,
          status ? h('span', { class: 'usa-sr-only' }, ` ${status}`) : null,
        ),
      );
    });
    counter.textContent = String(index + 1);
    text.textContent = labels[index];
  };
  return { element, heading, set };
}

/** Coded findings ({code, message}: eligibility reasons, flags) as a list; `tone` is 'warn' or 'danger'. */
export function codedList(items, tone) {
  return h(
    'ul',
    { class: 'issue-list' },
    items.map((item) =>
      h(
        'li',
        { class: `issue issue--${tone}` },
        h('div', { class: 'issue__head' }, h('code', { class: 'code-tag' }, item.code)),
        h('p', {}, item.message),
      ),
    ),
  );
}
