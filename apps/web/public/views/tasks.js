import { api, ApiError, query } from '../api.js';
import { append, clear, dataRow, facts, field, h, newId, select, table } from '../dom.js';
import { decisionsOf, instrument, mayRequire, rules } from '../rules.js';
import {
  announce,
  badge,
  busy,
  clearFieldErrors,
  codedList,
  DECISION_LABELS,
  emptyState,
  errorBanner,
  formatUsd,
  humanize,
  instrumentLabel,
  loading,
  pageHeader,
  pagination,
  reportFormError,
  shortId,
  taskTypeLabel,
  time,
} from '../ui.js';
import { userIsBusy, watch } from '../live.js';

/** The comment field's hint for what the decision requires (rules.js: 'ALWAYS', 'WHEN_NON_CONCURRENCE', 'NEVER'). */
const COMMENT_HINTS = {
  ALWAYS: 'Required for this decision.',
  WHEN_NON_CONCURRENCE: 'Required if any agency non-concurred.',
  NEVER: 'Optional for this decision.',
};
const KNOWN_TASK_KEYS = new Set([
  'id',
  'proposalId',
  'type',
  'agency',
  'status',
  'assignee',
  'dueAt',
  'escalated',
  'createdAt',
  'completedAt',
  'decision',
  'comment',
  'conditions',
  'data',
  'matches',
  'positions',
  'suggestions',
  'title',
  'proposalTitle',
  'members',
  'documents',
  'flags',
  'eccns',
  'targetMarkets',
]);

const isOpen = (task) => task.status === 'OPEN' || task.status === 'CLAIMED';
const isOverdue = (task) => isOpen(task) && task.dueAt && new Date(task.dueAt).getTime() < Date.now();

