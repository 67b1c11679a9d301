import { api, ApiError } from '../api.js';
import { checkbox, field, h, newId, select } from '../dom.js';
import { rules } from '../rules.js';
import {
  announce,
  busy,
  clearFieldErrors,
  formatDateTime,
  humanize,
  layerLabel,
  notice,
  pageHeader,
  reportFormError,
  sectorLabel,
  stepIndicator,
} from '../ui.js';

const text = (attrs = {}) => h('input', { type: 'text', autocomplete: 'off', ...attrs });
const area = (rows = 3, attrs = {}) => h('textarea', { rows: String(rows), ...attrs });
const number = (attrs = {}) => h('input', { type: 'number', inputmode: 'decimal', step: 'any', min: '0', ...attrs });
const trimmed = (el) => el.value.trim();
/** crypto.randomUUID needs a secure context; getRandomValues works everywhere. */
function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ui-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
const list = (value) =>
  value
    .split(/[,;\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);

/** A fieldset whose API path can carry errors (e.g. "consortium.members" must not be empty). */
function groupBox(legend, apiField, ...content) {
  const errorId = newId('grp-error');
  const box = h(
    'fieldset',
    { class: 'group', 'aria-describedby': errorId },
    h('legend', {}, legend),
    h('p', { class: 'field-error', id: errorId, hidden: true }),
    content,
  );
  if (apiField) box.dataset.field = apiField;
  return box;
}

/**
 * A repeatable list of rows (members, applications, support requests). Rows renumber their API
 * paths (consortium.members[2].country) and legends when one is removed, so errors land right.
 */
function repeater({ makeRow, addLabel, min = 0, onChange }) {
  const rows = [];
  const container = h('div', { class: 'repeater__rows' });
  const add = h('button', { type: 'button', class: 'usa-button usa-button--outline' }, addLabel);
  const renumber = () => {
    rows.forEach((row, index) => {
      row.setIndex(index);
      row.remove.disabled = rows.length <= min;
    });
    onChange?.();
  };
  const addRow = (focus) => {
    const row = makeRow();
    row.remove.addEventListener('click', () => {
      const at = rows.indexOf(row);
      rows.splice(at, 1);
      row.element.remove();
      renumber();
      announce(`${row.noun} removed`);
      (rows[Math.min(at, rows.length - 1)]?.firstInput ?? add).focus();
    });
    rows.push(row);
    container.append(row.element);
    renumber();
    if (focus) {
      row.firstInput.focus();
      announce(`${row.noun} added`);
    }
    return row;
  };
  add.addEventListener('click', () => addRow(true));
  return { rows, element: h('div', { class: 'repeater' }, container, add), addRow };
}

/** Tracks field paths on a row's inputs: setPath('country') -> data-field="<prefix>[i].country". */
function pathed(prefix) {
  const entries = [];
  return {
    bind(el, sub) {
      entries.push([el, sub]);
      return el;
    },
    apply(index) {
      for (const [el, sub] of entries) el.dataset.field = sub ? `${prefix}[${index}].${sub}` : `${prefix}[${index}]`;
    },
  };
}

function memberRow() {
  const paths = pathed('consortium.members');
  const name = paths.bind(text({ autocomplete: 'organization' }), 'name');
  const country = paths.bind(text({ maxlength: '2', class: 'input--short', autocapitalize: 'characters' }), 'country');
  const parentName = paths.bind(text(), 'ultimateParentName');
  const parentCountry = paths.bind(text({ maxlength: '2', class: 'input--short', autocapitalize: 'characters' }), 'ultimateParentCountry');
  const layerBoxes = rules().stackLayers.map((value) => checkbox({ label: layerLabel(value), value, name: 'layers' }));
  const layers = paths.bind(groupBox('Stack layers this member provides', null, h('div', { class: 'check-row' }, layerBoxes)), 'layers');
  const usConcern = paths.bind(
    select(
      [
        { value: 'true', label: 'Yes' },
        { value: 'false', label: 'No' },
      ],
      { placeholder: 'Not stated' },
    ),
    'usConcern',
  );
  const naics = paths.bind(text({ inputmode: 'numeric', maxlength: '6', class: 'input--short' }), 'naics');
  const employees = paths.bind(number({ step: '1', inputmode: 'numeric' }), 'employees');
  const receipts = paths.bind(number(), 'averageAnnualReceiptsUsd');
  const remove = h('button', { type: 'button', class: 'usa-button usa-button--unstyled' }, 'Remove member');
  const legend = h('legend', {});
  const element = h(
    'fieldset',
    { class: 'row-box' },
    legend,
    h(
      'div',
      { class: 'grid grid--3' },
      field({ label: 'Name', control: name, required: true, className: 'span-2' }),
      field({ label: 'Country', control: country, required: true, hint: 'ISO code, e.g. US' }),
      field({ label: 'Ultimate parent name', control: parentName, className: 'span-2' }),
      field({ label: 'Ultimate parent country', control: parentCountry, hint: 'ISO code' }),
    ),
    layers,
    h(
      'div',
      { class: 'grid grid--4' },
      field({ label: 'U.S. concern', control: usConcern, hint: 'For SBA referral' }),
      field({ label: 'NAICS code', control: naics, hint: '2–6 digits' }),
      field({ label: 'Employees', control: employees }),
      field({ label: 'Average annual receipts (USD)', control: receipts }),
    ),
    h('div', { class: 'row-box__actions' }, remove),
  );
  const row = {
    noun: 'Member',
    element,
    remove,
    firstInput: name,
    name,
    uid: newId('member'),
    setIndex(index) {
      legend.textContent = `Member ${index + 1}`;
      remove.setAttribute('aria-label', `Remove member ${index + 1}`);
      paths.apply(index);
    },
    /** Shows a stored member (an amendment starts from the submission as filed). */
    fill(m) {
      name.value = m.name ?? '';
      country.value = m.country ?? '';
      parentName.value = m.ultimateParentName ?? '';
      parentCountry.value = m.ultimateParentCountry ?? '';
      for (const box of layerBoxes) box.querySelector('input').checked = (m.layers ?? []).includes(box.querySelector('input').value);
      usConcern.value = m.usConcern === undefined ? '' : String(m.usConcern);
      naics.value = m.naics ?? '';
      employees.value = m.employees ?? '';
      receipts.value = m.averageAnnualReceiptsUsd ?? '';
    },
    isBlank() {
      return (
        ![name, country, parentName, parentCountry, naics, employees, receipts].some((el) => trimmed(el)) &&
        !usConcern.value &&
        !layerBoxes.some((b) => b.querySelector('input').checked)
      );
    },
    value() {
      const member = { name: trimmed(name), country: trimmed(country).toUpperCase() };
      if (trimmed(parentName)) member.ultimateParentName = trimmed(parentName);
      if (trimmed(parentCountry)) member.ultimateParentCountry = trimmed(parentCountry).toUpperCase();
      const chosen = layerBoxes
        .map((b) => b.querySelector('input'))
        .filter((i) => i.checked)
        .map((i) => i.value);
      if (chosen.length) member.layers = chosen;
      if (usConcern.value) member.usConcern = usConcern.value === 'true';
      if (trimmed(naics)) member.naics = trimmed(naics);
      if (trimmed(employees)) member.employees = Number(employees.value);
      if (trimmed(receipts)) member.averageAnnualReceiptsUsd = Number(receipts.value);
      return member;
    },
  };
  return row;
}

/** A removable row of inline fields in a repeatable list, numbered ("Application 2") by setIndex. */
function inlineRow({ noun, gridClass, paths, fields }) {
  const remove = h('button', { type: 'button', class: 'usa-button usa-button--unstyled' }, 'Remove');
  const legend = h('legend', {});
  const element = h(
    'fieldset',
    { class: 'row-box row-box--inline' },
    legend,
    h(
      'div',
      { class: `grid ${gridClass}` },
      fields.map(([label, control]) => field({ label, control })),
      h('div', { class: 'row-box__actions' }, remove),
    ),
  );
  return {
    noun,
    element,
    remove,
    firstInput: fields[0][1],
    setIndex(index) {
      legend.textContent = `${noun} ${index + 1}`;
      remove.setAttribute('aria-label', `Remove ${noun.toLowerCase()} ${index + 1}`);
      paths.apply(index);
    },
  };
}

function applicationRow() {
  const paths = pathed('stack.applications');
  const sector = paths.bind(
    select(
      rules().applicationSectors.map((value) => ({ value, label: sectorLabel(value) })),
      { placeholder: 'Choose a sector' },
    ),
    'sector',
  );
  const description = paths.bind(area(2), 'description');
  return {
    ...inlineRow({
      noun: 'Application',
      gridClass: 'grid--app',
      paths,
      fields: [
        ['Sector', sector],
        ['What it does', description],
      ],
    }),
    fill(a) {
      sector.value = a.sector ?? '';
      description.value = a.description ?? '';
    },
    isBlank: () => !sector.value && !trimmed(description),
    value: () => ({ sector: sector.value, description: trimmed(description) }),
  };
}

function supportRow() {
  const paths = pathed('federalSupport');
  const instrument = paths.bind(
    select(
      rules().financingInstruments.map((i) => ({ value: i.id, label: `${i.agency}: ${i.label}` })),
      { placeholder: 'Choose an instrument' },
    ),
    'instrumentId',
  );
  const amount = paths.bind(number(), 'amountUsd');
  const notes = paths.bind(text(), 'notes');
  return {
    ...inlineRow({
      noun: 'Support request',
      gridClass: 'grid--support',
      paths,
      fields: [
        ['Instrument', instrument],
        ['Amount (USD)', amount],
        ['Notes', notes],
      ],
    }),
    fill(item) {
      instrument.value = item.instrumentId ?? '';
      amount.value = item.amountUsd ?? '';
      notes.value = item.notes ?? '';
    },
    isBlank: () => !instrument.value && !trimmed(amount) && !trimmed(notes),
    value() {
      const item = { instrumentId: instrument.value };
      if (trimmed(amount)) item.amountUsd = Number(amount.value);
      if (trimmed(notes)) item.notes = trimmed(notes);
      return item;
    },
  };
}

/** Which form step supplies each EO 14320 sec. 3(b) element intake checks (libs/domain/intake/completeness.ts codes). */
const STEP_OF_DEFICIENCY = {
  MISSING_HARDWARE: 1,
  MISSING_US_MANUFACTURING_STATEMENT: 1,
  MISSING_DATA_PIPELINES: 1,
  MISSING_MODELS: 1,
  MISSING_SECURITY: 1,
  MISSING_APPLICATIONS: 1,
  MISSING_TARGET_MARKETS: 2,
  MISSING_BUSINESS_MODEL: 2,
  MISSING_FEDERAL_SUPPORT: 3,
  MISSING_COMPLIANCE_ATTESTATION: 3,
};

const gapSteps = (check) => new Set((check?.deficiencies ?? []).map((d) => STEP_OF_DEFICIENCY[d.code]).filter((i) => i !== undefined));

/** The last step: what intake will find, by the server's own rules, with a way back to each step that has gaps. */
function reviewSummary(check, show) {
  const parts = [];
  if (check.eligibility?.eligible === false) {
    parts.push(
      notice(
        'error',
        'Intake will find this package ineligible',
        h(
          'ul',
          { class: 'usa-list' },
          check.eligibility.reasons.map((r) => h('li', {}, h('code', { class: 'code-tag' }, r.code), ' ', r.message)),
        ),
      ),
    );
  }
  if (check.deficiencies.length) {
    parts.push(
      h(
        'div',
        { class: 'usa-summary-box', role: 'region', 'aria-labelledby': 'gaps-heading' },
        h(
          'div',
          { class: 'usa-summary-box__body' },
          h(
            'h3',
            { class: 'usa-summary-box__heading', id: 'gaps-heading' },
            check.deficiencies.length === 1 ? 'One required element missing' : `${check.deficiencies.length} required elements missing`,
          ),
          h(
            'div',
            { class: 'usa-summary-box__text' },
            h('p', {}, 'You can file now: the proposal will be returned for information and you can amend it. Or go back and add:'),
            h(
              'ul',
              { class: 'usa-list deficiency-preview' },
              check.deficiencies.map((d) =>
                h(
                  'li',
                  { dataset: { code: d.code } },
                  h('span', { class: 'eo-ref' }, `EO 14320 sec. ${d.eoRef}`),
                  ' ',
                  d.message,
                  ' ',
                  h(
                    'button',
                    { type: 'button', class: 'usa-button usa-button--unstyled', onClick: () => show(STEP_OF_DEFICIENCY[d.code] ?? 0) },
                    'Edit this step',
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  } else {
    parts.push(notice('success', null, h('p', {}, 'Every element EO 14320 sec. 3(b) asks for is present.')));
  }
  return parts;
}

/** The new-proposal form: the docs/spec.md section 7 body, sending only what was filled in. */
export async function renderNewProposal(root, ctx) {
  proposalForm(root, ctx, {
    heading: 'New proposal',
    subtitle:
      'File a full-stack American AI export package (EO 14320 sec. 3(b)). Fields marked * are required to file; the rest are checked for completeness after filing.',
    intro:
      'After filing, the proposal is checked for completeness, eligibility and export-control screening within moments. If anything is missing you can amend it.',
    sendLabel: 'File proposal',
    sendingLabel: 'Filing…',
    cancelHref: '#/proposals',
    async send(payload, idempotencyKey) {
      const created = await api.post('/proposals', payload, { 'Idempotency-Key': idempotencyKey });
      announce('Proposal filed');
      ctx.navigate(`#/proposals/${created.id}`);
    },
  });
}

/**
 * An amendment (POST /proposals/:id/amendments) in the same guided form, starting from the submission
 * as stored; the whole body is sent, so every section it gives replaces the stored one.
 */
export async function renderAmendment(root, ctx) {
  const [id] = ctx.params;
  const proposal = await api.get(`/proposals/${encodeURIComponent(id)}`);
  if (proposal.status !== 'RETURNED_FOR_INFORMATION') {
    root.append(
      pageHeader(`Amend: ${proposal.title}`),
      notice(
        'warn',
        'Nothing to amend',
        h('p', {}, `The proposal is ${humanize(proposal.status).toLowerCase()}; only a proposal returned for information can be amended.`),
      ),
      h('p', {}, h('a', { href: `#/proposals/${proposal.id}` }, 'Back to the proposal')),
    );
    return;
  }
  proposalForm(root, ctx, {
    heading: `Amend: ${proposal.title}`,
    subtitle: `Version ${proposal.version} as filed. Supply what is missing${proposal.amendBy ? ` by ${formatDateTime(proposal.amendBy)}` : ''}; every step can be changed.`,
    intro: 'The proposal is screened again as soon as the amendment is received.',
    sendLabel: 'Send amendment',
    sendingLabel: 'Sending…',
    cancelHref: `#/proposals/${proposal.id}`,
    initial: proposal.submission,
    async send(payload) {
      await api.post(`/proposals/${proposal.id}/amendments`, payload);
      announce('Amendment received');
      ctx.navigate(`#/proposals/${proposal.id}`);
    },
  });
}

function proposalForm(root, ctx, { heading, subtitle, intro, sendLabel, sendingLabel, cancelHref, initial, send }) {
  ctx.setTitle(heading);
  const title = text({ name: 'title', maxlength: '300' });
  const summary = area(3, { name: 'summary' });

  const consortiumName = text({ name: 'consortiumName', autocomplete: 'organization' });
  const anchor = h('select', { name: 'anchorMember' });
  let anchorUid = null;
  const members = repeater({ makeRow: memberRow, addLabel: '+ Add member', min: 1, onChange: () => refreshAnchor() });
  function refreshAnchor() {
    const rows = members.rows;
    if (!rows.some((r) => r.uid === anchorUid)) anchorUid = rows[0]?.uid ?? null;
    anchor.replaceChildren(...rows.map((r, i) => h('option', { value: r.uid }, trimmed(r.name) || `Member ${i + 1} (name not yet given)`)));
    if (anchorUid) anchor.value = anchorUid;
  }
  anchor.addEventListener('change', () => {
    anchorUid = anchor.value;
  });

  const hwDescription = area(2);
  const hwUsContent = number({ max: '100', class: 'input--short' });
  const hwStatement = area(2);
  const hwEccns = text({ class: 'input--medium' });
  const dataDescription = area(2);
  const modelsDescription = area(2);
  const securityDescription = area(2);
  const applications = repeater({ makeRow: applicationRow, addLabel: '+ Add application' });

  const markets = text({ name: 'targetMarkets', class: 'input--medium', autocapitalize: 'characters' });
  const builder = text();
  const owner = text();
  const operator = text();
  const bmDescription = area(2);
  const support = repeater({ makeRow: supportRow, addLabel: '+ Add support request' });

  const attest = checkbox({
    label:
      'The consortium attests that the package complies with U.S. export controls, including the Export Administration Regulations, and with outbound investment rules (EO 14320 sec. 3(b)(v)).',
    field: 'compliance.exportControlAttestation',
  });
  const outbound = checkbox({
    label: 'The consortium also attests compliance with the outbound investment security program (31 CFR part 850).',
    field: 'compliance.outboundInvestmentAttestation',
  });
  const endUser = area(2);

  const banner = h('div', { class: 'form-banner' });
  const submit = h('button', { type: 'submit', class: 'usa-button usa-button--big' }, sendLabel);
  const back = h('button', { type: 'button', class: 'usa-button usa-button--outline' }, 'Back');
  const next = h('button', { type: 'submit', class: 'usa-button' }, 'Next');
  const review = h('div', { class: 'stack', 'aria-live': 'polite' });

  const steps = [
    {
      label: 'Package and consortium',
      content: [
        h(
          'div',
          { class: 'card' },
          field({ label: 'Title', control: title, field: 'title', required: true }),
          field({
            label: 'Summary',
            control: summary,
            field: 'summary',
            hint: 'A few sentences on what the package delivers and to whom.',
          }),
        ),
        h(
          'div',
          { class: 'card' },
          h('p', { class: 'muted small' }, 'Every member and its ultimate parent is screened against the Consolidated Screening List.'),
          h(
            'div',
            { class: 'grid grid--2' },
            field({ label: 'Consortium name', control: consortiumName, field: 'consortium.name', required: true }),
            field({
              label: 'Anchor member',
              control: anchor,
              field: 'consortium.anchorMember',
              required: true,
              hint: 'The member filing on the consortium’s behalf.',
            }),
          ),
          groupBox('Members', 'consortium.members', members.element),
        ),
      ],
    },
    {
      label: 'AI stack',
      content: [
        h(
          'div',
          { class: 'card' },
          h('p', { class: 'muted small' }, 'EO 14320 sec. 3(b)(i) asks for every layer of the stack.'),
          groupBox(
            'Hardware',
            'stack.hardware',
            field({
              label: 'Description',
              control: hwDescription,
              field: 'stack.hardware.description',
              hint: 'Chips, servers, cloud services, networking.',
            }),
            h(
              'div',
              { class: 'grid grid--2' },
              field({ label: 'U.S. content (%)', control: hwUsContent, field: 'stack.hardware.usContentPct' }),
              field({ label: 'ECCNs', control: hwEccns, field: 'stack.hardware.eccns', hint: 'Comma-separated, e.g. 3A090, 4A090' }),
            ),
            field({ label: 'Extent of U.S. manufacture', control: hwStatement, field: 'stack.hardware.usManufacturingStatement' }),
          ),
          groupBox(
            'Data pipelines',
            'stack.dataPipelines',
            field({
              label: 'Description',
              control: dataDescription,
              field: 'stack.dataPipelines.description',
              hint: 'Data pipelines and labeling systems.',
            }),
          ),
          groupBox(
            'Models',
            'stack.models',
            field({ label: 'Description', control: modelsDescription, field: 'stack.models.description' }),
          ),
          groupBox(
            'Security',
            'stack.security',
            field({
              label: 'Description',
              control: securityDescription,
              field: 'stack.security.description',
              hint: 'Cybersecurity measures and model weight protection.',
            }),
          ),
          groupBox('Applications', 'stack.applications', applications.element),
        ),
      ],
    },
    {
      label: 'Markets and business model',
      content: [
        h(
          'div',
          { class: 'card' },
          field({
            label: 'Target markets',
            control: markets,
            field: 'targetMarkets',
            hint: 'ISO country codes, comma-separated, e.g. KE, IN',
          }),
          groupBox(
            'Business model',
            'businessModel',
            h(
              'div',
              { class: 'grid grid--3' },
              field({ label: 'Builder', control: builder, field: 'businessModel.builder' }),
              field({ label: 'Owner', control: owner, field: 'businessModel.owner' }),
              field({ label: 'Operator', control: operator, field: 'businessModel.operator' }),
            ),
            field({ label: 'How it works', control: bmDescription, field: 'businessModel.description' }),
          ),
        ),
      ],
    },
    {
      label: 'Support and compliance',
      content: [
        h(
          'div',
          { class: 'card' },
          h('p', { class: 'muted small' }, 'Financing and support tools of the Economic Diplomacy Action Group (EO 14320 sec. 4).'),
          groupBox('Support requests', 'federalSupport', support.element),
        ),
        h(
          'div',
          { class: 'card' },
          groupBox(
            'Attestations',
            'compliance',
            attest,
            outbound,
            field({
              label: 'End-user screening',
              control: endUser,
              field: 'compliance.endUserScreening',
              hint: 'How end users and end uses are screened.',
            }),
          ),
        ),
      ],
    },
    { label: 'Review and file', content: [review] },
  ];
  steps.forEach((step) => {
    step.panel = h('div', { class: 'stack step-panel', hidden: true }, step.content);
  });
  const indicator = stepIndicator(steps.map((s) => s.label));

  const form = h(
    'form',
    { class: 'proposal-form stack', novalidate: true, 'aria-labelledby': 'new-title' },
    indicator.element,
    banner,
    steps.map((s) => s.panel),
    h(
      'div',
      { class: 'form-footer' },
      back,
      next,
      submit,
      h('a', { href: cancelHref, class: 'usa-button usa-button--unstyled' }, 'Cancel'),
    ),
  );

  if (initial) fillFrom(initial);
  else {
    members.addRow(false);
    applications.addRow(false);
    support.addRow(false);
  }

  /** Shows a stored submission in the form's fields (every step), the anchor member chosen. */
  function fillFrom(sub) {
    title.value = sub.title ?? '';
    summary.value = sub.summary ?? '';
    consortiumName.value = sub.consortium?.name ?? '';
    for (const m of sub.consortium?.members?.length ? sub.consortium.members : [{}]) members.addRow(false).fill(m);
    anchorUid = members.rows.find((r) => trimmed(r.name) === sub.consortium?.anchorMember)?.uid ?? null;
    refreshAnchor();
    const hw = sub.stack?.hardware ?? {};
    hwDescription.value = hw.description ?? '';
    hwUsContent.value = hw.usContentPct ?? '';
    hwStatement.value = hw.usManufacturingStatement ?? '';
    hwEccns.value = (hw.eccns ?? []).join(', ');
    dataDescription.value = sub.stack?.dataPipelines?.description ?? '';
    modelsDescription.value = sub.stack?.models?.description ?? '';
    securityDescription.value = sub.stack?.security?.description ?? '';
    for (const a of sub.stack?.applications?.length ? sub.stack.applications : [{}]) applications.addRow(false).fill(a);
    markets.value = (sub.targetMarkets ?? []).join(', ');
    builder.value = sub.businessModel?.builder ?? '';
    owner.value = sub.businessModel?.owner ?? '';
    operator.value = sub.businessModel?.operator ?? '';
    bmDescription.value = sub.businessModel?.description ?? '';
    for (const item of sub.federalSupport?.length ? sub.federalSupport : [{}]) support.addRow(false).fill(item);
    attest.querySelector('input').checked = Boolean(sub.compliance?.exportControlAttestation);
    outbound.querySelector('input').checked = Boolean(sub.compliance?.outboundInvestmentAttestation);
    endUser.value = sub.compliance?.endUserScreening ?? '';
  }
  members.element.addEventListener('input', (event) => {
    if (event.target.dataset.field?.endsWith('.name')) refreshAnchor();
  });

  // A retry of the identical body (e.g. after a lost connection) reuses its key and cannot file twice.
  let idempotencyKey = randomKey();
  form.addEventListener('input', () => {
    idempotencyKey = randomKey();
  });
  form.addEventListener('change', () => {
    idempotencyKey = randomKey();
  });

  function body() {
    const result = { title: trimmed(title) };
    if (trimmed(summary)) result.summary = trimmed(summary);
    const memberRows = members.rows.filter((r) => !r.isBlank());
    const anchorRow = members.rows.find((r) => r.uid === anchorUid);
    result.consortium = {
      name: trimmed(consortiumName),
      anchorMember: anchorRow ? trimmed(anchorRow.name) : '',
      members: memberRows.map((r) => r.value()),
    };

    const stack = {};
    if (trimmed(hwDescription) || trimmed(hwUsContent) || trimmed(hwStatement) || trimmed(hwEccns)) {
      stack.hardware = { description: trimmed(hwDescription) };
      if (trimmed(hwUsContent)) stack.hardware.usContentPct = Number(hwUsContent.value);
      if (trimmed(hwStatement)) stack.hardware.usManufacturingStatement = trimmed(hwStatement);
      if (trimmed(hwEccns)) stack.hardware.eccns = list(hwEccns.value).map((e) => e.toUpperCase());
    }
    if (trimmed(dataDescription)) stack.dataPipelines = { description: trimmed(dataDescription) };
    if (trimmed(modelsDescription)) stack.models = { description: trimmed(modelsDescription) };
    if (trimmed(securityDescription)) stack.security = { description: trimmed(securityDescription) };
    const apps = applications.rows.filter((r) => !r.isBlank()).map((r) => r.value());
    if (apps.length) stack.applications = apps;
    if (Object.keys(stack).length) result.stack = stack;

    if (trimmed(markets)) result.targetMarkets = list(markets.value).map((m) => m.toUpperCase());
    if ([builder, owner, operator, bmDescription].some((el) => trimmed(el))) {
      result.businessModel = { builder: trimmed(builder), owner: trimmed(owner), operator: trimmed(operator) };
      if (trimmed(bmDescription)) result.businessModel.description = trimmed(bmDescription);
    }
    const requests = support.rows.filter((r) => !r.isBlank()).map((r) => r.value());
    if (requests.length) result.federalSupport = requests;

    const attestInput = attest.querySelector('input');
    const outboundInput = outbound.querySelector('input');
    if (attestInput.checked || outboundInput.checked || trimmed(endUser)) {
      result.compliance = { exportControlAttestation: attestInput.checked };
      if (outboundInput.checked) result.compliance.outboundInvestmentAttestation = true;
      if (trimmed(endUser)) result.compliance.endUserScreening = trimmed(endUser);
    }
    return result;
  }

  /** Problems the browser can name before asking the server (the server checks everything again). */
  function localProblems(payload) {
    const problems = [];
    if (!payload.title) problems.push({ field: 'title', message: 'Give the proposal a title.' });
    if (!payload.consortium.name) problems.push({ field: 'consortium.name', message: 'Give the consortium’s name.' });
    if (!payload.consortium.members.length) problems.push({ field: 'consortium.members', message: 'Add at least one member.' });
    else if (!payload.consortium.anchorMember)
      problems.push({ field: 'consortium.anchorMember', message: 'Name the anchor member in its member row first.' });
    return problems;
  }

  let current = 0;
  let lastCheck = null;
  /** Shows step `index`; the step indicator marks the steps before it done, and steps whose elements intake would miss. */
  function show(index, { focus = true } = {}) {
    current = index;
    steps.forEach((step, i) => {
      step.panel.hidden = i !== index;
    });
    const last = index === steps.length - 1;
    back.hidden = index === 0;
    next.hidden = last;
    submit.hidden = !last;
    indicator.set(index, gapSteps(lastCheck));
    ctx.setTitle(`${heading}: ${steps[index].label}`);
    if (focus) indicator.heading.focus();
  }

  /** POST /proposals/checks: intake's own completeness and eligibility rules on the draft, nothing filed. */
  async function check(payload) {
    const problems = localProblems(payload);
    if (problems.length) throw new ApiError(400, { message: 'Some required fields are empty.', details: problems });
    lastCheck = await api.post('/proposals/checks', payload);
    return lastCheck;
  }

  /** Field errors can sit on another step than the one shown: go to the first one's step, then mark the fields. */
  function reportOnItsStep(error) {
    const fieldName = error instanceof ApiError ? error.details?.find((d) => d.field)?.field : null;
    const control = fieldName
      ? (form.querySelector(`[data-field="${CSS.escape(fieldName)}"]`) ?? form.querySelector(`[data-field^="${CSS.escape(fieldName)}"]`))
      : null;
    const at = control ? steps.findIndex((step) => step.panel.contains(control)) : -1;
    if (at >= 0 && at !== current) show(at, { focus: false });
    reportFormError(form, banner, error);
  }

  back.addEventListener('click', () => {
    clearFieldErrors(form);
    banner.replaceChildren();
    show(current - 1);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    const payload = body();
    const filing = current === steps.length - 1;
    try {
      await busy(filing ? submit : next, filing ? sendingLabel : 'Checking…', async () => {
        if (!filing) {
          await check(payload);
          if (current + 1 === steps.length - 1) review.replaceChildren(...reviewSummary(lastCheck, show));
          show(current + 1);
          return;
        }
        await send(payload, idempotencyKey);
      });
    } catch (error) {
      reportOnItsStep(error);
    }
  });

  root.append(pageHeader(heading, { subtitle }), notice('info', null, h('p', {}, intro)), form);
  show(0, { focus: false });
}
