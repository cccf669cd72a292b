import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  insertUserRow,
  openTempDb,
  type TempDb,
} from '../../../test-support/temp-db.js';
import { migrate, schemaVersion } from '../migrate.js';

describe('migration 001: users and sessions', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('applies to an empty database and records itself', () => {
    t = openTempDb(0);
    expect(schemaVersion(t.db)).toBe(0);
    expect(migrate(t.db, { target: 1 })).toBe(1);
    expect(schemaVersion(t.db)).toBe(1);
    insertUserRow(t.db, 'u1', 'admin');
    expect(countRows(t.db, 'users')).toBe(1);
  });

  it('treats usernames case-insensitively so "Admin" and "admin" cannot both exist', () => {
    t = openTempDb(1);
    insertUserRow(t.db, 'u1', 'admin');
    expect(() => insertUserRow(t.db, 'u2', 'Admin')).toThrow(/UNIQUE/);
  });

  it('rejects an unknown role and a non-integer disabled flag', () => {
    t = openTempDb(1);
    expect(() => insertUserRow(t.db, 'u1', 'alice', 'superuser')).toThrow(/CHECK/);
    insertUserRow(t.db, 'u2', 'bob');
    expect(() => t.db.prepare("UPDATE users SET disabled = 'yes' WHERE id = 'u2'").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(() => t.db.prepare('UPDATE users SET disabled = 2 WHERE id = ?').run('u2')).toThrow(
      /CHECK/,
    );
  });

  it("deletes a user's sessions with the user", () => {
    t = openTempDb(1);
    insertUserRow(t.db, 'u1', 'alice');
    t.db
      .prepare(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client) VALUES ('h', 'u1', 'x', 'x', 'test')",
      )
      .run();
    expect(() =>
      t.db
        .prepare(
          "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client) VALUES ('h2', 'nobody', 'x', 'x', 'test')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    t.db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(countRows(t.db, 'sessions')).toBe(0);
  });
});