/** GET /tasks: the agency inbox, with claim, release and a completion form per task. */
export async function renderTasks(root, ctx) {
  ctx.setTitle('Inbox');
  const user = ctx.user;
  const canWork = ctx.hasRole(...rules().agencyStaffRoles);
  const isSupervisor = ctx.hasRole('SUPERVISOR');
  const mayAsk = ctx.mayCall('POST /proposals/:id/information-requests');
  const filters = {
    status: ctx.query.get('status') ?? '',
    type: ctx.query.get('type') ?? '',
    escalated: ctx.query.get('escalated') ?? '',
    due: ctx.query.get('due') ?? '',
    page: Math.max(1, Number(ctx.query.get('page')) || 1),
  };

  const status = select(
    rules().taskStatuses.map((s) => ({ value: s, label: humanize(s) })),
    { value: filters.status, placeholder: 'Any status' },
  );
  const type = select(
    Object.keys(rules().taskTypes).map((value) => ({ value, label: taskTypeLabel(value) })),
    { value: filters.type, placeholder: 'Any type' },
  );
  const escalatedSel = select(
    [
      { value: 'true', label: 'Escalated only' },
      { value: 'false', label: 'Not escalated' },
    ],
    { value: filters.escalated, placeholder: 'Escalated or not' },
  );
  const dueSel = select(
    [
      { value: 'overdue', label: 'Overdue' },
      { value: '1', label: 'Due within 1 day' },
      { value: '7', label: 'Due within 7 days' },
      { value: '30', label: 'Due within 30 days' },
    ],
    { value: filters.due, placeholder: 'Any due date' },
  );
  const filtered = Boolean(filters.status || filters.type || filters.escalated || filters.due);
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter tasks' },
    field({ label: 'Status', control: status, field: 'status' }),
    field({ label: 'Task type', control: type, field: 'type' }),
    field({ label: 'Escalation', control: escalatedSel, field: 'escalated' }),
    field({ label: 'Due', control: dueSel, field: 'due' }),
    h(
      'div',
      { class: 'filters__actions' },
      h('button', { type: 'submit', class: 'usa-button' }, 'Apply filters'),
      filtered ? h('a', { class: 'usa-button usa-button--outline', href: '#/tasks' }, 'Clear') : null,
      isSupervisor ? h('a', { class: 'usa-button usa-button--secondary', href: '#/tasks?escalated=true' }, 'Escalated queue') : null,
      h('button', { type: 'button', class: 'usa-button usa-button--outline', onClick: () => ctx.navigate(location.hash) }, 'Refresh'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(`#/tasks${query({ status: status.value, type: type.value, escalated: escalatedSel.value, due: dueSel.value })}`);
  });

  const subtitle = canWork
    ? `${user.agency ?? ''} tasks your role can take${isSupervisor ? ' (as supervisor: every task of the agency)' : ''}.`
    : 'Every agency’s tasks, read only.';
  const results = h('div', { 'aria-busy': 'true' }, loading('Loading tasks…'));
  root.append(pageHeader('Inbox', { subtitle }), h('div', { class: 'card card--flush' }, form), results);

  let page;
  const { due, ...rest } = filters;
  const dueParams = due === 'overdue' ? { overdue: 'true' } : due ? { dueWithinDays: due } : {};
  const listPath = `/tasks${query({ ...rest, ...dueParams, pageSize: 20 })}`;
  try {
    page = await api.get(listPath);
  } catch (error) {
    results.replaceChildren(errorBanner(error, { title: 'The inbox could not be loaded' }));
    results.setAttribute('aria-busy', 'false');
    return;
  }
  results.setAttribute('aria-busy', 'false');
  watch(
    ctx,
    () => api.get(listPath),
    () => {
      if (userIsBusy(root)) return false;
      announce('The inbox has changed');
      ctx.navigate(location.hash);
    },
    { initial: page },
  );
  if (!page.items.length) {
    results.replaceChildren(
      emptyState(
        filtered ? 'No tasks match these filters' : 'Your inbox is empty',
        filtered ? null : 'New tasks appear here when a proposal reaches your agency.',
      ),
    );
    return;
  }

  const open = page.items.filter(isOpen).length;
  const overdue = page.items.filter(isOverdue).length;
  const escalated = page.items.filter((t) => t.escalated && isOpen(t)).length;
  results.replaceChildren(
    h(
      'ul',
      { class: 'summary-chips', 'aria-label': 'On this page' },
      h('li', {}, h('strong', {}, String(page.total)), page.total === 1 ? ' task' : ' tasks'),
      h('li', {}, h('strong', {}, String(open)), ' open'),
      overdue ? h('li', { class: 'chip--danger' }, h('strong', {}, String(overdue)), ' overdue') : null,
      escalated ? h('li', { class: 'chip--warn' }, h('strong', {}, String(escalated)), ' escalated') : null,
    ),
    h(
      'ul',
      { class: 'task-list' },
      page.items.map((task) => taskCard(task, { user, canWork, isSupervisor, mayAsk, title: task.proposalTitle })),
    ),
    pagination(page, (n) => `#/tasks${query({ ...filters, page: n > 1 ? n : undefined })}`, 'Task pages'),
  );
}

