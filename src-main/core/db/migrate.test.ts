import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../src-shared/errors.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createCore } from '../core.js';
import { TEST_KDF } from '../auth/password-hasher.js';
import { openDatabase } from './connection.js';
import { migrate, schemaVersion, verifyMigrations } from './migrate.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';

/** A version no migration has (numbers are handed out per branch, so the list may have gaps). */
const NEXT_VERSION = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;

function caught(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const tableExists = (t: TempDb, name: string): boolean =>
  t.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
  undefined;

describe('openDatabase', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('uses WAL, synchronous=FULL and enforced foreign keys', () => {
    t = openTempDb(0);
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const other = t.openAnother();
    expect(other.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

describe('migrate', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('brings a new database to the latest version and is a no-op the second time', () => {
    t = openTempDb(0);
    expect(migrate(t.db)).toBe(MIGRATIONS.length);
    expect(migrate(t.db)).toBe(MIGRATIONS.length);
    expect(schemaVersion(t.db)).toBe(MIGRATIONS.length);
  });

  it('refuses a database with a migration this version does not know', () => {
    t = openTempDb();
    t.db
      .prepare(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (99, 'from-the-future', 'x', 't')",
      )
      .run();
    const error = caught(() => migrate(t.db));
    expect(error.code).toBe('DATABASE_MISMATCH');
    expect(error.message).toMatch(/migration 99 \(from-the-future\).*newer version/);
  });

  it('refuses a database whose applied migration differs from the code (checksum)', () => {
    t = openTempDb();
    const edited = MIGRATIONS.map((m) =>
      m.version === 2 ? { ...m, sql: `${m.sql}\n-- edited after release` } : m,
    );
    const error = caught(() => verifyMigrations(t.db, edited));
    expect(error.code).toBe('DATABASE_MISMATCH');
    expect(error.message).toMatch(/Migration 2 .* differs/);
    expect(error.details).toEqual({ version: 2 });
  });

  it('runs each migration in its own transaction: a failing one leaves no partial table', () => {
    t = openTempDb(0);
    const broken: Migration = {
      version: NEXT_VERSION,
      name: 'broken',
      sql: 'CREATE TABLE half_done (x INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => migrate(t.db, { known: [...MIGRATIONS, broken] })).toThrow(/no_such_table/);
    expect(schemaVersion(t.db)).toBe(MIGRATIONS.length);
    expect(tableExists(t, 'audit_log')).toBe(true);
    expect(tableExists(t, 'half_done')).toBe(false);
    // Once fixed, the same migration applies on the next start.
    const fixed = { ...broken, sql: 'CREATE TABLE half_done (x INTEGER) STRICT;' };
    expect(migrate(t.db, { known: [...MIGRATIONS, fixed] })).toBe(MIGRATIONS.length + 1);
    expect(tableExists(t, 'half_done')).toBe(true);
  });
});

describe('createCore on a mismatched database', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('refuses to start and leaves the database untouched', () => {
    t = openTempDb();
    const dataDir = t.dir;
    // createCore opens <dataDir>/neurosphere.db; prepare that file as a newer version left it.
    const file = join(dataDir, 'neurosphere.db');
    const db = openDatabase(file);
    migrate(db);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, 'reports', 'x', 't')",
    ).run(NEXT_VERSION);
    db.close();

    const error = caught(() =>
      createCore({
        auditKey: TEST_AUDIT_KEY,
        dataDir,
        kdf: TEST_KDF,
        modelsDir: join(dataDir, 'models'),
      }),
    );
    expect(error.code).toBe('DATABASE_MISMATCH');
    expect(error.message).toContain('newer version');
    const reopened = openDatabase(file);
    expect(schemaVersion(reopened)).toBe(MIGRATIONS.length + 1);
    reopened.close();
  });
});
