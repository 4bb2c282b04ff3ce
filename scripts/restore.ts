/** `npm run restore -- ARCHIVE`: unpacks a backup into a fresh DATA_DIR (must be empty or absent). */
import { parseArgs } from 'node:util';
import { restoreBackup } from '../infra/backup.js';
import { parseConfig } from '../infra/config.js';

const { positionals } = parseArgs({ allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: DATA_DIR=/new/dir npm run restore -- /path/to/becak-backup-….tar.gz');
  process.exit(2);
}
const config = parseConfig(process.env);
const manifest = await restoreBackup({ archive: positionals[0]!, dataDir: config.dataDir, filesDir: config.filesDir });
console.log(`restored the backup of ${manifest.createdAt} into ${config.dataDir}: start the service there (npm start).`);
