import type { Vector3 } from '../../../../src-shared/geometry/vector.js';
import type { Db } from '../../db/connection.js';

/** One frame of a DICOM series scan, in the scan's slice order, and the instance it came from. */
export interface SourceFrameRow {
  frameIndex: number;
  sopInstanceUid: string;
  /** Null for rows imported before the SOP class was stored. */
  sopClassUid: string | null;
  /** 0-based frame within its instance. */
  frameNumber: number;
  /** Frames in that instance (more than 1: a multi-frame instance). */
  framesInInstance: number;
  /** Image Position (Patient) of this frame, when the header gave one. */
  position: Vector3 | null;
  /** The stored file (blob hash) of the instance. */
  sha256: string;
}

/**
 * Reads which stored instance each frame of a scan is (scan_frames joined to instances): what a
 * DICOM SEG or a secondary capture must reference. Empty for scans that are not DICOM series.
 */
export function createDicomSourceRepo(db: Db) {
  return {
    framesOfScan(scanId: string): SourceFrameRow[] {
      return db
        .prepare<
          [string],
          {
            frame_index: number;
            frame_number: number;
            sop_instance_uid: string;
            sop_class_uid: string | null;
            frames: number;
            image_position: string | null;
            frame_positions: string | null;
            sha256: string;
          }
        >(
          `SELECT f.frame_index, f.frame_number, i.sop_instance_uid, i.sop_class_uid, i.frames,
             i.image_position, i.frame_positions, x.sha256
           FROM scan_frames f JOIN instances i ON i.file_id = f.file_id JOIN files x ON x.id = f.file_id
           WHERE f.scan_id = ? ORDER BY f.frame_index`,
        )
        .all(scanId)
        .map((r) => {
          const framePositions =
            r.frame_positions === null
              ? null
              : (JSON.parse(r.frame_positions) as Array<Vector3 | null>);
          const position =
            r.frames > 1
              ? (framePositions?.[r.frame_number] ?? null)
              : r.image_position === null
                ? null
                : (JSON.parse(r.image_position) as Vector3);
          return {
            frameIndex: r.frame_index,
            sopInstanceUid: r.sop_instance_uid,
            sopClassUid: r.sop_class_uid,
            frameNumber: r.frame_number,
            framesInInstance: r.frames,
            position,
            sha256: r.sha256,
          };
        });
    },
  };
}
export type DicomSourceRepo = ReturnType<typeof createDicomSourceRepo>;
