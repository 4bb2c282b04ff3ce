/**
 * Route registry and OpenAPI 3.1 generation: every route is registered through `defineRoute`,
 * which both mounts it on Express and records its zod schemas, so the document cannot drift
 * from the router.
 */
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../domain/sop.js';
import { problemSchema } from './errors.js';

export type HttpMethod = 'get' | 'post' | 'patch';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentTypes?: string[];
}

export interface RouteSpec {
  method: HttpMethod;
  /** Express path, e.g. `/api/applications/:regNo`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** null: public; 'any': any signed-in staff member; else the roles allowed. */
  auth: readonly Role[] | 'any' | null;
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: Record<string, { description: string; schema?: z.ZodType }>;
  headers?: Record<string, { description: string; required?: boolean }>;
  responses: Record<number, ResponseSpec>;
  /** Not part of the API contract (console pages): left out of the document. */
  hidden?: boolean;
}

export class RouteRegistry {
  readonly routes: RouteSpec[] = [];

  add(router: Router, spec: RouteSpec, ...handlers: RequestHandler[]): void {
    this.routes.push(spec);
    router[spec.method](spec.path, ...handlers);
  }
}

type JsonObject = Record<string, unknown>;

/**
 * No string the API reads may hold U+0000 (the database stores none; `parseBody`, `parseQuery` and
 * `validateSubmission` answer 400): said on every input string whose schema does not already
 * restrict its characters (`pattern`, `enum`, `const`, `format`).
 */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';
function forbidNul(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(forbidNul);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as JsonObject;
  const isString = o.type === 'string' || (Array.isArray(o.type) && o.type.includes('string'));
  if (isString && !('pattern' in o) && !('enum' in o) && !('const' in o) && !('format' in o)) o.pattern = NO_NUL_PATTERN;
  for (const [k, v] of Object.entries(o)) if (k !== 'examples' && k !== 'default') forbidNul(v);
}

/** Converts a zod schema to an OpenAPI 3.1 schema object, hoisting `$defs` into components. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: JsonObject): JsonObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;
  delete json.$schema;
  if (io === 'input') forbidNul(json);
  const defs = json.$defs as Record<string, JsonObject> | undefined;
  delete json.$defs;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node && typeof node === 'object') {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(node)) {
        out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : rewrite(v);
      }
      return out;
    }
    return node;
  };
  if (defs) {
    for (const [name, def] of Object.entries(defs)) components[name] = rewrite(def);
  }
  return rewrite(json) as JsonObject;
}

/** The JSON Schema of an action body, for `/api/forms` (self-contained, no external refs). */
export function formJsonSchema(schema: z.ZodType): JsonObject {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;
  return json;
}

