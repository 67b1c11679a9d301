import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Locator, Page, Request } from 'playwright-core';
import { CHROMIUM, launchChromium, UiPage } from '../support/browser';
import {
  amendsThroughForm,
  completeDraft,
  filesProposal,
  fillsPackageAndConsortium,
  fillsProposalForm,
} from '../support/ui-steps/applicant';
import { AGENCIES, ROLES } from '../../libs/domain/identity/roles';
import { FINAL_STATUSES, PROPOSAL_STATUSES } from '../../libs/domain/intake/proposal-status';
import { APPLICATION_SECTORS, STACK_LAYERS } from '../../libs/domain/intake/submission';
import { TASK_STATUSES, TASK_TYPES } from '../../libs/domain/tasks/task-types';
import { FINANCING_INSTRUMENTS } from '../../libs/reference-data';
import { completeProposal } from '../support/fixtures';
import { DEMO_PASSWORD, Stack } from '../support/stack';

/**
 * The web UI at `/`, driven in Debian's Chromium against the real compiled API and worker: sign-in,
 * filing a proposal through the form, following it to UNDER_REVIEW, an agency inbox, the audit page.
 */
const DETAIL_SCREENSHOT = '/tmp/exports-desk-ui.png';
const INBOX_SCREENSHOT = '/tmp/exports-desk-inbox.png';
const TITLE = 'Sovereign AI cloud for Kenya (filed in the browser)';
const PUBLIC_DIR = join(__dirname, '../../apps/web/public');

/** The web UI's scripts, by path relative to apps/web/public. */
function webScripts(dir = PUBLIC_DIR): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return webScripts(path);
    return entry.name.endsWith('.js') ? [{ file: path.slice(PUBLIC_DIR.length + 1), text: readFileSync(path, 'utf8') }] : [];
  });
}

