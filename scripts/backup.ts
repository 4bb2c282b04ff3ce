/** `npm run backup [-- --out FILE]`: one archive of DATA_DIR (PGlite, Temporal SQLite, files, keys), also while the service runs. */
import { parseArgs } from 'node:util';
import { createBackup } from '../infra/backup.js';
import { parseConfig } from '../infra/config.js';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const config = parseConfig(process.env);
if (config.DATABASE_URL) {
  console.error('DATABASE_URL is set: back up PostgreSQL with pg_dump and the files and keys as docs/backup.md says. This command covers the embedded defaults (PGlite).');
  process.exit(2);
}
const { archive, manifest } = await createBackup({ dataDir: config.dataDir, filesDir: config.filesDir, out: values.out });
console.log(`backup written: ${archive}`);
console.log(`  PGlite: ${manifest.pglite === 'running' ? 'dumped by the running service' : manifest.pglite === 'offline' ? 'dumped (service not running)' : 'none'}; Temporal SQLite: ${manifest.temporal ? 'online backup' : 'none'}; ${Object.keys(manifest.sha256).length} members`);
