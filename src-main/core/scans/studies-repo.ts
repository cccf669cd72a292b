import type { Instance, Series, Study } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import type {
  Orientation6,
  Vector3,
  ReadonlyVector3,
} from '../../../src-shared/geometry/vector.js';

interface StudyRow {
  id: string;
  patient_id: string | null;
  study_instance_uid: string | null;
  study_date: string | null;
  description: string | null;
  accession_number: string | null;
  created_at: string;
}
interface SeriesRow {
  id: string;
  study_id: string;
  series_instance_uid: string | null;
  series_number: number | null;
  modality: string | null;
  description: string | null;
  instance_count: number;
}
interface InstanceRow {
  id: string;
  series_id: string;
  sop_instance_uid: string;
  instance_number: number | null;
  rows: number | null;
  columns: number | null;
  transfer_syntax_uid: string | null;
  file_id: string;
}

const toStudy = (r: StudyRow): Study => ({
  id: r.id,
  patientId: r.patient_id,
  studyInstanceUid: r.study_instance_uid,
  studyDate: r.study_date,
  description: r.description,
  accessionNumber: r.accession_number,
  createdAt: r.created_at,
});
const toSeries = (r: SeriesRow): Series => ({
  id: r.id,
  studyId: r.study_id,
  seriesInstanceUid: r.series_instance_uid,
  seriesNumber: r.series_number,
  modality: r.modality,
  description: r.description,
  instanceCount: r.instance_count,
});
const toInstance = (r: InstanceRow): Instance => ({
  id: r.id,
  seriesId: r.series_id,
  sopInstanceUid: r.sop_instance_uid,
  instanceNumber: r.instance_number,
  rows: r.rows,
  columns: r.columns,
  transferSyntaxUid: r.transfer_syntax_uid,
  fileId: r.file_id,
});

const SERIES_SELECT = `SELECT s.*, (SELECT COUNT(*) FROM instances i WHERE i.series_id = s.id) AS instance_count FROM series s`;

export interface NewStudy {
  id: string;
  patientId: string | null;
  studyInstanceUid: string | null;
  studyDate: string | null;
  description: string | null;
  accessionNumber: string | null;
}
export interface NewSeries {
  id: string;
  studyId: string;
  seriesInstanceUid: string | null;
  seriesNumber: number | null;
  modality: string | null;
  description: string | null;
}
export interface NewInstance {
  id: string;
  seriesId: string;
  sopInstanceUid: string;
  instanceNumber: number | null;
  rows: number | null;
  columns: number | null;
  transferSyntaxUid: string | null;
  imagePosition: readonly number[] | null;
  imageOrientation: readonly number[] | null;
  fileId: string;
  sopClassUid?: string | null;
  frames?: number;
  imageType?: readonly string[] | null;
  /** Per-frame positions of an enhanced multi-frame image. */
  framePositions?: ReadonlyArray<ReadonlyVector3 | null> | null;
}

/** What volume assembly needs to know about one instance of a series. */
export interface InstanceGeometryRow {
  fileId: string;
  sopInstanceUid: string;
  instanceNumber: number | null;
  rows: number | null;
  columns: number | null;
  frames: number;
  imageType: string[];
  position: Vector3 | null;
  orientation: Orientation6 | null;
  framePositions: Array<Vector3 | null> | null;
}

