import type { Db } from '../db/connection.js';

/** An outbox entry as the planner reads it. */
export interface OutboxChange {
  id: number;
  entity: string;
  entityId: string;
  op: string;
  payload: string;
}

export interface OriginalSource {
  fileId: string;
  sha256: string;
  sopInstanceUid: string;
  patientId: string | null;
  orderKey: string;
  label: string;
}

export interface AnalysisSource {
  analysisId: string;
  scanId: string;
  hasMask: boolean;
  patientId: string | null;
  orderKey: string;
  label: string;
}

export interface ReportSource {
  reportId: string;
  scanId: string;
  analysisId: string;
  status: string;
  version: number;
  orderKey: string;
  label: string;
}

/**
 * What the sync reads of the clinical tables (read only): the outbox after a cursor, and the
 * records an entry names as they are now. The order key is the study (else the scan): the
 * unit whose images must reach the PACS before the objects that refer to them.
 */
export function createSyncSources(db: Db) {
  return {
    outboxAfter(cursor: number, limit: number): OutboxChange[] {
      return db
        .prepare<[number, number], OutboxChange>(
          `SELECT id, entity, entity_id AS entityId, op, payload FROM outbox
           WHERE id > ? ORDER BY id LIMIT ?`,
        )
        .all(cursor, limit);
    },
    original(fileId: string): OriginalSource | undefined {
      return db
        .prepare<[string], OriginalSource>(
          `SELECT f.id AS fileId, f.sha256, i.sop_instance_uid AS sopInstanceUid,
             s.patient_id AS patientId,
             COALESCE(s.study_id, s.id, f.id) AS orderKey,
             'Image ' || COALESCE(i.instance_number, '?') || ' of ' ||
               COALESCE(s.description, s.modality, 'scan') AS label
           FROM files f JOIN instances i ON i.file_id = f.id
           LEFT JOIN scans s ON s.id = f.scan_id
           WHERE f.id = ? AND f.mime_type = 'application/dicom'`,
        )
        .get(fileId);
    },
    analysis(analysisId: string): AnalysisSource | undefined {
      const row = db
        .prepare<[string], Omit<AnalysisSource, 'hasMask'> & { mask: string | null }>(
          `SELECT a.id AS analysisId, a.scan_id AS scanId, a.mask_sha256 AS mask,
             s.patient_id AS patientId, COALESCE(s.study_id, s.id) AS orderKey,
             'Segmentation (' || COALESCE(a.segmentation_model, 'model') || ') of ' ||
               COALESCE(s.description, s.modality, 'scan') AS label
           FROM analyses a JOIN scans s ON s.id = a.scan_id
           WHERE a.id = ? AND s.format = 'dicom'`,
        )
        .get(analysisId);
      if (row === undefined) return undefined;
      const { mask, ...rest } = row;
      return { ...rest, hasMask: mask !== null };
    },
    report(reportId: string): ReportSource | undefined {
      return db
        .prepare<[string], ReportSource>(
          `SELECT r.id AS reportId, r.scan_id AS scanId, r.analysis_id AS analysisId,
             r.status, r.version, COALESCE(s.study_id, s.id) AS orderKey,
             'Report version ' || r.version || ' of ' ||
               COALESCE(s.description, s.modality, 'scan') AS label
           FROM reports r JOIN scans s ON s.id = r.scan_id
           WHERE r.id = ? AND s.format = 'dicom'`,
        )
        .get(reportId);
    },
    /** The latest `sent_at` of a destination, for "last success" across restarts. */
    lastSentAt(destinationId: string): string | null {
      return (
        db
          .prepare<[string], { at: string | null }>(
            "SELECT MAX(sent_at) AS at FROM sync_items WHERE destination_id = ? AND state = 'sent'",
          )
          .get(destinationId)?.at ?? null
      );
    },
  };
}
export type SyncSources = ReturnType<typeof createSyncSources>;
