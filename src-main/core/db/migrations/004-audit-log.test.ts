import { afterEach, describe, expect, it } from 'vitest';
import { countRows, openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 004: audit log', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  const append = (action: string): void => {
    t.db
      .prepare(
        `INSERT INTO audit_log (at, actor, action, target, prev_hash, hash) VALUES ('t', 'admin', ?, NULL, 'p', 'h')`,
      )
      .run(action);
  };

  it('keeps jobs written under version 3', () => {
    t = openTempDb(3);
    t.db
      .prepare(
        `INSERT INTO jobs (id, type, status, progress, payload, created_at, updated_at)
         VALUES ('j1', 'import.files', 'completed', 1, '{}', 't', 't')`,
      )
      .run();
    migrate(t.db, { target: 4 });
    expect(t.db.prepare('SELECT id, status, progress FROM jobs').all()).toEqual([
      { id: 'j1', status: 'completed', progress: 1 },
    ]);
    append('auth.login');
    expect(t.db.prepare('SELECT seq, details FROM audit_log').get()).toEqual({
      seq: 1,
      details: '{}',
    });
  });

  it('is append-only: UPDATE and DELETE are refused by triggers', () => {
    t = openTempDb(4);
    append('patients.read');
    append('patients.update');
    expect(() =>
      t.db.prepare("UPDATE audit_log SET action = 'nothing' WHERE seq = 1").run(),
    ).toThrow(/append-only/);
    expect(() => t.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => t.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(countRows(t.db, 'audit_log')).toBe(2);
    expect(t.db.prepare('SELECT action FROM audit_log WHERE seq = 1').get()).toEqual({
      action: 'patients.read',
    });
  });

  it('numbers entries monotonically and rejects a non-integer sequence', () => {
    t = openTempDb(4);
    append('a');
    append('b');
    expect(t.db.prepare('SELECT seq FROM audit_log ORDER BY seq').all()).toEqual([
      { seq: 1 },
      { seq: 2 },
    ]);
    expect(() =>
      t.db
        .prepare(
          "INSERT INTO audit_log (seq, at, action, prev_hash, hash) VALUES ('three', 't', 'c', 'p', 'h')",
        )
        .run(),
    ).toThrow(/datatype mismatch|cannot store/);
  });
});
