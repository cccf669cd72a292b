import type { Attachment, Segmentation } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';

interface SegmentationRow {
  id: string;
  scan_id: string;
  file_id: string;
  labels: string;
  source: string;
  created_at: string;
}
interface AttachmentRow {
  id: string;
  scan_id: string;
  file_id: string;
  kind: 'mesh';
  triangle_count: number;
  bounding_box: string;
  description: string | null;
  created_at: string;
}

/** Label maps (segmentations) and meshes (attachments) that belong to a scan. */
export function createDerivedRepo(db: Db) {
  return {
    /** `sopInstanceUid`: a DICOM SEG's own UID (its copies in other encodings are duplicates). */
    insertSegmentation(
      s: Omit<Segmentation, 'createdAt'>,
      now: string,
      sopInstanceUid: string | null = null,
    ): void {
      db.prepare(
        'INSERT INTO segmentations (id, scan_id, file_id, labels, source, created_at, sop_instance_uid) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(s.id, s.scanId, s.fileId, JSON.stringify(s.labels), s.source, now, sopInstanceUid);
    },
    listSegmentations(scanId: string): Segmentation[] {
      return db
        .prepare<[string], SegmentationRow>(
          'SELECT * FROM segmentations WHERE scan_id = ? ORDER BY created_at, id',
        )
        .all(scanId)
        .map((r) => ({
          id: r.id,
          scanId: r.scan_id,
          fileId: r.file_id,
          labels: JSON.parse(r.labels) as number[],
          source: r.source,
          createdAt: r.created_at,
        }));
    },
    insertAttachment(a: Omit<Attachment, 'createdAt'>, now: string): void {
      db.prepare(
        `INSERT INTO attachments (id, scan_id, file_id, kind, triangle_count, bounding_box, description, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        a.id,
        a.scanId,
        a.fileId,
        a.kind,
        a.triangleCount,
        JSON.stringify(a.boundingBox),
        a.description,
        now,
      );
    },
    listAttachments(scanId: string): Attachment[] {
      return db
        .prepare<[string], AttachmentRow>(
          'SELECT * FROM attachments WHERE scan_id = ? ORDER BY created_at, id',
        )
        .all(scanId)
        .map((r) => ({
          id: r.id,
          scanId: r.scan_id,
          fileId: r.file_id,
          kind: r.kind,
          triangleCount: r.triangle_count,
          boundingBox: JSON.parse(r.bounding_box) as [Vector3, Vector3],
          description: r.description,
          createdAt: r.created_at,
        }));
    },
    /** The scan's own image file: not one of its segmentations or attachments. */
    primaryFileOf(scanId: string): { id: string; sha256: string; mimeType: string } | undefined {
      return db
        .prepare<[string], { id: string; sha256: string; mime_type: string }>(
          `SELECT f.id, f.sha256, f.mime_type FROM files f WHERE f.scan_id = ?
             AND NOT EXISTS (SELECT 1 FROM segmentations s WHERE s.file_id = f.id)
             AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.file_id = f.id)
           ORDER BY f.created_at, f.id LIMIT 1`,
        )
        .all(scanId)
        .map((r) => ({ id: r.id, sha256: r.sha256, mimeType: r.mime_type }))[0];
    },
  };
}
export type DerivedRepo = ReturnType<typeof createDerivedRepo>;
