import type { Db } from '../db/connection.js';

/** One stored DICOM instance to export, with the series and scan it belongs to. */
export interface DeidSourceFile {
  scanId: string;
  patientId: string | null;
  seriesNumber: number | null;
  seriesInstanceUid: string | null;
  sopInstanceUid: string;
  sha256: string;
}

/** The stored instances of a scan or of every scan of a study, in series then instance order. */
export function createDeidSourceRepo(db: Db) {
  const select = (where: string) =>
    db.prepare<
      [string],
      {
        scan_id: string;
        patient_id: string | null;
        series_number: number | null;
        series_instance_uid: string | null;
        sop_instance_uid: string;
        sha256: string;
      }
    >(
      `SELECT c.id AS scan_id, c.patient_id, se.series_number, se.series_instance_uid,
         i.sop_instance_uid, x.sha256
       FROM scans c
       JOIN series se ON se.id = c.series_id
       JOIN instances i ON i.series_id = c.series_id
       JOIN files x ON x.id = i.file_id
       WHERE ${where}
       ORDER BY se.series_number, se.id, i.instance_number, i.sop_instance_uid`,
    );
  const ofScan = select('c.id = ?');
  const ofStudy = select('c.study_id = ?');
  const scanRow = db.prepare<[string], { format: string; study_id: string | null }>(
    'SELECT format, study_id FROM scans WHERE id = ?',
  );
  const studyRow = db.prepare<[string], { id: string }>('SELECT id FROM studies WHERE id = ?');
  const studyScans = db.prepare<[string], { id: string; format: string }>(
    'SELECT id, format FROM scans WHERE study_id = ? ORDER BY created_at, id',
  );
  const map = (r: ReturnType<typeof ofScan.all>[number]): DeidSourceFile => ({
    scanId: r.scan_id,
    patientId: r.patient_id,
    seriesNumber: r.series_number,
    seriesInstanceUid: r.series_instance_uid,
    sopInstanceUid: r.sop_instance_uid,
    sha256: r.sha256,
  });
  return {
    scan(scanId: string): { format: string; studyId: string | null } | undefined {
      const row = scanRow.get(scanId);
      return row === undefined ? undefined : { format: row.format, studyId: row.study_id };
    },
    studyExists(studyId: string): boolean {
      return studyRow.get(studyId) !== undefined;
    },
    scansOfStudy(studyId: string): Array<{ id: string; format: string }> {
      return studyScans.all(studyId);
    },
    filesOfScan(scanId: string): DeidSourceFile[] {
      return ofScan.all(scanId).map(map);
    },
    filesOfStudy(studyId: string): DeidSourceFile[] {
      return ofStudy.all(studyId).map(map);
    },
  };
}
export type DeidSourceRepo = ReturnType<typeof createDeidSourceRepo>;
