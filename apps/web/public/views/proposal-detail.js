import { api, ApiError, download, upload } from '../api.js';
import { append, clear, dataRow, facts, field, h, section, select, table } from '../dom.js';
import { rules } from '../rules.js';
import {
  announce,
  badge,
  busy,
  clearFieldErrors,
  codedList,
  formatDate,
  formatDateTime,
  formatUsd,
  humanize,
  instrumentLabel,
  layerLabel,
  loading,
  notice,
  pageHeader,
  errorBanner,
  reportFormError,
  sectorLabel,
  shortId,
  taskTypeLabel,
  time,
} from '../ui.js';
import { redrawKeepingFocus, userIsBusy, watch } from '../live.js';

/** States the workflow leaves on its own within seconds: the page refreshes itself while in them. */
const MOVING = ['SUBMITTED', 'SCREENING'];

/** GET /proposals/:id: the case file, with the applicant's withdraw and amend actions. */
export async function renderProposalDetail(root, ctx) {
  const [id] = ctx.params;
  root.append(h('p', {}, h('a', { href: '#/proposals', class: 'back-link' }, '← All proposals')), loading('Loading the proposal…'));
  let proposal = await api.get(`/proposals/${encodeURIComponent(id)}`);
  let awaitingChangeFrom = null;
  const live = watch(
    ctx,
    () => api.get(`/proposals/${encodeURIComponent(id)}`),
    (next) => {
      if (userIsBusy(root)) return false;
      if (next.status !== proposal.status) announce(`Status is now ${humanize(next.status)}`);
      if (awaitingChangeFrom && next.status !== awaitingChangeFrom) awaitingChangeFrom = null;
      proposal = next;
      redrawKeepingFocus(root, () => draw());
    },
    { initial: proposal },
  );
  const poll = () => live?.reset();

  const actionDone = (message) => {
    awaitingChangeFrom = proposal.status;
    announce(message);
    refresh(message);
  };

  async function refresh(message) {
    try {
      proposal = await api.get(`/proposals/${encodeURIComponent(id)}`);
    } catch {
      // keep what is shown
    }
    if (!ctx.isCurrent()) return;
    draw(message);
  }

  function draw(message) {
    ctx.setTitle(proposal.title);
    clear(root);
    const final = rules().finalProposalStatuses.includes(proposal.status);
    const mayAmend = ctx.mayCall('POST /proposals/:id/amendments');
    const mayWithdraw = ctx.mayCall('POST /proposals/:id/withdrawal');
    const sub = proposal.submission ?? {};
    append(root, [
      h('p', {}, h('a', { href: '#/proposals', class: 'back-link' }, '← All proposals')),
      pageHeader(proposal.title, {
        subtitle: [proposal.organisation, `Version ${proposal.version}`, `Ref. ${shortId(proposal.id)}`].filter(Boolean).join(' · '),
        actions: h(
          'div',
          { class: 'status-lead' },
          h('span', { class: 'muted small' }, 'Status'),
          badge(proposal.status, { label: humanize(proposal.status) }),
        ),
      }),
      // Marked as a result, so a live refresh holds off while it is fresh (live.js userIsBusy).
      message ? h('div', { dataset: { result: 'true', at: String(Date.now()) } }, notice('success', null, h('p', {}, message))) : null,
      MOVING.includes(proposal.status) || awaitingChangeFrom
        ? h(
            'p',
            { class: 'live-note', role: 'status' },
            h('span', { class: 'spinner', 'aria-hidden': 'true' }),
            'The workflow is processing this proposal; this page updates itself.',
          )
        : null,
      h(
        'div',
        { class: 'detail-grid' },
        h(
          'div',
          { class: 'detail-main' },
          proposal.status === 'RETURNED_FOR_INFORMATION' && mayAmend ? amendmentCard(proposal) : null,
          informationRequestsCard(proposal, ctx, actionDone),
          assessmentCard(proposal),
          reviewsCard(proposal, ctx),
          outcomeCards(proposal),
          submissionCard(sub),
          versionsCard(proposal),
        ),
        h(
          'aside',
          { class: 'detail-side', 'aria-label': 'Case summary' },
          h('nav', { class: 'detail-sidenav', 'aria-label': 'On this page' }),
          summaryCard(proposal),
          mayWithdraw && !final ? withdrawCard(proposal, actionDone) : null,
          documentsCard(proposal),
          timelineCard(proposal),
        ),
      ),
    ]);
    fillSidenav(root.querySelector('.detail-sidenav'), root.querySelectorAll('.detail-main > section'), proposal.id);
    poll();
  }

  draw();
}

