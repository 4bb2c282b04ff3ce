/** Helpers shared by the Chromium e2e tests: the JSON API as staff set-up uses it, and axe-core. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

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
