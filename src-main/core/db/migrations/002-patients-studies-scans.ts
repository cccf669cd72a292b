import type { Migration } from './migration.js';

export const migration002: Migration = {
  version: 2,
  name: 'patients-studies-scans-files',
  sql: `
CREATE TABLE patients (
  id TEXT PRIMARY KEY,
  mrn TEXT,
  name TEXT NOT NULL,
  birth_date TEXT,
  sex TEXT CHECK (sex IN ('M','F','O')),
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX patients_mrn ON patients(mrn) WHERE mrn IS NOT NULL;
CREATE INDEX patients_name ON patients(name COLLATE NOCASE);

CREATE TABLE studies (
  id TEXT PRIMARY KEY,
  patient_id TEXT REFERENCES patients(id) ON DELETE CASCADE,
  study_instance_uid TEXT UNIQUE,
  study_date TEXT,
  description TEXT,
  accession_number TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX studies_patient ON studies(patient_id);

CREATE TABLE series (
  id TEXT PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  series_instance_uid TEXT UNIQUE,
  series_number INTEGER,
  modality TEXT,
  description TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX series_study ON series(study_id);

CREATE TABLE scans (
  id TEXT PRIMARY KEY,
  patient_id TEXT REFERENCES patients(id) ON DELETE CASCADE,
  study_id TEXT REFERENCES studies(id) ON DELETE CASCADE,
  series_id TEXT UNIQUE REFERENCES series(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('image','series')),
  format TEXT NOT NULL CHECK (format IN ('dicom','png','jpeg')),
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
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX scans_patient ON scans(patient_id);
CREATE INDEX scans_created ON scans(created_at);
CREATE INDEX scans_status ON scans(status);

CREATE TABLE files (
  id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  mime_type TEXT NOT NULL,
  original_path TEXT,
  scan_id TEXT REFERENCES scans(id) ON DELETE CASCADE,
  import_job_id TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX files_scan ON files(scan_id);

CREATE TABLE instances (
  id TEXT PRIMARY KEY,
  series_id TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  sop_instance_uid TEXT NOT NULL UNIQUE,
  instance_number INTEGER,
  rows INTEGER,
  columns INTEGER,
  transfer_syntax_uid TEXT,
  image_position TEXT,
  image_orientation TEXT,
  file_id TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX instances_series ON instances(series_id);
`,
};