/** USWDS side navigation to the page's sections: each link moves focus to its section's heading (the hash stays the route). */
function fillSidenav(nav, sections, id) {
  const items = [...sections]
    .map((sec) => sec.querySelector(':scope > h2'))
    .filter(Boolean)
    .map((heading) => {
      const link = h('a', { href: `#/proposals/${id}` }, heading.textContent);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      });
      return h('li', { class: 'usa-sidenav__item' }, link);
    });
  nav.append(h('ul', { class: 'usa-sidenav' }, items));
}

function summaryCard(p) {
  return section(
    'Summary',
    facts([
      ['Status', badge(p.status)],
      ['Organisation', p.organisation],
      ['Submitted by', p.submittedBy],
      ['Version', String(p.version)],
      ['Filed', time(p.createdAt)],
      ['Last change', time(p.updatedAt)],
      ['Reference', h('code', { class: 'wrap' }, p.id)],
    ]),
  );
}

function deficiencyList(p) {
  return h(
    'ul',
    { class: 'issue-list' },
    p.deficiencies.map((d) =>
      h(
        'li',
        { class: 'issue' },
        h(
          'div',
          { class: 'issue__head' },
          h('code', { class: 'code-tag' }, d.code),
          d.eoRef ? h('span', { class: 'eo-ref' }, `EO 14320 sec. ${d.eoRef}`) : null,
        ),
        h('p', {}, d.message),
      ),
    ),
  );
}

function assessmentCard(p) {
  const eligible = p.eligibility?.eligible;
  const screening = p.screening ?? {};
  const list = screening.listVersion;
  const parts = [];

  parts.push(h('h3', {}, 'Completeness (EO 14320 sec. 3(b))'));
  if (p.deficiencies?.length) parts.push(deficiencyList(p));
  else if (MOVING.includes(p.status)) parts.push(h('p', { class: 'muted' }, 'Being checked…'));
  else parts.push(h('p', { class: 'ok-line' }, 'No deficiencies: every required element is present.'));

  parts.push(h('h3', {}, 'Eligibility'));
  parts.push(
    h(
      'p',
      {},
      eligible === true
        ? badge('ELIGIBLE', { tone: 'ok', label: 'Eligible' })
        : eligible === false
          ? badge('INELIGIBLE')
          : badge('PENDING', { label: 'Not yet assessed' }),
    ),
  );
  if (p.eligibility?.reasons?.length) {
    parts.push(codedList(p.eligibility.reasons, 'danger'));
  }

  parts.push(h('h3', {}, 'Flags for reviewers'));
  if (p.flags?.length) {
    parts.push(codedList(p.flags, 'warn'));
  } else {
    parts.push(h('p', { class: 'muted' }, MOVING.includes(p.status) ? 'Being checked…' : 'None.'));
  }

  parts.push(h('h3', {}, 'Party screening'));
  parts.push(h('p', {}, badge(screening.status ?? 'PENDING')));
  if (list) {
    parts.push(
      facts(
        [
          ['List', list.source],
          ['Imported', time(list.importedAt)],
          ['Entries', list.entryCount?.toLocaleString?.() ?? String(list.entryCount ?? '')],
          ['Checksum', list.checksum ? h('code', { class: 'wrap', title: list.checksum }, `${String(list.checksum).slice(0, 16)}…`) : null],
        ],
        'facts facts--compact',
      ),
    );
  }
  if (screening.matches?.length) {
    parts.push(matchesTable(screening.matches, 'Possible list matches'));
  } else if (screening.status && screening.status !== 'PENDING') {
    parts.push(h('p', { class: 'muted' }, 'No member or ultimate parent matched the screening list.'));
  }
  if (screening.adjudication) {
    const a = screening.adjudication;
    parts.push(
      notice(
        a.decision === 'CONFIRM_MATCH' ? 'error' : 'info',
        `Adjudicated: ${humanize(a.decision)}`,
        h('p', {}, `By ${a.decidedBy ?? 'unknown'}${a.comment ? ` — ${a.comment}` : ''}`),
      ),
    );
  }
  return section('Assessment', parts);
}

