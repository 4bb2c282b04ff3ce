/** `npm run api`: the API and console alone, against TEMPORAL_ADDRESS and DATABASE_URL (scaled on its own). */
import { loadConfigOrExit } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';

// Parse the configuration before loading the heavy modules: a bad value fails at once.
const config = loadConfigOrExit();
const { onShutdownSignal, startRuntime } = await import('../infra/runtime.js');
const logger = createLogger({ level: config.LOG_LEVEL, base: { service: 'becak-pintar-api' } });
try {
  const runtime = await startRuntime({ config, logger, api: true, worker: false, embedTemporal: false });
  onShutdownSignal(logger, runtime.shutdown);
  logger.info('api listening', { url: runtime.url });
  if (runtime.adminPassword) process.stdout.write(`First admin account: ${config.ADMIN_USERNAME} / ${runtime.adminPassword} (shown once)\n`);
} catch (e) {
  process.stderr.write(`API could not start: ${(e as Error).message}\n`);
  process.exit(1);
}
