/** The Express application: security headers, metrics, access log, the API routes, the console's files, errors. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import { ApiError, errorHandler, notFoundHandler, routeTemplate } from './errors.js';
import { httpTracing } from '../infra/tracing.js';
import { createHttpMetrics } from './metrics.js';
import { createRateLimiter, sharedStoreFor } from './rate-limit.js';
import { registerBusinessMetrics } from './business-metrics.js';
import { jsonBody } from './body-limits.js';
import { DOCS_CSP, DOCS_INIT_JS, RouteRegistry, buildOpenApiDocument, renderDocsPage } from './openapi.js';
import { registerPublicRoutes } from './routes-public.js';
import { registerStaffRoutes } from './routes-staff.js';
import { mountViewerAssets } from './verification/assets.js';
import { registerNotificationRoutes } from './notifications/router.js';
import { registerOfficePickupRoutes } from './office-pickup/router.js';
import { registerBlankRoutes } from './blanks/router.js';
import { registerRecordRoutes } from './records/router.js';
import { registerNoteRoutes } from './notes/router.js';
import { registerCitizenRoutes } from './citizen/router.js';
import { createTokenService, loadAuthSecretSync } from './auth.js';
import { createAccessLayer } from './access/layer.js';
import type { ApiDeps, RouteContext } from './context.js';
import { registerTemporalUiRoutes } from './temporal-ui/router.js';

// Kept for importers of the old place; route modules import them from './context.js'.
export type { ApiDeps, RouteContext } from './context.js';
import { registerAccessRoutes } from './access/routes.js';
import { registerAccountRoutes } from './auth/router.js';
import { registerStaffAdminRoutes } from './staff/router.js';
import { registerApplicantRoutes } from './applicant/router.js';
import { registerPrivacyRoutes } from './privacy/router.js';
import { registerErasureRoutes } from './erasure/router.js';
import { registerControlRoutes } from './control/router.js';
import { registerCourierRoutes } from './courier/router.js';
import { registerTaskRoutes } from './tasks/router.js';
import { registerClaimRoutes } from './claims/router.js';
import { registerBulkRoutes } from './bulk/router.js';

export const API_VERSION = '1.0.0';
const CONSOLE_DIR = fileURLToPath(new URL('../console/', import.meta.url));
/** Scalar's self-contained browser bundle (not in the package's exports map, so by path). */
const SCALAR_STANDALONE = fileURLToPath(new URL('../node_modules/@scalar/api-reference/dist/browser/standalone.js', import.meta.url));
/** signature_pad's ES module (the courier's handover form), served from node_modules: no CDN under the CSP. */
const SIGNATURE_PAD_JS = fileURLToPath(new URL('../node_modules/signature_pad/dist/signature_pad.js', import.meta.url));

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For is believed only from TRUST_PROXY (parsed once in infra/config.ts); unset: never.
  const trust = deps.config.TRUST_PROXY;
  app.set('trust proxy', Array.isArray(trust) ? [...trust] : trust);
  app.set('query parser', 'simple');

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          frameSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // One SERVER span per request when tracing is on (infra/tracing.ts); nothing otherwise.
  const tracing = httpTracing(routeTemplate);
  if (tracing) app.use(tracing);
  const metrics = createHttpMetrics(deps.logger);
  registerBusinessMetrics(metrics.registry, deps.db);
  app.use(metrics.middleware);

  const limiter = createRateLimiter(deps.config.RATE_LIMIT_PER_MINUTE, deps.now, sharedStoreFor(deps.config, deps.db, 'public'));
  const sweepTimer = setInterval(() => limiter.sweep(), 60_000);
  sweepTimer.unref();

  // Size derived from the attachment limits (six 2 MiB files in base64 and the rest); depth capped.
  app.use('/api', ...jsonBody());

  const registry = new RouteRegistry();
  const router = express.Router();
  const ctx: RouteContext = {
    ...deps,
    now: deps.now ?? Date.now,
    registry,
    tokens: createTokenService(loadAuthSecretSync(deps.config), deps.config.TOKEN_TTL_MINUTES),
    publicLimit: limiter.middleware,
    access: createAccessLayer({ db: deps.db, files: deps.files, standardMinutes: deps.config.policy.standardMinutes, now: deps.now ?? Date.now }),
  };

  registerPublicRoutes(router, ctx);
  registerAccessRoutes(router, ctx);
  registerStaffRoutes(router, ctx);
  registerAccountRoutes(router, ctx);
  registerStaffAdminRoutes(router, ctx);
  registerApplicantRoutes(router, ctx);
  registerPrivacyRoutes(router, ctx);
  registerErasureRoutes(router, ctx);
  registerCourierRoutes(router, ctx);
  registerNotificationRoutes(router, ctx);
  registerOfficePickupRoutes(router, ctx);
  registerBlankRoutes(router, ctx);
  registerRecordRoutes(router, ctx);
  registerNoteRoutes(router, ctx);
  registerCitizenRoutes(app, router, ctx);
  registerControlRoutes(router, ctx);
  registerTemporalUiRoutes(router, ctx);
  registerTaskRoutes(router, ctx);
  registerClaimRoutes(router, ctx);
  registerBulkRoutes(router, ctx);

  // Operations.
  registry.add(
    router,
    { method: 'get', path: '/healthz', operationId: 'health', summary: 'Liveness', tags: ['operasional'], auth: null, responses: { 200: { description: 'Hidup' } } },
    (_req, res) => {
      res.json({ status: 'ok' });
    },
  );
  registry.add(
    router,
    {
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: basis data dan Temporal dapat dihubungi',
      tags: ['operasional'],
      auth: null,
      responses: { 200: { description: 'Siap' }, 503: { description: 'Salah satu dependensi tidak dapat dihubungi' } },
    },
    async (_req, res) => {
      const check = async (f: () => Promise<void>) => {
        try {
          await withTimeout(f(), 3_000);
          return 'ok';
        } catch {
          return 'down';
        }
      };
      const [database, temporal] = await Promise.all([check(deps.pingDatabase), check(deps.pingTemporal)]);
      if (database !== 'ok' || temporal !== 'ok') {
        const down = [database !== 'ok' ? 'basis data' : null, temporal !== 'ok' ? 'Temporal' : null].filter(Boolean).join(' dan ');
        throw new ApiError('unavailable', `Layanan belum siap: ${down} tidak dapat dihubungi.`, { database, temporal, headers: { 'Retry-After': '5' } });
      }
      res.json({ status: 'ok', database, temporal });
    },
  );
  registry.add(
    router,
    { method: 'get', path: '/metrics', operationId: 'metrics', summary: 'Metrik Prometheus', tags: ['operasional'], auth: null, responses: { 200: { description: 'Metrik', contentTypes: ['text/plain'] } } },
    async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );

  // The document is built once, from the same registry that mounted the routes.
  let openApi: Record<string, unknown> | undefined;
  const document = () => (openApi ??= buildOpenApiDocument(registry.routes, { version: API_VERSION, serverUrl: deps.config.publicBaseUrl }));
  registry.add(
    router,
    { method: 'get', path: '/api/openapi.json', operationId: 'openapi', summary: 'Dokumen OpenAPI 3.1', tags: ['operasional'], auth: null, responses: { 200: { description: 'OpenAPI 3.1' } } },
    (_req, res) => {
      res.json(document());
    },
  );
  const docsPage = renderDocsPage();
  registry.add(
    router,
    { method: 'get', path: '/api/docs', operationId: 'docs', summary: 'Dokumentasi API (HTML)', tags: ['operasional'], auth: null, responses: { 200: { description: 'HTML', contentTypes: ['text/html'] } } },
    (_req, res) => {
      res.setHeader('Content-Security-Policy', DOCS_CSP);
      res.type('html').send(docsPage);
    },
  );
  // The renderer's two files: a middleware (not a documented API route).
  app.use('/api/docs/assets', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/init.js') {
      res.type('text/javascript').send(DOCS_INIT_JS);
    } else if (req.path === '/standalone.js') {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.sendFile(SCALAR_STANDALONE, (err) => {
        if (err && !res.headersSent) next(new ApiError('not_found', 'Berkas dokumentasi tidak tersedia.'));
      });
    } else next();
  });

  // The verification desk's viewer libraries (pdf.js, Panzoom) from node_modules.
  mountViewerAssets(app);

  // The console (static files, no build step).
  const page = (file: string) => (_req: Request, res: Response, next: express.NextFunction) => {
    res.sendFile(path.join(CONSOLE_DIR, file), (err) => {
      if (err) next(new ApiError('not_found', 'Halaman tidak ditemukan.'));
    });
  };
  const consolePage = (p: string, file: string) =>
    registry.add(router, { method: 'get', path: p, operationId: `page:${p}`, summary: file, tags: [], auth: null, responses: { 200: { description: 'HTML' } }, hidden: true }, page(file));
  consolePage('/', 'index.html');
  consolePage('/ajukan', 'ajukan.html');
  consolePage('/lacak', 'lacak.html');
  consolePage('/lacak/:token', 'lacak.html');
  consolePage('/verifikasi', 'verifikasi.html');
  consolePage('/verifikasi/:regNo', 'verifikasi.html');

  app.use(router);
  // Front-end libraries from node_modules, one explicit file each (not API routes).
  app.use('/vendor', (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/signature_pad.js') return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('text/javascript').sendFile(SIGNATURE_PAD_JS, (err) => {
      if (err && !res.headersSent) next(new ApiError('not_found', 'Berkas tidak tersedia.'));
    });
  });
  app.use(express.static(CONSOLE_DIR, { index: false, fallthrough: true, maxAge: '1h' }));
  app.use(notFoundHandler(path.join(CONSOLE_DIR, '404.html')));
  app.use(errorHandler(deps.logger));
  // Exposed for tests (walking the router and comparing with the document).
  app.locals.routeRegistry = registry;
  app.locals.router = router;
  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
