import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { openDatabase, type Db } from '../db/connection.js';
import { schemaVersion } from '../db/migrate.js';
import {
  BACKUP_MANIFEST,
  DATABASE_FILE,
  type BackupFile,
  type BackupManifest,
} from './backup-manifest.js';
import { blobFileName, type DataKeys } from '../encryption/data-keys.js';
import { ENCRYPTION_FILE, isEncryptedDataDir } from '../encryption/encryption-file.js';
import { copyFileHashed, hashFile, syncDir } from './file-copy.js';
import { referencedBlobs } from './referenced-blobs.js';

export interface BackupProgress {
  readonly stage: 'database' | 'blobs' | 'manifest';
  readonly doneBytes: number;
  readonly totalBytes: number;
}

export interface BackupResult {
  readonly dir: string;
  readonly manifest: BackupManifest;
  readonly totalBytes: number;
  readonly blobCount: number;
  /** Things the admin should know, e.g. a damaged blob in the data folder that was left out. */
  readonly warnings: string[];
}

export interface BackupOptions {
  readonly dataDir: string;
  /** A new or empty folder; a USB stick or network share is fine. */
  readonly targetDir: string;
  readonly appVersion: string;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BackupProgress) => void;
  /**
   * The keys of an encrypted data folder: the backup stays encrypted (the database copied with
   * VACUUM INTO under the same key, blobs copied as they are, encryption.json with them).
   */
  readonly keys?: DataKeys;
}

const BLOB_NAME = /^[0-9a-f]{64}$/;
const BLOB_FOLDER = /^[0-9a-f]{2}$/;

/** Every stored blob as [relative path, absolute path]; temp files of running writes are skipped. */
function listBlobs(blobsRoot: string): { rel: string; abs: string; sha256: string }[] {
  if (!existsSync(blobsRoot)) return [];
  const blobs: { rel: string; abs: string; sha256: string }[] = [];
  for (const folder of readdirSync(blobsRoot)) {
    if (!BLOB_FOLDER.test(folder)) continue;
    for (const name of readdirSync(join(blobsRoot, folder))) {
      if (BLOB_NAME.test(name) && name.startsWith(folder)) {
        blobs.push({
          rel: `blobs/${folder}/${name}`,
          abs: join(blobsRoot, folder, name),
          sha256: name,
        });
      }
    }
  }
  return blobs;
}

async function prepareTarget(targetDir: string): Promise<void> {
  if (existsSync(targetDir)) {
    const entries = await readdir(targetDir).catch(() => {
      throw new AppError('INVALID_INPUT', `${targetDir} is not a folder. Choose a folder.`);
    });
    if (entries.length > 0) {
      throw new AppError(
        'CONFLICT',
        `${targetDir} is not empty. Back up into a new or empty folder, so that no earlier ` +
          'backup is overwritten.',
      );
    }
  }
  await mkdir(targetDir, { recursive: true });
}

/**
 * Copies the database with SQLite's online backup API: a consistent snapshot taken while the
 * app keeps writing (WAL: readers never block the writer). After a first small step the rest
 * is copied in one step, so writes of other connections (which restart a backup) cannot keep
 * it from finishing.
 */
async function backupDatabase(
  source: Db,
  target: string,
  signal?: AbortSignal,
  key?: Buffer,
): Promise<{ schemaVersion: number; referenced: Set<string> }> {
  if (key === undefined) {
    await source.backup(target, {
      progress: () => {
        if (signal?.aborted === true) throw new AppError('CANCELLED', 'The backup was cancelled.');
        return 0x7fffffff;
      },
    });
  } else {
    // The cipher refuses the online backup API between differently keyed files; VACUUM INTO
    // writes a consistent snapshot encrypted under the same key (a read transaction: writers go on).
    source.prepare('VACUUM INTO ?').run(target);
    if (signal?.aborted === true) throw new AppError('CANCELLED', 'The backup was cancelled.');
  }
  // The copy becomes a plain rollback-journal file with nothing beside it, and is checked.
  const copy = openDatabase(target, { ...(key !== undefined && { key }) });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') {
      throw new AppError(
        'CORRUPT_FILE',
        `The database copy failed SQLite's integrity check (${String(check)}): the data folder's ` +
          'database may be damaged. Nothing was restored or changed; keep the previous backup.',
      );
    }
    return { schemaVersion: schemaVersion(copy), referenced: referencedBlobs(copy) };
  } finally {
    copy.close();
  }
}

