/**
 * Input holes found while attacking the API (issue #11 item 6), each with its regression test:
 * JSON nested too deep, six attachments of exactly 2 MiB, and X-Forwarded-For believed only from
 * TRUST_PROXY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError, type Client } from '@temporalio/client';
import { call, startApiHarness, validSubmission, type ApiHarness } from './harness.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_JSON_BODY_BYTES } from '../../domain/citizen.js';
import { MAX_JSON_DEPTH } from '../../api/body-limits.js';

// Temporal is down: a submission is still recorded (201) for the sweeper, which is all we need.
const unavailable = () => new ServiceError('14 UNAVAILABLE: No connection established', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 14 }) });
const downTemporal = {
  workflow: {
    getHandle: () => {
      throw unavailable();
    },
    start: async () => {
      throw unavailable();
    },
  },
} as unknown as Client;

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: downTemporal, login: false });
});
afterAll(async () => {
  await h?.close();
});

describe('JSON nested too deep', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('answers 400 problem+json (not a 500 from a stack overflow) for a submission nested 100 000 levels deep, with an Idempotency-Key', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/applications', { raw: nested(100_000), headers: { 'idempotency-key': 'deep-1' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toContain(`${MAX_JSON_DEPTH} tingkat`);
  });

  it('answers 400 on other routes too (arrays count as levels), and lets a body at the limit through to validation', async () => {
    const arrays = `{"q":${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}}`;
    const deep = await call(h.baseUrl, 'POST', '/api/tracking', { raw: arrays });
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toContain('tingkat');
    // Exactly MAX_JSON_DEPTH levels: not refused for its depth (the schema refuses it instead).
    const atLimit = await call(h.baseUrl, 'POST', '/api/tracking', { raw: nested(MAX_JSON_DEPTH) });
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.detail).not.toContain('tingkat');
    expect(atLimit.body.errors.length).toBeGreaterThan(0);
  });
});

describe('body size follows the attachment limits', () => {
  it(`accepts ${MAX_ATTACHMENTS} attachments of exactly 2 MiB each (base64 with MIME line breaks) with 201`, async () => {
    const file = (i: number) => {
      const bytes = Buffer.alloc(MAX_ATTACHMENT_BYTES, i);
      bytes.write('%PDF-1.4\n', 0);
      // Line-wrapped base64, as e-mail style encoders write it (the API ignores the whitespace).
      return bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
    };
    const body = validSubmission();
    body.attachments = Array.from({ length: MAX_ATTACHMENTS }, (_, i) => ({
      kind: i === 0 ? 'KK' : 'OTHER',
      fileName: `berkas-${i}.pdf`,
      contentType: 'application/pdf',
      contentBase64: `data:application/pdf;base64,${file(i)}`,
    }));
    const res = await call(h.baseUrl, 'POST', '/api/applications', { body });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    const stored = await h.dbh.db.selectFrom('attachments').select('size_bytes').where('registration_number', '=', res.body.registrationNumber).execute();
    expect(stored.map((a) => Number(a.size_bytes))).toEqual(Array(MAX_ATTACHMENTS).fill(MAX_ATTACHMENT_BYTES));
  });

  it('still answers 413 problem+json for a body beyond what the attachments need', async () => {
    const res = await call(h.baseUrl, 'POST', '/api/applications', { raw: JSON.stringify({ pad: 'x'.repeat(MAX_JSON_BODY_BYTES) }) });
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/maksimal \d+(,\d)? MiB/);
  });
});

describe('X-Forwarded-For and TRUST_PROXY', () => {
  const track = (baseUrl: string, xff: string) => call(baseUrl, 'POST', '/api/tracking', { body: {}, headers: { 'x-forwarded-for': xff } });

  it('unset: a client cannot escape the per-address limit by sending its own X-Forwarded-For', async () => {
    const strict = await startApiHarness({ temporal: downTemporal, login: false, env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await track(strict.baseUrl, `198.51.100.${i + 1}`)).status);
      expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
    } finally {
      await strict.close();
    }
  });

  it('TRUST_PROXY naming the proxy: the address it forwards is the client’s, each with its own limit', async () => {
    const proxied = await startApiHarness({ temporal: downTemporal, login: false, env: { RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1' } });
    try {
      for (let i = 0; i < 6; i++) expect((await track(proxied.baseUrl, `198.51.100.${i + 1}`)).status).toBe(400);
      const same: number[] = [];
      for (let i = 0; i < 4; i++) same.push((await track(proxied.baseUrl, '203.0.113.7')).status);
      expect(same).toEqual([400, 400, 400, 429]);
    } finally {
      await proxied.close();
    }
  });
});
