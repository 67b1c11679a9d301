import type { UiPage } from '../browser';

/** What a program manager does in the browser: the milestone dashboard, a milestone completed, the pipeline. */

async function openNav(ui: UiPage, label: string): Promise<void> {
  await ui.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
}

/** The dashboard lists the plan with its status and days remaining; returns the plan's name. */
export async function seesMilestoneDashboard(ui: UiPage): Promise<string> {
  await openNav(ui, 'Milestones');
  await ui.page.getByRole('heading', { name: 'Program plans', level: 1 }).waitFor();
  const row = ui.page.locator('main table tbody tr').first();
  await row.waitFor();
  const text = await row.innerText();
  if (!/days (remaining|overdue)/.test(text)) throw new Error(`The plan row shows no days remaining: ${text}`);
  return row.getByRole('link').innerText();
}

/** On the dashboard, creates a calendar feed URL (replacing any) and returns it as shown, with its once-only hint. */
export async function createsCalendarFeed(ui: UiPage): Promise<string> {
  await seesMilestoneDashboard(ui);
  const card = ui.page.getByRole('region', { name: 'Calendar subscription' });
  await card.getByRole('button', { name: /^(Create calendar feed URL|Replace URL)$/ }).click();
  const input = card.getByLabel('Calendar feed URL');
  await input.waitFor();
  if (!(await card.innerText()).includes('it is shown once')) throw new Error('The feed URL is shown without its hint');
  return input.inputValue();
}

/** Opens the first plan, completes the first pending milestone with `evidence`, and sees it DONE with that evidence. */
export async function completesMilestone(ui: UiPage, evidence: string): Promise<string> {
  await seesMilestoneDashboard(ui);
  await ui.page.locator('main table tbody tr').first().getByRole('link').click();
  await ui.page.getByRole('heading', { name: 'Milestones', level: 2 }).waitFor();
  const item = ui.page.locator('.milestone-timeline > li:has(details.milestone__actions)').first();
  const key = await item.getAttribute('data-milestone');
  const title = (await item.locator('h3').innerText()).replace(/\s*(PENDING|OVERDUE)\s*$/i, '');
  await item.locator('summary').click();
  await item.getByLabel(/^Evidence/).fill(evidence);
  await item.getByRole('button', { name: 'Mark done' }).click();
  const done = ui.page.locator(`.milestone-timeline > li[data-milestone="${key}"]`);
  await done.locator('[data-status="DONE"]').waitFor();
  if (!(await done.innerText()).includes(evidence)) throw new Error(`Milestone ${key} shows no evidence "${evidence}"`);
  return title;
}

/** The pipeline shows its charts, each with a data table; returns the status chart's rows as "label: value". */
export async function seesPipeline(ui: UiPage): Promise<string[]> {
  await openNav(ui, 'Pipeline');
  const chart = ui.page.locator('figure[data-testid="chart-status"]');
  await chart.locator('svg[role="img"]').waitFor();
  await chart.locator('summary').click();
  const rows = await chart.locator('tbody tr').allInnerTexts();
  return rows.map((r) => r.replace(/\s*\t\s*/, ': ').trim());
}
