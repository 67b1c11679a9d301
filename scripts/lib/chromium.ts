import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium (scripts/ensure-deps.sh installs it), never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium; without the background-networking flags its calls home are refused by this closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
