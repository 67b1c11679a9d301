import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { useBrowserStack, UiPage } from '../../support/browser';
import { completeProposal } from '../../support/fixtures';
import { DEMO_PASSWORD, Stack } from '../../support/stack';

/** Live updates without reload (live.js) and an axe-core sweep of every main-navigation screen of every demo role. */
const ROLES_TO_SWEEP = [
  'applicant.acme',
  'commerce.compliance',
  'commerce.reviewer',
  'commerce.supervisor',
  'commerce.decider',
  'edag.coordinator',
  'exim.officer',
  'sba.officer',
  'ita.officer',
  'bis.officer',
  'program.manager',
  'auditor',
  'admin',
];

describe('Web UI: live updates and accessibility', () => {
  let stack: Stack;
  let browser: Browser;
  let ui: UiPage;

  useBrowserStack(async (fixture) => {
    ({ stack, browser, ui } = fixture);
  });

  it('shows a proposal status change on an open proposal page without reloading', async () => {
    const filed = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title: 'Live update (browser)' }));
    expect(filed.status).toBe(201);
    await ui.signIn('applicant.acme');
    await ui.goto(`#/proposals/${filed.body.id}`);
    await ui.page.locator('.status-lead').waitFor();
    await ui.page.evaluate('window.__noReload = true');
    // A keyboard user on the page: the redraw must leave them where they were.
    await ui.page.locator('main').getByRole('link', { name: '← All proposals' }).focus();
    const withdrawn = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${filed.body.id}/withdrawal`, {
      reason: 'Testing live updates',
    });
    expect(withdrawn.status).toBeLessThan(300);
    await ui.page.locator('.status-lead [data-status="WITHDRAWN"]').waitFor({ timeout: 40_000 });
    expect(await ui.page.evaluate('window.__noReload === true')).toBe(true);
    expect(await ui.page.evaluate('document.activeElement?.textContent')).toBe('← All proposals');
  }, 90_000);

  it('has no serious or critical axe-core violation on any main-navigation screen of any role', async () => {
    const demo = JSON.parse(readFileSync(join(__dirname, '../../../data/demo-users.json'), 'utf8'));
    expect(JSON.stringify(demo)).toContain('applicant.acme');
    if (await ui.page.getByRole('button', { name: 'Sign out' }).isVisible()) await ui.signOut();
    await ui.screen('signin');
    for (const role of ROLES_TO_SWEEP) {
      await ui.signIn(role);
      const hrefs = (await ui.page.locator('#site-nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) as string[];
      for (const href of hrefs.filter(Boolean)) {
        await ui.goto(href);
        await ui.settled();
        await ui.screen(`${role}-${href.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`);
      }
    }
  }, 300_000);

  it('lets a reviewer sign in, claim, decide and record a position with the keyboard only', async () => {
    const title = 'Keyboard-only review (browser)';
    const filed = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title }));
    expect(filed.status).toBe(201);
    await stack.eventually('the Commerce review task', async () => {
      const tasks = await stack.as('commerce.reviewer', 'GET', `/api/v1/tasks?proposalId=${filed.body.id}&type=AGENCY_REVIEW`);
      return tasks.body.items?.length > 0;
    });
    const keyboard = await UiPage.open(browser, stack.baseUrl);
    const { page } = keyboard;
    await keyboard.tabTo(page.getByLabel('Username'));
    await page.keyboard.type('commerce.reviewer');
    await keyboard.tabTo(page.getByLabel('Password'));
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const card = page.locator('li.task').filter({ has: page.getByRole('link', { name: title }) });
    await card.waitFor();

    await keyboard.tabTo(card.getByRole('button', { name: 'Claim' }));
    await page.keyboard.press('Enter');
    await card.getByRole('status').filter({ hasText: 'You claimed this task.' }).waitFor();
    await keyboard.tabTo(card.locator('summary', { hasText: 'Decide' }));
    await page.keyboard.press('Enter');
    const concur = card.locator('input[type=radio][value="CONCUR"]');
    await keyboard.tabTo(concur);
    await page.keyboard.press('Space');
    expect(await concur.isChecked()).toBe(true);
    await keyboard.tabTo(card.getByLabel('Comment'));
    await page.keyboard.type('Reviewed with the keyboard only');
    await keyboard.screen('keyboard-review-form');
    await keyboard.tabTo(card.getByRole('button', { name: 'Record decision' }));
    await page.keyboard.press('Enter');
    await card.getByRole('status').filter({ hasText: 'Decision recorded: Concur.' }).waitFor();
    const [row] = await stack.sql(
      `SELECT decision, comment, completed_by FROM task WHERE proposal_id = $1 AND agency = 'COMMERCE' AND type = 'AGENCY_REVIEW'`,
      [filed.body.id],
    );
    expect(row).toEqual({ decision: 'CONCUR', comment: 'Reviewed with the keyboard only', completed_by: 'commerce.reviewer' });
    expect(keyboard.errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('opens the navigation from the USWDS menu button by keyboard on a 375 px wide screen', async () => {
    const mobile = await UiPage.open(browser, stack.baseUrl, { width: 375, height: 740 });
    await mobile.signIn('commerce.reviewer');
    await mobile.screen('mobile-inbox');
    await mobile.page.locator('.usa-menu-btn').focus();
    await mobile.page.keyboard.press('Enter');
    await mobile.page.locator('#site-nav a').first().waitFor({ state: 'visible' });
    await mobile.screen('mobile-nav-open');
    expect(mobile.errors).toEqual([]);
    await mobile.page.close();
  }, 60_000);
});
