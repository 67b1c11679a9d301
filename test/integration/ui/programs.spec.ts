import { useBrowserStack, UiPage } from '../../support/browser';
import { completesMilestone, createsCalendarFeed, seesMilestoneDashboard, seesPipeline } from '../../support/ui-steps/programs';
import { completeProposal } from '../../support/fixtures';
import { Stack } from '../../support/stack';

/** The program manager in Chromium: the milestone dashboard, a milestone completed with evidence, the calendar feed URL, the pipeline chart. */
describe('web UI: program manager', () => {
  let stack: Stack;
  let ui: UiPage;

  useBrowserStack(async (fixture) => {
    ({ stack, ui } = fixture);
  });

  it('starts at the milestone dashboard and completes a milestone with evidence', async () => {
    await ui.signIn('program.manager');
    await ui.page.getByRole('heading', { name: 'Program plans', level: 1 }).waitFor();
    const plan = await seesMilestoneDashboard(ui);
    await ui.screen('program-manager-dashboard');
    const title = await completesMilestone(ui, 'Charter signed by the Secretary (browser test)');
    await ui.screen('program-manager-plan');
    const stored = await stack.eventually('the milestone stored as done', async () => {
      const [row] = await stack.sql<{ evidence: unknown; completed_by: string | null }>(
        `SELECT m.evidence, m.completed_by FROM milestone m JOIN program p ON p.id = m.program_id WHERE p.name = $1 AND m.title = $2`,
        [plan, title],
      );
      return row?.completed_by ? row : undefined;
    });
    expect(stored.completed_by).toBe('program.manager');
    expect(JSON.stringify(stored.evidence)).toContain('Charter signed by the Secretary (browser test)');
  });

  it('re-baselines a milestone with a reason and shows its new due day', async () => {
    const item = ui.page.locator('.milestone-timeline > li:has(details.milestone__actions)').first();
    const key = await item.getAttribute('data-milestone');
    const dueDay = Number(await item.getByLabel(/^New due day/).inputValue()) + 5;
    await item.locator('summary').click();
    await item.getByLabel(/^New due day/).fill(String(dueDay));
    await item.getByLabel(/^Reason/).fill('Waiting on interagency sign-off');
    await item.getByRole('button', { name: 'Re-baseline' }).click();
    await ui.page.locator(`.milestone-timeline > li[data-milestone="${key}"]`).getByText(`(day ${dueDay})`).waitFor();
  });

  it('creates a calendar feed URL that a calendar client fetches without signing in', async () => {
    const url = await createsCalendarFeed(ui);
    expect(url.startsWith(`${stack.baseUrl}/api/v1/calendar/`)).toBe(true);
    await ui.screen('program-manager-calendar-feed');
    const feed = await ui.page.request.get(url);
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toMatch(/text\/calendar/);
    expect(await feed.text()).toContain('BEGIN:VEVENT');
    // Revoked from the card, the URL stops working.
    await ui.page.getByRole('region', { name: 'Calendar subscription' }).getByRole('button', { name: 'Revoke' }).click();
    await ui.page.getByRole('button', { name: 'Create calendar feed URL' }).waitFor();
    expect((await ui.page.request.get(url)).status()).toBe(404);
  });

  it('shows the pipeline as charts with a data table behind each', async () => {
    expect((await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title: 'For the pipeline' }))).status).toBe(
      201,
    );
    const rows = await stack.eventually('a status in the pipeline', async () => {
      await ui.page.reload();
      const seen = await seesPipeline(ui);
      return seen.length > 0 && seen;
    });
    expect(rows.join('\n')).toMatch(/: \d+/);
    expect(await ui.page.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(1);
    await ui.screen('program-manager-pipeline');
  });

  it('keeps the dashboard from roles without it: an applicant has no Milestones or Pipeline', async () => {
    await ui.signIn('applicant.acme');
    const nav = await ui.page.locator('#site-nav a').allInnerTexts();
    expect(nav).not.toContain('Pipeline');
    await ui.goto('pipeline');
    await ui.page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
  });
});