function taskCard(initial, env) {
  const item = h('li', { class: 'task', dataset: { taskId: initial.id } });
  const draw = (task, message) => {
    clear(item);
    item.className = ['task', isOverdue(task) ? 'task--overdue' : null, task.escalated && isOpen(task) ? 'task--escalated' : null]
      .filter(Boolean)
      .join(' ');
    item.dataset.status = task.status;
    const headingId = newId('task');
    item.setAttribute('aria-labelledby', headingId);
    const claimedByOther = task.status === 'CLAIMED' && task.assignee && task.assignee !== env.user.username;
    const mayComplete = env.canWork && isOpen(task) && (!claimedByOther || env.isSupervisor);
    const banner = h('div', { class: 'form-banner', 'aria-live': 'polite' });

    const act = async (button, label, verb) => {
      banner.replaceChildren();
      try {
        const updated = await busy(button, label, () => api.post(`/tasks/${task.id}/${verb}`));
        announce(verb === 'claim' ? 'Task claimed' : 'Task released');
        draw(updated, verb === 'claim' ? 'You claimed this task.' : 'Task released to the agency queue.');
      } catch (error) {
        banner.replaceChildren(errorBanner(error));
      }
    };
    const actions = [];
    if (env.canWork && task.status === 'OPEN') {
      const claim = h('button', { type: 'button', class: 'usa-button usa-button--outline' }, 'Claim');
      claim.addEventListener('click', () => act(claim, 'Claiming…', 'claim'));
      actions.push(claim);
    }
    if (env.canWork && task.status === 'CLAIMED' && (task.assignee === env.user.username || env.isSupervisor)) {
      const release = h('button', { type: 'button', class: 'usa-button usa-button--unstyled' }, 'Release');
      release.addEventListener('click', () => act(release, 'Releasing…', 'release'));
      actions.push(release);
    }

    const due = task.dueAt
      ? h('span', {}, time(task.dueAt), isOverdue(task) ? h('span', { class: 'tag tag--danger' }, 'Overdue') : null)
      : '—';
    append(item, [
      h(
        'div',
        { class: 'task__head' },
        h(
          'div',
          {},
          h('h2', { class: 'task__title', id: headingId }, taskTypeLabel(task.type)),
          h(
            'p',
            { class: 'task__proposal' },
            'Proposal: ',
            h('a', { href: `#/proposals/${task.proposalId}` }, env.title ?? `Ref. ${shortId(task.proposalId)}`),
          ),
        ),
        h(
          'div',
          { class: 'task__badges' },
          badge(task.status),
          task.escalated ? h('span', { class: 'tag tag--warn' }, 'Escalated') : null,
          task.decision ? badge(task.decision) : null,
        ),
      ),
      facts(
        [
          ['Agency', task.agency],
          ['Assignee', task.assignee ?? 'Unassigned'],
          ['Due', due],
          ['Opened', time(task.createdAt)],
          [task.status === 'CANCELLED' ? 'Closed' : 'Completed', task.completedAt ? time(task.completedAt) : null],
        ],
        'facts facts--inline',
      ),
      message
        ? h('p', { class: 'success-line', role: 'status', tabindex: '-1', dataset: { result: 'true', at: String(Date.now()) } }, message)
        : null,
      context(task),
      task.comment || task.conditions?.length ? outcome(task) : null,
      banner,
      actions.length ? h('div', { class: 'button-row' }, actions) : null,
      claimedByOther && !env.isSupervisor && isOpen(task)
        ? h('p', { class: 'muted small' }, `Claimed by ${task.assignee}; only they or a supervisor can complete it.`)
        : null,
      env.mayAsk && rules().taskTypes[task.type]?.asksApplicant && isOpen(task)
        ? [
            askForm(task, () => draw(task, 'Request sent to the applicant. The task is paused until they answer.')),
            h(
              'p',
              { class: 'small' },
              h('a', { href: `#/proposals/${task.proposalId}` }, 'Answers and documents are on the proposal page'),
            ),
          ]
        : null,
      env.isSupervisor && isOpen(task) ? reassignForm(task, (updated) => draw(updated, `Reassigned to ${updated.assignee}.`)) : null,
      mayComplete ? completionForm(task, (updated) => draw(updated, `Decision recorded: ${humanize(updated.decision)}.`)) : null,
    ]);
    // After an action, focus moves to its result message (keyboard and screen-reader users hear the outcome).
    if (message) item.querySelector('[data-result]')?.focus();
  };
  draw(initial);
  return item;
}

function outcome(task) {
  return h(
    'div',
    { class: 'task__outcome' },
    task.conditions?.length
      ? [
          h('p', { class: 'small strong' }, 'Conditions'),
          h(
            'ul',
            { class: 'plain-list' },
            task.conditions.map((c) => h('li', {}, c)),
          ),
        ]
      : null,
    task.comment ? h('p', { class: 'quote' }, task.comment) : null,
  );
}

