import { createHash } from 'node:crypto';
import { AppError } from '../../../src-shared/errors.js';
import type { Db } from './connection.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

function ensureMigrationTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
}

export function appliedMigrations(db: Db): AppliedRow[] {
  ensureMigrationTable(db);
  return db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as AppliedRow[];
}

/**
 * Refuses a database whose applied migrations are not a prefix of the code's list:
 * a database written by a newer Neurosphere, or one whose migrations were edited,
 * must not be opened and silently changed.
 */
export function verifyMigrations(db: Db, known: readonly Migration[] = MIGRATIONS): void {
  const applied = appliedMigrations(db);
  for (const [index, row] of applied.entries()) {
    const expected = known[index];
    if (expected === undefined) {
      throw new AppError(
        'DATABASE_MISMATCH',
        `This database has migration ${row.version} (${row.name}), which this version of Neurosphere does not know. ` +
          'It was probably written by a newer version: install that version, or restore a backup made with this one.',
        { appliedVersion: row.version, knownVersions: known.length },
      );
    }
    if (expected.version !== row.version || checksum(expected) !== row.checksum) {
      throw new AppError(
        'DATABASE_MISMATCH',
        `Migration ${row.version} (${row.name}) in this database differs from the one in this version of Neurosphere. ` +
          'The database was changed by other software or a different build; restore a backup or contact support.',
        { version: row.version },
      );
    }
  }
}

/** Applies pending migrations up to `target`, each in its own transaction. Returns the new version. */
export function migrate(
  db: Db,
  options: { target?: number; now?: () => string; known?: readonly Migration[] } = {},
): number {
  const known = options.known ?? MIGRATIONS;
  const now = options.now ?? (() => new Date().toISOString());
  verifyMigrations(db, known);
  const current = appliedMigrations(db).length;
  const target = options.target ?? known.length;
  const insert = db.prepare(
    'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  );
  for (const migration of known.slice(current, target)) {
    const rebuilds = migration.rebuildsTables === true;
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it.
    const hadForeignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
    if (rebuilds) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (rebuilds) {
          const violations = db.pragma('foreign_key_check') as unknown[];
          if (violations.length > 0) {
            throw new AppError(
              'DATABASE_MISMATCH',
              `Migration ${migration.version} (${migration.name}) would break ${violations.length} references; nothing was changed.`,
            );
          }
        }
        insert.run(migration.version, migration.name, checksum(migration), now());
      })();
    } finally {
      if (rebuilds && hadForeignKeys) db.pragma('foreign_keys = ON');
    }
  }
  return Math.max(current, target);
}

export function schemaVersion(db: Db): number {
  return appliedMigrations(db).length;
}
