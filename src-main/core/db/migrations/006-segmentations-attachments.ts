import type { Migration } from './migration.js';

/** Label maps imported as segmentations of a scan, and meshes (STL) attached to a scan. */
export const migration006: Migration = {
  version: 6,
  name: 'segmentations-attachments',
  sql: `
CREATE TABLE segmentations (
  id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  file_id TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  labels TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX segmentations_scan ON segmentations(scan_id);

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  file_id TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('mesh')),
  triangle_count INTEGER NOT NULL CHECK (triangle_count >= 0),
  bounding_box TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_scan ON attachments(scan_id);
`,
};