function matchesTable(matches, caption) {
  return table({
    caption,
    hideCaption: false,
    className: 'table--compact',
    columns: ['Party', 'Role', 'Listed name', 'Matched name', 'Score', 'Source'],
    rows: matches.map((m) =>
      dataRow(
        ['Party', 'Role', 'Listed name', 'Matched name', 'Score', 'Source'],
        [
          m.party ?? '—',
          m.role ? humanize(m.role) : '—',
          m.listedName ?? '—',
          m.matchedName ?? '—',
          typeof m.score === 'number' ? h('span', { class: 'score' }, `${Math.round(m.score * 100)} %`) : '—',
          m.source ?? '—',
        ],
      ),
    ),
  });
}

const REVIEW_COLUMNS = ['Agency', 'Kind', 'Position', 'Conditions / comment', 'Decided', 'Due'];

/** The evidence snapshot kept with a position (docs/spec.md section 2.4b): the case as the decider saw it, and its SHA-256. */
function evidenceSnapshot({ agency, kind, position, evidence, evidenceDigest: digest }) {
  const screening = evidence.screening ?? {};
  const others = evidence.otherPositions ?? [];
  return h(
    'details',
    { class: 'evidence' },
    h(
      'summary',
      {},
      `${agency} ${humanize(kind).toLowerCase()}: ${humanize(position)}, on version ${evidence.proposalVersion?.number ?? evidence.proposal?.version ?? '?'}`,
    ),
    facts(
      [
        ['Proposal version', String(evidence.proposalVersion?.number ?? evidence.proposal?.version ?? '—')],
        ['Status then', evidence.proposal?.status ? humanize(evidence.proposal.status) : null],
        ['Screening', screening.status ? humanize(screening.status) : null],
        ['List version', screening.listVersion ? `${screening.listVersion.source ?? ''} ${time(screening.listVersion.importedAt)}` : null],
        ['Flags', evidence.flags?.length ? evidence.flags.map((f) => f.code).join(', ') : 'None'],
        ['Deficiencies', evidence.deficiencies?.length ? evidence.deficiencies.map((d) => d.code).join(', ') : 'None'],
        ['Other positions', others.length ? others.map((o) => `${o.agency}: ${humanize(o.decision)}`).join('; ') : 'None yet'],
        ['SHA-256', digest ? h('code', { class: 'wrap' }, digest) : null],
      ],
      'facts facts--compact',
    ),
  );
}

function reviewsCard(p) {
  if (!p.reviews?.length) return null;
  const now = Date.now();
  const decided = p.reviews.filter((r) => r.evidence);
  return section(
    'Agency reviews and consultations',
    table({
      caption: 'Reviews',
      columns: REVIEW_COLUMNS,
      rows: p.reviews.map((r) => {
        const overdue = !r.position && r.dueAt && new Date(r.dueAt).getTime() < now;
        return dataRow(REVIEW_COLUMNS, [
          h('strong', {}, r.agency),
          humanize(r.kind),
          r.position ? badge(r.position) : badge(r.status ?? 'PENDING', { label: `Pending (${humanize(r.status ?? 'open')})` }),
          [
            r.conditions?.length
              ? h(
                  'ul',
                  { class: 'plain-list' },
                  r.conditions.map((c) => h('li', {}, c)),
                )
              : null,
            r.comment ? h('p', { class: 'quote' }, r.comment) : null,
            !r.conditions?.length && !r.comment ? '—' : null,
          ],
          r.decidedAt ? [time(r.decidedAt), h('br'), h('span', { class: 'muted small' }, r.decidedBy ?? '')] : '—',
          [
            r.dueAt ? time(r.dueAt, false) : '—',
            overdue ? h('span', { class: 'tag tag--danger' }, 'Overdue') : null,
            r.escalated ? h('span', { class: 'tag tag--warn' }, 'Escalated') : null,
          ],
        ]);
      }),
    }),
    decided.length
      ? [
          h('h3', {}, 'What each reviewer saw'),
          h(
            'ul',
            { class: 'plain-list evidence-list' },
            decided.map((r) => h('li', {}, evidenceSnapshot(r))),
          ),
        ]
      : null,
  );
}

