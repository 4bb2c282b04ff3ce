/** `npm run worker`: the Temporal worker alone, against TEMPORAL_ADDRESS and DATABASE_URL (scaled on its own). */
import { loadConfigOrExit } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';

// Parse the configuration before loading the heavy modules: a bad value fails at once.
const config = loadConfigOrExit();
const { onShutdownSignal, startRuntime } = await import('../infra/runtime.js');
const logger = createLogger({ level: config.LOG_LEVEL, base: { service: 'becak-pintar-worker' } });
try {
  const runtime = await startRuntime({ config, logger, api: false, worker: true, embedTemporal: false, exitOnWorkerFailure: true });
  onShutdownSignal(logger, runtime.shutdown);
  logger.info('worker running', { temporal: runtime.temporalAddress });
} catch (e) {
  process.stderr.write(`Worker could not start: ${(e as Error).message}\n`);
  process.exit(1);
}
