import { Locator } from 'playwright-core';
import { UiPage } from '../browser';

/** A proposal as an applicant types it into the guided form: labels as the form shows them, every part optional but the first step. */
export interface DraftInForm {
  title: string;
  summary?: string;
  consortiumName: string;
  anchor: string;
  members: {
    name: string;
    country: string;
    layers?: string[];
    usConcern?: boolean;
    naics?: string;
    employees?: string;
    receipts?: string;
  }[];
  hardware?: { description: string; usContentPct?: string; eccns?: string; usManufacture?: string };
  dataPipelines?: string;
  models?: string;
  security?: string;
  applications?: { sector: string; description: string }[];
  targetMarkets?: string;
  businessModel?: { builder: string; owner: string; operator: string };
  support?: { instrumentId: string; amountUsd: string }[];
  exportControlAttestation?: boolean;
  outboundInvestmentAttestation?: boolean;
}

/** The fixture package (test/support/fixtures.ts completeProposal) as typed into the form: every EO 3(b) element present. */
export function completeDraft(overrides: Partial<DraftInForm> = {}): DraftInForm {
  return {
    title: 'Sovereign AI cloud for Kenya',
    summary: 'Full-stack deployment of U.S. AI infrastructure and applications.',
    consortiumName: 'Acme AI Export Consortium',
    anchor: 'Acme Compute Inc.',
    members: [
      { name: 'Acme Compute Inc.', country: 'US', layers: ['Hardware'], usConcern: true, naics: '334111', employees: '800' },
      {
        name: 'Blue River Data LLC',
        country: 'US',
        layers: ['Data pipelines', 'Models'],
        usConcern: true,
        naics: '541512',
        receipts: '12000000',
      },
      { name: 'Safeguard Cyber Corp.', country: 'US', layers: ['Security', 'Applications'], usConcern: true },
    ],
    hardware: {
      description: 'GPU servers, storage and networking',
      usContentPct: '72',
      eccns: '4A090',
      usManufacture: 'Servers assembled in Texas',
    },
    dataPipelines: 'Labeling and ingestion pipelines',
    models: 'Open and proprietary U.S. foundation models',
    security: 'Model weight protection, SOC 2 controls',
    applications: [{ sector: 'HEALTHCARE', description: 'Clinical decision support' }],
    targetMarkets: 'KE',
    businessModel: { builder: 'Acme Compute Inc.', owner: 'Kenya Digital Infrastructure Ltd.', operator: 'Blue River Data LLC' },
    support: [{ instrumentId: 'exim_loan_guarantee', amountUsd: '50000000' }],
    exportControlAttestation: true,
    outboundInvestmentAttestation: true,
    ...overrides,
  };
}

const group = (scope: UiPage | Locator, name: string) =>
  (scope instanceof UiPage ? scope.page : scope).getByRole('group', { name, exact: true });

/** Presses Next and waits for the step indicator to show step `to` (its heading has the step's label). */
export async function nextStep(ui: UiPage, to: string): Promise<void> {
  await ui.page.getByRole('button', { name: 'Next', exact: true }).click();
  await ui.page.locator('.usa-step-indicator__heading-text', { hasText: to }).waitFor();
}

/** Fills the first step (package and consortium) of the open New proposal form. */
export async function fillsPackageAndConsortium(ui: UiPage, draft: DraftInForm): Promise<void> {
  const { page } = ui;
  await page.getByLabel(/^Title/).fill(draft.title);
  if (draft.summary) await page.getByLabel('Summary').fill(draft.summary);
  await page.getByLabel(/^Consortium name/).fill(draft.consortiumName);
  for (const [index, m] of draft.members.entries()) {
    if (index > 0) await page.getByRole('button', { name: '+ Add member' }).click();
    const box = group(ui, `Member ${index + 1}`);
    await box.getByLabel(/^Name/).fill(m.name);
    await box.getByLabel(/^Country/).fill(m.country);
    for (const layer of m.layers ?? []) await ui.tick(box.getByRole('checkbox', { name: layer, exact: true }));
    if (m.usConcern !== undefined) await box.getByLabel('U.S. concern').selectOption(String(m.usConcern));
    if (m.naics) await box.getByLabel('NAICS code').fill(m.naics);
    if (m.employees) await box.getByLabel('Employees').fill(m.employees);
    if (m.receipts) await box.getByLabel('Average annual receipts (USD)').fill(m.receipts);
  }
  await page.getByLabel(/^Anchor member/).selectOption({ label: draft.anchor });
}

/**
 * Walks the guided submission from the New proposal link to "Review and file", filling what the draft
 * has, and returns the deficiency codes the review step shows (the server's own completeness check).
 */
