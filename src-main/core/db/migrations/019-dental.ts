import type { Migration } from './migration.js';

/**
 * Dental cases (issue 19, after the ToothFairy seed): a named case of a patient with an upper and
 * a lower intra-oral STL (each optional, its role recorded) and a CBCT volume imported through the
 * ordinary import job (its files keep `files.import_job_id`, which links them to the case). Cases
 * sit in folders; text captions keep every edit as a version.
 *
 * The outbox learns the dental entities: its CHECK is part of the table, so the table is rebuilt
 * (as migration 012 did) with its rows and ids kept, listing every entity known so far.
 */
export const migration019: Migration = {
  version: 19,
  name: 'dental',
  rebuildsTables: true,
  sql: `
CREATE TABLE dental_folders (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE dental_cases (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  patient_id TEXT REFERENCES patients(id) ON DELETE SET NULL,
  folder_id TEXT REFERENCES dental_folders(id) ON DELETE SET NULL,
  cbct_job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX dental_cases_folder ON dental_cases(folder_id);

CREATE TABLE dental_files (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES dental_cases(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('upper','lower')),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  triangle_count INTEGER NOT NULL,
  stl_format TEXT NOT NULL CHECK (stl_format IN ('ascii','binary')),
  created_at TEXT NOT NULL,
  UNIQUE (case_id, role)
) STRICT;

CREATE TABLE dental_captions (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES dental_cases(id) ON DELETE CASCADE,
  modality TEXT NOT NULL CHECK (modality IN ('upper','lower','cbct','case')),
  text TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX dental_captions_case ON dental_captions(case_id, created_at);

CREATE TABLE dental_caption_versions (
  caption_id TEXT NOT NULL REFERENCES dental_captions(id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version >= 1),
  text TEXT NOT NULL,
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (caption_id, version)
) STRICT;

CREATE TABLE outbox_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL CHECK (entity IN ('patient','study','series','scan','file','segmentation','attachment','analysis','report','measurement','dental_folder','dental_case','dental_file','dental_caption')),
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
