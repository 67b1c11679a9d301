import { Locator } from 'playwright-core';
import { UiPage } from '../browser';

/**
 * Agency staff's inbox steps, through the UI only: the caller has signed in. Each finds the task of a
 * proposal (by its title) in the inbox, reloading until it appears (workflows are asynchronous).
 */
export async function findTask(
  ui: UiPage,
  proposalTitle: string,
  taskTypeLabel?: string,
  hash = '#/tasks?status=OPEN',
  deadlineMs = 45_000,
): Promise<Locator> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    await ui.goto(hash);
    let card = ui.page.locator('li.task').filter({ has: ui.page.getByRole('link', { name: proposalTitle }) });
    if (taskTypeLabel) card = card.filter({ has: ui.page.getByRole('heading', { name: taskTypeLabel, exact: true }) });
    await ui.page.locator('[aria-busy="false"]').first().waitFor();
    if ((await card.count()) > 0) return card.first();
    if (Date.now() > end) throw new Error(`No ${taskTypeLabel ?? 'task'} for "${proposalTitle}" in the inbox`);
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

export interface Decision {
  /** The decision code, e.g. CONCUR or DESIGNATE (the radio's value). */
  decision: string;
  conditions?: string[];
  comment?: string;
  /** FINANCING_REVIEW's COMMIT: the amount committed. */
  amountUsd?: string;
}

/**
 * Claims the proposal's task of this type (by its label, e.g. "Agency review"), opens Decide, picks
 * the decision, fills what it needs and records it; `inspect` runs on the card first (what the user checks).
 * Resolves with the card once it shows "Decision recorded".
 */
export async function decides(
  ui: UiPage,
  proposalTitle: string,
  taskTypeLabel: string,
  { decision, conditions, comment, amountUsd }: Decision,
  inspect?: (card: Locator) => Promise<void>,
): Promise<Locator> {
  const card = await findTask(ui, proposalTitle, taskTypeLabel);
  await claimed(card);
  if (inspect) await inspect(card);
  await card.locator('summary', { hasText: 'Decide' }).click();
  await ui.tick(card.locator(`input[type=radio][value="${decision}"]`));
  if (conditions?.length) await card.getByRole('textbox', { name: 'Conditions' }).fill(conditions.join('\n'));
  if (amountUsd) await card.getByLabel('Amount committed (USD)').fill(amountUsd);
  if (comment) await card.getByLabel('Comment').fill(comment);
  await ui.screen(`task-${taskTypeLabel.toLowerCase().replace(/\W+/g, '-')}-form`);
  await card.getByRole('button', { name: 'Record decision' }).click();
  const recorded = card.getByRole('status').filter({ hasText: 'Decision recorded' });
  const refused = card.getByRole('alert');
  await recorded.or(refused).first().waitFor();
  if (await refused.isVisible()) throw new Error(`${taskTypeLabel} ${decision} refused: ${await refused.innerText()}`);
  return card;
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