describe('web UI', () => {
  it("has Debian's Chromium to drive (scripts/ensure-deps.sh installs it)", () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });

  let stack: Stack;
  let browser: Browser;
  let ui: UiPage;
  let page: Page;
  let proposalId: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([Stack.start(), launchChromium()]);
    ui = await UiPage.open(browser, stack.baseUrl);
    page = ui.page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(() => {
    // No script errors and no Content-Security-Policy violations (no inline scripts or handlers).
    expect(ui.errors).toEqual([]);
  });

  async function signIn(username: string, password = DEMO_PASSWORD): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Exports Desk' }).waitFor();
  }

  async function navItems(): Promise<string[]> {
    await page.locator('#site-nav a').first().waitFor();
    return page.locator('#site-nav a').allInnerTexts();
  }

  /** Screenshots for people to look at (the detail page and the inbox are the main ones). */
  const shot = (name: string) => page.screenshot({ path: `/tmp/exports-desk-${name}.png`, fullPage: true });

  /** The error shown under the control that an API field path names. */
  function fieldError(apiField: string): Locator {
    return page.locator(`.field--invalid:has([data-field="${apiField}"]) > .field-error`);
  }

  it("keeps no copies of the server's rules: code lists and the catalogue come from GET /reference/rules", () => {
    const serverLists = [
      PROPOSAL_STATUSES,
      FINAL_STATUSES,
      TASK_STATUSES,
      STACK_LAYERS,
      APPLICATION_SECTORS,
      ROLES,
      AGENCIES,
      ...Object.values(TASK_TYPES).flatMap((t) => [t.decisions, t.agencies, t.roles]),
    ]
      .filter((list) => list.length > 1)
      .map((list) => [...list].sort().join(','));
    const copies: string[] = [];
    for (const { file, text } of webScripts()) {
      // Array literals of two or more codes, e.g. ['EXIM', 'DFC', 'USTDA'].
      for (const [literal] of text.matchAll(/\[\s*'[A-Z][A-Z0-9_]*'(?:\s*,\s*'[A-Z][A-Z0-9_]*')+\s*,?\s*\]/g)) {
        const codes = [...literal.matchAll(/'([A-Z0-9_]+)'/g)]
          .map((m) => m[1])
          .sort()
          .join(',');
        if (serverLists.includes(codes)) copies.push(`${file}: ${literal}`);
      }
      for (const { id } of FINANCING_INSTRUMENTS) if (text.includes(`'${id}'`)) copies.push(`${file}: instrument ${id}`);
    }
    expect(copies).toEqual([]);
  });

  it('serves a CSP-safe page: one module script, no inline code', async () => {
    const html = await stack.request('GET', '/');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html.body).toContain('<script type="module" src="/app.js"></script>');
    // The design system's own scripts, from the same origin.
    expect(html.body).toContain('<script src="/uswds/js/uswds.min.js"></script>');
    expect(html.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html.body).not.toMatch(/\son[a-z]+=/i);
  });

  it('shows the API message when sign-in fails', async () => {
    await page.goto(stack.baseUrl);
    await signIn('applicant.acme', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Invalid username or password');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await shot('sign-in-error');
  });

  it('signs an applicant in and shows name, role and navigation for the role', async () => {
    await signIn('applicant.acme');
    await page.getByRole('heading', { name: 'Your proposals' }).waitFor();
    expect(await page.getByTestId('user-name').innerText()).toBe('Avery Chen (Acme AI Export Consortium)');
    expect(await page.getByTestId('user-meta').innerText()).toContain('Applicant');
    expect(await navItems()).toEqual(['Proposals', 'New proposal', 'Catalogue']);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('exportsDesk.session')")).toContain('accessToken');
  });

  it('puts the API field error for an invalid country next to the country field', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New proposal' }).click();
    await page.getByRole('heading', { name: 'New proposal', level: 1 }).waitFor();
    await fillsPackageAndConsortium(ui, {
      title: 'Invalid country check',
      consortiumName: 'Acme AI Export Consortium',
      anchor: 'Acme Compute Inc.',
      members: [{ name: 'Acme Compute Inc.', country: 'ZZ' }],
    });
    // The step's Next asks the server (POST /proposals/checks), which answers with its field errors.
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    const member = page.getByRole('group', { name: 'Member 1', exact: true });
    const error = fieldError('consortium.members[0].country');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/consortium\.members\[0\]\.country must be a valid ISO31661 Alpha2 code/);
    expect(await member.getByLabel(/^Country/).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').innerText()).toContain('Please correct the highlighted fields');
    expect(page.url()).toMatch(/#\/new$/);
    await shot('form-error');
  });

  it('files a complete proposal through the form, lists it and follows it to UNDER_REVIEW', async () => {
    const gaps = await fillsProposalForm(ui, completeDraft({ title: TITLE }));
    expect(gaps).toEqual([]);
    expect(await page.locator('main').getByText('Every element EO 14320 sec. 3(b) asks for is present.').isVisible()).toBe(true);
    proposalId = await filesProposal(ui);

    // What the form sent is what docs/spec.md section 7 asks for.
    const stored = await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${proposalId}`);
    expect(stored.body.submission).toEqual(
      expect.objectContaining({
        title: TITLE,
        targetMarkets: ['KE'],
        federalSupport: [{ instrumentId: 'exim_loan_guarantee', amountUsd: 50_000_000 }],
        compliance: { exportControlAttestation: true, outboundInvestmentAttestation: true },
        consortium: expect.objectContaining({
          anchorMember: 'Acme Compute Inc.',
          members: expect.arrayContaining([
            expect.objectContaining({
              name: 'Blue River Data LLC',
              layers: ['DATA_PIPELINES', 'MODELS'],
              averageAnnualReceiptsUsd: 12_000_000,
            }),
          ]),
        }),
      }),
    );
    expect(stored.body.submission.consortium.members).toHaveLength(3);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Proposals' }).click();
    const link = page.getByRole('link', { name: TITLE });
    await link.waitFor();
    await shot('list');
    await link.click();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();

    const status = page.locator('.status-lead .badge');
    const deadline = Date.now() + 30_000;
    for (;;) {
      await status.waitFor();
      if ((await status.getAttribute('data-status')) === 'UNDER_REVIEW') break;
      if (Date.now() > deadline) throw new Error(`Still ${await status.getAttribute('data-status')} after 30 s`);
      await page.waitForTimeout(1000);
      await page.reload();
    }
    expect(await status.textContent()).toBe('Under review');
    const main = page.locator('main');
    await main.getByText('No deficiencies: every required element is present.').waitFor();
    expect(await main.getByRole('heading', { name: 'Timeline' }).isVisible()).toBe(true);
    expect(await main.getByText('Now under review').first().isVisible()).toBe(true);
    expect(await main.getByRole('button', { name: 'Withdraw proposal…' }).isVisible()).toBe(true);
    await page.screenshot({ path: DETAIL_SCREENSHOT, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/exports-desk-detail-phone.png' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('lets the applicant amend a returned proposal in the guided form (checked by the server per step) and withdraw it', async () => {
    const full = completeProposal({ title: 'Returned for information (browser)' });
    const { security: _omitted, ...stackWithoutSecurity } = full.stack;
    const filed = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', { ...full, stack: stackWithoutSecurity });
    expect(filed.status).toBe(201);
    await page.goto(`${stack.baseUrl}/#/proposals/${filed.body.id}`);
    const status = page.locator('.status-lead .badge[data-status="RETURNED_FOR_INFORMATION"]');
    const deadline = Date.now() + 20_000;
    while (!(await status.isVisible())) {
      if (Date.now() > deadline) throw new Error('The proposal was not returned for information within 20 s');
      await page.waitForTimeout(500);
      await page.reload();
      await page.locator('.status-lead .badge').waitFor();
    }
    await page.getByRole('heading', { name: 'More information is needed' }).waitFor();
    await shot('amend');
    expect(await page.locator('.card--attention').innerText()).toMatch(/MISSING_SECURITY[\s\S]*EO 14320 sec\. 3\(b\)\(i\)\(D\)/);

    // The amendment is the guided form again, filled with the submission as filed.
    const gaps = await amendsThroughForm(ui, 'AI stack', async () => {
      const hardware = page.getByRole('group', { name: 'Hardware', exact: true });
      expect(await hardware.getByLabel('Description').inputValue()).toBe(full.stack.hardware.description);
      await hardware.getByLabel('U.S. content (%)').fill('150');
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await fieldError('stack.hardware.usContentPct').waitFor(); // the server's 400, at its field
      await hardware.getByLabel('U.S. content (%)').fill('72');
      await page
        .getByRole('group', { name: 'Security', exact: true })
        .getByLabel('Description')
        .fill('Model weight protection, SOC 2 controls');
    });
    expect(gaps).toEqual([]);
    await page.locator('.status-lead .badge[data-status="UNDER_REVIEW"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.detail-side').innerText()).toContain('Version\n2');

    await page.getByRole('button', { name: 'Withdraw proposal…' }).click();
    await page.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await fieldError('reason').waitFor();
    await page.getByLabel(/^Reason for withdrawing/).fill('Consortium restructuring');
    await page.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await page.locator('.status-lead .badge[data-status="WITHDRAWN"]').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Withdraw proposal…' }).count()).toBe(0);
    expect(await page.locator('.timeline').innerText()).toContain('Withdrawn by the applicant: Consortium restructuring');
  });

  it('shows an agency officer the inbox for the role', async () => {
    await signOut();
    await signIn('commerce.compliance');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    expect(await navItems()).toEqual(['Inbox', 'Proposals', 'Milestones', 'Catalogue']);
    expect(await page.getByTestId('user-meta').innerText()).toBe('Compliance officer · COMMERCE');
    await page.locator('.task-list, .empty').first().waitFor();
  });

  it('lets a reviewer claim a task and complete it, showing the 422 for missing conditions', async () => {
    await signOut();
    await signIn('commerce.reviewer');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    // The review tasks open moments after UNDER_REVIEW: refresh the inbox until this proposal's is there.
    const card = page
      .locator('.task')
      .filter({ has: page.getByRole('link', { name: TITLE }) })
      .filter({ hasText: 'Agency review' });
    const deadline = Date.now() + 20_000;
    await page.locator('.task-list, .empty').first().waitFor();
    while (!(await card.isVisible())) {
      if (Date.now() > deadline) throw new Error('No AGENCY_REVIEW task in the Commerce reviewer inbox after 20 s');
      await page.waitForTimeout(1000);
      await page.reload();
      await page.locator('.task-list, .empty').first().waitFor();
    }
    await page.screenshot({ path: INBOX_SCREENSHOT, fullPage: true });
    await card.getByRole('button', { name: 'Claim' }).click();
    await card.getByText('You claimed this task.').waitFor();
    expect(await card.getAttribute('data-status')).toBe('CLAIMED');
    await card.getByText('Decide', { exact: true }).click();
    // What each decision needs comes from the server's rules: a non-concurrence needs a comment.
    const commentHint = card.locator('.field:has([data-field="comment"]) .hint');
    await ui.tick(card.getByRole('radio', { name: 'Non-concur' }));
    expect(await commentHint.innerText()).toBe('Required for this decision.');
    expect(await card.getByRole('textbox', { name: 'Conditions' }).isVisible()).toBe(false);
    await ui.tick(card.getByRole('radio', { name: 'Concur with conditions' }));
    expect(await commentHint.innerText()).toBe('Optional for this decision.');
    await card.getByRole('button', { name: 'Record decision' }).click();
    const error = card.locator('.field--invalid .field-error');
    await error.waitFor();
    await shot('task-422');
    expect(await error.innerText()).toContain('conditions must name at least one condition');
    expect(await card.getByRole('alert').innerText()).toContain('The request was refused');
    await card.getByRole('textbox', { name: 'Conditions' }).fill('Quarterly end-use reporting to BIS');
    await card.getByRole('button', { name: 'Record decision' }).click();
    await card.getByText('Decision recorded: Concur with conditions.').waitFor();
    expect(await card.getAttribute('data-status')).toBe('COMPLETED');
  });

  it('lets the auditor verify the audit chain', async () => {
    await signOut();
    await signIn('auditor');
    await page.getByRole('heading', { name: 'Proposals', level: 1 }).waitFor();
    expect(await navItems()).toEqual(['Inbox', 'Proposals', 'Audit trail', 'Financing', 'Milestones', 'Pipeline', 'Catalogue']);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.locator('.table--audit tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = page.locator('.verify-result .usa-alert');
    await verdict.waitFor();
    expect(await verdict.innerText()).toMatch(/Chain valid[\s\S]*audit events check out/);
    await shot('audit');
  });

  it('starts the administrator at the user accounts page, with the users and catalogue navigation', async () => {
    await signOut();
    await signIn('admin');
    await page.getByRole('heading', { name: 'User accounts', level: 1 }).waitFor();
    expect(await page.locator('#site-nav a').allInnerTexts()).toEqual(['Catalogue', 'Users']);
  });

  it('loads the program rules once per sign-in and again on reload, and the form lists them', async () => {
    const calls: string[] = [];
    const count = (request: Request) => {
      if (new URL(request.url()).pathname === '/api/v1/reference/rules') calls.push(request.method());
    };
    page.on('request', count);
    try {
      await signOut();
      await signIn('applicant.acme');
      await page.getByRole('heading', { name: 'Your proposals' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New proposal' }).click();
      await page.getByRole('heading', { name: 'New proposal', level: 1 }).waitFor();
      expect(calls).toEqual(['GET']);
      // The support requests are on a later step of the form: read the list as the page holds it.
      const instruments = page.locator('select[data-field="federalSupport[0].instrumentId"] option');
      expect(await instruments.allTextContents()).toEqual([
        'Choose an instrument',
        ...FINANCING_INSTRUMENTS.map((i) => `${i.agency}: ${i.label}`),
      ]);
      const member = page.getByRole('group', { name: 'Member 1', exact: true });
      expect(await member.getByRole('checkbox').count()).toBe(STACK_LAYERS.length);
      await page.reload();
      await page.getByRole('heading', { name: 'New proposal', level: 1 }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Proposals' }).click();
      await page.getByRole('heading', { name: 'Your proposals' }).waitFor();
      expect(calls).toEqual(['GET', 'GET']);
    } finally {
      page.off('request', count);
    }
  });

  /** Swaps the stored session's token for one the API refuses (a string script: the test compiles without DOM types). */
  const revokeStoredToken = () =>
    page.evaluate(`{
      const stored = JSON.parse(sessionStorage.getItem('exportsDesk.session'));
      sessionStorage.setItem('exportsDesk.session', JSON.stringify({ ...stored, accessToken: 'revoked-token' }));
    }`);

  it('goes back to sign-in when the API answers 401', async () => {
    await signOut();
    await signIn('applicant.acme');
    await page.getByRole('heading', { name: 'Your proposals' }).waitFor();
    await revokeStoredToken();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Exports Desk' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Your session has ended');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('exportsDesk.session')")).toBeNull();
  });

  it('goes back to sign-in when a download answers 401, as other calls do', async () => {
    await signIn('auditor');
    await page.goto(`${stack.baseUrl}/#/audit`);
    const csv = page.getByRole('button', { name: 'Download CSV' });
    await csv.waitFor();
    await revokeStoredToken();
    await csv.click();
    await page.getByRole('heading', { name: 'Sign in to Exports Desk' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Your session has ended');
  });
});
