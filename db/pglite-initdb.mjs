// Creates a PGlite data directory (initdb) and exits: run as a short-lived child process by
// db/connect.ts, so the ≈ 600 MB that initdb's WebAssembly instances touch are returned to the OS
// with this process instead of staying in the service's resident set for its whole life.
// Usage: node db/pglite-initdb.mjs <dir> <database>
import process from 'node:process';
import { PGlite } from '@electric-sql/pglite';

const [dir, database] = process.argv.slice(2);
if (!dir || !database) {
  process.stderr.write('usage: pglite-initdb.mjs <dir> <database>\n');
  process.exit(2);
}
const client = new PGlite(dir, { database });
await client.waitReady;
await client.close();
