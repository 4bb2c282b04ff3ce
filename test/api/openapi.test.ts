/** The OpenAPI document: valid 3.1 structure, generated from the same registry that mounts every route. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import express from 'express';
import { createApp } from '../../api/app.js';
import { openApiPath } from '../../api/openapi.js';
import { call, startApiHarness, testSigner, type ApiHarness } from './harness.js';
import { parseConfig } from '../../infra/config.js';
import { createFileStore } from '../../infra/files.js';
import { silentLogger } from '../../infra/logger.js';
import { ACTION_NAMES } from '../../domain/sop.js';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

const noTemporal = {} as Client;
let h: ApiHarness;
let doc: any;
beforeAll(async () => {
  h = await startApiHarness({ temporal: noTemporal });
  doc = (await call(h.baseUrl, 'GET', '/api/openapi.json')).body;
});
afterAll(async () => {
  await h?.close();
});

/** Every (method, path) the Express router really serves, by walking its stack. */
function routerRoutes(app: express.Express): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const p = layer.route.path;
        for (const m of Object.keys(layer.route.methods)) if (layer.route.methods[m]) out.push({ method: m, path: `${prefix}${p}` });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix);
      }
    }
  };
  walk((app as any).router.stack, '');
  return out;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document with info, paths, components and a bearer security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: expect.any(String) });
    expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', properties: expect.objectContaining({ type: expect.anything(), title: expect.anything(), status: expect.anything(), detail: expect.anything() }) });
    const operationIds = new Set<string>();
    for (const [p, ops] of Object.entries<any>(doc.paths)) {
      expect(p.startsWith('/')).toBe(true);
      expect(p).not.toContain(':');
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
        expect(op.operationId).toEqual(expect.any(String));
        expect(operationIds.has(op.operationId)).toBe(false);
        operationIds.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [status, r] of Object.entries<any>(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(r.description).toEqual(expect.any(String));
          if (Number(status) >= 400) expect(r.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
        }
        // Every path parameter is declared.
        for (const name of [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          expect(op.parameters.find((x: any) => x.in === 'path' && x.name === name)).toMatchObject({ required: true });
        }
      }
    }
  });

  it('resolves every $ref inside the document', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const raw of refs) {
      const ref = raw.slice(8, -1);
      expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('documents the request and response schemas of the submission and of actions', () => {
    const submit = doc.paths['/api/applications'].post;
    const body = submit.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    expect(schema.required).toEqual(expect.arrayContaining(['documentType', 'reason', 'subject', 'contact', 'delivery', 'attachments']));
    expect(submit.responses['201'].content['application/json'].schema).toBeDefined();
    expect(submit.responses['409']).toBeDefined();
    expect(submit.security).toEqual([]);
    const act = doc.paths['/api/applications/{regNo}/actions/{action}'].post;
    expect(act.security).toEqual([{ bearerAuth: [] }]);
    expect(act.requestBody.content['application/json'].schema.anyOf ?? act.requestBody.content['application/json'].schema.oneOf).toHaveLength(ACTION_NAMES.length);
    expect(Object.keys(act.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']));
    expect(doc.paths['/api/staff'].get['x-roles']).toEqual(['admin']);
  });

  it('lists every route the Express router serves (walking the router stack)', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-oa-'));
    const app = createApp({
      config: parseConfig({ DATA_DIR: dataDir }),
      db: h.dbh.db,
      pingDatabase: async () => undefined,
      temporal: noTemporal,
      pingTemporal: async () => undefined,
      files: createFileStore(dataDir),
      signer: testSigner(),
      logger: silentLogger,
    });
    const consolePages = new Set(['/', '/ajukan', '/lacak', '/lacak/:token', '/verifikasi', '/verifikasi/:regNo']);
    const served = routerRoutes(app).filter((r) => !consolePages.has(r.path));
    expect(served.length).toBeGreaterThan(25);
    for (const r of served) {
      expect(doc.paths[openApiPath(r.path)]?.[r.method], `${r.method.toUpperCase()} ${r.path}`).toBeDefined();
    }
    // And nothing documented that is not served.
    const documented = Object.entries<any>(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual(served.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('GET /api/docs', () => {
  it("is Scalar's API reference served from this server (no external resources) within a CSP for that page", async () => {
    const res = await fetch(`${h.baseUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).not.toMatch(/<script>(?!<)/); // no inline script
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/api/docs/assets/standalone.js', '/api/docs/assets/init.js']);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    const bundle = await fetch(`${h.baseUrl}${scripts[0]}`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(500_000);
    const init = await (await fetch(`${h.baseUrl}${scripts[1]}`)).text();
    expect(init).toContain("url: '/api/openapi.json'");
    expect(init).toContain('withDefaultFonts: false');
  });

  it('explains in the document how to get a token', async () => {
    const doc = (await (await fetch(`${h.baseUrl}/api/openapi.json`)).json()) as { info: { description: string } };
    expect(doc.info.description).toContain('/api/auth/login');
    expect(doc.info.description).toContain('Authorization: Bearer');
  });
});

describe('unknown addresses', () => {
  it('a browser gets the Indonesian HTML 404 page; an API client gets problem+json', async () => {
    const page = await fetch(`${h.baseUrl}/tidak-ada`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Halaman tidak ditemukan');
    const api = await fetch(`${h.baseUrl}/tidak-ada`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const plain = await fetch(`${h.baseUrl}/api/tidak-ada`);
    expect(plain.headers.get('content-type')).toContain('application/problem+json');
  });

  it('/verifikasi and /verifikasi/ are pages, not JSON', async () => {
    for (const p of ['/verifikasi', '/verifikasi/']) {
      const res = await fetch(`${h.baseUrl}${p}`, { headers: { accept: 'text/html' } });
      expect(res.status, p).toBe(200);
      expect(await res.text()).toContain('Verifikasi tanda tangan elektronik');
    }
  });
});

describe('GET /api/forms', () => {
  it('serves each action’s JSON Schema with Indonesian labels, roles and steps', async () => {
    const res = await call(h.baseUrl, 'GET', '/api/forms', { token: h.tokens.operator });
    expect(res.status).toBe(200);
    expect(res.body.items.map((f: any) => f.action)).toEqual([...ACTION_NAMES]);
    const verify = res.body.items.find((f: any) => f.action === 'verify-documents');
    expect(verify).toMatchObject({ roles: ['operator'], steps: ['DOCUMENT_VERIFICATION'], title: 'Verifikasi dokumen' });
    expect(verify.schema.properties.decision).toMatchObject({ enum: ['approve', 'reject'], title: 'Keputusan' });
    expect(verify.schema.properties.reason.title).toBe('Alasan');
    const one = await call(h.baseUrl, 'GET', '/api/forms/handover', { token: h.tokens.ekspedisi });
    expect(one.body.schema.required).toEqual(['receivedBy', 'relationship']);
    expect(one.body.schema.properties.photoBase64.contentEncoding).toBe('base64');
    expect((await call(h.baseUrl, 'GET', '/api/forms/terbang', { token: h.tokens.operator })).status).toBe(404);
  });
});
