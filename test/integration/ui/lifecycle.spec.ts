import { Locator } from 'playwright-core';
import { useBrowserStack, UiPage } from '../../support/browser';
import { minimalPdf } from '../../support/documents';
import { amendsThroughForm, completeDraft, DraftInForm, filesProposal, fillsProposalForm } from '../../support/ui-steps/applicant';
import { seesInCatalogue } from '../../support/ui-steps/oversight';
import { completesMilestone, seesMilestoneDashboard, seesPipeline } from '../../support/ui-steps/programs';
import { decides, findTask } from '../../support/ui-steps/tasks';
import { Stack } from '../../support/stack';

const TITLE = 'Sovereign AI cloud for the Emirates (lifecycle in the browser)';

const FULL = completeDraft();
const DRAFT: DraftInForm = completeDraft({
  title: TITLE,
  members: [
    ...FULL.members.slice(0, 2),
    // A possible list match ("Huawei Technologies Co., Ltd." reordered) that the compliance officer clears.
    {
      name: 'TECHNOLOGIES HUAWEI, LIMITED',
      country: 'US',
      layers: ['Security', 'Applications'],
      usConcern: true,
      naics: '541512',
      receipts: '9000000',
    },
  ],
  // Security left out: the form's review step and then intake name the gap.
  security: undefined,
  // AE is in EAR Country Group D:4: with the draft's ECCN 4A090 the package is flagged for BIS's licensing review.
  targetMarkets: 'AE',
  businessModel: { builder: 'Acme Compute Inc.', owner: 'Emirates Digital Infrastructure LLC', operator: 'Blue River Data LLC' },
  support: [
    { instrumentId: 'exim_loan_guarantee', amountUsd: '50000000' },
    { instrumentId: 'dfc_equity', amountUsd: '20000000' },
    { instrumentId: 'ustda_feasibility', amountUsd: '1500000' },
  ],
});

/**
 * Issue 14, must-show 1: one proposal's whole lifecycle through the web UI only, as its users. No
 * API call drives it; the stack's database is read only at the end, to check what the UI sent.
 */
