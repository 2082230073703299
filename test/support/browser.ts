/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), headless, with the flags that keep it
 * off the network.
 */
import { Browser, chromium } from 'playwright-core';
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
