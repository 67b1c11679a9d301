import { readFileSync } from 'node:fs';
import { completeProposal } from '../../support/fixtures';
import { designate } from '../../support/designation';
import { useBrowserStack, UiPage } from '../../support/browser';
import { Stack } from '../../support/stack';
import { adminCreatesUser, seesFinancingQueue, seesInCatalogue, verifiesAuditChain } from '../../support/ui-steps/oversight';
import { reassigns } from '../../support/ui-steps/tasks';

const TITLE = 'Sovereign AI cloud for Kenya (oversight UI)';

/** Issue 14, oversight in the browser: admin users, audit verification and CSV, the catalogue, the EDAG queue and summary. */
describe('web UI: oversight', () => {
  let stack: Stack;
  let ui: UiPage;
  let proposalId: string;

  useBrowserStack(
    async (fixture) => {
      ({ stack, ui } = fixture);
      proposalId = (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title: TITLE }))).body.id;
      await designate(stack, proposalId);
    },
    { THROTTLE_WRITES_PER_MINUTE: '10000' },
  );

  it('starts the administrator at the users page, creates a user who can sign in, resets its password', async () => {
    await ui.signIn('admin');
    await ui.page.getByRole('heading', { name: 'User accounts', level: 1 }).waitFor();
    await ui.screen('oversight-admin-users');
    await adminCreatesUser(ui, {
      username: 'state.reviewer2',
      displayName: 'Jo Park',
      roles: ['Reviewer'],
      agency: 'STATE',
      password: 'a long password 123',
    });
    // A refusal is shown next to its field.
    const form = ui.page.getByRole('form', { name: 'Create a user' });
    await form.getByLabel('Username').fill('X');
    await form.getByLabel('Display name').fill('Bad');
    await ui.tick(form.getByRole('checkbox', { name: 'Auditor', exact: true }));
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.locator('[data-field="password"][aria-invalid="true"]').waitFor();
    expect(await form.locator('.field-error:not([hidden])').first().innerText()).not.toBe('');
    await ui.screen('oversight-admin-users-errors');
    // Reset the new user's password through the edit form.
    await ui.page.getByRole('button', { name: 'Edit state.reviewer2' }).click();
    const edit = ui.page.getByRole('form', { name: 'Edit state.reviewer2' });
    await edit.getByLabel('New password').fill('another long password 456');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await ui.page.locator('#main').getByText('state.reviewer2 updated and its password reset.').waitFor();
    const login = await stack.request('POST', '/api/v1/auth/login', { username: 'state.reviewer2', password: 'another long password 456' });
    expect(login.status).toBe(200);
    const reset = await stack.sql(`SELECT actor FROM audit_event WHERE action = 'USER_PASSWORD_RESET'`);
    expect(reset).toEqual([{ actor: 'admin' }]);
    // Disable it.
    await ui.page.getByRole('button', { name: 'Disable state.reviewer2' }).click();
    await ui.page.locator('#main').getByText('state.reviewer2 disabled.').waitFor();
    await ui.page.locator('tr[data-username="state.reviewer2"]').getByText('Disabled').waitFor();
  });

  it('lets the auditor verify the chain, see the sealer status and download the trail as CSV', async () => {
    await ui.signIn('auditor');
    await verifiesAuditChain(ui);
    await ui.screen('oversight-audit-verified');
    const [file] = await Promise.all([ui.page.waitForEvent('download'), ui.page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(file.suggestedFilename()).toBe('audit.csv');
    const path = await file.path();
    expect(readFileSync(path, 'utf8')).toMatch(/action/);
  });

  it('shows the EDAG coordinator its queue and the summary, and the designated package in the catalogue', async () => {
    await ui.signIn('edag.coordinator');
    const titles = await seesFinancingQueue(ui);
    expect(titles).toContain(TITLE);
    await ui.screen('oversight-financing');
    await seesInCatalogue(ui, TITLE);
    await ui.screen('oversight-catalogue');
  });

  it('lets any signed-in user read the catalogue, and hides oversight pages from an applicant', async () => {
    await ui.signIn('applicant.globex');
    await seesInCatalogue(ui, TITLE);
    const nav = ui.page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Users', 'Financing', 'Audit trail']) expect(await nav.getByRole('link', { name: label }).count()).toBe(0);
    await ui.goto('#/admin/users');
    await ui.page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await ui.screen('oversight-denied');
  });

  it('lets a supervisor reassign a task to a user picked from the eligible assignees', async () => {
    const title = 'Reassignment picker (oversight UI)';
    const filed = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title }));
    expect(filed.status).toBe(201);
    await ui.signIn('commerce.supervisor');
    await reassigns(ui, title, 'commerce.reviewer', 'Riley takes the Kenya reviews');
    await ui.screen('oversight-reassigned');
    const [event] = await stack.sql(
      `SELECT e.actor, e.after, e.reason FROM audit_event e JOIN task t ON t.id::text = e.subject_id
       WHERE e.action = 'TASK_REASSIGNED' AND t.proposal_id = $1`,
      [filed.body.id],
    );
    expect(event).toEqual({
      actor: 'commerce.supervisor',
      after: { assignee: 'commerce.reviewer' },
      reason: 'Riley takes the Kenya reviews',
    });
  });

  it('rejects a password reset by a non-admin and a short one (API)', async () => {
    const users = (await stack.as('admin', 'GET', '/api/v1/admin/users')).body as { id: string; username: string }[];
    const target = users.find((u) => u.username === 'commerce.reviewer') as { id: string };
    expect((await stack.as('auditor', 'PATCH', `/api/v1/admin/users/${target.id}`, { password: 'a long enough password' })).status).toBe(
      403,
    );
    const short = await stack.as('admin', 'PATCH', `/api/v1/admin/users/${target.id}`, { password: 'short' });
    expect(short.status).toBe(400);
  });
});
