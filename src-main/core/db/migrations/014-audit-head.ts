import type { Migration } from './migration.js';

/**
 * The audit chain's head: row count, last sequence number and last hash, HMAC'd with the audit
 * key, so rows deleted from the end are detected. One row, rewritten by every append (in the
 * append's transaction); never deleted. Rows written before this migration keep their unkeyed
 * SHA-256 chain and are sealed by an `audit.sealed` row when the core first opens the log with
 * a key (docs/audit.md).
 */
export const migration014: Migration = {
  version: 14,
  name: 'audit-head',
  sql: `
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key_id TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  last_hash TEXT NOT NULL,
  mac TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head is never deleted'); END;
CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_head
WHEN NEW.last_seq < OLD.last_seq OR NEW.row_count < OLD.row_count
BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
`,
};
