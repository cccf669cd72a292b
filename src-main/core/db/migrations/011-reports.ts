import type { Migration } from './migration.js';

/**
 * Reports (issue 12): one row per version of a scan's report. Version 1 is written as a draft,
 * signed into 'final'; a final row never changes again (the trigger refuses any UPDATE of it, so
 * not even a bug in the service or a hand-run SQL statement can rewrite a signed text). An
 * amendment is a new row, version + 1, that names the final version it amends and what it
 * changes. Deleting a version deletes the versions that amend it (the chain goes as a whole).
 * The patient is the scan's (joined on read), so moving a scan to another patient moves its
 * report. `analysis_id` is not a foreign key: analyses and reports both go with their scan, and
 * SQLite's cascade order must not decide whether a scan can be deleted.
 *
 * `settings` holds the site's key/value settings (the clinic's name, address and logo for the
 * report header). The outbox learns the entity 'report' (a table rebuild: SQLite cannot alter a
 * CHECK constraint; nothing references the outbox).
 */
export const migration011: Migration = {
  version: 11,
  name: 'reports',
  sql: `
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version >= 1),
  status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
  findings TEXT NOT NULL,
  impression TEXT NOT NULL,
  analysis_id TEXT NOT NULL,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  signed_by TEXT,
  signed_at TEXT,
  amends TEXT REFERENCES reports(id) ON DELETE CASCADE,
  changes TEXT,
  CHECK ((status = 'final') = (signed_at IS NOT NULL)),
  CHECK ((amends IS NULL) = (version = 1)),
  CHECK (amends IS NULL OR length(trim(coalesce(changes, ''))) > 0),
  UNIQUE (scan_id, version)
) STRICT;
CREATE UNIQUE INDEX reports_one_amendment ON reports(amends) WHERE amends IS NOT NULL;
CREATE TRIGGER reports_final_is_immutable BEFORE UPDATE ON reports
WHEN OLD.status = 'final'
BEGIN
  SELECT RAISE(ABORT, 'A signed report cannot be edited; amend it');
END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE outbox_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL CHECK (entity IN ('patient','study','series','scan','file','segmentation','attachment','analysis','report')),
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('create','update','delete')),
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent'))
) STRICT;
INSERT INTO outbox_new (id, entity, entity_id, op, payload, created_at, status)
  SELECT id, entity, entity_id, op, payload, created_at, status FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(status, id);
`,
};
