/**
 * Case <-> workflow links: supervisors and the admin get the case's workflow page in the Temporal
 * Web UI (other roles 403; null without a UI address), and a case workflow's start options carry
 * the console link in its Indonesian summary and details.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { caseWorkflowStartOptions } from '../../workflows/start-options.js';
import { parseConfig } from '../../infra/config.js';

const noTemporal = {} as unknown as Client;
let h: ApiHarness;
let bare: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal, temporalUiUrl: 'https://temporal-ui.grobogan.example/' });
  bare = await startApiHarness({ temporal: noTemporal });
});
afterAll(async () => {
  await h?.close();
  await bare?.close();
});

describe('GET /api/temporal-ui/cases/{regNo}', () => {
  it('answers the workflow page for kadis, kabid, subkoordinator and admin', async () => {
    for (const role of ['kadis', 'kabid', 'subkoordinator', 'admin'] as const) {
      const res = await call(h.baseUrl, 'GET', '/api/temporal-ui/cases/BP-20261203-00001', { token: h.tokens[role] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ url: 'https://temporal-ui.grobogan.example/namespaces/default/workflows/BP-20261203-00001' });
    }
  });
  it('refuses operator and courier with 403, and answers null when no UI address is configured', async () => {
    expect((await call(h.baseUrl, 'GET', '/api/temporal-ui/cases/BP-20261203-00001', { token: h.tokens.operator })).status).toBe(403);
    expect((await call(h.baseUrl, 'GET', '/api/temporal-ui/cases/BP-20261203-00001', { token: h.tokens.ekspedisi })).status).toBe(403);
    expect((await call(bare.baseUrl, 'GET', '/api/temporal-ui/cases/BP-20261203-00001', { token: bare.tokens.kadis })).body).toEqual({ url: null });
  });
});

describe('case workflow start options', () => {
  it('carry the console link of the case in the summary and as a markdown link in the details', () => {
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/unused' });
    const input = { registrationNumber: 'BP-20261203-00007', documentType: 'KIA' as const, reason: 'NEW' as const, district: 'Purwodadi', submittedAt: 0, policy: config.policy };
    const opts = caseWorkflowStartOptions(input, { publicBaseUrl: 'https://becak.grobogan.example/' });
    expect(opts.staticSummary).toContain('https://becak.grobogan.example/#/kasus/BP-20261203-00007');
    expect(opts.staticDetails).toContain('[Buka permohonan ini di konsol Becak Pintar](https://becak.grobogan.example/#/kasus/BP-20261203-00007)');
    expect(caseWorkflowStartOptions(input).staticDetails).not.toContain('konsol');
  });
});