function outcomeCards(p) {
  const cards = [];
  if (p.designation) {
    const d = p.designation;
    cards.push(
      section(
        'Designation',
        facts([
          [
            'Decision',
            badge(d.decision, { label: d.decision === 'DESIGNATE' ? 'Designated a priority AI export package' : humanize(d.decision) }),
          ],
          ['Comment', d.comment],
          ['Decided by', d.decidedBy],
          ['Decided', d.decidedAt ? time(d.decidedAt) : null],
        ]),
      ),
    );
  }
  if (p.financing?.length) {
    cards.push(
      section(
        'Financing',
        table({
          caption: 'Financing referrals',
          columns: ['Instrument', 'Agency', 'Amount', 'Status'],
          rows: p.financing.map((f) =>
            dataRow(
              ['Instrument', 'Agency', 'Amount', 'Status'],
              [instrumentLabel(f.instrumentId), f.agency, formatUsd(f.amountUsd), badge(f.status)],
            ),
          ),
        }),
      ),
    );
  }
  if (p.sbaReferral && p.sbaReferral.status !== 'NOT_APPLICABLE') {
    cards.push(
      section(
        'SBA referral',
        h('p', {}, badge(p.sbaReferral.status)),
        p.sbaReferral.members?.length
          ? h(
              'ul',
              { class: 'plain-list' },
              p.sbaReferral.members.map((m) => h('li', {}, typeof m === 'string' ? m : (m.name ?? JSON.stringify(m)))),
            )
          : null,
      ),
    );
  }
  return cards;
}

function yesNo(value) {
  if (value === true) return 'Yes';
  if (value === false) return 'No';
  return '—';
}

/** NAICS code, employees and receipts on one line: what the SBA size determination uses. */
function memberSize(m) {
  const parts = [
    m.naics ? `NAICS ${m.naics}` : null,
    m.employees !== undefined ? `${Number(m.employees).toLocaleString()} employees` : null,
    m.averageAnnualReceiptsUsd !== undefined ? `${formatUsd(m.averageAnnualReceiptsUsd)} receipts` : null,
  ].filter(Boolean);
  return parts.length ? parts.map((p) => h('span', { class: 'block' }, p)) : '—';
}

