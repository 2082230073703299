/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), headless, with the flags that keep it
 * off the network.
 */
import { Browser, chromium, type Page } from 'playwright-core';
import { requireTool } from './tools';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  requireTool(CHROMIUM, 'chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Collects console errors, page errors and failed requests (the offline catalogue request excepted). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  // Node-RED's own palette manager asks the public catalogue, unreachable offline: the only request we excuse.
  const excused = (url: string): boolean => url.startsWith('https://catalogue.nodered.org/');
  page.on('console', (m) => { if (m.type() === 'error' && !excused(m.location().url)) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => { if (!excused(r.url())) errors.push(`request failed: ${r.url()}`); });
  return errors;
}

/** Opens the Node-RED editor at `url` in `page` and waits for its palette; returns the page's errors, collected from the start. */
export async function openEditor(page: Page, url: string): Promise<string[]> {
  const errors = watchErrors(page);
  await page.goto(url);
  await page.waitForSelector('#red-ui-palette .red-ui-palette-node', { timeout: 60000 });
  return errors;
}
