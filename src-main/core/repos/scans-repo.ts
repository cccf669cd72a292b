import type { Page, Scan } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import { likePattern, toPage } from './paging.js';

interface ScanRow {
  id: string;
  patient_id: string | null;
  patient_name: string | null;
  patient_mrn: string | null;
  study_id: string | null;
  series_id: string | null;
  kind: 'image' | 'series';
  format: 'dicom' | 'png' | 'jpeg';
  modality: string | null;
  description: string | null;
  status: Scan['status'];
  rows: number | null;
  columns: number | null;
  spacing_x: number | null;
  spacing_y: number | null;
  spacing_z: number | null;
  acquired_at: string | null;
  created_at: string;
  slices: number;
}

const SELECT = `SELECT c.*, p.name AS patient_name, p.mrn AS patient_mrn,
  CASE WHEN c.series_id IS NULL THEN 1 ELSE (SELECT COUNT(*) FROM instances i WHERE i.series_id = c.series_id) END AS slices
  FROM scans c LEFT JOIN patients p ON p.id = c.patient_id`;

function toScan(r: ScanRow): Scan {
  const spacing: Scan['spacing'] =
    r.spacing_x !== null && r.spacing_y !== null ? [r.spacing_x, r.spacing_y, r.spacing_z] : null;
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: r.patient_name,
    patientMrn: r.patient_mrn,
    studyId: r.study_id,
    seriesId: r.series_id,
    kind: r.kind,
    format: r.format,
    modality: r.modality,
    description: r.description,
    status: r.status,
    rows: r.rows,
    columns: r.columns,
    slices: r.slices,
    spacing,
    acquiredAt: r.acquired_at,
    createdAt: r.created_at,
  };
}

export interface NewScan {
  id: string;
  patientId: string | null;
  studyId: string | null;
  seriesId: string | null;
  kind: 'image' | 'series';
  format: 'dicom' | 'png' | 'jpeg';
  modality: string | null;
  description: string | null;
  rows: number | null;
  columns: number | null;
  spacing: readonly [number, number, number | null] | null;
  acquiredAt: string | null;
}

export interface ScanQuery {
  status?: Scan['status'];
  patientId?: string;
  search?: string;
  from?: string;
  to?: string;
  sort: 'createdAt' | 'acquiredAt' | 'patientName' | 'modality';
  order: 'asc' | 'desc';
  page: number;
  limit: number;
}

const SORT_COLUMNS: Record<ScanQuery['sort'], string> = {
  createdAt: 'c.created_at',
  acquiredAt: 'c.acquired_at',
  patientName: 'p.name COLLATE NOCASE',
  modality: 'c.modality',
};

export function createScansRepo(db: Db) {
  const byId = db.prepare<[string], ScanRow>(`${SELECT} WHERE c.id = ?`);
  return {
    insert(s: NewScan, now: string): Scan {
      db.prepare(
        `INSERT INTO scans (id, patient_id, study_id, series_id, kind, format, modality, description, status,
           rows, columns, spacing_x, spacing_y, spacing_z, acquired_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'imported', ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        s.id,
        s.patientId,
        s.studyId,
        s.seriesId,
        s.kind,
        s.format,
        s.modality,
        s.description,
        s.rows,
        s.columns,
        s.spacing?.[0] ?? null,
        s.spacing?.[1] ?? null,
        s.spacing?.[2] ?? null,
        s.acquiredAt,
        now,
        now,
      );
      return toScan(byId.get(s.id) as ScanRow);
    },
    get(id: string): Scan | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toScan(row);
    },
    findBySeries(seriesId: string): Scan | undefined {
      const row = db.prepare<[string], ScanRow>(`${SELECT} WHERE c.series_id = ?`).get(seriesId);
      return row === undefined ? undefined : toScan(row);
    },
    list(q: ScanQuery): Page<Scan> {
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (q.status !== undefined) {
        clauses.push('c.status = ?');
        params.push(q.status);
      }
      if (q.patientId !== undefined) {
        clauses.push('c.patient_id = ?');
        params.push(q.patientId);
      }
      if (q.search !== undefined && q.search.trim() !== '') {
        const pattern = likePattern(q.search.trim());
        clauses.push(
          `(p.name LIKE ? ESCAPE '\\' OR p.mrn LIKE ? ESCAPE '\\' OR c.description LIKE ? ESCAPE '\\')`,
        );
        params.push(pattern, pattern, pattern);
      }
      // The date range applies to the acquisition date where known, else to the import date.
      if (q.from !== undefined) {
        clauses.push('COALESCE(c.acquired_at, substr(c.created_at, 1, 10)) >= ?');
        params.push(q.from);
      }
      if (q.to !== undefined) {
        clauses.push('COALESCE(c.acquired_at, substr(c.created_at, 1, 10)) <= ?');
        params.push(q.to);
      }
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
      const total = (
        db
          .prepare(
            `SELECT COUNT(*) AS n FROM scans c LEFT JOIN patients p ON p.id = c.patient_id ${where}`,
          )
          .get(...params) as {
          n: number;
        }
      ).n;
      const order = q.order === 'asc' ? 'ASC' : 'DESC';
      const rows = db
        .prepare<unknown[], ScanRow>(
          `${SELECT} ${where} ORDER BY ${SORT_COLUMNS[q.sort]} ${order} NULLS LAST, c.id ${order} LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, (q.page - 1) * q.limit);
      return toPage(rows.map(toScan), total, q.page, q.limit);
    },
    setStatus(id: string, status: Scan['status'], now: string): void {
      db.prepare('UPDATE scans SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
    },
    setSliceSpacing(id: string, spacingZ: number, now: string): void {
      db.prepare('UPDATE scans SET spacing_z = ?, updated_at = ? WHERE id = ?').run(
        spacingZ,
        now,
        id,
      );
    },
    remove(id: string): boolean {
      return db.prepare('DELETE FROM scans WHERE id = ?').run(id).changes > 0;
    },
    fileHashesOf(id: string): string[] {
      return db
        .prepare<[string], { sha256: string }>('SELECT sha256 FROM files WHERE scan_id = ?')
        .all(id)
        .map((r) => r.sha256);
    },
  };
}
export type ScansRepo = ReturnType<typeof createScansRepo>;
