import type { CareLink } from '../../../src-shared/contract/care-team.js';
import type { Db } from '../db/connection.js';

interface LinkRow {
  doctor_id: string;
  username: string;
  display_name: string;
  disabled: number;
  patient_id: string;
  patient_name: string;
  via: 'admin' | 'code';
  assigned_at: string;
}

interface CodeRow {
  patient_id: string | null;
  doctor_id: string | null;
  expires_at: string;
  used_at: string | null;
}

const SELECT_LINKS = `SELECT c.doctor_id, u.username, u.display_name, u.disabled, c.patient_id,
    p.name AS patient_name, c.via, c.assigned_at
  FROM care_team c JOIN users u ON u.id = c.doctor_id JOIN patients p ON p.id = c.patient_id`;

function toLink(row: LinkRow): CareLink {
  return {
    doctor: {
      id: row.doctor_id,
      username: row.username,
      displayName: row.display_name,
      disabled: row.disabled === 1,
    },
    patientId: row.patient_id,
    patientName: row.patient_name,
    via: row.via,
    assignedAt: row.assigned_at,
  };
}

/** Care team assignments and connect codes: SQL only. */
export function createCareTeamRepo(db: Db) {
  const link = db.prepare<[string, string], LinkRow>(
    `${SELECT_LINKS} WHERE c.doctor_id = ? AND c.patient_id = ?`,
  );
  return {
    /** Adds the assignment (keeping an existing one as it was); answers it. */
    assign(row: {
      doctorId: string;
      patientId: string;
      via: 'admin' | 'code';
      by: string | null;
      at: string;
    }): CareLink {
      db.prepare(
        `INSERT INTO care_team (doctor_id, patient_id, assigned_at, assigned_by, via) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (doctor_id, patient_id) DO NOTHING`,
      ).run(row.doctorId, row.patientId, row.at, row.by, row.via);
      return toLink(link.get(row.doctorId, row.patientId) as LinkRow);
    },
    unassign(doctorId: string, patientId: string): boolean {
      return (
        db
          .prepare('DELETE FROM care_team WHERE doctor_id = ? AND patient_id = ?')
          .run(doctorId, patientId).changes === 1
      );
    },
    list(): CareLink[] {
      return db
        .prepare<[], LinkRow>(`${SELECT_LINKS} ORDER BY p.name COLLATE NOCASE, u.username`)
        .all()
        .map(toLink);
    },
    patientIdsOf(doctorId: string): string[] {
      return db
        .prepare<[string], { patient_id: string }>(
          `SELECT c.patient_id FROM care_team c JOIN patients p ON p.id = c.patient_id
           WHERE c.doctor_id = ? ORDER BY p.name COLLATE NOCASE`,
        )
        .all(doctorId)
        .map((row) => row.patient_id);
    },
    insertCode(row: {
      codeHash: string;
      patientId: string | null;
      doctorId: string | null;
      createdBy: string;
      at: string;
      expiresAt: string;
    }): void {
      db.prepare(
        `INSERT INTO connect_codes (code_hash, patient_id, doctor_id, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(row.codeHash, row.patientId, row.doctorId, row.createdBy, row.at, row.expiresAt);
    },
    findCode(codeHash: string): CodeRow | undefined {
      return db
        .prepare<[string], CodeRow>(
          'SELECT patient_id, doctor_id, expires_at, used_at FROM connect_codes WHERE code_hash = ?',
        )
        .get(codeHash);
    },
    /** Uses the code up unless it was used meanwhile; answers whether it did. */
    useCode(codeHash: string, userId: string, at: string): boolean {
      return (
        db
          .prepare(
            'UPDATE connect_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL',
          )
          .run(at, userId, codeHash).changes === 1
      );
    },
    /** Drops codes that ended more than a day ago, so the table stays small. */
    pruneCodes(before: string): void {
      db.prepare('DELETE FROM connect_codes WHERE expires_at < ?').run(before);
    },
  };
}
export type CareTeamRepo = ReturnType<typeof createCareTeamRepo>;
