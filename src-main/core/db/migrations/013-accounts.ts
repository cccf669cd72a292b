import type { Migration } from './migration.js';

/**
 * Accounts for every seed's roles, a patient account's link to its patient record, and login
 * throttling.
 *
 * The role CHECK is part of the users table, so the table is rebuilt (SQLite's documented
 * procedure) with its rows and ids kept; sessions and measurements keep pointing at them.
 * A patient account must name its patient, and only a patient account names one.
 *
 * Throttling is kept per username typed, whether or not such an account exists, so a locked
 * reply does not tell existing usernames from unknown ones.
 */
export const migration013: Migration = {
  version: 13,
  name: 'accounts',
  rebuildsTables: true,
  sql: `
CREATE TABLE users_new (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','radiologist','technologist','viewer','annotator','student','demo','patient')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT,
  patient_id TEXT REFERENCES patients(id) ON DELETE SET NULL,
  password_changed_at TEXT,
  CHECK (patient_id IS NULL OR role = 'patient')
) STRICT;
INSERT INTO users_new (id, username, display_name, role, password_hash, disabled, created_at, updated_at, last_login_at, password_changed_at)
  SELECT id, username, display_name, role, password_hash, disabled, created_at, updated_at, last_login_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_patient ON users(patient_id);

CREATE TABLE login_throttle (
  username TEXT PRIMARY KEY COLLATE NOCASE,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  last_failed_at TEXT NOT NULL,
  locked_until TEXT
) STRICT;
`,
};
