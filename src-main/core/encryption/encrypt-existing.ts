import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/errors.js';
import { assertNotInUse } from '../backup/restore-backup.js';
import { syncDir } from '../backup/file-copy.js';
import { openDatabase } from '../db/connection.js';
import { createBlobStore } from '../store/blob-store.js';
import { initialiseEncryption, type DataDirEncryption } from './data-dir-encryption.js';
import { isEncryptedDataDir } from './encryption-file.js';
import type { WrappingKeyStore } from './wrapping-key-store.js';

const DATABASE_FILE = 'neurosphere.db';
const BLOB_NAME = /^[0-9a-f]{64}$/;
/** Blobs made durable together (one fsync round per batch). */
const BATCH_FILES = 200;

export interface EncryptExistingResult {
  /** Where the wrapping key is kept. */
  readonly keySource: string;
  readonly blobCount: number;
  /** The plain folder, moved aside: delete it (securely) once the encrypted one works. */
  readonly previousDataDir: string;
  readonly warnings: string[];
}

/** The plain blobs of a folder, by their sha256 names. */
function plainBlobs(blobsRoot: string): { sha256: string; path: string }[] {
  if (!existsSync(blobsRoot)) return [];
  return readdirSync(blobsRoot)
    .filter((folder) => /^[0-9a-f]{2}$/.test(folder))
    .flatMap((folder) =>
      readdirSync(join(blobsRoot, folder))
        .filter((name) => BLOB_NAME.test(name) && name.startsWith(folder))
        .map((name) => ({ sha256: name, path: join(blobsRoot, folder, name) })),
    );
}

/**
 * Encrypts an existing plain data folder (the app, serve and commands stopped): an encrypted
 * copy is built beside it — the database copied with VACUUM INTO and encrypted by the cipher's
 * rekey, every blob re-stored through an encrypted store (its sha256 checked) — and only then
 * swapped in; the plain folder is moved aside, never changed. Staging areas (uploads/,
 * dicom-inbox/) and logs are not carried over.
 */
export async function encryptExistingDataDir(options: {
  dataDir: string;
  store: WrappingKeyStore;
  now: () => Date;
  onProgress?: (done: number, total: number) => void;
}): Promise<EncryptExistingResult> {
  const { dataDir } = options;
  if (isEncryptedDataDir(dataDir))
    throw new AppError('CONFLICT', `${dataDir} is already encrypted.`);
  if (!existsSync(join(dataDir, DATABASE_FILE)))
    throw new AppError('NOT_FOUND', `${dataDir} holds no Neurosphere database to encrypt.`);
  await assertNotInUse(dataDir, undefined);

  const stamp = options.now().toISOString().replace(/[:.]/g, '-');
  const staging = join(dirname(dataDir), `${basename(dataDir)}.encrypting-${stamp}`);
  mkdirSync(staging, { mode: 0o700 });
  const warnings: string[] = [];
  let blobCount = 0;
  let encryption: DataDirEncryption;
  try {
    encryption = await initialiseEncryption(staging, options.store, options.now);
    const source = openDatabase(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      source.prepare('VACUUM INTO ?').run(join(staging, DATABASE_FILE));
    } finally {
      source.close();
    }
    // Encrypt the copy in place (rekey needs a rollback journal, not WAL).
    const Cipher = createRequire(import.meta.url)(
      'better-sqlite3-multiple-ciphers',
    ) as typeof Database;
    const copy = new Cipher(join(staging, DATABASE_FILE));
    try {
      copy.pragma('journal_mode = DELETE');
      copy.pragma(`cipher = 'sqlcipher'`);
      copy.pragma('legacy = 4');
      copy.pragma(`rekey = "x'${encryption.keys.databaseKey.toString('hex')}'"`);
    } finally {
      copy.close();
    }
    // Proves the key opens it before anything is swapped.
    openDatabase(join(staging, DATABASE_FILE), { key: encryption.keys.databaseKey }).close();

    const blobs = plainBlobs(join(dataDir, 'blobs'));
    const store = createBlobStore(join(staging, 'blobs'), {
      blobKey: encryption.keys.blobKey,
      nameKey: encryption.keys.nameKey,
    });
    for (let at = 0; at < blobs.length; at += BATCH_FILES) {
      const batch = store.batch();
      for (const blob of blobs.slice(at, at + BATCH_FILES)) {
        const stored = await batch.addFile(blob.path);
        if (stored.sha256 !== blob.sha256)
          warnings.push(
            `blobs/${blob.sha256.slice(0, 2)}/${blob.sha256} is damaged (its content does not match its name); it was re-stored under its real sha256.`,
          );
      }
      blobCount += (await batch.commit()).length;
      options.onProgress?.(Math.min(at + BATCH_FILES, blobs.length), blobs.length);
    }
    await syncDir(staging);
    await assertNotInUse(dataDir, undefined);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const previousDataDir = join(
    dirname(dataDir),
    `${basename(dataDir)}.plain-before-encryption-${stamp}`,
  );
  await rename(dataDir, previousDataDir);
  try {
    await rename(staging, dataDir);
  } catch (error) {
    await rename(previousDataDir, dataDir);
    throw error;
  }
  await syncDir(dirname(dataDir));
  return { keySource: encryption.keySource, blobCount, previousDataDir, warnings };
}
