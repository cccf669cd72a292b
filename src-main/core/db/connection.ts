import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { AppError } from '../../../src-shared/errors.js';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  readonly readonly?: boolean;
  /**
   * The database key of an encrypted data folder (32 bytes). Given, the file is opened with the
   * SQLCipher-compatible build (better-sqlite3-multiple-ciphers); without it, with plain SQLite.
   */
  readonly key?: Buffer;
}

/** Loaded only for encrypted data folders: plain folders never load the cipher build. */
function cipherDatabase(): typeof Database {
  return createRequire(import.meta.url)('better-sqlite3-multiple-ciphers') as typeof Database;
}

/** SQLCipher 4's format, so the file opens with the sqlcipher tool too (docs/encryption.md). */
export function applyDatabaseKey(db: Db, key: Buffer): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  // Sorts and temp indexes stay in memory, so no plaintext temp file is written beside the database.
  db.pragma('temp_store = MEMORY');
}

/**
 * Opens the clinical database with the settings every connection must have:
 * WAL for concurrent readers, synchronous=FULL so a committed row survives a power cut,
 * foreign keys enforced, and a busy timeout so a second process waits instead of failing.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const Driver = options.key === undefined ? Database : cipherDatabase();
  const db = new Driver(file, { readonly: options.readonly ?? false });
  try {
    if (options.key !== undefined) {
      applyDatabaseKey(db, options.key);
      // The first read proves the key: a wrong one reads as "not a database".
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    db.pragma('journal_mode = WAL');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new AppError(
        'PERMISSION_DENIED',
        options.key === undefined
          ? `${file} is encrypted (or not a database): open it with its data folder's key.`
          : `The key does not open ${file}: the database belongs to another key, or is damaged. Run \`neurosphere encryption recover\` with the recovery key if the key was replaced.`,
      );
    }
    throw error;
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
