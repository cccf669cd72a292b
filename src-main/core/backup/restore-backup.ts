import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { applyDatabaseKey, openDatabase } from '../db/connection.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { isEncryptedDataDir } from '../encryption/encryption-file.js';
import { readBackupManifest, DATABASE_FILE, type BackupManifest } from './backup-manifest.js';
import { copyFileHashed, hashFile, syncDir } from './file-copy.js';

export interface RestoreProgress {
  readonly stage: 'verifying' | 'copying' | 'switching';
  readonly doneBytes: number;
  readonly totalBytes: number;
}

export interface RestoreResult {
  readonly manifest: BackupManifest;
  readonly fileCount: number;
  /** Where the replaced data folder was moved; null when there was none. */
  readonly previousDataDir: string | null;
}

export interface RestoreOptions {
  readonly backupDir: string;
  readonly dataDir: string;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RestoreProgress) => void;
  /**
   * The database key of a restored encrypted folder (it holds encryption.json), for the
   * integrity check: the CLI unwraps it with the keychain entry of the data folder.
   */
  readonly databaseKeyOf?: (folder: string) => Promise<Buffer>;
}

const cancelled = (): AppError =>
  new AppError('CANCELLED', 'The restore was cancelled; the data folder was not changed.');

function openCipher(path: string, key: Buffer): Database.Database {
  const Cipher = createRequire(import.meta.url)(
    'better-sqlite3-multiple-ciphers',
  ) as typeof Database;
  const db = new Cipher(path, { timeout: 0 });
  applyDatabaseKey(db, key);
  return db;
}

function damaged(path: string, what: string): AppError {
  return new AppError(
    'CORRUPT_FILE',
    `${path} ${what}: the backup is damaged or was changed after it was made. Nothing was ` +
      'replaced; restore from another backup.',
  );
}

/** Checks every file of the backup against its manifest before anything is touched. */
async function verifyBackup(
  options: RestoreOptions,
  manifest: BackupManifest,
  totalBytes: number,
): Promise<void> {
  let doneBytes = 0;
  for (const file of manifest.files) {
    if (options.signal?.aborted === true) throw cancelled();
    const path = join(options.backupDir, ...file.path.split('/'));
    const size = await stat(path).then(
      (s) => s.size,
      () => {
        throw damaged(path, 'is missing');
      },
    );
    if (size !== file.size) throw damaged(path, `has ${size} bytes, not ${file.size}`);
    const { sha256 } = await hashFile(path, options.signal);
    if (sha256 !== file.sha256) throw damaged(path, 'does not match its sha256 in the manifest');
    doneBytes += size;
    options.onProgress?.({ stage: 'verifying', doneBytes, totalBytes });
  }
}

/**
 * Refuses to replace a database another process has open (the desktop app, serve, a running
 * command): every WAL connection holds a lock that keeps an exclusive one from being granted.
 */
export async function assertNotInUse(
  dataDir: string,
  databaseKeyOf: RestoreOptions['databaseKeyOf'],
): Promise<void> {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path)) return;
  // An encrypted database must be opened with its key even to take a lock (its header is
  // ciphertext); without the key it would look unreadable, hence unused.
  const key =
    isEncryptedDataDir(dataDir) && databaseKeyOf !== undefined
      ? await databaseKeyOf(dataDir).catch(() => undefined)
      : undefined;
  let db: Database.Database | undefined;
  try {
    db = key === undefined ? new Database(path, { timeout: 0 }) : openCipher(path, key);
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY') === true) {
      throw new AppError(
        'CONFLICT',
        `${path} is in use by Neurosphere (the desktop app, serve mode or another command). ` +
          'Stop it, then restore. Nothing was replaced.',
      );
    }
    // Not a readable database: nothing can be using it; it is moved aside like any other.
  } finally {
    db?.close();
  }
}

/**
 * Restores a backup into the data folder. Everything is verified first (every file's size and
 * sha256, the database's integrity check, a schema this app can open); the backup is then
 * copied into a staging folder beside the data folder and checked again, and only then is the
 * current data folder moved aside (kept, the admin removes it when satisfied) and the staged
 * copy put in its place. Stop the app and serve mode before restoring.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { backupDir, dataDir, signal } = options;
  await assertNotInUse(dataDir, options.databaseKeyOf);
  const manifest = await readBackupManifest(backupDir);
  const newest = Math.max(...MIGRATIONS.map((m) => m.version));
  if (manifest.schemaVersion > newest) {
    throw new AppError(
      'DATABASE_MISMATCH',
      `The backup was made by a newer Neurosphere (${manifest.appVersion}, schema ` +
        `${manifest.schemaVersion}; this app knows ${newest}). Update the app, then restore.`,
    );
  }
  const totalBytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
  await verifyBackup(options, manifest, totalBytes);

  const stamp = options.now().toISOString().replace(/[:.]/g, '-');
  const staging = join(dirname(dataDir), `${basename(dataDir)}.restoring-${stamp}`);
  try {
    let doneBytes = 0;
    for (const file of manifest.files) {
      if (signal?.aborted === true) throw cancelled();
      const source = join(backupDir, ...file.path.split('/'));
      const copy = await copyFileHashed(source, join(staging, ...file.path.split('/')), signal);
      // Read again while copying: a stick that fails now must not produce a silent bad copy.
      if (copy.sha256 !== file.sha256) throw damaged(source, 'changed while it was copied');
      doneBytes += copy.size;
      options.onProgress?.({ stage: 'copying', doneBytes, totalBytes });
    }
    const isEncrypted = isEncryptedDataDir(staging);
    if (isEncrypted && options.databaseKeyOf === undefined) {
      throw new AppError(
        'PERMISSION_DENIED',
        'The backup is of an encrypted data folder: restore it with the Neurosphere CLI, which unlocks it with the key from the OS keychain or the recovery key.',
      );
    }
    const key = isEncrypted ? await options.databaseKeyOf!(staging) : undefined;
    const db = openDatabase(join(staging, DATABASE_FILE), { ...(key !== undefined && { key }) });
    try {
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok')
        throw damaged(join(backupDir, DATABASE_FILE), `fails integrity_check (${String(check)})`);
    } finally {
      db.close();
    }
    await syncDir(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    if ((error as Error).name === 'AbortError') throw cancelled();
    throw error;
  }

  options.onProgress?.({ stage: 'switching', doneBytes: totalBytes, totalBytes });
  try {
    // Again: the app may have been started while the backup was verified and copied.
    await assertNotInUse(dataDir, options.databaseKeyOf);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  let previousDataDir: string | null = null;
  if (existsSync(dataDir)) {
    previousDataDir = join(dirname(dataDir), `${basename(dataDir)}.before-restore-${stamp}`);
    await rename(dataDir, previousDataDir);
  }
  try {
    await rename(staging, dataDir);
  } catch (error) {
    if (previousDataDir !== null) await rename(previousDataDir, dataDir);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await syncDir(dirname(dataDir));
  return { manifest, fileCount: manifest.files.length, previousDataDir };
}
