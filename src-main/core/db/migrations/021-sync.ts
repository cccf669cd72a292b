import type { Migration } from './migration.js';

/**
 * Outbox sync to PACS destinations (issue 17 item 2, docs/sync.md).
 *
 * `sync_destinations`: which PACS (by its id in the `dicom.destinations` setting) receives what,
 * whether de-identified, and the outbox cursor: the last outbox id already planned into items.
 *
 * `sync_items`: one thing to send to one destination (an original instance, an analysis as a
 * SEG, a signed report as an Encapsulated PDF). Planned once per (destination, kind, source):
 * planning the same outbox range again inserts nothing. `sop_instance_uid` is the natural key
 * at the destination; a generated object's bytes are written to `file_path` once, before the
 * first try, so every retry sends the same SOP Instance UID and the PACS keeps one instance.
 */
export const migration021: Migration = {
  version: 21,
  name: 'sync',
  sql: `
CREATE TABLE sync_destinations (
  destination_id TEXT PRIMARY KEY,
  originals INTEGER NOT NULL CHECK (originals IN (0,1)),
  segmentations INTEGER NOT NULL CHECK (segmentations IN (0,1)),
  reports INTEGER NOT NULL CHECK (reports IN (0,1)),
  deidentify INTEGER NOT NULL CHECK (deidentify IN (0,1)),
  outbox_cursor INTEGER NOT NULL DEFAULT 0 CHECK (outbox_cursor >= 0),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  destination_id TEXT NOT NULL REFERENCES sync_destinations(destination_id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('original','segmentation','report')),
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
CREATE UNIQUE INDEX sync_items_natural_key ON sync_items(destination_id, sop_instance_uid)
  WHERE sop_instance_uid IS NOT NULL;
CREATE INDEX sync_items_due ON sync_items(state, next_attempt_at, id);
CREATE INDEX sync_items_order ON sync_items(destination_id, order_key, id);
`,
};
