import type { DashboardStats } from '../../../src-shared/contract/dashboard.js';
import type { Db } from '../db/connection.js';
import { monthBounds } from './calendar-month.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A scan's study: its DICOM study, else the scan itself (a picture or NIfTI volume). */
const STUDY_KEY = 'COALESCE(c.study_id, c.id)';

/**
 * The latest analysis of each scan, when it says something about the patient: not an input the
 * model refused, nor one it was forced to read. A re-analysis replaces the verdict.
 */
const APPLICABLE_LATEST = `SELECT c.id AS scan_id, ${STUDY_KEY} AS study_key, c.patient_id,
       a.tumor_detected
  FROM scans c JOIN analyses a ON a.id = (SELECT b.id FROM analyses b WHERE b.scan_id = c.id
                                           ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1)
 WHERE a.applicability IN ('applicable', 'unchecked')`;

interface Totals {
  patients: number;
  studies: number;
  scans: number;
  scans_this_month: number;
  last: string | null;
}

interface Verdicts {
  scans: number;
  studies: number;
  studies_positive: number;
  patients: number;
  patients_positive: number;
}

/**
 * The dashboard's statistics in one read transaction, so the numbers agree with each other.
 * "This month" is by import time (when the work arrived), in the caller's time zone.
 */
export function createDashboardRepo(db: Db) {
  const totals = db.prepare<[string, string], Totals>(
    `SELECT (SELECT COUNT(*) FROM patients) AS patients,
            COUNT(DISTINCT ${STUDY_KEY}) AS studies,
            COUNT(*) AS scans,
            COALESCE(SUM(CASE WHEN c.created_at >= ? AND c.created_at < ? THEN 1 ELSE 0 END), 0)
              AS scans_this_month,
            MAX(c.created_at) AS last
       FROM scans c`,
  );
  // A study is "of this month" when its first series arrived this month.
  const studiesThisMonth = db.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT MIN(c.created_at) AS first FROM scans c GROUP BY ${STUDY_KEY})
      WHERE first >= ? AND first < ?`,
  );
  const verdicts = db.prepare<[], Verdicts>(
    `SELECT COUNT(*) AS scans,
            COUNT(DISTINCT study_key) AS studies,
            COUNT(DISTINCT CASE WHEN tumor_detected = 1 THEN study_key END) AS studies_positive,
            COUNT(DISTINCT patient_id) AS patients,
            COUNT(DISTINCT CASE WHEN tumor_detected = 1 THEN patient_id END) AS patients_positive
       FROM (${APPLICABLE_LATEST})`,
  );
  const read = db.transaction((now: Date, timeZone: string | undefined): DashboardStats => {
    const month = monthBounds(now, timeZone);
    const range: [string, string] = [month.start.toISOString(), month.end.toISOString()];
    const t = totals.get(...range) as Totals;
    const v = verdicts.get() as Verdicts;
    const lastMs = t.last === null ? Number.NaN : Date.parse(t.last);
    return {
      totalPatients: t.patients,
      totalStudies: t.studies,
      totalScans: t.scans,
      studiesThisMonth: studiesThisMonth.get(...range)?.n ?? 0,
      scansThisMonth: t.scans_this_month,
      month: { timeZone: month.timeZone, start: range[0], end: range[1] },
      studiesAnalysed: v.studies,
      studiesWithTumour: v.studies_positive,
      patientsAnalysed: v.patients,
      patientsWithTumour: v.patients_positive,
      tumorsDetected: v.studies_positive,
      tumorPercentage: v.studies === 0 ? 0 : Math.round((v.studies_positive / v.studies) * 100),
      analysedScans: v.scans,
      lastScanDate: Number.isNaN(lastMs) ? null : new Date(lastMs).toISOString(),
      lastScanDaysAgo: Number.isNaN(lastMs)
        ? null
        : Math.max(0, Math.floor((now.getTime() - lastMs) / DAY_MS)),
    };
  });
  return {
    stats(now: Date, timeZone?: string): DashboardStats {
      return read(now, timeZone);
    },
  };
}
export type DashboardRepo = ReturnType<typeof createDashboardRepo>;
