/**
 * The verification desk's viewer libraries, served from node_modules (no CDN, no build step):
 * pdf.js (library, worker, standard fonts, character maps, wasm decoders) and Panzoom. Only these
 * paths are exposed, read-only, cached for a day. Middleware, not API routes (like Scalar's files):
 * they are not part of the OpenAPI document.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import express from 'express';

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));
const PANZOOM_DIR = path.join(path.dirname(require.resolve('@panzoom/panzoom/package.json')), 'dist');

const STATIC = { index: false, fallthrough: true, maxAge: '1d', dotfiles: 'deny' } as const;

/** The single script files, by URL path under /vendor. */
const SCRIPTS: Readonly<Record<string, string>> = {
  '/pdfjs/pdf.min.mjs': path.join(PDFJS_DIR, 'build', 'pdf.min.mjs'),
  '/pdfjs/pdf.worker.min.mjs': path.join(PDFJS_DIR, 'build', 'pdf.worker.min.mjs'),
  '/panzoom/panzoom.es.js': path.join(PANZOOM_DIR, 'panzoom.es.js'),
};

export function mountViewerAssets(app: express.Express): void {
  app.use('/vendor', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = SCRIPTS[req.path];
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('text/javascript').sendFile(file, (err) => {
      if (err && !res.headersSent) next();
    });
  });
  app.use('/vendor/pdfjs/standard_fonts', express.static(path.join(PDFJS_DIR, 'standard_fonts'), STATIC));
  app.use('/vendor/pdfjs/cmaps', express.static(path.join(PDFJS_DIR, 'cmaps'), STATIC));
  app.use('/vendor/pdfjs/wasm', express.static(path.join(PDFJS_DIR, 'wasm'), STATIC));
}
