import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens the clinical database with the settings every connection must have:
 * WAL for concurrent readers, synchronous=FULL so a committed row survives a power cut,
 * foreign keys enforced, and a busy timeout so a second process waits instead of failing.
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
