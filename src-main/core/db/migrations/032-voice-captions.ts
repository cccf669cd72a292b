import type { Migration } from './migration.js';

/**
 * Voice captions of dental cases (issue 19): a WebM/Opus recording stored in the blob store,
 * the job that transcribes it, the model's raw transcript and the vocabulary-corrected one (both
 * kept), and the text caption the transcript became, whose edits keep their history as every
 * text caption's do.
 */
export const migration032: Migration = {
  version: 32,
  name: 'voice-captions',
  sql: `
CREATE TABLE dental_voice_captions (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES dental_cases(id) ON DELETE CASCADE,
  modality TEXT NOT NULL CHECK (modality IN ('upper','lower','cbct','case')),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  seconds REAL,
  job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
  raw_transcript TEXT,
  transcript TEXT,
  corrections TEXT NOT NULL DEFAULT '[]',
  vocabulary_version TEXT,
  model TEXT,
  caption_id TEXT REFERENCES dental_captions(id) ON DELETE SET NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX dental_voice_captions_case ON dental_voice_captions(case_id, created_at);
`,
};
