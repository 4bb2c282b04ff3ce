/**
 * Backup and restore of everything the embedded defaults keep under DATA_DIR (issue #16 item 5):
 *
 * - PGlite: a consistent dump of its data directory (`dumpDataDir`), taken by the process that has
 *   it open (the running service answers on an owner-only control socket, DATA_DIR/control.sock);
 *   when nothing runs, the backup opens the directory itself.
 * - the Temporal dev server's SQLite file: SQLite's online backup (`sqlite3 … .backup`), safe while
 *   the dev server writes (WAL): a copy of the files could tear a transaction.
 * - the files (scans, photos, print jobs, documents; encrypted at rest) and the keys (file keys,
 *   signing keys, the token secret) and everything else under DATA_DIR.
 *
 * One archive (tar.gz) with a manifest (sha256 of every member). `restore` unpacks it into a fresh
 * DATA_DIR: the service started there finds every case where it was, and signatures still verify.
 * PostgreSQL and an external Temporal are backed up with their own tools (docs/backup.md).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseHandle } from '../db/connect.js';
import { pgliteDatabaseName } from '../db/connect.js';

export const CONTROL_SOCKET = 'control.sock';
/** Under DATA_DIR, not copied as such: the database and Temporal are taken by their own means. */
const SKIP = new Set(['pglite', 'temporal', 'cache', 'backups', CONTROL_SOCKET]);

export interface BackupManifest {
  format: 'becak-pintar-backup/1';
  createdAt: string;
  /** 'running': the PGlite dump came from the running service; 'offline': the backup opened it. */
  pglite: 'running' | 'offline' | 'absent';
  temporal: boolean;
  /** Relative path → sha256 of every member but the manifest. */
  sha256: Record<string, string>;
}

/** The running service's side: answers "dump PGlite into <path>" on DATA_DIR/control.sock (owner-only). */
export async function startBackupControl(dataDir: string, database: Pick<DatabaseHandle, 'dumpPglite'>): Promise<{ close(): Promise<void> }> {
  const sock = path.join(dataDir, CONTROL_SOCKET);
  fs.rmSync(sock, { force: true });
  const server = net.createServer((conn) => {
    let buf = '';
    conn.on('data', (d) => {
      buf += d.toString('utf8');
      if (!buf.includes('\n')) return;
      void (async () => {
        try {
          const req = JSON.parse(buf.trim()) as { op: string; to: string };
          if (req.op !== 'dump-pglite' || !database.dumpPglite || !path.isAbsolute(req.to)) throw new Error('unsupported request');
          const blob = await database.dumpPglite();
          fs.writeFileSync(req.to, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
          conn.end(JSON.stringify({ ok: true }) + '\n');
        } catch (e) {
          conn.end(JSON.stringify({ ok: false, error: (e as Error).message }) + '\n');
        }
      })();
    });
    conn.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sock, () => resolve());
  });
  fs.chmodSync(sock, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(sock, { force: true });
      }),
  };
}

/** Asks the running service for a PGlite dump; false when no service answers on the socket. */
async function dumpFromRunningService(dataDir: string, to: string): Promise<boolean> {
  const sock = path.join(dataDir, CONTROL_SOCKET);
  if (!fs.existsSync(sock)) return false;
  return new Promise<boolean>((resolve, reject) => {
    const conn = net.createConnection(sock);
    let buf = '';
    conn.on('connect', () => conn.write(JSON.stringify({ op: 'dump-pglite', to }) + '\n'));
    conn.on('data', (d) => (buf += d.toString('utf8')));
    conn.on('end', () => {
      try {
        const r = JSON.parse(buf.trim()) as { ok: boolean; error?: string };
        if (r.ok) resolve(true);
        else reject(new Error(`the running service could not dump PGlite: ${r.error}`));
      } catch (e) {
        reject(e);
      }
    });
    // A stale socket (the service is gone): open the directory ourselves.
    conn.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? resolve(false) : reject(e)));
  });
}

