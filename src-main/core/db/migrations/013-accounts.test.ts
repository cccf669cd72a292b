import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from './index.js';

describe('migration 013 (accounts)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps users and their sessions while teaching the table every role', () => {
    t = openTempDb(MIGRATIONS.findIndex((m) => m.version === 13));
    const insertUser = t.db.prepare(
      "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, 'X', ?, 'h', 't0', 't1')",
    );
    insertUser.run('u1', 'alice', 'radiologist');
    expect(() => insertUser.run('u2', 'pat', 'patient')).toThrow(/CHECK/);
    t.db
      .prepare(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client) VALUES ('tok', 'u1', 't', 't', 'c')",
      )
      .run();
    migrate(t.db);
    expect(t.db.prepare('SELECT id, username, role, password_changed_at FROM users').all()).toEqual(
      [{ id: 'u1', username: 'alice', role: 'radiologist', password_changed_at: 't1' }],
    );
    expect(t.db.prepare('SELECT user_id FROM sessions').all()).toEqual([{ user_id: 'u1' }]);
    t.db
      .prepare(
        "INSERT INTO patients (id, name, created_at, updated_at) VALUES ('p1', 'Doe', 't', 't')",
      )
      .run();
    const withPatient = t.db.prepare(
      "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at, patient_id) VALUES (?, ?, 'X', ?, 'h', 't', 't', ?)",
    );
    withPatient.run('u2', 'pat', 'patient', 'p1');
    // Only a patient account names a patient.
    expect(() => withPatient.run('u3', 'viewer', 'viewer', 'p1')).toThrow(/CHECK/);
    // Deleting the user still ends its sessions (the reference survived the rebuild).
    t.db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    expect(t.db.pragma('foreign_key_check')).toEqual([]);
  });
});
