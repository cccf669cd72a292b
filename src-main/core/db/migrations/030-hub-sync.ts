import type { Migration } from './migration.js';

/**
 * Record sync to a Neurosphere hub (issue 17 item 2, docs/hub-sync.md).
 *
 * Accounts: the users table learns the `workstation` role (a service account that may only send
 * records to this hub); the role CHECK is part of the table, so it is rebuilt as in migration
 * 018, rows and ids kept.
 *
 * Workstation side: `sync_items` gains the kinds `record` (one outbox entry: a version of a
 * clinical record) and `audit` (one audit row), so the hub is one more destination of the same
 * worker; `sync_destinations.audit_cursor` is the last audit row already planned.
 *
 * Hub side: `hub_record_versions` keeps every version a workstation sent, unique by
 * (origin workstation, entity, record id, version), with the answer it got; `hub_records` is the
 * hub's view of each record: the version that wins, and whether two workstations changed it
 * concurrently (`conflict`). `hub_audit` keeps workstations' audit rows, append-only.
 */
export const migration030: Migration = {
  version: 30,
  name: 'hub-sync',
  rebuildsTables: true,
  sql: `
CREATE TABLE users_030 (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','radiologist','technologist','viewer','annotator','student','demo','patient','doctor','workstation')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT,
  patient_id TEXT REFERENCES patients(id) ON DELETE SET NULL,
  password_changed_at TEXT,
  CHECK (patient_id IS NULL OR role = 'patient')
) STRICT;
INSERT INTO users_030 (id, username, display_name, role, password_hash, disabled, created_at, updated_at, last_login_at, patient_id, password_changed_at)
  SELECT id, username, display_name, role, password_hash, disabled, created_at, updated_at, last_login_at, patient_id, password_changed_at FROM users;
DROP TABLE users;
ALTER TABLE users_030 RENAME TO users;
CREATE INDEX users_patient ON users(patient_id);

CREATE TABLE sync_items_030 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  destination_id TEXT NOT NULL REFERENCES sync_destinations(destination_id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('original','segmentation','report','record','audit')),
  source_id TEXT NOT NULL,
  outbox_id INTEGER NOT NULL,
  order_key TEXT NOT NULL,
  label TEXT NOT NULL,
  sop_instance_uid TEXT,
  file_path TEXT,
  bytes INTEGER,
  state TEXT NOT NULL CHECK (state IN ('pending','sending','sent','failed','skipped')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  UNIQUE (destination_id, kind, source_id)
) STRICT;
INSERT INTO sync_items_030 SELECT * FROM sync_items;
DROP TABLE sync_items;
ALTER TABLE sync_items_030 RENAME TO sync_items;
CREATE UNIQUE INDEX sync_items_natural_key ON sync_items(destination_id, sop_instance_uid)
  WHERE sop_instance_uid IS NOT NULL;
CREATE INDEX sync_items_due ON sync_items(state, next_attempt_at, id);
CREATE INDEX sync_items_order ON sync_items(destination_id, order_key, id);
CREATE INDEX sync_items_order_kind ON sync_items(destination_id, order_key, kind, id);
CREATE INDEX sync_items_destination_state ON sync_items(destination_id, state, id);

ALTER TABLE sync_destinations ADD COLUMN audit_cursor INTEGER NOT NULL DEFAULT 0 CHECK (audit_cursor >= 0);

CREATE TABLE hub_record_versions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  origin TEXT NOT NULL,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  op TEXT NOT NULL CHECK (op IN ('create','update','delete')),
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  payload_hash TEXT NOT NULL,
  base_hash TEXT,
  changed_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  received_by TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied','duplicate','conflict')),
  UNIQUE (origin, entity, record_id, version)
) STRICT;
CREATE INDEX hub_record_versions_record ON hub_record_versions(entity, record_id, seq);

CREATE TABLE hub_records (
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  current_seq INTEGER NOT NULL REFERENCES hub_record_versions(seq),
  conflict INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0,1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (entity, record_id)
) STRICT;
CREATE INDEX hub_records_conflict ON hub_records(conflict) WHERE conflict = 1;

CREATE TABLE hub_audit (
  origin TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  target TEXT,
  details TEXT NOT NULL,
  hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (origin, seq)
) STRICT;
CREATE TRIGGER hub_audit_no_update BEFORE UPDATE ON hub_audit
BEGIN SELECT RAISE(ABORT, 'hub_audit is append-only'); END;
CREATE TRIGGER hub_audit_no_delete BEFORE DELETE ON hub_audit
BEGIN SELECT RAISE(ABORT, 'hub_audit is append-only'); END;
`,
};
