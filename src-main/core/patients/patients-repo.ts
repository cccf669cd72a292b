import type { Page, Patient } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import { likePattern, toPage } from '../db/paging.js';

interface PatientRow {
  id: string;
  mrn: string | null;
  name: string;
  birth_date: string | null;
  sex: 'M' | 'F' | 'O' | null;
  notes: string;
  created_at: string;
  updated_at: string;
  study_count: number;
  scan_count: number;
}

const SELECT = `SELECT p.*,
  (SELECT COUNT(*) FROM studies s WHERE s.patient_id = p.id) AS study_count,
  (SELECT COUNT(*) FROM scans c WHERE c.patient_id = p.id) AS scan_count
  FROM patients p`;

function toPatient(row: PatientRow): Patient {
  return {
    id: row.id,
    mrn: row.mrn,
    name: row.name,
    birthDate: row.birth_date,
    sex: row.sex,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    studyCount: row.study_count,
    scanCount: row.scan_count,
  };
}

export interface PatientFields {
  name: string;
  mrn: string | null;
  birthDate: string | null;
  sex: 'M' | 'F' | 'O' | null;
  notes: string;
}

export function createPatientsRepo(db: Db) {
  const byId = db.prepare<[string], PatientRow>(`${SELECT} WHERE p.id = ?`);
  return {
    insert(id: string, fields: PatientFields, now: string): Patient {
      db.prepare(
        `INSERT INTO patients (id, mrn, name, birth_date, sex, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, fields.mrn, fields.name, fields.birthDate, fields.sex, fields.notes, now, now);
      return toPatient(byId.get(id) as PatientRow);
    },
    get(id: string): Patient | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toPatient(row);
    },
    findByMrn(mrn: string): Patient | undefined {
      const row = db.prepare<[string], PatientRow>(`${SELECT} WHERE p.mrn = ?`).get(mrn);
      return row === undefined ? undefined : toPatient(row);
    },
    update(id: string, fields: PatientFields, now: string): Patient | undefined {
      const changed = db
        .prepare(
          `UPDATE patients SET mrn = ?, name = ?, birth_date = ?, sex = ?, notes = ?, updated_at = ? WHERE id = ?`,
        )
        .run(fields.mrn, fields.name, fields.birthDate, fields.sex, fields.notes, now, id).changes;
      return changed === 0 ? undefined : this.get(id);
    },
    list(query: { search?: string; page: number; limit: number }): Page<Patient> {
      // Trimmed as in the scans list: a stray space typed in the search box must not hide everyone.
      const search = query.search?.trim() ?? '';
      const where =
        search !== '' ? `WHERE p.name LIKE ? ESCAPE '\\' OR p.mrn LIKE ? ESCAPE '\\'` : '';
      const params = search !== '' ? [likePattern(search), likePattern(search)] : [];
      const total = (
        db.prepare(`SELECT COUNT(*) AS n FROM patients p ${where}`).get(...params) as { n: number }
      ).n;
      const rows = db
        .prepare<unknown[], PatientRow>(
          `${SELECT} ${where} ORDER BY p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?`,
        )
        .all(...params, query.limit, (query.page - 1) * query.limit);
      return toPage(rows.map(toPatient), total, query.page, query.limit);
    },
    /** Deletes the patient; studies, scans, instances and file rows go with it (ON DELETE CASCADE). */
    remove(id: string): boolean {
      return db.prepare('DELETE FROM patients WHERE id = ?').run(id).changes > 0;
    },
    /** Whether any scan of the patient was read from DICOM (its Patient ID is from the headers). */
    hasDicomScans(id: string): boolean {
      return (
        db
          .prepare(`SELECT 1 FROM scans WHERE patient_id = ? AND format = 'dicom' LIMIT 1`)
          .get(id) !== undefined
      );
    },
    scanIdsOf(id: string): string[] {
      return db
        .prepare<[string], { id: string }>('SELECT id FROM scans WHERE patient_id = ? ORDER BY id')
        .all(id)
        .map((r) => r.id);
    },
  };
}
export type PatientsRepo = ReturnType<typeof createPatientsRepo>;
