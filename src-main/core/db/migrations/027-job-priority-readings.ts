import type { Migration } from './migration.js';

/**
 * Job priority and X-ray readings (issue 18, docs/xray-readings.md).
 *
 * `jobs.priority` is a rank (0 LOW, 1 MEDIUM, 2 HIGH) so the scheduler's "highest first, oldest
 * first within one" is an index walk. Existing jobs become MEDIUM, what every job was before.
 *
 * A reading is a request for a friendly or expert reading of one scan; its id is the id of the
 * job that produces it (the seed's task id). Its text is not stored: it is rendered from the
 * analysis's findings by the versioned templates when read, so it is never free text.
 */
export const migration027: Migration = {
  version: 27,
  name: 'job-priority-readings',
  sql: `
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 1 CHECK (priority IN (0,1,2));
CREATE INDEX jobs_pending_order ON jobs(status, priority DESC, created_at, id);
CREATE TABLE readings (
  id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('friendly','expert')),
  priority INTEGER NOT NULL CHECK (priority IN (0,1,2)),
  notes TEXT NOT NULL,
  include_suggestions INTEGER NOT NULL CHECK (include_suggestions IN (0,1)),
  analysis_id TEXT REFERENCES analyses(id) ON DELETE SET NULL,
  requested_by TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX readings_scan ON readings(scan_id, created_at);
`,
};