export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function buildOpenApiDocument(routes: readonly RouteSpec[], info: { version: string; serverUrl?: string }): JsonObject {
  const components: JsonObject = {};
  const paths: Record<string, JsonObject> = {};
  const problemRef = { $ref: '#/components/schemas/Problem' };
  // problemSchema carries the id 'Problem': converting it stores components.schemas.Problem.
  toSchema(problemSchema, 'output', components);

  for (const r of routes) {
    if (r.hidden) continue;
    const p = openApiPath(r.path);
    const op: JsonObject = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      ...(r.auth ? { security: [{ bearerAuth: [] }] } : { security: [] }),
    };
    if (r.auth && r.auth !== 'any') {
      op['x-roles'] = r.auth;
      op.description = `${r.description ? `${r.description}\n\n` : ''}Peran: ${r.auth.join(', ')}.`;
    }
    const parameters: JsonObject[] = [];
    for (const name of [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!)) {
      const ps = r.params?.[name];
      parameters.push({
        name,
        in: 'path',
        required: true,
        description: ps?.description ?? name,
        schema: ps?.schema ? toSchema(ps.schema, 'input', components) : { type: 'string' },
      });
    }
    if (r.query) {
      const qs = toSchema(r.query, 'input', components) as { properties?: Record<string, JsonObject>; required?: string[] };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) {
        parameters.push({ name, in: 'query', required: (qs.required ?? []).includes(name), schema });
      }
    }
    for (const [name, h] of Object.entries(r.headers ?? {})) {
      parameters.push({ name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } });
    }
    if (parameters.length > 0) op.parameters = parameters;
    if (r.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input', components) } } };
    }
    const responses: JsonObject = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const content: JsonObject = {};
      if (spec.schema) {
        const schema = toSchema(spec.schema, 'output', components);
        for (const ct of spec.contentTypes ?? ['application/json']) content[ct] = { schema };
      } else if (spec.contentTypes) {
        for (const ct of spec.contentTypes) content[ct] = { schema: { type: 'string', ...(ct.startsWith('text/') ? {} : { contentMediaType: ct }) } };
      }
      responses[status] = { description: spec.description, ...(Object.keys(content).length ? { content } : {}) };
    }
    // Problem answers every route may give.
    const problems: Record<number, string> = { 429: 'Terlalu banyak permintaan', 503: 'Basis data atau Temporal tidak dapat dihubungi' };
    if (r.body || r.query) problems[400] = 'Isian tidak valid (errors[] per isian)';
    if (r.body) problems[413] = 'Permintaan terlalu besar';
    if (r.auth) {
      problems[401] = 'Token tidak ada, tidak sah atau kedaluwarsa';
      problems[403] = 'Peran tidak berwenang';
    }
    for (const [status, description] of Object.entries(problems)) {
      if (!responses[status]) responses[status] = { description, content: { 'application/problem+json': { schema: problemRef } } };
    }
    for (const [status, value] of Object.entries(responses)) {
      const v = value as JsonObject;
      if (Number(status) >= 400 && !v.content) v.content = { 'application/problem+json': { schema: problemRef } };
    }
    op.responses = responses;
    paths[p] ??= {};
    paths[p][r.method] = op;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Becak Pintar API',
      version: info.version,
      description:
        'Layanan cetak dan antar KTP-el dan KIA, Disdukcapil Kabupaten Grobogan. Kesalahan dijawab dengan application/problem+json (RFC 9457). ' +
        'Lampiran lebih dari 2 MiB ditolak dengan 400 dan kesalahan per isian; badan permintaan yang lebih besar dari yang diperlukan enam lampiran 2 MiB ditolak dengan 413; JSON yang bersarang lebih dari 64 tingkat ditolak dengan 400.\n\n' +
        '## Mendapatkan token petugas\n\n' +
        'Rute petugas memerlukan header `Authorization: Bearer <token>`. Token diperoleh dengan masuk:\n\n' +
        '```sh\ncurl -s -X POST ' + (info.serverUrl ?? 'http://localhost:3000') + '/api/auth/login \\\n  -H "Content-Type: application/json" \\\n  -d \'{"username":"operator1","password":"…"}\'\n```\n\n' +
        'Jawabannya `{ "token": "…", "expiresAt": "…", "user": { … } }`; token berlaku sampai `expiresAt`. Akun dibuat oleh admin (`POST /api/staff`); ' +
        'admin pertama dibuat saat layanan pertama kali dijalankan dari `ADMIN_USERNAME` dan `ADMIN_PASSWORD`. Di halaman ini, tempelkan token pada bagian *Authentication* untuk mencoba rute petugas.\n\n' +
        '## Pemohon\n\nRute publik tidak memerlukan token. Contoh badan permintaan ada pada setiap rute (lihat `POST /api/applications`).',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    tags: [
      { name: 'publik', description: 'Untuk pemohon (tanpa login)' },
      { name: 'petugas', description: 'Untuk petugas (token Bearer)' },
      { name: 'laporan', description: 'Laporan untuk pimpinan' },
      { name: 'operasional', description: 'Kesehatan layanan dan metrik' },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'HMAC-SHA256 signed token' } },
    },
  };
}

/**
 * The docs page: Scalar's API reference (a maintained renderer, `@scalar/api-reference`), served
 * from node_modules — no CDN, no default web fonts, no inline script (CSP in `DOCS_CSP`).
 */
export function renderDocsPage(): string {
  return `<!doctype html>
<html lang="id">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Becak Pintar API — dokumentasi</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
  <noscript>Dokumentasi ini memerlukan JavaScript. Dokumen mesin: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</noscript>
  <div id="api-reference"></div>
  <script src="/api/docs/assets/standalone.js"></script>
  <script src="/api/docs/assets/init.js"></script>
</body>
</html>
`;
}

/** The renderer styles itself with inline style elements and may run a worker from a blob. */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

export const DOCS_INIT_JS = `// Mounts the API reference on /api/docs (served from node_modules, offline).
Scalar.createApiReference('#api-reference', {
  url: '/api/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  defaultOpenAllTags: false,
  persistAuth: false,
  metaData: { title: 'Becak Pintar API' },
  // System fonts only: the bundle's own web fonts live on a CDN (and the CSP blocks them).
  customCss: ':root, .scalar-app, .light-mode, .dark-mode { --scalar-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; --scalar-font-code: ui-monospace, Menlo, Consolas, monospace; }',
});
`;
