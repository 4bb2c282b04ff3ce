/** Helpers shared by the Chromium e2e tests: the JSON API as staff set-up uses it, axe-core, held answers, dates. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { INDONESIAN_MONTHS } from '../../domain/indonesian-date.js';

/** A date and time as console lists write it, "3 Desember 2026 08.12 WIB" (the domain's month names). */
export const LIST_DATE_TIME = new RegExp(`\\d{1,2} (${INDONESIAN_MONTHS.join('|')}) \\d{4} \\d{2}\\.\\d{2} WIB`);

/**
 * Holds back the answers to requests matching `url` (a slow network) until `release()`, which then
 * waits for the first held answer, gives the page time to render it, and stops holding.
 */
export async function holdAnswers(page: Page, url: string): Promise<{ release(): Promise<void> }> {
  let open!: () => void;
  const held = new Promise<void>((r) => (open = r));
  await page.route(url, async (route) => {
    await held;
    await route.continue();
  });
  const answered = page.waitForResponse(url);
  return {
    async release() {
      open();
      await answered;
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      await page.unroute(url);
    },
  };
}

/** A JSON call to the service (Bearer token or none); throws with the answer on a non-2xx status. */
export async function callApi(baseUrl: string, token: string | null, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page as it is, one line each ("rule: selectors"). Injected through
 * the DevTools protocol, so the page's CSP (script-src 'self') stays strict. `tags` limits the rules
 * (axe's `runOnly` by tag); without it every rule axe runs by default.
 */
export async function axeViolations(page: Page, tags?: readonly string[]): Promise<string[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const options = JSON.stringify(tags ? { runOnly: { type: 'tag', values: tags } } : { resultTypes: ['violations'] });
  // A string expression: evaluated in the page, where `axe` is defined (no DOM types in this project).
  const result = (await page.evaluate(`axe.run(document, ${options})`)) as { violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.map(String).join(' ')).join(', ')}`);
}