/** What the decider needs to see: list matches, agencies' positions, suggested routes, other form data. */
function context(task) {
  const parts = [];
  if (task.type === 'SCREENING_ADJUDICATION') {
    parts.push(
      task.matches?.length ? adjudicationTable(task.matches) : h('p', { class: 'muted' }, 'No match details were attached to this task.'),
    );
  }
  if (task.type === 'SBA_REFERRAL' && task.members?.length) parts.push(sizeTable(task.members));
  if (task.documents?.length) {
    parts.push(
      h('p', { class: 'small strong' }, 'Documents to obtain from the applicant before accepting'),
      h(
        'ul',
        { class: 'usa-list' },
        task.documents.map((d) => h('li', {}, d.title ?? humanize(d.code), ' ', h('code', { class: 'code-tag' }, d.code))),
      ),
    );
  }
  if (task.flags?.length) {
    parts.push(h('p', { class: 'small strong' }, 'Export-control flags'), codedList(task.flags, 'warn'));
  }
  if (task.eccns?.length || task.targetMarkets?.length)
    parts.push(
      facts(
        [
          ['ECCNs', task.eccns?.length ? task.eccns.join(', ') : null],
          ['Target markets', task.targetMarkets?.length ? task.targetMarkets.join(', ') : null],
        ],
        'facts facts--compact',
      ),
    );
  if (task.positions?.length) {
    parts.push(
      table({
        caption: 'Agency positions',
        hideCaption: false,
        className: 'table--compact',
        columns: ['Agency', 'Position', 'Conditions / comment'],
        rows: task.positions.map((p) =>
          dataRow(
            ['Agency', 'Position', 'Conditions / comment'],
            [
              p.agency,
              badge(p.position ?? p.decision ?? 'PENDING'),
              [...(p.conditions ?? []), p.comment].filter(Boolean).join(' — ') || '—',
            ],
          ),
        ),
      }),
    );
  }
  if (task.suggestions?.length) {
    parts.push(
      table({
        caption: 'Suggested routes',
        hideCaption: false,
        className: 'table--compact',
        columns: ['Instrument', 'Agency', 'Amount', 'Warnings'],
        rows: task.suggestions.map((s) =>
          dataRow(
            ['Instrument', 'Agency', 'Amount', 'Warnings'],
            [instrumentLabel(s.instrumentId), s.agency, formatUsd(s.amountUsd), s.warnings?.length ? s.warnings.join('; ') : '—'],
          ),
        ),
      }),
    );
  }
  const extra = Object.entries(task).filter(
    ([key, value]) => !KNOWN_TASK_KEYS.has(key) && value !== null && value !== undefined && typeof value !== 'object',
  );
  if (extra.length)
    parts.push(
      facts(
        extra.map(([key, value]) => [
          humanize(key.replace(/([a-z])([A-Z])/g, '$1_$2')),
          key === 'instrumentId' ? instrumentLabel(value) : /usd$/i.test(key) ? formatUsd(value) : String(value),
        ]),
        'facts facts--compact',
      ),
    );
  return parts.length ? h('div', { class: 'task__context' }, parts) : null;
}

/** Each screened party beside the list entry it matched, with what the list says of that entry (type, programs, countries, aliases, remarks). */
function adjudicationTable(matches) {
  const columns = ['Party as submitted', 'Listed entry', 'Score'];
  return table({
    caption: 'Possible screening list matches: the party beside the listed entry',
    hideCaption: false,
    className: 'table--compact table--adjudication',
    columns,
    rows: matches.map((m) =>
      dataRow(columns, [
        [h('strong', {}, m.party ?? '—'), m.role ? h('p', { class: 'muted small' }, humanize(m.role)) : null],
        [
          h('strong', {}, m.listedName ?? '—'),
          facts(
            [
              ['Matched name', m.matchedName && m.matchedName !== m.listedName ? m.matchedName : null],
              ['List', m.source],
              ['Type', m.entry?.type || null],
              ['Programs', m.entry?.programs?.length ? m.entry.programs.join(', ') : null],
              ['Countries', m.entry?.countries?.length ? m.entry.countries.join(', ') : null],
              ['Also known as', m.entry?.altNames?.length ? m.entry.altNames.join('; ') : null],
              ['Remarks', m.entry?.remarks || null],
            ],
            'facts facts--compact',
          ),
        ],
        typeof m.score === 'number' ? `${Math.round(m.score * 100)} %` : '—',
      ]),
    ),
  });
}

