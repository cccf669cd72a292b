import type { Db } from '../db/connection.js';

/** What the DICOM node asks of the store about studies (by their DICOM UIDs). */
export function createDicomNodeRepo(db: Db) {
  const scansOfStudy = db.prepare<[string], { id: string }>(
    `SELECT scans.id FROM scans JOIN studies ON studies.id = scans.study_id
     WHERE studies.study_instance_uid = ? ORDER BY scans.created_at`,
  );
  const storedStudies = db.prepare<[string], { uid: string }>(
    `SELECT study_instance_uid AS uid FROM studies
     WHERE study_instance_uid IN (SELECT value FROM json_each(?))`,
  );
  const storedSeries = db.prepare<[string], { uid: string }>(
    `SELECT series.series_instance_uid AS uid FROM series JOIN scans ON scans.series_id = series.id
     WHERE series.series_instance_uid IN (SELECT value FROM json_each(?))`,
  );
  return {
    /** Which of these Series Instance UIDs are stored here (as scans). */
    storedSeriesUids(uids: readonly string[]): Set<string> {
      return new Set(storedSeries.all(JSON.stringify(uids)).map((row) => row.uid));
    },
    scanIdsOfStudy(studyInstanceUid: string): string[] {
      return scansOfStudy.all(studyInstanceUid).map((row) => row.id);
    },
    /** Which of these Study Instance UIDs are stored here. */
    storedStudyUids(uids: readonly string[]): Set<string> {
      return new Set(storedStudies.all(JSON.stringify(uids)).map((row) => row.uid));
    },
  };
}
export type DicomNodeRepo = ReturnType<typeof createDicomNodeRepo>;
