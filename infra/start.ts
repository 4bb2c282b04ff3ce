/** `npm start`: the whole service on embedded defaults (dev server + Web UI, PGlite, worker, API, console). */
import { loadConfigOrExit } from './config.js';
import { createLogger } from './logger.js';

// Parse the configuration before loading the heavy modules: a bad value fails at once.
const config = loadConfigOrExit();
const { onShutdownSignal, startRuntime } = await import('./runtime.js');
const logger = createLogger({ level: config.LOG_LEVEL, base: { service: 'becak-pintar' } });

const starting = startRuntime({ config, logger, api: true, worker: true, embedTemporal: true, exitOnWorkerFailure: true });
// Handled from the first moment: a Ctrl-C during the start waits for it, then shuts down cleanly
// (the dev server runs in its own process group and would otherwise be left behind).
onShutdownSignal(logger, async () => {
  const runtime = await starting.catch(() => null);
  await runtime?.shutdown();
});
try {
  const runtime = await starting;
  const lines = [
    '',
    'Becak Pintar is running.',
    `  Console (staff):      ${runtime.url}/`,
    `  Public application:   ${runtime.url}/ajukan`,
    `  API docs:             ${runtime.url}/api/docs`,
    `  Temporal Web UI:      ${runtime.temporalUiUrl ?? `(external Temporal at ${runtime.temporalAddress})`}`,
    `  Database:             ${runtime.database.kind === 'pglite' ? `PGlite in ${config.dataDir}/pglite` : 'PostgreSQL (DATABASE_URL)'}`,
  ];
  if (runtime.adminPassword) {
    lines.push(
      `  First admin account:  ${config.ADMIN_USERNAME} / ${runtime.adminPassword}`,
      `                        (shown once; also saved in ${config.dataDir}/initial-admin-password.txt — you must change it at the first login, and that file is deleted then)`,
    );
  }
  lines.push('  Stop with Ctrl-C.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (e) {
  logger.error('start failed', { error: e });
  process.stderr.write(`\nBecak Pintar could not start: ${(e as Error).message}\n`);
  process.exit(1);
}
