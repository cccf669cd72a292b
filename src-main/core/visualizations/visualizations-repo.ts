import type { VisualizationOptions } from '../../../src-shared/contract/visualizations.js';
import type { MeshQuality } from '../../../src-shared/mesh/mask-surface.js';
import type { Db } from '../db/connection.js';

/** A visualization as stored: the job fills blob, size and lesion count when it is done. */
export interface VisualizationRecord {
  readonly id: string;
  readonly scanId: string;
  readonly jobId: string | null;
  readonly quality: MeshQuality;
  readonly options: VisualizationOptions;
  readonly blobSha256: string | null;
  readonly size: number | null;
  readonly lesionCount: number | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

interface Row {
  id: string;
  scan_id: string;
  job_id: string | null;
  quality: MeshQuality;
  options: string;
  blob_sha256: string | null;
  size: number | null;
  lesion_count: number | null;
  created_by: string | null;
  created_at: string;
}

function toRecord(row: Row): VisualizationRecord {
  return {
    id: row.id,
    scanId: row.scan_id,
    jobId: row.job_id,
    quality: row.quality,
    options: JSON.parse(row.options) as VisualizationOptions,
    blobSha256: row.blob_sha256,
    size: row.size,
    lesionCount: row.lesion_count,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** All SQL of the visualizations table (migration 017). */
export function createVisualizationsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO visualizations (id, scan_id, job_id, quality, options, created_by, created_at)
     VALUES (@id, @scanId, @jobId, @quality, @options, @createdBy, @createdAt)`,
  );
  const byId = db.prepare<[string], Row>('SELECT * FROM visualizations WHERE id = ?');
  const byScan = db.prepare<[string], Row>(
    'SELECT * FROM visualizations WHERE scan_id = ? ORDER BY created_at DESC, rowid DESC',
  );
  const setJob = db.prepare<[string, string]>('UPDATE visualizations SET job_id = ? WHERE id = ?');
  const store = db.prepare<[string, number, number, string]>(
    'UPDATE visualizations SET blob_sha256 = ?, size = ?, lesion_count = ? WHERE id = ?',
  );
  return {
    insert(record: Omit<VisualizationRecord, 'blobSha256' | 'size' | 'lesionCount'>): void {
      insert.run({ ...record, options: JSON.stringify(record.options) });
    },
    setJob(id: string, jobId: string): void {
      setJob.run(jobId, id);
    },
    get(id: string): VisualizationRecord | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toRecord(row);
    },
    listForScan(scanId: string): VisualizationRecord[] {
      return byScan.all(scanId).map(toRecord);
    },
    /** Records the stored HTML file; false when the row is gone (its scan was deleted meanwhile). */
    stored(id: string, blob: { sha256: string; size: number }, lesionCount: number): boolean {
      return store.run(blob.sha256, blob.size, lesionCount, id).changes === 1;
    },
  };
}
export type VisualizationsRepo = ReturnType<typeof createVisualizationsRepo>;
