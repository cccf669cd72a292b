import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from './index.js';

describe('migration 018 (invitations, connect codes, care teams)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it('keeps users, their patient links and sessions while teaching the table the doctor role', () => {
    t = openTempDb(MIGRATIONS.findIndex((m) => m.version === 18));
    t.db
      .prepare(
        "INSERT INTO patients (id, name, created_at, updated_at) VALUES ('p1', 'Doe', 't', 't')",
      )
      .run();
    const insertUser = t.db.prepare(
      "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at, patient_id, password_changed_at) VALUES (?, ?, 'X', ?, 'h', 't0', 't1', ?, 't2')",
    );
    insertUser.run('u1', 'alice', 'radiologist', null);
    insertUser.run('u2', 'pat', 'patient', 'p1');
    expect(() => insertUser.run('u3', 'dora', 'doctor', null)).toThrow(/CHECK/);
    t.db
      .prepare(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client) VALUES ('tok', 'u1', 't', 't', 'c')",
      )
      .run();
    migrate(t.db);
    expect(
      t.db.prepare('SELECT id, role, patient_id, password_changed_at FROM users ORDER BY id').all(),
    ).toEqual([
      { id: 'u1', role: 'radiologist', patient_id: null, password_changed_at: 't2' },
      { id: 'u2', role: 'patient', patient_id: 'p1', password_changed_at: 't2' },
    ]);
    insertUser.run('u3', 'dora', 'doctor', null);
    // Only a patient account (and only a patient invitation) names a patient record.
    expect(() => insertUser.run('u4', 'dr2', 'doctor', 'p1')).toThrow(/CHECK/);
    const invite = t.db.prepare(
      "INSERT INTO invitations (id, token_hash, code_hash, role, patient_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 't', 't')",
    );
    invite.run('i1', 'th1', 'ch1', 'patient', 'p1');
    expect(() => invite.run('i2', 'th2', 'ch2', 'patient', null)).toThrow(/CHECK/);
    expect(() => invite.run('i3', 'th3', 'ch3', 'viewer', 'p1')).toThrow(/CHECK/);
    // A connect code stands for one side only.
    const code = t.db.prepare(
      "INSERT INTO connect_codes (code_hash, patient_id, doctor_id, created_by, created_at, expires_at) VALUES (?, ?, ?, 'u2', 't', 't')",
    );
    code.run('c1', 'p1', null);
    expect(() => code.run('c2', 'p1', 'u3')).toThrow(/CHECK/);
    t.db
      .prepare(
        "INSERT INTO care_team (doctor_id, patient_id, assigned_at, via) VALUES ('u3', 'p1', 't', 'code')",
      )
      .run();
    // Removing the doctor ends the assignment; deleting a user still ends its sessions.
    t.db.prepare("DELETE FROM users WHERE id IN ('u1', 'u3')").run();
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM care_team').get()).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    expect(t.db.pragma('foreign_key_check')).toEqual([]);
  });
});
