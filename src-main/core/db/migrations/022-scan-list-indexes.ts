import type { Migration } from './migration.js';

/**
 * Indexes for the scan list's filtered pages in its default order (newest first, ties by id):
 * by status (`GET /api/scans?status=…`) and by patient (a patient's own scans, a patient's page).
 * With them a page's ids come from the index alone, however deep the page. They replace the
 * single-column indexes of migration 005, which they begin with.
 */
export const migration022: Migration = {
  version: 22,
  name: 'scan-list-indexes',
  sql: `
CREATE INDEX scans_status_created_id ON scans(status, created_at, id);
CREATE INDEX scans_patient_created_id ON scans(patient_id, created_at, id);
DROP INDEX IF EXISTS scans_status;
DROP INDEX IF EXISTS scans_patient;
`,
};
