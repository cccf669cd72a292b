import type { Migration } from './migration.js';

/**
 * Volumes and NIfTI: scans gain their voxel geometry and warnings, 'nifti' becomes a format and
 * 'volume' a kind. SQLite cannot alter a CHECK constraint, so scans is rebuilt (data and
 * indexes kept); the migrator runs this one with foreign keys off so dropping the old table
 * does not cascade into files and instances, and checks foreign keys before committing.
 * scan_frames lists a volume's frames in slice order (file and frame within it).
 */
export const migration005: Migration = {
  version: 5,
  name: 'imaging-geometry',
  rebuildsTables: true,
  sql: `
CREATE TABLE scans_rebuilt (
  id TEXT PRIMARY KEY,
  patient_id TEXT REFERENCES patients(id) ON DELETE CASCADE,
  study_id TEXT REFERENCES studies(id) ON DELETE CASCADE,
  series_id TEXT UNIQUE REFERENCES series(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('image','series','volume')),
  format TEXT NOT NULL CHECK (format IN ('dicom','png','jpeg','nifti')),
  modality TEXT,
  description TEXT,
  status TEXT NOT NULL CHECK (status IN ('imported','queued','processing','completed','failed')),
  rows INTEGER,
  columns INTEGER,
  spacing_x REAL,
  spacing_y REAL,
  spacing_z REAL,
  acquired_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  dim_x INTEGER,
  dim_y INTEGER,
  dim_z INTEGER,
  origin TEXT,
  direction TEXT,
  warnings TEXT NOT NULL DEFAULT '[]'
) STRICT;
INSERT INTO scans_rebuilt (id, patient_id, study_id, series_id, kind, format, modality, description, status,
  rows, columns, spacing_x, spacing_y, spacing_z, acquired_at, created_at, updated_at)
  SELECT id, patient_id, study_id, series_id, kind, format, modality, description, status,
    rows, columns, spacing_x, spacing_y, spacing_z, acquired_at, created_at, updated_at FROM scans;
DROP TABLE scans;
ALTER TABLE scans_rebuilt RENAME TO scans;
CREATE INDEX scans_patient ON scans(patient_id);
CREATE INDEX scans_created ON scans(created_at);
CREATE INDEX scans_status ON scans(status);

ALTER TABLE instances ADD COLUMN sop_class_uid TEXT;
ALTER TABLE instances ADD COLUMN frames INTEGER NOT NULL DEFAULT 1;
ALTER TABLE instances ADD COLUMN image_type TEXT;
-- Per-frame positions of enhanced multi-frame images (JSON array), NULL for single-frame.
ALTER TABLE instances ADD COLUMN frame_positions TEXT;

CREATE TABLE scan_frames (
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  frame_index INTEGER NOT NULL CHECK (frame_index >= 0),
  file_id TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  frame_number INTEGER NOT NULL CHECK (frame_number >= 0),
  PRIMARY KEY (scan_id, frame_index)
) STRICT, WITHOUT ROWID;
CREATE INDEX scan_frames_file ON scan_frames(file_id);
`,
};