/**
 * Takes a consistent backup of a data folder while the app runs: the database through SQLite's
 * online backup, then the blobs (content-addressed and never changed in place, so a blob the
 * snapshot refers to is already complete on disk), each copied, fsynced and checked against its
 * name, then a manifest with the sha256 and size of every file, written last.
 */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const { dataDir, targetDir, signal } = options;
  const dbPath = join(dataDir, DATABASE_FILE);
  if (!existsSync(dbPath)) {
    throw new AppError('NOT_FOUND', `${dataDir} holds no Neurosphere database (${DATABASE_FILE}).`);
  }
  const keys = options.keys;
  if (keys === undefined && isEncryptedDataDir(dataDir)) {
    throw new AppError(
      'PERMISSION_DENIED',
      `${dataDir} is encrypted: back it up with its key (the CLI and the app take it from the OS keychain).`,
    );
  }
  await prepareTarget(targetDir);
  const warnings: string[] = [];
  try {
    const source = openDatabase(dbPath, { ...(keys !== undefined && { key: keys.databaseKey }) });
    const dbSize = (await stat(dbPath)).size;
    const blobs = listBlobs(join(dataDir, 'blobs'));
    let totalBytes = dbSize;
    for (const blob of blobs) totalBytes += (await stat(blob.abs).catch(() => ({ size: 0 }))).size;
    options.onProgress?.({ stage: 'database', doneBytes: 0, totalBytes });
    let snapshot: { schemaVersion: number; referenced: Set<string> };
    try {
      snapshot = await backupDatabase(
        source,
        join(targetDir, DATABASE_FILE),
        signal,
        keys?.databaseKey,
      );
    } finally {
      source.close();
    }
    const files: BackupFile[] = [
      { path: DATABASE_FILE, ...(await hashFile(join(targetDir, DATABASE_FILE), signal)) },
    ];
    if (keys !== undefined) {
      // The wrapped data key travels with the data: restored here, the keychain opens it; restored
      // elsewhere, the recovery key does.
      files.push({
        path: ENCRYPTION_FILE,
        ...(await copyFileHashed(
          join(dataDir, ENCRYPTION_FILE),
          join(targetDir, ENCRYPTION_FILE),
          signal,
        )),
      });
    }
    // An encrypted store names files by a keyed hash of the content's sha256.
    const fileNameOf = (sha256: string): string =>
      keys === undefined ? sha256 : blobFileName(keys.nameKey, sha256);
    let doneBytes = dbSize;
    options.onProgress?.({ stage: 'blobs', doneBytes, totalBytes });

    // Blobs written after the snapshot are copied too (harmless); those it refers to must be there.
    const copied = new Set<string>();
    for (const blob of listBlobs(join(dataDir, 'blobs'))) {
      if (signal?.aborted === true) throw new AppError('CANCELLED', 'The backup was cancelled.');
      let result: { sha256: string; size: number };
      try {
        result = await copyFileHashed(blob.abs, join(targetDir, blob.rel), signal);
      } catch (error) {
        // Deleted since it was listed (a scan deleted meanwhile): not needed by the snapshot.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      // Encrypted blobs are checked by their GCM tags when read, not against their (keyed) names.
      if (keys === undefined && result.sha256 !== blob.sha256) {
        await rm(join(targetDir, blob.rel), { force: true });
        warnings.push(
          `${blob.rel} in the data folder is damaged (its content does not match its name); ` +
            'it was left out of the backup.',
        );
        continue;
      }
      copied.add(blob.sha256);
      files.push({ path: blob.rel, ...result });
      doneBytes += result.size;
      options.onProgress?.({
        stage: 'blobs',
        doneBytes,
        totalBytes: Math.max(totalBytes, doneBytes),
      });
    }
    const missing = [...snapshot.referenced].filter((sha256) => !copied.has(fileNameOf(sha256)));
    if (missing.length > 0) {
      warnings.push(
        `${missing.length} file(s) the database refers to are missing or damaged in the data ` +
          `folder and could not be backed up (first: ${missing[0]}).`,
      );
    }

    options.onProgress?.({ stage: 'manifest', doneBytes, totalBytes: doneBytes });
    const manifest: BackupManifest = {
      format: 'neurosphere-backup',
      formatVersion: 1,
      createdAt: options.now().toISOString(),
      appVersion: options.appVersion,
      schemaVersion: snapshot.schemaVersion,
      files,
    };
    for (const folder of new Set(files.map((f) => f.path.split('/').slice(0, -1).join('/')))) {
      if (folder !== '') await syncDir(join(targetDir, folder));
    }
    const temp = join(targetDir, `${BACKUP_MANIFEST}.tmp`);
    await writeFile(temp, `${JSON.stringify(manifest, null, 1)}\n`, { flush: true });
    await rename(temp, join(targetDir, BACKUP_MANIFEST));
    await syncDir(targetDir);
    return { dir: targetDir, manifest, totalBytes: doneBytes, blobCount: copied.size, warnings };
  } catch (error) {
    // A cancelled or failed backup leaves nothing that could be mistaken for a backup.
    await rm(targetDir, { recursive: true, force: true });
    throw error;
  }
}
