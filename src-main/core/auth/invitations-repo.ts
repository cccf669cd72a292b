import type { Invitation, InvitationStatus } from '../../../src-shared/contract/care-team.js';
import type { Role } from '../../../src-shared/roles.js';
import type { Db } from '../db/connection.js';

interface InvitationRow {
  id: string;
  role: Role;
  patient_id: string | null;
  note: string;
  created_by_name: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by_name: string | null;
  revoked_at: string | null;
}

const SELECT = `SELECT i.id, i.role, i.patient_id, i.note, i.created_at, i.expires_at, i.used_at,
    i.revoked_at, c.username AS created_by_name, u.username AS used_by_name
  FROM invitations i
  LEFT JOIN users c ON c.id = i.created_by
  LEFT JOIN users u ON u.id = i.used_by`;

/** An invitation's state at `now`: used and revoked are final, otherwise it expires. */
export function statusAt(
  row: Pick<InvitationRow, 'used_at' | 'revoked_at' | 'expires_at'>,
  now: Date,
): InvitationStatus {
  if (row.used_at !== null) return 'used';
  if (row.revoked_at !== null) return 'revoked';
  return Date.parse(row.expires_at) <= now.getTime() ? 'expired' : 'pending';
}

function toInvitation(row: InvitationRow, now: Date): Invitation {
  return {
    id: row.id,
    role: row.role,
    patientId: row.patient_id,
    note: row.note,
    status: statusAt(row, now),
    createdBy: row.created_by_name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    usedBy: row.used_by_name,
  };
}

/** The invitations table: SQL only. */
export function createInvitationsRepo(db: Db) {
  const byId = db.prepare<[string], InvitationRow>(`${SELECT} WHERE i.id = ?`);
  const bySecret = db.prepare<[string, string], InvitationRow>(
    `${SELECT} WHERE i.token_hash = ? OR i.code_hash = ?`,
  );
  return {
    insert(row: {
      id: string;
      tokenHash: string;
      codeHash: string;
      role: Role;
      patientId: string | null;
      note: string;
      createdBy: string | null;
      createdAt: string;
      expiresAt: string;
    }): void {
      db.prepare(
        `INSERT INTO invitations (id, token_hash, code_hash, role, patient_id, note, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        row.id,
        row.tokenHash,
        row.codeHash,
        row.role,
        row.patientId,
        row.note,
        row.createdBy,
        row.createdAt,
        row.expiresAt,
      );
    },
    get(id: string, now: Date): Invitation | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toInvitation(row, now);
    },
    /** The invitation whose token or short code hashes to one of these. */
    findBySecret(tokenHash: string, codeHash: string, now: Date): Invitation | undefined {
      const row = bySecret.get(tokenHash, codeHash);
      return row === undefined ? undefined : toInvitation(row, now);
    },
    list(now: Date): Invitation[] {
      return db
        .prepare<[], InvitationRow>(`${SELECT} ORDER BY i.created_at DESC, i.id`)
        .all()
        .map((row) => toInvitation(row, now));
    },
    /** Marks it used unless it was used or revoked meanwhile; answers whether it did. */
    markUsed(id: string, userId: string, at: string): boolean {
      return (
        db
          .prepare(
            'UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL',
          )
          .run(at, userId, id).changes === 1
      );
    },
    revoke(id: string, at: string): boolean {
      return (
        db
          .prepare(
            'UPDATE invitations SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL',
          )
          .run(at, id).changes === 1
      );
    },
  };
}
export type InvitationsRepo = ReturnType<typeof createInvitationsRepo>;