function submissionCard(sub) {
  const c = sub.consortium ?? {};
  const stack = sub.stack ?? {};
  const parts = [];
  if (sub.summary) parts.push(h('p', { class: 'lead' }, sub.summary));

  parts.push(h('h3', {}, 'Consortium'));
  parts.push(
    facts([
      ['Name', c.name],
      ['Anchor member', c.anchorMember],
    ]),
  );
  if (c.members?.length) {
    parts.push(
      table({
        caption: 'Members',
        className: 'table--compact',
        columns: ['Member', 'Country', 'Ultimate parent', 'Layers', 'U.S. concern', 'Size (SBA)'],
        rows: c.members.map((m) =>
          dataRow(
            ['Member', 'Country', 'Ultimate parent', 'Layers', 'U.S. concern', 'Size (SBA)'],
            [
              [m.name, m.name === c.anchorMember ? h('span', { class: 'tag tag--info' }, 'Anchor') : null],
              m.country ?? '—',
              m.ultimateParentName || m.ultimateParentCountry
                ? [m.ultimateParentName ?? '', m.ultimateParentCountry ? ` (${m.ultimateParentCountry})` : ''].join('')
                : '—',
              m.layers?.length ? m.layers.map(layerLabel).join(', ') : '—',
              yesNo(m.usConcern),
              memberSize(m),
            ],
          ),
        ),
      }),
    );
  }

  parts.push(h('h3', {}, 'Full-stack AI export package'));
  const layer = (title, body) => h('div', { class: 'layer' }, h('h4', {}, title), body ?? h('p', { class: 'missing' }, 'Not provided'));
  parts.push(
    h(
      'div',
      { class: 'layers' },
      layer(
        'Hardware',
        stack.hardware
          ? [
              h('p', {}, stack.hardware.description),
              facts(
                [
                  ['U.S. content', stack.hardware.usContentPct !== undefined ? `${stack.hardware.usContentPct} %` : null],
                  ['U.S. manufacturing', stack.hardware.usManufacturingStatement],
                  ['ECCNs', stack.hardware.eccns?.length ? stack.hardware.eccns.join(', ') : null],
                ],
                'facts facts--compact',
              ),
            ]
          : null,
      ),
      layer('Data pipelines', stack.dataPipelines ? h('p', {}, stack.dataPipelines.description) : null),
      layer('Models', stack.models ? h('p', {}, stack.models.description) : null),
      layer('Security', stack.security ? h('p', {}, stack.security.description) : null),
      layer(
        'Applications',
        stack.applications?.length
          ? h(
              'ul',
              { class: 'plain-list' },
              stack.applications.map((a) => h('li', {}, h('strong', {}, sectorLabel(a.sector)), ': ', a.description)),
            )
          : null,
      ),
    ),
  );

  parts.push(h('h3', {}, 'Markets, business model and support'));
  const bm = sub.businessModel;
  parts.push(
    facts([
      [
        'Target markets',
        sub.targetMarkets?.length
          ? h(
              'ul',
              { class: 'tag-list' },
              sub.targetMarkets.map((m) => h('li', { class: 'tag' }, m)),
            )
          : h('span', { class: 'missing' }, 'Not provided'),
      ],
      ['Builder', bm?.builder ?? h('span', { class: 'missing' }, 'Not provided')],
      ['Owner', bm?.owner],
      ['Operator', bm?.operator],
      ['Business model', bm?.description],
    ]),
  );
  if (sub.federalSupport?.length) {
    parts.push(
      table({
        caption: 'Federal support requested',
        hideCaption: false,
        className: 'table--compact',
        columns: ['Instrument', 'Amount', 'Notes'],
        rows: sub.federalSupport.map((f) =>
          dataRow(['Instrument', 'Amount', 'Notes'], [instrumentLabel(f.instrumentId), formatUsd(f.amountUsd), f.notes ?? '—']),
        ),
      }),
    );
  } else {
    parts.push(facts([['Federal support', h('span', { class: 'missing' }, 'None requested')]]));
  }
  const comp = sub.compliance;
  parts.push(h('h3', {}, 'Compliance'));
  parts.push(
    facts([
      ['Export-control attestation', comp ? yesNo(comp.exportControlAttestation) : h('span', { class: 'missing' }, 'Not provided')],
      ['Outbound investment attestation', comp ? yesNo(comp.outboundInvestmentAttestation) : null],
      ['End-user screening', comp?.endUserScreening],
    ]),
  );
  return section('Submission', parts);
}

/** Reasons carry ISO instants ("amend by 2026-01-12T13:45:42.768Z"): show them as local dates. */
const readableTimes = (text) => String(text).replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, (iso) => formatDateTime(iso));

