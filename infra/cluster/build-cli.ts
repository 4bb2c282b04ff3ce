/** `npm run cluster:build`: builds (first time) or finds the cached Temporal server binaries and prints where. */
import { ensureTemporalServer } from './build.js';

const b = await ensureTemporalServer();
process.stdout.write(`${b.built ? 'built' : 'cached'}: ${b.server} and ${b.sqlTool} (${b.version})\n`);
