import type { Migration } from './migration.js';

/**
 * De-identification (issue 15, item 4; docs/deidentification.md). Three local tables that are
 * the re-identification key of every de-identified export, so they never leave the machine (no
 * outbox entity; the exports themselves are audited):
 * - `deid_secret`: one random key (HMAC) from which pseudonyms and replacement UIDs are derived,
 *   so a mapping is deterministic for this data dir and stable between exports;
 * - `deid_pseudonyms`: per source patient (keyed by an HMAC of the DICOM Patient ID and issuer,
 *   not the ID itself) the pseudonymous ID and name written instead, and the date offset in days
 *   of the "modified dates" option; `patient_id` links the app's patient when known;
 * - `deid_uids`: each original UID and the UID written for it.
 */
export const migration015: Migration = {
  version: 15,
  name: 'deidentification',
  sql: `
CREATE TABLE deid_secret (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  secret BLOB NOT NULL CHECK (length(secret) = 32),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE deid_pseudonyms (
  source_key TEXT PRIMARY KEY,
  pseudonym_id TEXT NOT NULL UNIQUE,
  pseudonym_name TEXT NOT NULL,
  date_offset_days INTEGER NOT NULL,
  patient_id TEXT REFERENCES patients(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE deid_uids (
  original_uid TEXT PRIMARY KEY,
  replacement_uid TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
) STRICT;
`,
};