/** What SBA decides on: each member's size determination, with the NAICS standard and the table edition it applied (13 CFR 121.201). */
function sizeTable(members) {
  const columns = ['Member', 'Size', 'Standard applied', 'Measured', 'Reason'];
  return table({
    caption: 'Members and the size standard applied',
    hideCaption: false,
    className: 'table--compact',
    columns,
    rows: members.map((m) => {
      const standard = m.standard;
      const unit = (value) => (standard?.type === 'employees' ? `${Number(value).toLocaleString()} employees` : formatUsd(value));
      return dataRow(columns, [
        m.name ?? '—',
        badge(m.status),
        standard
          ? [
              `NAICS ${standard.naics}: ${unit(standard.value)}`,
              h('br'),
              h(
                'span',
                { class: 'muted small' },
                `${standard.source ?? m.table?.source ?? 'SBA table'}, effective ${standard.tableEffective ?? m.table?.effective}`,
              ),
            ]
          : h('span', { class: 'muted small' }, m.table ? `None applied (table effective ${m.table.effective})` : '—'),
        m.measure !== undefined && m.measure !== null ? unit(m.measure) : '—',
        m.reason ?? '—',
      ]);
    }),
  });
}

/** Ask the applicant (POST /proposals/:id/information-requests): the task's clock pauses until the answer. */
function askForm(task, done) {
  const question = h('textarea', { rows: '3', maxlength: '10000' });
  if (task.documents?.length) question.value = `Please send: ${task.documents.map((d) => d.title ?? humanize(d.code)).join('; ')}.`;
  const banner = h('div', { class: 'form-banner', tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'usa-button usa-button--outline' }, 'Send request');
  const form = h(
    'form',
    { class: 'stack task__form', novalidate: true, 'aria-label': `Ask the applicant about ${taskTypeLabel(task.type)}` },
    banner,
    field({
      label: 'Question to the applicant',
      control: question,
      field: 'question',
      required: true,
      hint: 'The applicant sees this question, never who asked it.',
    }),
    h('div', { class: 'button-row' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    try {
      await busy(submit, 'Sending…', () =>
        api.post(`/proposals/${task.proposalId}/information-requests`, { question: question.value.trim() }),
      );
      announce('Request sent to the applicant');
      done();
    } catch (error) {
      reportFormError(form, banner, error);
    }
  });
  return h('details', { class: 'task__decide' }, h('summary', {}, 'Ask the applicant'), form);
}

/** An editable list of {instrumentId, agency, amountUsd} for FINANCING_ASSIGNMENT, prefilled with the suggestions. */
function assignmentsEditor(suggestions) {
  const rows = h('div', { class: 'repeater__rows' });
  const addRow = (initial = {}) => {
    const { financingInstruments, financingAgencies } = rules();
    const choice = select(
      financingInstruments.map((i) => ({ value: i.id, label: `${i.agency}: ${i.label}` })),
      { value: initial.instrumentId ?? '', placeholder: 'Choose an instrument' },
    );
    const agency = select(financingAgencies, { value: initial.agency ?? '', placeholder: 'Choose' });
    const amount = h('input', { type: 'number', min: '0', step: 'any', value: initial.amountUsd ?? '' });
    choice.addEventListener('change', () => {
      const found = instrument(choice.value);
      if (found && financingAgencies.includes(found.agency)) agency.value = found.agency;
    });
    const remove = h('button', { type: 'button', class: 'usa-button usa-button--unstyled' }, 'Remove');
    const row = h(
      'div',
      { class: 'grid grid--assign assignment' },
      field({ label: 'Instrument', control: choice }),
      field({ label: 'Agency', control: agency }),
      field({ label: 'Amount (USD)', control: amount }),
      h('div', { class: 'row-box__actions' }, remove),
    );
    row.read = () => {
      const value = { instrumentId: choice.value, agency: agency.value };
      if (amount.value !== '') value.amountUsd = Number(amount.value);
      return value;
    };
    remove.addEventListener('click', () => row.remove());
    rows.append(row);
  };
  for (const s of suggestions ?? []) addRow(s);
  const add = h('button', { type: 'button', class: 'usa-button usa-button--outline', onClick: () => addRow() }, '+ Add assignment');
  const box = h(
    'fieldset',
    { class: 'group', dataset: { field: 'data.assignments' } },
    h('legend', {}, 'Assignments'),
    h('p', { class: 'hint' }, 'One financing referral opens per assignment. Leave none to close financing without referrals.'),
    h('p', { class: 'field-error', hidden: true }),
    rows,
    add,
  );
  box.read = () => [...rows.children].map((row) => row.read()).filter((a) => a.instrumentId || a.agency);
  return box;
}

/**
 * The decision form of a task: the type's decisions from the server's rules, and for the chosen one
 * the fields it needs (conditions, a comment, data such as assignments or the committed amount).
 */
function completionForm(task, done) {
  const decisions = decisionsOf(task.type);
  const ruleOf = (code) => decisions.find((d) => d.code === code);
  const anyNeeds = (dataField) => decisions.some((d) => mayRequire(d.data?.[dataField]));
  const name = newId('decision');
  const radios = decisions.map(({ code }) => {
    const id = newId('dec');
    return h(
      'div',
      { class: 'usa-radio check' },
      h('input', { class: 'usa-radio__input', type: 'radio', name, id, value: code, checked: decisions.length === 1 }),
      h('label', { class: 'usa-radio__label', for: id }, DECISION_LABELS[code] ?? humanize(code)),
    );
  });
  const decisionGroup = h(
    'fieldset',
    { class: 'group usa-fieldset usa-form-group', dataset: { field: 'decision' } },
    h('legend', { class: 'usa-legend' }, 'Decision'),
    h('p', { class: 'field-error', hidden: true }),
    h('div', { class: 'check-row' }, radios),
  );
  const conditions = h('textarea', { rows: '3' });
  const conditionsField = field({ label: 'Conditions', control: conditions, field: 'conditions', hint: 'One condition per line.' });
  conditionsField.hidden = true;
  const amount = h('input', { type: 'number', min: '0', step: 'any', value: task.amountUsd ?? '' });
  const amountField = field({ label: 'Amount committed (USD)', control: amount, field: 'data.amountUsd' });
  amountField.hidden = true;
  const assignments = anyNeeds('assignments') ? assignmentsEditor(task.suggestions) : null;
  const comment = h('textarea', { rows: '3', maxlength: '10000' });
  const commentField = field({ label: 'Comment', control: comment, field: 'comment', hint: 'Optional for this decision.' });
  const banner = h('div', { class: 'form-banner' });
  const submit = h('button', { type: 'submit', class: 'usa-button' }, 'Record decision');
  const chosen = () => decisionGroup.querySelector('input:checked')?.value ?? '';
  const needs = (code, what) => mayRequire(what === 'comment' || what === 'conditions' ? ruleOf(code)?.[what] : ruleOf(code)?.data?.[what]);
  const sync = () => {
    const d = chosen();
    conditionsField.hidden = !needs(d, 'conditions');
    amountField.hidden = !needs(d, 'amountUsd');
    if (assignments) assignments.hidden = !needs(d, 'assignments');
    const hint = commentField.querySelector('.hint');
    hint.textContent = COMMENT_HINTS[ruleOf(d)?.comment] ?? COMMENT_HINTS.NEVER;
  };
  decisionGroup.addEventListener('change', sync);

  const form = h(
    'form',
    { class: 'stack task__form', novalidate: true, 'aria-label': `Complete ${taskTypeLabel(task.type)} task` },
    banner,
    decisionGroup,
    conditionsField,
    amountField,
    assignments,
    commentField,
    h('div', { class: 'button-row' }, submit),
  );
  sync();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    const decision = chosen();
    if (!decision) {
      reportFormError(
        form,
        banner,
        new ApiError(400, { message: 'Choose a decision.', details: [{ field: 'decision', message: 'Choose one of the decisions.' }] }),
      );
      return;
    }
    const payload = { decision };
    if (comment.value.trim()) payload.comment = comment.value.trim();
    if (needs(decision, 'conditions'))
      payload.conditions = conditions.value
        .split('\n')
        .map((c) => c.trim())
        .filter(Boolean);
    const data = {};
    if (needs(decision, 'amountUsd') && amount.value !== '') data.amountUsd = Number(amount.value);
    if (assignments && needs(decision, 'assignments')) data.assignments = assignments.read();
    if (Object.keys(data).length) payload.data = data;
    try {
      const updated = await busy(submit, 'Recording…', () => api.post(`/tasks/${task.id}/complete`, payload));
      announce('Decision recorded');
      done(updated);
    } catch (error) {
      reportFormError(form, banner, error);
    }
  });

  const details = h('details', { class: 'task__decide' }, h('summary', {}, 'Decide'), form);
  return details;
}

