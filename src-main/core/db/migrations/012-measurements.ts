import type { Migration } from './migration.js';

/**
 * Measurements and annotations a reader draws on a scan (length, ellipse, angle, arrow), kept
 * with the scan and the user who drew them. Points are image coordinates of one frame (JSON);
 * the values (mm, mm², mean ± SD, degrees) are computed by the core when written, so a report
 * and the CSV read the same figures the viewer showed.
 *
 * The outbox learns the entity 'measurement': its CHECK is part of the table, so the table is
 * rebuilt (SQLite's documented procedure) with its rows and ids kept.
 */
export const migration012: Migration = {
  version: 12,
  name: 'measurements',
  rebuildsTables: true,
  sql: `
CREATE TABLE measurements (
  id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  frame INTEGER NOT NULL CHECK (frame >= 0),
  kind TEXT NOT NULL CHECK (kind IN ('length','ellipse','angle','arrow')),
  points TEXT NOT NULL CHECK (json_valid(points)),
  measured TEXT NOT NULL CHECK (json_valid(measured)),
  label TEXT NOT NULL DEFAULT '',
  user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX measurements_scan ON measurements(scan_id, frame);

CREATE TABLE outbox_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL CHECK (entity IN ('patient','study','series','scan','file','segmentation','attachment','analysis','report','measurement')),
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
