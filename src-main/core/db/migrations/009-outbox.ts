import type { Migration } from './migration.js';

/**
 * One row per change to clinical data, written in the same transaction as the change and its
 * audit entry (see core/clinical-write): what a later sync sends, in order. `op` is what happened
 * to the entity; `payload` is the entity as written (JSON), or its id alone for a deletion.
 */
export const migration009: Migration = {
  version: 9,
  name: 'outbox',
  sql: `
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL CHECK (entity IN ('patient','study','series','scan','file','segmentation','attachment','analysis')),
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('create','update','delete')),
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent'))
) STRICT;
CREATE INDEX outbox_pending ON outbox(status, id);
`,
};
