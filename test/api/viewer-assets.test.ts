import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountViewerAssets } from '../../api/verification/assets.js';

const require = createRequire(import.meta.url);
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  mountViewerAssets(app);
  app.use((_req, res) => res.status(404).send('nope'));
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('viewer libraries served from node_modules', () => {
  it('serves pdf.js, its worker and Panzoom as JavaScript modules', async () => {
    for (const p of ['/vendor/pdfjs/pdf.min.mjs', '/vendor/pdfjs/pdf.worker.min.mjs', '/vendor/panzoom/panzoom.es.js']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type'), p).toMatch(/^text\/javascript/);
      expect((await res.text()).length, p).toBeGreaterThan(10_000);
    }
  });

  it("serves pdf.js's standard fonts, and nothing else of the packages", async () => {
    const font = fs.readdirSync(path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts'))[0]!;
    expect((await fetch(`${base}/vendor/pdfjs/standard_fonts/${font}`)).status).toBe(200);
    for (const p of ['/vendor/pdfjs/package.json', '/vendor/pdfjs/build/pdf.mjs', '/vendor/pdfjs/standard_fonts/../package.json', '/vendor/panzoom/package.json']) {
      expect((await fetch(`${base}${p}`)).status, p).toBe(404);
    }
  });
});