function timelineDetail(e) {
  const d = e.detail ?? {};
  if (d.reason) return readableTimes(d.reason);
  switch (e.action) {
    case 'SCREENED':
      return [
        `Version ${d.version}`,
        d.deficiencies?.length ? `deficiencies: ${d.deficiencies.join(', ')}` : 'complete',
        d.eligible === false ? 'not eligible' : 'eligible',
        d.flags?.length ? `flags: ${d.flags.join(', ')}` : null,
        `${d.possibleMatches ?? 0} possible list match(es)`,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'AMENDED':
      return `Version ${d.version}: ${(d.sections ?? []).join(', ')}`;
    case 'TASK_OPENED':
      return `${taskTypeLabel(d.type)} for ${d.agency}${d.dueAt ? `, due ${formatDate(d.dueAt)}` : ''}`;
    case 'TASK_COMPLETED':
    case 'SCREENING_ADJUDICATED':
      return [
        d.agency,
        d.type ? taskTypeLabel(d.type) : null,
        d.decision ? humanize(d.decision) : null,
        d.comment ? `“${d.comment}”` : null,
      ]
        .filter(Boolean)
        .join(' · ');
    default:
      return Object.entries(d)
        .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
        .map(([k, v]) => `${k}: ${v}`)
        .join(' · ');
  }
}

function timelineTitle(action) {
  if (action.startsWith('STATUS_')) return `Now ${humanize(action.slice(7)).toLowerCase()}`;
  return humanize(action);
}

function timelineCard(p) {
  const events = [...(p.timeline ?? [])].reverse();
  return section(
    'Timeline',
    events.length
      ? h(
          'ol',
          { class: 'timeline', reversed: true },
          events.map((e) =>
            h(
              'li',
              { class: ['timeline__item', e.action.startsWith('STATUS_') ? 'timeline__item--status' : null] },
              h('p', { class: 'timeline__title' }, timelineTitle(e.action)),
              h('p', { class: 'timeline__meta' }, time(e.at), ' · ', e.actor),
              timelineDetail(e) ? h('p', { class: 'timeline__detail' }, timelineDetail(e)) : null,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No events yet.'),
  );
}

function withdrawCard(p, done) {
  const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '20000' });
  const banner = h('div', { class: 'form-banner' });
  const confirm = h('button', { type: 'submit', class: 'usa-button usa-button--secondary' }, 'Confirm withdrawal');
  const cancel = h('button', { type: 'button', class: 'usa-button usa-button--outline' }, 'Cancel');
  const form = h(
    'form',
    { class: 'stack', novalidate: true, hidden: true },
    banner,
    field({
      label: 'Reason for withdrawing',
      control: reason,
      field: 'reason',
      required: true,
      hint: 'Agencies see this reason. Withdrawing ends the proposal; it cannot be reopened.',
    }),
    h('div', { class: 'button-row' }, confirm, cancel),
  );
  const open = h('button', { type: 'button', class: 'usa-button usa-button--secondary', 'aria-expanded': 'false' }, 'Withdraw proposal…');
  open.addEventListener('click', () => {
    form.hidden = false;
    form.dataset.dirty = 'true';
    open.hidden = true;
    open.setAttribute('aria-expanded', 'true');
    reason.focus();
  });
  cancel.addEventListener('click', () => {
    form.hidden = true;
    delete form.dataset.dirty;
    open.hidden = false;
    open.setAttribute('aria-expanded', 'false');
    open.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    if (!reason.value.trim()) {
      reportFormError(
        form,
        banner,
        new ApiError(400, {
          message: 'Give a reason for withdrawing.',
          details: [{ field: 'reason', message: 'Enter the reason for withdrawing.' }],
        }),
      );
      return;
    }
    try {
      await busy(confirm, 'Withdrawing…', () => api.post(`/proposals/${p.id}/withdrawal`, { reason: reason.value.trim() }));
      delete form.dataset.dirty;
      done('Withdrawal requested. The proposal will show as withdrawn in a moment.');
    } catch (error) {
      reportFormError(form, banner, error);
    }
  });
  return section('Withdraw', h('p', { class: 'muted small' }, 'Withdraw the proposal at any time before a final decision.'), open, form);
}

function amendmentCard(p) {
  const deadline = p.amendBy;
  return h(
    'section',
    { class: 'card card--attention', 'aria-labelledby': 'amend-title' },
    h('h2', { id: 'amend-title' }, 'More information is needed'),
    h(
      'p',
      {},
      'The proposal is incomplete under EO 14320 sec. 3(b). Supply the missing elements',
      deadline ? [' by ', h('strong', {}, time(deadline))] : null,
      ', or the proposal will be withdrawn.',
    ),
    p.deficiencies?.length ? deficiencyList(p) : null,
    h('a', { class: 'usa-button', href: `#/proposals/${p.id}/amend` }, 'Amend the proposal'),
  );
}

/**
 * Agencies' questions to the applicant (docs/spec.md section 2.4): the applicant answers in words,
 * with documents attached (POST /proposals/:id/documents, then the answer cites their ids); staff see
 * the answers and can open the documents.
 */
function informationRequestsCard(p, ctx, done) {
  const requests = p.informationRequests ?? [];
  if (!requests.length) return null;
  const mayAnswer = ctx.mayCall('POST /proposals/:id/information-requests/:requestId/answer');
  const documents = new Map((p.documents ?? []).map((d) => [d.id, d]));
  const open = requests.filter((r) => !r.answeredAt);
  return section(
    open.length && mayAnswer ? `Questions from the agencies (${open.length} to answer)` : 'Information requests',
    h(
      'ul',
      { class: 'issue-list' },
      requests.map((r) =>
        h(
          'li',
          { class: ['issue', r.answeredAt ? null : 'issue--warn'], dataset: { requestId: r.id } },
          h(
            'div',
            { class: 'issue__head' },
            h('strong', {}, r.agency),
            ' ',
            time(r.askedAt),
            ' ',
            badge(r.answeredAt ? 'ANSWERED' : 'AWAITING_ANSWER'),
          ),
          h('p', {}, r.question),
          r.answeredAt
            ? [
                h('p', { class: 'quote' }, r.answer ?? 'Answered with figures'),
                (r.documentIds ?? []).length
                  ? h(
                      'ul',
                      { class: 'plain-list' },
                      r.documentIds.map((id) => h('li', {}, documentLink(documents.get(id) ?? { id, name: `Document ${shortId(id)}` }))),
                    )
                  : null,
                h('p', { class: 'muted small' }, `Answered ${formatDateTime(r.answeredAt)}`),
              ]
            : mayAnswer
              ? r.kind === 'SBA_SIZE'
                ? sizeAnswerForm(p, r, done)
                : answerForm(p, r, done)
              : null,
        ),
      ),
    ),
  );
}

/** A document the caller may open (GET /documents/:id, with the bearer token, saved under its own name). */
function documentLink(d) {
  const button = h('button', { type: 'button', class: 'usa-button usa-button--unstyled' }, d.name);
  button.addEventListener('click', () => download(`/documents/${d.id}`, d.name).catch((error) => announce(`Error: ${error.message}`)));
  return [button, d.size ? h('span', { class: 'muted small' }, ` ${Math.max(1, Math.round(d.size / 1024))} kB`) : null];
}

function answerForm(p, r, done) {
  const answer = h('textarea', { rows: '4', maxlength: '20000' });
  const file = h('input', { type: 'file', class: 'usa-file-input', accept: '.pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.txt,.csv' });
  return answeringForm({
    label: `Answer the ${r.agency} request`,
    submitLabel: 'Send answer',
    fields: [
      field({ label: 'Your answer', control: answer, field: 'answer', required: true }),
      field({ label: 'Attach a document', control: file, field: 'file', hint: 'PDF or an office document, up to 20 MB.' }),
    ],
    async send() {
      // The document is stored first; the answer then cites it by id.
      const documentIds = file.files?.[0] ? [(await upload(`/proposals/${p.id}/documents`, file.files[0])).id] : [];
      const body = { answer: answer.value.trim() };
      if (documentIds.length) body.documentIds = documentIds;
      await api.post(`/proposals/${p.id}/information-requests/${r.id}/answer`, body);
    },
    done: () => done(`Answer sent to ${r.agency}.`),
  });
}

/** An answer form: marks itself dirty while typed in (live refresh waits), sends, shows API errors at their fields. */
function answeringForm({ label, submitLabel, fields, send, done }) {
  const banner = h('div', { class: 'form-banner' });
  const submit = h('button', { type: 'submit', class: 'usa-button' }, submitLabel);
  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-label': label },
    banner,
    fields,
    h('div', { class: 'button-row' }, submit),
  );
  form.addEventListener('input', () => {
    form.dataset.dirty = 'true';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    try {
      await busy(submit, 'Sending…', send);
      delete form.dataset.dirty;
      done();
    } catch (error) {
      reportFormError(form, banner, error);
    }
  });
  return form;
}

/** How SBA's size standard fields are asked for (13 CFR 121.104, 121.106): label, input, and how the API wants the value. */
const SIZE_FIELDS = {
  naics: {
    label: 'Primary NAICS code',
    hint: '6 digits',
    make: () => h('input', { type: 'text', inputmode: 'numeric', maxlength: '6' }),
    read: (v) => v.trim(),
  },
  employees: {
    label: 'Average employees (last 24 months)',
    make: () => h('input', { type: 'number', min: '0', step: '1' }),
    read: (v) => Number(v),
  },
  averageAnnualReceiptsUsd: {
    label: 'Average annual receipts, USD (last 5 fiscal years)',
    make: () => h('input', { type: 'number', min: '0', step: 'any' }),
    read: (v) => Number(v),
  },
  usConcern: {
    label: 'A U.S. business concern?',
    make: () =>
      select(
        [
          { value: 'true', label: 'Yes' },
          { value: 'false', label: 'No' },
        ],
        { placeholder: 'Choose' },
      ),
    read: (v) => v === 'true',
  },
};

/** SBA's request for size figures: for each member it asked about, the fields its size standard still needs (answered as `data.members`). */
function sizeAnswerForm(p, r, done) {
  const asked = r.asked?.members ?? [];
  const rows = asked.map((member, index) => {
    const inputs = member.missing.filter((f) => SIZE_FIELDS[f]).map((f) => [f, SIZE_FIELDS[f].make()]);
    return {
      member,
      inputs,
      element: h(
        'fieldset',
        { class: 'usa-fieldset row-box' },
        h('legend', { class: 'usa-legend' }, member.name),
        inputs.map(([f, control]) =>
          field({ label: SIZE_FIELDS[f].label, hint: SIZE_FIELDS[f].hint, control, field: `data.members[${index}].${f}`, required: true }),
        ),
      ),
    };
  });
  return answeringForm({
    label: 'Answer SBA with size figures',
    submitLabel: 'Send figures',
    fields: rows.map((row) => row.element),
    send() {
      const members = rows.map(({ member, inputs }) => {
        const value = { name: member.name };
        for (const [f, control] of inputs) if (control.value.trim() !== '') value[f] = SIZE_FIELDS[f].read(control.value);
        return value;
      });
      return api.post(`/proposals/${p.id}/information-requests/${r.id}/answer`, { data: { members } });
    },
    done: () => done(`Figures sent to ${r.agency}.`),
  });
}

function documentsCard(p) {
  if (!p.documents?.length) return null;
  return section(
    'Documents',
    h(
      'ul',
      { class: 'plain-list' },
      p.documents.map((d) =>
        h('li', {}, documentLink(d), h('br'), h('span', { class: 'muted small' }, `SHA-256 ${String(d.sha256 ?? '').slice(0, 12)}…`)),
      ),
    ),
  );
}

/** GET /proposals/:id/versions: every body the applicant filed or amended, unchanged (docs/spec.md section 2.4b). */
function versionsCard(p) {
  const body = h('div', { class: 'stack' }, h('p', { class: 'muted small' }, 'Open to load every version as it was sent.'));
  const box = h('details', { class: 'versions' }, h('summary', {}, `Submitted versions (${p.version})`), body);
  let loaded = false;
  box.addEventListener('toggle', async () => {
    if (!box.open || loaded) return;
    loaded = true;
    body.replaceChildren(loading('Loading versions…'));
    try {
      const { items } = await api.get(`/proposals/${p.id}/versions`);
      const columns = ['Version', 'Submitted', 'By', 'Sections'];
      body.replaceChildren(
        table({
          caption: 'Submitted versions',
          columns,
          rows: items.map((v) =>
            dataRow(columns, [String(v.version), time(v.submittedAt), v.submittedBy ?? '—', Object.keys(v.body ?? {}).join(', ')]),
          ),
        }),
        ...items.map((v) =>
          h(
            'details',
            {},
            h('summary', {}, `Version ${v.version} as sent`),
            h('pre', { class: 'code-block' }, JSON.stringify(v.body, null, 2)),
          ),
        ),
      );
    } catch (error) {
      loaded = false;
      body.replaceChildren(errorBanner(error));
    }
  });
  return h('section', { class: 'card' }, h('h2', {}, 'Versions'), box);
}