/**
 * A supervisor hands the task to another user of the agency (POST /tasks/:id/reassignment {assignee, reason}),
 * picked from GET /tasks/:id/eligible-assignees.
 */
function reassignForm(task, done) {
  const assignee = h('select', { disabled: true }, h('option', { value: '' }, 'Open to load the users'));
  const reason = h('textarea', { rows: '2', maxlength: '2000' });
  const banner = h('div', { class: 'form-banner', tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'usa-button usa-button--outline' }, 'Reassign');
  const form = h(
    'form',
    { class: 'stack task__form', novalidate: true, 'aria-label': `Reassign ${taskTypeLabel(task.type)} task` },
    banner,
    field({ label: 'New assignee', control: assignee, field: 'assignee', required: true }),
    field({ label: 'Reason', control: reason, field: 'reason', required: true }),
    h('div', { class: 'button-row' }, submit),
  );
  const details = h('details', { class: 'task__decide' }, h('summary', {}, 'Reassign'), form);
  // Asked on first opening, not per card drawn: most cards of an inbox are never reassigned.
  let asked = false;
  details.addEventListener('toggle', () => {
    if (!details.open || asked) return;
    assignee.replaceChildren(h('option', { value: '' }, 'Loading…'));
    asked = true;
    api.get(`/tasks/${task.id}/eligible-assignees`).then(
      ({ items }) => {
        // The current holder is left out: reassigning to them would change nothing (409).
        const others = items.filter((user) => user.username !== task.assignee);
        assignee.replaceChildren(
          h('option', { value: '' }, others.length ? 'Choose a user' : 'No other eligible user'),
          ...others.map(({ username, displayName }) =>
            h('option', { value: username }, displayName ? `${displayName} (${username})` : username),
          ),
        );
        assignee.disabled = false;
      },
      (error) => {
        asked = false; // the next opening asks again
        assignee.replaceChildren(h('option', { value: '' }, 'Could not load the users'));
        reportFormError(form, banner, error);
      },
    );
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    try {
      const updated = await busy(submit, 'Reassigning…', () =>
        api.post(`/tasks/${task.id}/reassignment`, { assignee: assignee.value, reason: reason.value.trim() }),
      );
      announce('Task reassigned');
      done(updated);
    } catch (error) {
      reportFormError(form, banner, error);
      banner.focus();
    }
  });
  return details;
}