async function dumpOffline(pgliteDir: string, to: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const client = new PGlite(pgliteDir, { database: pgliteDatabaseName(pgliteDir) });
  await client.waitReady;
  try {
    const blob = await client.dumpDataDir('gzip');
    fs.writeFileSync(to, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
  } finally {
    await client.close();
  }
}

function sqliteBackup(src: string, dst: string): void {
  try {
    // The online backup API: a consistent copy while the dev server keeps writing.
    execFileSync('sqlite3', [src, `.timeout 10000`, `.backup '${dst.replace(/'/g, "''")}'`], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('the sqlite3 command is needed to copy the Temporal SQLite file safely (Debian: apt-get install sqlite3)');
    throw new Error(`sqlite3 backup failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

function copyTree(src: string, dst: string, skip: ReadonlySet<string> = new Set()): void {
  fs.mkdirSync(dst, { recursive: true, mode: 0o700 });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const s = path.join(src, e.name);
    const d = path.join(dst, e.name);
    if (e.isDirectory()) copyTree(s, d);
    else if (e.isFile()) fs.copyFileSync(s, d);
  }
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else if (e.isFile()) out.push(path.relative(base, p));
  }
  return out.sort();
}

const sha256File = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

export interface BackupOptions {
  dataDir: string;
  filesDir: string;
  /** The archive to write; default DATA_DIR/backups/becak-backup-<time>.tar.gz. */
  out?: string;
  now?: Date;
}

/** Writes one archive of DATA_DIR (see the module comment); returns its path and manifest. */
export async function createBackup(opts: BackupOptions): Promise<{ archive: string; manifest: BackupManifest }> {
  const now = opts.now ?? new Date();
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-backup-'));
  try {
    fs.chmodSync(stage, 0o700);
    const pgliteDir = path.join(opts.dataDir, 'pglite');
    let pglite: BackupManifest['pglite'] = 'absent';
    if (fs.existsSync(pgliteDir)) {
      const to = path.join(stage, 'pglite.tar.gz');
      if (await dumpFromRunningService(opts.dataDir, to)) pglite = 'running';
      else {
        await dumpOffline(pgliteDir, to);
        pglite = 'offline';
      }
      fs.copyFileSync(path.join(pgliteDir, 'becak-database'), path.join(stage, 'pglite-database-name'));
    }
    const sqlite = path.join(opts.dataDir, 'temporal', 'temporal.sqlite');
    const temporal = fs.existsSync(sqlite);
    if (temporal) sqliteBackup(sqlite, path.join(stage, 'temporal.sqlite'));
    copyTree(opts.dataDir, path.join(stage, 'data'), SKIP);
    const filesInside = path.relative(opts.dataDir, opts.filesDir);
    if (filesInside.startsWith('..') || path.isAbsolute(filesInside)) {
      if (fs.existsSync(opts.filesDir)) copyTree(opts.filesDir, path.join(stage, 'files-dir'));
    }
    const sha256: Record<string, string> = {};
    for (const f of listFiles(stage)) sha256[f] = sha256File(path.join(stage, f));
    const manifest: BackupManifest = { format: 'becak-pintar-backup/1', createdAt: now.toISOString(), pglite, temporal, sha256 };
    fs.writeFileSync(path.join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    const archive = path.resolve(opts.out ?? path.join(opts.dataDir, 'backups', `becak-backup-${now.toISOString().replace(/[:.]/g, '-')}.tar.gz`));
    fs.mkdirSync(path.dirname(archive), { recursive: true, mode: 0o700 });
    execFileSync('tar', ['-czf', archive, '-C', stage, '.']);
    fs.chmodSync(archive, 0o600);
    return { archive, manifest };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

export interface RestoreOptions {
  archive: string;
  /** A fresh DATA_DIR: must not exist or be empty. */
  dataDir: string;
  /** FILES_DIR when it lies outside DATA_DIR (default DATA_DIR/files). */
  filesDir?: string;
}

/** Unpacks a backup into a fresh DATA_DIR, checking every member against the manifest first. */
export async function restoreBackup(opts: RestoreOptions): Promise<BackupManifest> {
  if (fs.existsSync(opts.dataDir) && fs.readdirSync(opts.dataDir).length > 0) {
    throw new Error(`${opts.dataDir} is not empty: restore into a fresh DATA_DIR`);
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'becak-restore-'));
  try {
    execFileSync('tar', ['-xzf', path.resolve(opts.archive), '-C', stage]);
    const manifest = JSON.parse(fs.readFileSync(path.join(stage, 'manifest.json'), 'utf8')) as BackupManifest;
    if (manifest.format !== 'becak-pintar-backup/1') throw new Error(`unknown backup format ${String(manifest.format)}`);
    const present = listFiles(stage).filter((f) => f !== 'manifest.json');
    for (const f of present) {
      if (manifest.sha256[f] !== sha256File(path.join(stage, f))) throw new Error(`backup member ${f} does not match its manifest checksum`);
    }
    for (const f of Object.keys(manifest.sha256)) if (!present.includes(f)) throw new Error(`backup member ${f} is missing`);
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    copyTree(path.join(stage, 'data'), opts.dataDir);
    if (fs.existsSync(path.join(stage, 'files-dir'))) copyTree(path.join(stage, 'files-dir'), opts.filesDir ?? path.join(opts.dataDir, 'files'));
    if (manifest.temporal) {
      fs.mkdirSync(path.join(opts.dataDir, 'temporal'), { recursive: true, mode: 0o700 });
      fs.copyFileSync(path.join(stage, 'temporal.sqlite'), path.join(opts.dataDir, 'temporal', 'temporal.sqlite'));
    }
    if (manifest.pglite !== 'absent') {
      const pgliteDir = path.join(opts.dataDir, 'pglite');
      fs.mkdirSync(pgliteDir, { recursive: true, mode: 0o700 });
      const name = fs.readFileSync(path.join(stage, 'pglite-database-name'), 'utf8').trim();
      fs.writeFileSync(path.join(pgliteDir, 'becak-database'), `${name}\n`, { mode: 0o600 });
      const { PGlite } = await import('@electric-sql/pglite');
      const dump = fs.readFileSync(path.join(stage, 'pglite.tar.gz'));
      const client = new PGlite(pgliteDir, { database: name, loadDataDir: new Blob([dump]) });
      await client.waitReady;
      await client.query('select 1');
      await client.close();
    }
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