describe('web UI: a proposal from filing to COMPLETED, through the browser only', () => {
  let stack: Stack;
  let ui: UiPage;
  let proposalId: string;

  useBrowserStack(
    async (fixture) => {
      ({ stack, ui } = fixture);
    },
    { THROTTLE_WRITES_PER_MINUTE: '10000' },
  );

  const main = () => ui.page.locator('main');
  const statusBadge = (status: string) => ui.page.locator(`.status-lead .badge[data-status="${status}"]`);
  /** The proposal page updates itself (live.js); waits until it shows `status`. */
  const seesStatus = (status: string, timeout = 45_000) => statusBadge(status).waitFor({ timeout });
  const openProposal = async () => {
    await ui.goto(`#/proposals/${proposalId}`);
    await ui.page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
  };

  it('the applicant files through the guided form, sees the deficiency with its EO reference and amend-by date, and amends', async () => {
    await ui.signIn('applicant.acme');
    const gaps = await fillsProposalForm(ui, DRAFT);
    expect(gaps).toEqual(['MISSING_SECURITY']);
    expect(await ui.page.locator('.usa-step-indicator__segment', { hasText: 'AI stack' }).innerText()).toContain('(gaps)');
    proposalId = await filesProposal(ui);

    await seesStatus('RETURNED_FOR_INFORMATION');
    const attention = ui.page.locator('.card--attention');
    await attention.getByRole('heading', { name: 'More information is needed' }).waitFor();
    expect(await attention.innerText()).toMatch(/MISSING_SECURITY[\s\S]*EO 14320 sec\. 3\(b\)\(i\)\(D\)/);
    expect(await attention.locator('strong').first().innerText()).toMatch(/\d{4}|[A-Z][a-z]{2}/); // the amend-by date
    await ui.screen('applicant-returned-for-information');

    const gapsLeft = await amendsThroughForm(ui, 'AI stack', () =>
      ui.page
        .getByRole('group', { name: 'Security', exact: true })
        .getByLabel('Description')
        .fill('Model weight protection, SOC 2 controls'),
    );
    expect(gapsLeft).toEqual([]);
    await seesStatus('ADJUDICATION');
    expect(await ui.page.locator('.detail-side').innerText()).toContain('Version\n2');
  });

  it('the compliance officer sees the listed entry beside the party and clears the match', async () => {
    await ui.signIn('commerce.compliance');
    await decides(
      ui,
      TITLE,
      'Screening adjudication',
      { decision: 'CLEAR', comment: 'A U.S. reseller, not the listed entity' },
      async (card) => {
        const row = card.locator('tbody tr', { hasText: 'TECHNOLOGIES HUAWEI, LIMITED' });
        expect(await row.innerText()).toContain('Huawei Technologies Co., Ltd.');
      },
    );
  });

  it('three reviewers and two consultees record their positions', async () => {
    for (const [user, label, decision] of [
      ['commerce.reviewer', 'Agency review', 'CONCUR'],
      ['state.reviewer', 'Agency review', 'CONCUR_WITH_CONDITIONS'],
      ['ostp.reviewer', 'Agency review', 'CONCUR'],
      ['dod.reviewer', 'Consultation', 'CONCUR'],
      ['doe.reviewer', 'Consultation', 'CONCUR'],
    ] as const) {
      await ui.signIn(user);
      await decides(ui, TITLE, label, {
        decision,
        conditions: decision === 'CONCUR_WITH_CONDITIONS' ? ['Quarterly end-use reporting to BIS'] : undefined,
      });
    }
  });

  it('the deciding official sees every position with what each reviewer saw, and designates', async () => {
    await ui.signIn('commerce.decider');
    await openProposal();
    const reviews = main().locator('table', { has: ui.page.locator('caption', { hasText: 'Reviews' }) });
    await reviews.locator('tbody tr').first().waitFor();
    expect(await reviews.locator('tbody tr').count()).toBe(5);
    const snapshot = main().locator('details.evidence', { hasText: 'COMMERCE review: Concur' });
    await snapshot.locator('summary').click();
    expect(await snapshot.innerText()).toMatch(/Proposal version\s+2[\s\S]*SHA-256\s+[0-9a-f]{64}/);
    await ui.screen('decider-proposal-positions');
    await decides(ui, TITLE, 'Designation decision', { decision: 'DESIGNATE' }, async (card) => {
      expect(await card.locator('table', { hasText: 'Agency positions' }).locator('tbody tr').count()).toBe(5);
    });
  });

  it('the EDAG coordinator assigns the suggested financing routes', async () => {
    await ui.signIn('edag.coordinator');
    await decides(ui, TITLE, 'Financing assignment', { decision: 'ASSIGN' }, async (card) => {
      const routes = card.locator('table', { hasText: 'Suggested routes' });
      expect(await routes.locator('tbody tr').count()).toBe(3);
    });
  });

  it('the ITA officer asks for the advocacy questionnaire; the applicant answers with a document; ITA accepts', async () => {
    await ui.signIn('ita.officer');
    const card = await findTask(ui, TITLE, 'Advocacy referral');
    expect(await card.innerText()).toContain('ADVOCACY_QUESTIONNAIRE');
    await card.locator('summary', { hasText: 'Ask the applicant' }).click();
    await card
      .getByLabel(/^Question to the applicant/)
      .fill('Please send the Advocacy Questionnaire and the signed anti-bribery agreement.');
    await ui.screen('ita-ask-the-applicant');
    await card.getByRole('button', { name: 'Send request' }).click();
    await card.getByRole('status').filter({ hasText: 'Request sent to the applicant' }).waitFor();

    await ui.signIn('applicant.acme');
    await openProposal();
    const request = main().locator('li[data-request-id]', { hasText: 'Advocacy Questionnaire' });
    await request.getByLabel(/^Your answer/).fill('Questionnaire completed; agreement signed by Acme Compute Inc. as bidder of record.');
    await request
      .getByLabel('Attach a document')
      .setInputFiles({ name: 'advocacy-questionnaire.pdf', mimeType: 'application/pdf', buffer: minimalPdf() });
    await ui.screen('applicant-answers-information-request');
    await request.getByRole('button', { name: 'Send answer' }).click();
    await main().getByText('Answer sent to ITA.').waitFor();
    await main()
      .locator('li[data-request-id]', { hasText: 'Answered' })
      .getByRole('button', { name: 'advocacy-questionnaire.pdf' })
      .waitFor();

    await ui.signIn('ita.officer');
    await openProposal();
    const answered = main().locator('li[data-request-id]');
    expect(await answered.innerText()).toContain('agreement signed by Acme Compute Inc.');
    await answered.getByRole('button', { name: 'advocacy-questionnaire.pdf' }).waitFor();
    await decides(ui, TITLE, 'Advocacy referral', { decision: 'ACCEPT', comment: 'Advocacy Center will support the bid' });
  });

  it('BIS sees the flag and the ECCNs and prioritises the licensing review', async () => {
    await ui.signIn('bis.officer');
    await decides(ui, TITLE, 'Priority licensing review', { decision: 'PRIORITIZE' }, async (card: Locator) => {
      const text = await card.innerText();
      expect(text).toContain('LICENSE_REVIEW_ADVANCED_COMPUTING');
      expect(text).toContain('4A090');
    });
  });

  it('EXIM, DFC and USTDA commit their instruments; SBA sees member sizes and the standard applied, and accepts', async () => {
    for (const [user, amount] of [
      ['exim.officer', '50000000'],
      ['dfc.officer', '20000000'],
      ['ustda.officer', '1500000'],
    ] as const) {
      await ui.signIn(user);
      await decides(ui, TITLE, 'Financing review', { decision: 'COMMIT', amountUsd: amount });
    }
    await ui.signIn('sba.officer');
    await decides(ui, TITLE, 'SBA referral', { decision: 'ACCEPT' }, async (card) => {
      const sizes = card.locator('table', { hasText: 'Members and the size standard applied' });
      const acme = await sizes.locator('tbody tr', { hasText: 'Acme Compute Inc.' }).innerText();
      expect(acme).toMatch(/NAICS 334111: 1,250 employees[\s\S]*effective 2023-03-17/);
      expect(acme).toContain('800 employees');
    });
  });

  it('the program manager sees it COMPLETED and in the catalogue, the pipeline chart and the milestones, and completes one', async () => {
    await ui.signIn('program.manager');
    await openProposal();
    await seesStatus('COMPLETED');
    await ui.screen('program-manager-proposal-completed');
    await seesInCatalogue(ui, TITLE);
    const statusRows = await seesPipeline(ui);
    expect(statusRows).toEqual(expect.arrayContaining([expect.stringMatching(/^Completed: [1-9]/)]));
    await seesMilestoneDashboard(ui);
    await completesMilestone(ui, 'Charter signed (lifecycle in the browser)');

    // What the UI sent, as stored: the answer cites the uploaded document; every decision has its actor.
    const [answer] = await stack.sql(`SELECT document_ids FROM information_request WHERE proposal_id = $1`, [proposalId]);
    expect(answer.document_ids).toHaveLength(1);
    const deciders = await stack.sql(
      `SELECT type, completed_by FROM task WHERE proposal_id = $1 AND status = 'COMPLETED' ORDER BY type, agency`,
      [proposalId],
    );
    expect(deciders.map((t: { completed_by: string }) => t.completed_by).sort()).toEqual(
      [
        'bis.officer',
        'commerce.compliance',
        'commerce.decider',
        'commerce.reviewer',
        'dfc.officer',
        'dod.reviewer',
        'doe.reviewer',
        'edag.coordinator',
        'exim.officer',
        'ita.officer',
        'ostp.reviewer',
        'sba.officer',
        'state.reviewer',
        'ustda.officer',
      ].sort(),
    );
  });
});