export async function fillsProposalForm(ui: UiPage, draft: DraftInForm): Promise<string[]> {
  const { page } = ui;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New proposal' }).click();
  await page.getByRole('heading', { name: 'New proposal', level: 1 }).waitFor();
  await fillsPackageAndConsortium(ui, draft);
  await ui.screen('applicant-new-proposal-step-1');
  await nextStep(ui, 'AI stack');

  if (draft.hardware) {
    const hardware = group(ui, 'Hardware');
    await hardware.getByLabel('Description').fill(draft.hardware.description);
    if (draft.hardware.usContentPct) await hardware.getByLabel('U.S. content (%)').fill(draft.hardware.usContentPct);
    if (draft.hardware.eccns) await hardware.getByLabel('ECCNs').fill(draft.hardware.eccns);
    if (draft.hardware.usManufacture) await hardware.getByLabel('Extent of U.S. manufacture').fill(draft.hardware.usManufacture);
  }
  for (const [name, text] of [
    ['Data pipelines', draft.dataPipelines],
    ['Models', draft.models],
    ['Security', draft.security],
  ] as const) {
    if (text) await group(ui, name).getByLabel('Description').fill(text);
  }
  for (const [index, a] of (draft.applications ?? []).entries()) {
    if (index > 0) await page.getByRole('button', { name: '+ Add application' }).click();
    const box = group(ui, `Application ${index + 1}`);
    await box.getByLabel('Sector').selectOption(a.sector);
    await box.getByLabel('What it does').fill(a.description);
  }
  await ui.screen('applicant-new-proposal-step-2');
  await nextStep(ui, 'Markets and business model');

  if (draft.targetMarkets) await page.getByLabel('Target markets').fill(draft.targetMarkets);
  if (draft.businessModel) {
    await page.getByLabel('Builder').fill(draft.businessModel.builder);
    await page.getByLabel('Owner').fill(draft.businessModel.owner);
    await page.getByLabel('Operator').fill(draft.businessModel.operator);
  }
  await nextStep(ui, 'Support and compliance');

  for (const [index, s] of (draft.support ?? []).entries()) {
    if (index > 0) await page.getByRole('button', { name: '+ Add support request' }).click();
    const box = group(ui, `Support request ${index + 1}`);
    await box.getByLabel('Instrument').selectOption(s.instrumentId);
    await box.getByLabel('Amount (USD)').fill(s.amountUsd);
  }
  if (draft.exportControlAttestation) await ui.tick(page.getByLabel(/attests that the package complies with U\.S\. export controls/));
  if (draft.outboundInvestmentAttestation) await ui.tick(page.getByLabel(/outbound investment security program/));
  await nextStep(ui, 'Review and file');
  await ui.screen('applicant-new-proposal-review');
  return deficienciesShown(ui);
}

/** Files the form from its review step; resolves with the new proposal's id once its page opens. */
export async function filesProposal(ui: UiPage): Promise<string> {
  await ui.page.getByRole('button', { name: 'File proposal' }).click();
  await ui.page.waitForURL(/#\/proposals\/[0-9a-f-]{36}$/);
  return /#\/proposals\/([0-9a-f-]{36})$/.exec(ui.page.url())![1];
}

const STEP_LABELS = ['Package and consortium', 'AI stack', 'Markets and business model', 'Support and compliance', 'Review and file'];

/**
 * From a returned proposal's page: opens the amendment (the guided form, filled with the submission as
 * stored), goes to `step`, lets `edit` change it, walks on to the review step and sends the amendment.
 * Returns the deficiency codes the review step showed before sending.
 */
export async function amendsThroughForm(ui: UiPage, step: string, edit: () => Promise<void>): Promise<string[]> {
  await ui.page.getByRole('link', { name: 'Amend the proposal' }).click();
  await ui.page.getByRole('heading', { name: /^Amend: /, level: 1 }).waitFor();
  for (const label of STEP_LABELS.slice(1, STEP_LABELS.indexOf(step) + 1)) await nextStep(ui, label);
  await edit();
  for (const label of STEP_LABELS.slice(STEP_LABELS.indexOf(step) + 1)) await nextStep(ui, label);
  await ui.screen('applicant-amendment-review');
  const gaps = await deficienciesShown(ui);
  await ui.page.getByRole('button', { name: 'Send amendment' }).click();
  await ui.page.waitForURL(/#\/proposals\/[0-9a-f-]{36}$/);
  return gaps;
}

async function deficienciesShown(ui: UiPage): Promise<string[]> {
  const items = await ui.page.locator('.deficiency-preview li').all();
  return Promise.all(items.map(async (li) => (await li.getAttribute('data-code')) ?? ''));
}
