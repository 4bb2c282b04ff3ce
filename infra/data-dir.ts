/**
 * Owner-only DATA_DIR (SPEC §6): directories 0700, files 0600 (0700 when the owner may execute them).
 * Run on every start, so installs made before this rule are fixed; changes only what differs.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createFileStore, type FileStore } from './files.js';
import { loadFileKeyring, type FileKeyConfig } from './file-crypto.js';
import type { Logger } from './logger.js';

/** Files the process creates from now on are owner-only (PGlite, the dev server's SQLite, logs). */
export function restrictUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; the chmod walk and explicit modes still apply.
  }
}

async function fix(p: string, want: number, mode: number): Promise<number> {
  if ((mode & 0o777) === want) return 0;
  await fs.chmod(p, want);
  return 1;
}

/** Chmods `dir` and everything under it (symbolic links are left alone). Returns how many modes changed. */
export async function restrictTree(dir: string): Promise<number> {
  let changed = 0;
  const walk = async (p: string): Promise<void> => {
    let st;
    try {
      st = await fs.lstat(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile
      throw e;
    }
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      changed += await fix(p, 0o700, st.mode);
      for (const name of await fs.readdir(p)) await walk(path.join(p, name));
    } else if (st.isFile()) {
      changed += await fix(p, st.mode & 0o100 ? 0o700 : 0o600, st.mode);
    }
  };
  await walk(dir);
  return changed;
}

/** Creates DATA_DIR (and a FILES_DIR outside it) owner-only and fixes the modes of what is there. */
export async function secureDataDirs(dirs: string[]): Promise<number> {
  restrictUmask();
  let changed = 0;
  for (const d of dirs) {
    await fs.mkdir(d, { recursive: true, mode: 0o700 });
    changed += await restrictTree(d);
  }
  return changed;
}

/**
 * What every start does before anything writes under DATA_DIR: owner-only modes (fixing an older
 * install), the file keys (generated once), and the file store with plain scans, photos and print
 * jobs of an older install encrypted (and files under a previous key re-encrypted). Idempotent.
 */
export async function prepareDataDir(config: FileKeyConfig & { filesDir: string }, logger: Logger): Promise<FileStore> {
  const modesFixed = await secureDataDirs([config.dataDir, config.filesDir]);
  if (modesFixed) logger.info('data directory made owner-only', { changed: modesFixed });
  const files = createFileStore(config.filesDir, loadFileKeyring(config));
  const sealed = await files.seal();
  if (sealed.encrypted || sealed.reencrypted) logger.info('files encrypted at rest', sealed);
  return files;
}
