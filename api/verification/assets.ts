/**
 * The verification desk's viewer libraries, served from node_modules (no CDN, no build step):
 * pdf.js (library, worker, standard fonts, character maps, wasm decoders) and Panzoom. Only these
 * paths are exposed, read-only, cached for a day.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import express from 'express';

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));
const PANZOOM_DIR = path.join(path.dirname(require.resolve('@panzoom/panzoom/package.json')), 'dist');

const STATIC = { index: false, fallthrough: false, maxAge: '1d', dotfiles: 'deny' } as const;

export function mountViewerAssets(app: express.Express): void {
  const pdfjs = express.Router();
  const file = (name: string, dir: string) => (_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('text/javascript').sendFile(path.join(dir, name), (err) => {
      if (err && !res.headersSent) next();
    });
  };
  pdfjs.get('/pdf.min.mjs', file('pdf.min.mjs', path.join(PDFJS_DIR, 'build')));
  pdfjs.get('/pdf.worker.min.mjs', file('pdf.worker.min.mjs', path.join(PDFJS_DIR, 'build')));
  pdfjs.use('/standard_fonts', express.static(path.join(PDFJS_DIR, 'standard_fonts'), STATIC));
  pdfjs.use('/cmaps', express.static(path.join(PDFJS_DIR, 'cmaps'), STATIC));
  pdfjs.use('/wasm', express.static(path.join(PDFJS_DIR, 'wasm'), STATIC));
  app.use('/vendor/pdfjs', pdfjs);
  app.get('/vendor/panzoom/panzoom.es.js', file('panzoom.es.js', PANZOOM_DIR));
}
