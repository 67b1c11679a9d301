import type { UiPage } from '../browser';

/**
 * Oversight steps through the UI only (issue 14): the catalogue, the EDAG financing queue, the audit
 * chain's verification and the administrator's user creation. Each asserts what the user sees.
 */

const nav = (ui: UiPage) => ui.page.getByRole('navigation', { name: 'Main' });

/** Opens the catalogue from the navigation and finds the package by its title on a card. */
export async function seesInCatalogue(ui: UiPage, title: string): Promise<void> {
  await nav(ui).getByRole('link', { name: 'Catalogue' }).click();
  await ui.page.getByRole('heading', { name: 'Catalogue of priority AI export packages', level: 1 }).waitFor();
  await ui.page.getByRole('heading', { name: title, level: 2 }).waitFor();
}

/** Opens the financing page: the assignment queue and the summary totals are shown; returns the queue's proposal titles. */
export async function seesFinancingQueue(ui: UiPage): Promise<string[]> {
  await nav(ui).getByRole('link', { name: 'Financing' }).click();
  await ui.page.getByRole('heading', { name: 'Financing', level: 1 }).waitFor();
  await ui.page.getByRole('heading', { name: 'Assignment queue', level: 2 }).waitFor();
  await ui.page.getByTestId('total-committed').waitFor();
  const queue = ui.page.getByTestId('financing-queue');
  if (!(await queue.isVisible())) {
    await ui.page.getByText('No financing assignment waits').waitFor();
    return [];
  }
  return queue.locator('tbody tr td:first-child a').allInnerTexts();
}

/** Opens the audit trail, verifies the chain and expects it valid with the sealer's status shown. */
export async function verifiesAuditChain(ui: UiPage): Promise<void> {
  await nav(ui).getByRole('link', { name: 'Audit trail' }).click();
  await ui.page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
  await ui.page.getByRole('button', { name: 'Verify chain' }).click();
  await ui.page.getByRole('heading', { name: 'Chain valid' }).waitFor();
  await ui.page.getByTestId('sealer-status').getByText('Last signed checkpoint').waitFor();
}

export interface NewUserInput {
  username: string;
  displayName: string;
  /** Role labels as shown (e.g. 'Reviewer'). */
  roles: string[];
  agency?: string;
  organisation?: string;
  password: string;
}

/** The administrator creates an account on the users page and sees it listed. */
export async function adminCreatesUser(ui: UiPage, user: NewUserInput): Promise<void> {
  await nav(ui).getByRole('link', { name: 'Users' }).click();
  await ui.page.getByRole('heading', { name: 'User accounts', level: 1 }).waitFor();
  const form = ui.page.getByRole('form', { name: 'Create a user' });
  await form.getByLabel('Username').fill(user.username);
  await form.getByLabel('Display name').fill(user.displayName);
  for (const role of user.roles) await ui.tick(form.getByRole('checkbox', { name: role, exact: true }));
  if (user.agency) await form.getByLabel('Agency').selectOption(user.agency);
  if (user.organisation) await form.getByLabel('Organisation').fill(user.organisation);
  await form.getByLabel('Password').fill(user.password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await ui.page.locator('#main').getByText(`User ${user.username} created.`).waitFor();
  await ui.page.locator(`tr[data-username="${user.username}"]`).waitFor();
}
