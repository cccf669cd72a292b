import type { Migration } from './migration.js';

/**
 * Invitations, connect codes and care teams (issue 15, accounts; the doctor/patient seed).
 *
 * The users table learns the `doctor` role (sees only the patients assigned to it): the role
 * CHECK is part of the table, so it is rebuilt as in migration 013, rows and ids kept, so
 * sessions, refresh tokens and measurements keep pointing at them.
 *
 * Invitation tokens, invitation codes and connect codes are stored as SHA-256 hashes only (as
 * sessions and refresh tokens are): the database alone cannot be used to register or connect.
 * A connect code stands for either a patient record (made by a patient account) or a doctor
 * account (made by a doctor), never both.
 */
export const migration018: Migration = {
  version: 18,
  name: 'invitations-care-team',
  rebuildsTables: true,
  sql: `
CREATE TABLE users_new (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','radiologist','technologist','viewer','annotator','student','demo','patient','doctor')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT,
  patient_id TEXT REFERENCES patients(id) ON DELETE SET NULL,
  password_changed_at TEXT,
  CHECK (patient_id IS NULL OR role = 'patient')
) STRICT;
INSERT INTO users_new (id, username, display_name, role, password_hash, disabled, created_at, updated_at, last_login_at, patient_id, password_changed_at)
  SELECT id, username, display_name, role, password_hash, disabled, created_at, updated_at, last_login_at, patient_id, password_changed_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_patient ON users(patient_id);

CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  code_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin','radiologist','technologist','viewer','annotator','student','demo','patient','doctor')),
  patient_id TEXT REFERENCES patients(id) ON DELETE CASCADE,
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  used_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  revoked_at TEXT,
  CHECK ((patient_id IS NULL) = (role <> 'patient'))
) STRICT;
CREATE INDEX invitations_created ON invitations(created_at);

CREATE TABLE connect_codes (
  code_hash TEXT PRIMARY KEY,
  patient_id TEXT REFERENCES patients(id) ON DELETE CASCADE,
  doctor_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  created_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  used_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  CHECK ((patient_id IS NULL) <> (doctor_id IS NULL))
) STRICT;

CREATE TABLE care_team (
  doctor_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  assigned_at TEXT NOT NULL,
  assigned_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  via TEXT NOT NULL CHECK (via IN ('admin','code')),
  PRIMARY KEY (doctor_id, patient_id)
) STRICT;
CREATE INDEX care_team_patient ON care_team(patient_id);
`,
};
