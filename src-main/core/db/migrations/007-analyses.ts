import type { Migration } from './migration.js';

/**
 * One row per analysis of a scan: the models and provider used, the headline figures for lists
 * and dashboards, and the whole result document (detections, metrics, classification, timings)
 * as JSON. Masks and heatmaps are blobs in the content-addressed store.
 */
export const migration007: Migration = {
  version: 7,
  name: 'analyses',
  sql: `
CREATE TABLE analyses (
  id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  job_id TEXT,
  segmentation_model TEXT,
  classification_model TEXT,
  provider TEXT NOT NULL,
  tumor_detected INTEGER NOT NULL CHECK (tumor_detected IN (0,1)),
  detection_count INTEGER NOT NULL CHECK (detection_count >= 0),
  overall_confidence REAL,
  label TEXT,
  result TEXT NOT NULL,
  mask_sha256 TEXT,
  heatmap_sha256 TEXT,
  overlay_sha256 TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX analyses_scan ON analyses(scan_id, created_at);
CREATE INDEX analyses_positive ON analyses(tumor_detected, created_at);
`,
};
