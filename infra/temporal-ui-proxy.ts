/**
 * The embedded Temporal Web UI, read-only. `temporal server start-dev` (CLI 1.9.1, UI 2.54.1)
 * builds its UI server's configuration in code (cli internal/devserver/server.go,
 * buildUIServer) with no flag for the UI server's `disableWriteActions` setting; so the dev
 * server's UI listens on an internal loopback port and this proxy, on TEMPORAL_UI_PORT, does
 * what the UI server does with `disableWriteActions: true` (ui-server's DisableWriteMiddleware):
 * GET passes, POST to `/api/v1/namespaces/…/workflows/…/query/…` passes (queries read), every
 * other method answers 405. It also rewrites `/api/v1/settings` so that the UI hides Terminate,
 * Reset, Signal, Update, Cancel, batch actions and "Start workflow" instead of offering buttons
 * that fail. TEMPORAL_UI_WRITE_ACTIONS=true turns this off (a developer's machine).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The settings the UI server would answer with `disableWriteActions: true`, and each action off. */
export const READ_ONLY_SETTINGS = {
  DisableWriteActions: true,
  WorkflowTerminateDisabled: true,
  WorkflowCancelDisabled: true,
  WorkflowSignalDisabled: true,
  WorkflowUpdateDisabled: true,
  WorkflowResetDisabled: true,
  WorkflowPauseDisabled: true,
  BatchActionsDisabled: true,
  StartWorkflowDisabled: true,
  ActivityCommandsDisabled: true,
} as const;

/** Whether a request to the UI server is a read (allowed when write actions are disabled). */
export function isReadOnlyUiRequest(method: string, path: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return true;
  return m === 'POST' && path.startsWith('/api/v1/namespaces/') && path.includes('/workflows/') && path.includes('/query/');
}

export interface UiProxy {
  readonly port: number;
  close(): Promise<void>;
}

export async function startReadOnlyUiProxy(opts: { listenPort: number; host?: string; upstreamPort: number; upstreamHost?: string }): Promise<UiProxy> {
  const upstreamHost = opts.upstreamHost ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    if (!isReadOnlyUiRequest(req.method ?? 'GET', path)) {
      req.resume();
      res.writeHead(405, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Temporal Web UI is read-only here (write actions disabled). Use the Becak Pintar console.' }));
      return;
    }
    const isSettings = path === '/api/v1/settings' || path.endsWith('/api/v1/settings');
    const headers = { ...req.headers };
    if (isSettings) delete headers['accept-encoding'];
    const upstream = http.request({ host: upstreamHost, port: opts.upstreamPort, method: req.method, path: url, headers }, (up) => {
      if (!isSettings || (up.statusCode ?? 500) !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body: string;
        try {
          body = JSON.stringify({ ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>), ...READ_ONLY_SETTINGS });
        } catch {
          res.writeHead(502).end();
          return;
        }
        const h = { ...up.headers };
        delete h['content-length'];
        delete h['transfer-encoding'];
        res.writeHead(200, { ...h, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Temporal Web UI is not reachable.');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
