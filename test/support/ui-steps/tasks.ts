import { Locator } from 'playwright-core';
import { UiPage } from '../browser';

/**
 * Agency staff's inbox steps, through the UI only: the caller has signed in. Each finds the task of a
 * proposal (by its title) in the inbox, reloading until it appears (workflows are asynchronous).
 */
async function findTask(ui: UiPage, proposalTitle: string, hash = '#/tasks?status=OPEN', deadlineMs = 30_000): Promise<Locator> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    await ui.goto(hash);
    const card = ui.page.locator('li.task').filter({ has: ui.page.getByRole('link', { name: proposalTitle }) });
    await ui.page.locator('[aria-busy="false"]').first().waitFor();
    if ((await card.count()) > 0) return card.first();
    if (Date.now() > end) throw new Error(`No task for "${proposalTitle}" in the inbox`);
    await ui.page.waitForTimeout(1_000);
  }
}

async function claimed(card: Locator): Promise<void> {
  const claim = card.getByRole('button', { name: 'Claim' });
  if (await claim.isVisible()) {
    await claim.click();
    await card.getByRole('status').filter({ hasText: 'You claimed this task.' }).waitFor();
  }
}

/** An AGENCY_REVIEW or CONSULTATION position: CONCUR, CONCUR_WITH_CONDITIONS (conditions) or NON_CONCUR (reason). */
export async function recordsPosition(
  ui: UiPage,
  proposalTitle: string,
  {
    decision,
    conditions,
    reason,
  }: { taskType: 'AGENCY_REVIEW' | 'CONSULTATION'; decision: string; conditions?: string[]; reason?: string },
): Promise<void> {
  const card = await findTask(ui, proposalTitle);
  await claimed(card);
  await card.locator('summary', { hasText: 'Decide' }).click();
  const radio = card.locator(`input[type=radio][value="${decision}"]`);
  await ui.tick(radio);
  if (conditions?.length) await card.getByLabel('Conditions').fill(conditions.join('\n'));
  if (reason) await card.getByLabel('Comment').fill(reason);
  await card.getByRole('button', { name: 'Record decision' }).click();
  await card.getByRole('status').filter({ hasText: 'Decision recorded' }).waitFor();
}

/** A supervisor reassigns the proposal's open task to another user of the agency. */
export async function reassigns(ui: UiPage, proposalTitle: string, toUsername: string, reason = 'Workload balancing'): Promise<void> {
  const card = await findTask(ui, proposalTitle);
  await card.locator('summary', { hasText: 'Reassign' }).click();
  // The options come from GET /tasks/:id/eligible-assignees once the form opens; selectOption waits for them.
  await card.getByLabel(/New assignee/).selectOption(toUsername);
  await card.getByLabel(/Reason/).fill(reason);
  await card.getByRole('button', { name: 'Reassign' }).click();
  await card
    .getByRole('status')
    .filter({ hasText: `Reassigned to ${toUsername}.` })
    .waitFor();
}