export function createStudiesRepo(db: Db) {
  return {
    insertStudy(s: NewStudy, now: string): Study {
      db.prepare(
        `INSERT INTO studies (id, patient_id, study_instance_uid, study_date, description, accession_number, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        s.id,
        s.patientId,
        s.studyInstanceUid,
        s.studyDate,
        s.description,
        s.accessionNumber,
        now,
      );
      return this.getStudy(s.id) as Study;
    },
    getStudy(id: string): Study | undefined {
      const row = db.prepare<[string], StudyRow>('SELECT * FROM studies WHERE id = ?').get(id);
      return row === undefined ? undefined : toStudy(row);
    },
    findStudyByUid(uid: string): Study | undefined {
      const row = db
        .prepare<[string], StudyRow>('SELECT * FROM studies WHERE study_instance_uid = ?')
        .get(uid);
      return row === undefined ? undefined : toStudy(row);
    },
    listStudiesOfPatient(patientId: string): Study[] {
      return db
        .prepare<[string], StudyRow>(
          'SELECT * FROM studies WHERE patient_id = ? ORDER BY study_date DESC, created_at DESC',
        )
        .all(patientId)
        .map(toStudy);
    },
    insertSeries(s: NewSeries, now: string): Series {
      db.prepare(
        `INSERT INTO series (id, study_id, series_instance_uid, series_number, modality, description, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.id, s.studyId, s.seriesInstanceUid, s.seriesNumber, s.modality, s.description, now);
      return this.getSeries(s.id) as Series;
    },
    getSeries(id: string): Series | undefined {
      const row = db.prepare<[string], SeriesRow>(`${SERIES_SELECT} WHERE s.id = ?`).get(id);
      return row === undefined ? undefined : toSeries(row);
    },
    findSeriesByUid(uid: string): Series | undefined {
      const row = db
        .prepare<[string], SeriesRow>(`${SERIES_SELECT} WHERE s.series_instance_uid = ?`)
        .get(uid);
      return row === undefined ? undefined : toSeries(row);
    },
    insertInstance(i: NewInstance): void {
      db.prepare(
        `INSERT INTO instances (id, series_id, sop_instance_uid, instance_number, rows, columns, transfer_syntax_uid,
           image_position, image_orientation, file_id, sop_class_uid, frames, image_type, frame_positions)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        i.id,
        i.seriesId,
        i.sopInstanceUid,
        i.instanceNumber,
        i.rows,
        i.columns,
        i.transferSyntaxUid,
        i.imagePosition === null ? null : JSON.stringify(i.imagePosition),
        i.imageOrientation === null ? null : JSON.stringify(i.imageOrientation),
        i.fileId,
        i.sopClassUid ?? null,
        i.frames ?? 1,
        i.imageType === undefined || i.imageType === null ? null : i.imageType.join('\\'),
        i.framePositions === undefined || i.framePositions === null
          ? null
          : JSON.stringify(i.framePositions),
      );
    },
    /** Every instance of a series with its geometry, for volume assembly. */
    listInstanceGeometryRows(seriesId: string): InstanceGeometryRow[] {
      return db
        .prepare<
          [string],
          {
            file_id: string;
            sop_instance_uid: string;
            instance_number: number | null;
            rows: number | null;
            columns: number | null;
            frames: number;
            image_type: string | null;
            image_position: string | null;
            image_orientation: string | null;
            frame_positions: string | null;
          }
        >(
          `SELECT file_id, sop_instance_uid, instance_number, rows, columns, frames, image_type,
             image_position, image_orientation, frame_positions
           FROM instances WHERE series_id = ? ORDER BY instance_number, sop_instance_uid`,
        )
        .all(seriesId)
        .map((r) => ({
          fileId: r.file_id,
          sopInstanceUid: r.sop_instance_uid,
          instanceNumber: r.instance_number,
          rows: r.rows,
          columns: r.columns,
          frames: r.frames,
          imageType: r.image_type === null ? [] : r.image_type.split('\\'),
          position: r.image_position === null ? null : (JSON.parse(r.image_position) as Vector3),
          orientation:
            r.image_orientation === null
              ? null
              : (JSON.parse(r.image_orientation) as [
                  number,
                  number,
                  number,
                  number,
                  number,
                  number,
                ]),
          framePositions:
            r.frame_positions === null
              ? null
              : (JSON.parse(r.frame_positions) as Array<Vector3 | null>),
        }));
    },
    removeSeries(id: string): void {
      db.prepare('DELETE FROM series WHERE id = ?').run(id);
    },
    /**
     * The scan holding a DICOM object (an image, or a SEG recorded as a segmentation), so a
     * re-encoded copy of it can point the user there.
     */
    scanIdOfInstance(sopInstanceUid: string): string | undefined {
      return db
        .prepare<[string, string], { id: string }>(
          `SELECT c.id FROM instances i JOIN scans c ON c.series_id = i.series_id WHERE i.sop_instance_uid = ?
           UNION ALL SELECT scan_id FROM segmentations WHERE sop_instance_uid = ? LIMIT 1`,
        )
        .get(sopInstanceUid, sopInstanceUid)?.id;
    },
    /** Whether a DICOM object with this UID is stored: an image instance or a DICOM SEG. */
    hasInstance(sopInstanceUid: string): boolean {
      return (
        db
          .prepare(
            `SELECT 1 FROM instances WHERE sop_instance_uid = ?
             UNION ALL SELECT 1 FROM segmentations WHERE sop_instance_uid = ? LIMIT 1`,
          )
          .get(sopInstanceUid, sopInstanceUid) !== undefined
      );
    },
    listInstances(seriesId: string): Instance[] {
      return db
        .prepare<[string], InstanceRow>(
          'SELECT * FROM instances WHERE series_id = ? ORDER BY instance_number, sop_instance_uid',
        )
        .all(seriesId)
        .map(toInstance);
    },
  };
}
export type StudiesRepo = ReturnType<typeof createStudiesRepo>;
