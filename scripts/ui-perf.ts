import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { projectPath } from '../libs/config';
import { launchChromium } from './lib/chromium';

/**
 * `npm run ui:perf`: the web UI's first load on the wire and each screen's time to data, measured in
 * Debian's Chromium against a running system (`npm start`, demo data) at UI_BASE_URL.
 * Targets (issue 14): first load under 500 kB gzipped; every screen shows its data within 1 s.
 * Writes docs/benchmarks/ui-latest.json and prints a table.
 */
const BASE = process.env.UI_BASE_URL ?? 'http://127.0.0.1:3000';
const PASSWORD = process.env.DEMO_PASSWORD ?? 'exports-demo';
const ROLES = [
  'applicant.acme',
  'commerce.reviewer',
  'commerce.supervisor',
  'edag.coordinator',
  'sba.officer',
  'program.manager',
  'auditor',
  'admin',
];
const FIRST_LOAD_BUDGET = 500 * 1024;
const SCREEN_BUDGET_MS = 1000;

/** Until the screen shows its data: an h1, and nothing marked busy or loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  while ((await page.locator('[aria-busy="true"], .loading').count()) > 0) await page.waitForTimeout(10);
}

async function main(): Promise<void> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const transferred: { url: string; bytes: number }[] = [];
  page.on('requestfinished', (request) => {
    void request
      .sizes()
      .then((s) => transferred.push({ url: request.url().replace(BASE, ''), bytes: s.responseBodySize + s.responseHeadersSize }));
  });
  // The first load: everything the sign-in page fetches, as sent (compressed) over the wire.
  await page.goto(BASE, { waitUntil: 'networkidle' });
  await page.getByLabel('Username').waitFor();
  await page.waitForTimeout(200);
  const firstLoadBytes = transferred.reduce((sum, r) => sum + r.bytes, 0);
  const largest = [...transferred].sort((a, b) => b.bytes - a.bytes).slice(0, 5);

  const screens: { user: string; screen: string; ms: number }[] = [];
  for (const user of ROLES) {
    await page.goto(BASE);
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#user-box button').waitFor({ state: 'attached' });
    await settled(page);
    const hrefs = (await page.locator('#site-nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) as string[];
    for (const href of hrefs.filter(Boolean)) {
      const started = performance.now();
      await page.locator(`#site-nav a[href="${href}"]`).click();
      await settled(page);
      screens.push({ user, screen: href, ms: Math.round(performance.now() - started) });
    }
    // A case file too: the first proposal of the list, from the click to its assessment, reviews and timeline.
    if (hrefs.includes('#/proposals')) {
      await page.locator('#site-nav a[href="#/proposals"]').click();
      await settled(page);
      const first = page.locator('main a[href^="#/proposals/"]').first();
      if ((await first.count()) > 0) {
        const started = performance.now();
        await first.click();
        await settled(page);
        screens.push({ user, screen: '#/proposals/:id', ms: Math.round(performance.now() - started) });
      }
    }
    await page.evaluate('sessionStorage.clear()');
  }
  await browser.close();

  const slowest = Math.max(...screens.map((s) => s.ms));
  const result = {
    measuredAt: new Date().toISOString(),
    command: 'npm start (demo data), then npm run ui:perf',
    baseUrl: BASE,
    firstLoad: {
      bytes: firstLoadBytes,
      kB: Math.round(firstLoadBytes / 102.4) / 10,
      budgetKB: 500,
      withinBudget: firstLoadBytes < FIRST_LOAD_BUDGET,
      largest,
    },
    screens: {
      count: screens.length,
      slowestMs: slowest,
      budgetMs: SCREEN_BUDGET_MS,
      withinBudget: slowest <= SCREEN_BUDGET_MS,
      each: screens,
    },
  };
  writeFileSync(projectPath('docs', 'benchmarks', 'ui-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`first load: ${result.firstLoad.kB} kB on the wire (budget 500 kB)`);
  console.table(screens);
  console.log(`slowest screen: ${slowest} ms (budget ${SCREEN_BUDGET_MS} ms)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
