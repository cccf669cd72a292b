import type { Migration } from './migration.js';

/**
 * Standalone interactive HTML scenes of a scan (issue 14 item 3; docs/html-export.md). A row is
 * written when the `visualization.build` job is queued (so the caller can follow it by the
 * visualization's id) and gets its blob and size when the job has stored the HTML file. The
 * scene is derived data (rebuilt from the mask and the scan at any time), so it has no outbox
 * entity; creating one is audited. Rows go with their scan; the blob goes when nothing else
 * refers to it (`core/store/blob-references.ts`).
 */
export const migration017: Migration = {
  version: 17,
  name: 'visualizations',
  sql: `
CREATE TABLE visualizations (
  id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
  quality TEXT NOT NULL CHECK (quality IN ('low','medium','high')),
  options TEXT NOT NULL CHECK (json_valid(options)),
  blob_sha256 TEXT CHECK (blob_sha256 IS NULL OR length(blob_sha256) = 64),
  size INTEGER CHECK (size IS NULL OR size >= 0),
  lesion_count INTEGER CHECK (lesion_count IS NULL OR lesion_count >= 0),
  created_by TEXT,
  created_at TEXT NOT NULL,
  CHECK ((blob_sha256 IS NULL) = (size IS NULL))
) STRICT;
CREATE INDEX visualizations_scan ON visualizations(scan_id, created_at);
CREATE INDEX visualizations_blob ON visualizations(blob_sha256);
`,
};
