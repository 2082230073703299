import type { Page } from 'playwright-core';

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
