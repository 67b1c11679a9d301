import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium';
import { DEMO_PASSWORD, Stack } from './stack';

/**
 * Driving the web UI in Debian's Chromium (never a downloaded browser): launch, sign in as a demo
 * user, tick a USWDS checkbox, check a screen with axe-core, save its screenshot.
 */
export { CHROMIUM, launchChromium } from '../../scripts/lib/chromium';

/** Screenshots of every screen a run visits (gitignored; a few are copied into docs/screenshots). */
export const SCREENSHOT_DIR = join(__dirname, '../../artifacts/screenshots');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** One browser tab at the UI, collecting script errors and CSP violations for the test to assert none. */
export class UiPage {
  readonly errors: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // The browser logs every non-2xx fetch ("Failed to load resource"); tests provoke some on purpose.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) this.errors.push(message.text());
    });
  }

  static async open(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 900 }): Promise<UiPage> {
    const page = await browser.newPage({ viewport });
    const ui = new UiPage(page, baseUrl);
    await page.goto(baseUrl);
    return ui;
  }

  async goto(hash: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/${hash.startsWith('#') ? hash : `#/${hash}`}`);
  }

  async signIn(username: string, password = DEMO_PASSWORD): Promise<void> {
    if ((await this.page.locator('#user-box button').count()) > 0) await this.signOut();
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    // Attached, not visible: on a narrow screen it sits in the collapsed USWDS menu.
    await this.page.locator('#user-box button').waitFor({ state: 'attached' });
  }

  /** Waits until the screen shows its data: an h1 and nothing marked busy or loading. */
  async settled(timeoutMs = 10_000): Promise<void> {
    await this.page.locator('main h1').first().waitFor();
    const busy = this.page.locator('[aria-busy="true"], .loading');
    const deadline = Date.now() + timeoutMs;
    while ((await busy.count()) > 0) {
      if (Date.now() > deadline) throw new Error(`Still loading after ${timeoutMs} ms at ${this.page.url()}`);
      await this.page.waitForTimeout(50);
    }
  }

  async signOut(): Promise<void> {
    if (!(await this.page.getByRole('button', { name: 'Sign out' }).isVisible())) await this.page.locator('.usa-menu-btn').click();
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await this.page.getByRole('heading', { name: 'Sign in to Exports Desk' }).waitFor();
  }

  /** USWDS draws its own checkbox or radio over the native one (moved off-screen): a user clicks the label. */
  async tick(control: Locator): Promise<void> {
    const id = await control.getAttribute('id');
    await this.page.locator(`label[for="${id}"]`).click();
    if (!(await control.isChecked())) throw new Error(`#${id} is not checked after clicking its label`);
  }

  /** Presses Tab (as a keyboard-only user) until `target` has the focus; fails after `max` presses. */
  async tabTo(target: Locator, max = 80): Promise<void> {
    for (let presses = 0; presses < max; presses++) {
      if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
      await this.page.keyboard.press('Tab');
    }
    throw new Error(`Tab did not reach ${target} in ${max} presses`);
  }

  /** axe-core's serious and critical violations on the current screen (WCAG 2.1 A/AA and Section 508 rules). */
  async axeViolations(): Promise<AxeViolation[]> {
    // Evaluated through the DevTools protocol, so the page's strict CSP does not block the injected script.
    // (The test compiles without DOM types, so the in-page code is a string.)
    if (!(await this.page.evaluate('typeof window.axe === "object"'))) await this.page.evaluate(axe.source);
    const result = (await this.page.evaluate(
      `window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'section508'] } })`,
    )) as axe.AxeResults;
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }

  /** Saves the screen as artifacts/screenshots/<name>.png and returns its path. */
  async shot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  /** A screen as a user meets it: screenshot saved, and no serious or critical axe-core violation. */
  async screen(name: string): Promise<void> {
    await this.shot(name);
    const violations = await this.axeViolations();
    if (violations.length) throw new Error(`axe-core on "${name}": ${JSON.stringify(violations, null, 2)}`);
  }
}

/** What a browser spec works with: its own stack, Chromium, and one tab on the UI. */
export interface BrowserStack {
  stack: Stack;
  browser: Browser;
  ui: UiPage;
}

/**
 * The browser tier's fixture for the calling describe block: starts a stack (with `env`) and Chromium,
 * opens a tab, hands them to `ready` (which may also set up data), checks that no test left a script
 * error or CSP violation, and closes everything at the end.
 */
export function useBrowserStack(ready: (fixture: BrowserStack) => void | Promise<void>, env: Record<string, string> = {}): void {
  let fixture: BrowserStack | undefined;
  beforeAll(async () => {
    const [stack, browser] = await Promise.all([Stack.start(env), launchChromium()]);
    fixture = { stack, browser, ui: await UiPage.open(browser, stack.baseUrl) };
    await ready(fixture);
  }, 180_000);
  afterEach(() => expect(fixture?.ui.errors ?? []).toEqual([]));
  afterAll(async () => {
    await fixture?.browser.close();
    await fixture?.stack.stop();
  });
}
