import type { PatientReportStats, Report } from '../../../src-shared/contract/reports.js';
import type { Page } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import { toPage } from '../db/paging.js';

export interface ReportQuery {
  status?: Report['status'];
  patientId?: string;
  versions: 'current' | 'all';
  page: number;
  limit: number;
}

interface ReportRow {
  id: string;
  scan_id: string;
  patient_id: string | null;
  version: number;
  status: 'draft' | 'final';
  findings: string;
  impression: string;
  analysis_id: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  signed_by: string | null;
  signed_at: string | null;
  amends: string | null;
  changes: string | null;
  superseded_by: string | null;
}

const SELECT = `SELECT r.*, s.patient_id AS patient_id,
    (SELECT n.id FROM reports n WHERE n.amends = r.id) AS superseded_by
  FROM reports r JOIN scans s ON s.id = r.scan_id`;

function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    scanId: row.scan_id,
    patientId: row.patient_id,
    version: row.version,
    status: row.status,
    findings: row.findings,
    impression: row.impression,
    analysisId: row.analysis_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    signedBy: row.signed_by,
    signedAt: row.signed_at,
    amends: row.amends,
    changes: row.changes,
    supersededBy: row.superseded_by,
  };
}

export interface NewReport {
  id: string;
  scanId: string;
  version: number;
  findings: string;
  impression: string;
  analysisId: string;
  createdBy: string | null;
  amends: string | null;
  changes: string | null;
}

/** Report versions (table `reports`, migration 011); the patient comes from the scan. */
export function createReportsRepo(db: Db) {
  const byId = db.prepare<[string], ReportRow>(`${SELECT} WHERE r.id = ?`);
  const ofScan = db.prepare<[string], ReportRow>(
    `${SELECT} WHERE r.scan_id = ? ORDER BY r.version DESC`,
  );
  const ofPatient = db.prepare<[string], ReportRow>(
    `${SELECT} WHERE s.patient_id = ? ORDER BY r.created_at DESC, r.version DESC`,
  );
  return {
    get(id: string): Report | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toReport(row);
    },
    /** Every version of a scan's report, newest (highest version) first. */
    listOfScan(scanId: string): Report[] {
      return ofScan.all(scanId).map(toReport);
    },
    listOfPatient(patientId: string): Report[] {
      return ofPatient.all(patientId).map(toReport);
    },
    /** Reports of every patient, newest first; `current`: only versions no amendment replaced. */
    list(q: ReportQuery): Page<Report> {
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (q.versions === 'current')
        clauses.push('NOT EXISTS (SELECT 1 FROM reports n WHERE n.amends = r.id)');
      if (q.status !== undefined) {
        clauses.push('r.status = ?');
        params.push(q.status);
      }
      if (q.patientId !== undefined) {
        clauses.push('s.patient_id = ?');
        params.push(q.patientId);
      }
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
      const total = (
        db
          .prepare(`SELECT COUNT(*) AS n FROM reports r JOIN scans s ON s.id = r.scan_id ${where}`)
          .get(...params) as { n: number }
      ).n;
      const rows = db
        .prepare<unknown[], ReportRow>(
          `${SELECT} ${where} ORDER BY r.created_at DESC, r.version DESC, r.id DESC LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, (q.page - 1) * q.limit);
      return toPage(rows.map(toReport), total, q.page, q.limit);
    },
    insert(r: NewReport, now: string): Report {
      db.prepare(
        `INSERT INTO reports (id, scan_id, version, status, findings, impression, analysis_id,
           created_by, created_at, updated_at, amends, changes)
         VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        r.id,
        r.scanId,
        r.version,
        r.findings,
        r.impression,
        r.analysisId,
        r.createdBy,
        now,
        now,
        r.amends,
        r.changes,
      );
      return this.get(r.id) as Report;
    },
    /** Changes a draft's texts and analysis; the trigger refuses it for a final row. */
    updateDraft(
      id: string,
      fields: { findings: string; impression: string; analysisId: string },
      now: string,
    ): void {
      db.prepare(
        'UPDATE reports SET findings = ?, impression = ?, analysis_id = ?, updated_at = ? WHERE id = ?',
      ).run(fields.findings, fields.impression, fields.analysisId, now, id);
    },
    sign(id: string, signedBy: string | null, now: string): void {
      db.prepare(
        "UPDATE reports SET status = 'final', signed_by = ?, signed_at = ?, updated_at = ? WHERE id = ?",
      ).run(signedBy, now, now, id);
    },
    /** Deletes every version of a scan's report. */
    removeOfScan(scanId: string): number {
      // Newest first: each amendment goes before the version it amends.
      const ids = ofScan.all(scanId).map((row) => row.id);
      const remove = db.prepare('DELETE FROM reports WHERE id = ?');
      for (const id of ids) remove.run(id);
      return ids.length;
    },
    /** The seed's per-patient statistics: scans by their latest analysis, and report counts. */
    patientStats(patientId: string): PatientReportStats | undefined {
      if (db.prepare('SELECT 1 FROM patients WHERE id = ?').get(patientId) === undefined)
        return undefined;
      const scans = db
        .prepare<[string], { scans: number; with_tumour: number; without_tumour: number }>(
          `SELECT COUNT(*) AS scans,
                  COALESCE(SUM(CASE WHEN a.tumor_detected = 1 THEN 1 ELSE 0 END), 0) AS with_tumour,
                  COALESCE(SUM(CASE WHEN a.tumor_detected = 0 THEN 1 ELSE 0 END), 0) AS without_tumour
             FROM scans s
             LEFT JOIN analyses a
               ON a.id = (SELECT c.id FROM analyses c WHERE c.scan_id = s.id
                           ORDER BY c.created_at DESC, c.rowid DESC LIMIT 1)
              AND a.applicability IN ('applicable', 'unchecked')
            WHERE s.patient_id = ?`,
        )
        .get(patientId) ?? { scans: 0, with_tumour: 0, without_tumour: 0 };
      const reports = db
        .prepare<[string], { reports: number; signed: number }>(
          `SELECT COUNT(*) AS reports,
                  COALESCE(SUM(CASE WHEN r.status = 'final' THEN 1 ELSE 0 END), 0) AS signed
             FROM reports r JOIN scans s ON s.id = r.scan_id WHERE s.patient_id = ?`,
        )
        .get(patientId) ?? { reports: 0, signed: 0 };
      return {
        patientId,
        scans: scans.scans,
        withTumour: scans.with_tumour,
        withoutTumour: scans.without_tumour,
        notAssessed: scans.scans - scans.with_tumour - scans.without_tumour,
        reports: reports.reports,
        signedReports: reports.signed,
      };
    },
  };
}
export type ReportsRepo = ReturnType<typeof createReportsRepo>;
