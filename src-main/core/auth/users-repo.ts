import type { User } from '../../../src-shared/contract/entities.js';
import type { Role } from '../../../src-shared/roles.js';
import type { Db } from '../db/connection.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
  patient_id: string | null;
  password_changed_at: string | null;
}

export interface UserWithHash {
  user: User;
  passwordHash: string;
}

/** The account as the contract shows it; `lockedUntil` comes from the login throttle. */
function toUser(row: UserRow, lockedUntil: string | null = null): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    patientId: row.patient_id,
    lockedUntil,
  };
}

export function createUsersRepo(
  db: Db,
  lockedUntil: (username: string) => string | null = () => null,
) {
  const toUserLocked = (row: UserRow): User => toUser(row, lockedUntil(row.username));
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  return {
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },
    insert(u: {
      id: string;
      username: string;
      displayName: string;
      role: Role;
      passwordHash: string;
      patientId: string | null;
      now: string;
    }): User {
      db.prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, patient_id, created_at, updated_at, password_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        u.id,
        u.username,
        u.displayName,
        u.role,
        u.passwordHash,
        u.patientId,
        u.now,
        u.now,
        u.now,
      );
      return toUserLocked(byId.get(u.id) as UserRow);
    },
    get(id: string): User | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toUserLocked(row);
    },
    getWithHashById(id: string): UserWithHash | undefined {
      const row = byId.get(id);
      return row === undefined
        ? undefined
        : { user: toUserLocked(row), passwordHash: row.password_hash };
    },
    getWithHashByUsername(username: string): UserWithHash | undefined {
      const row = byName.get(username);
      return row === undefined
        ? undefined
        : { user: toUserLocked(row), passwordHash: row.password_hash };
    },
    list(): User[] {
      return db
        .prepare<[], UserRow>('SELECT * FROM users ORDER BY username COLLATE NOCASE')
        .all()
        .map(toUserLocked);
    },
    countActiveAdmins(): number {
      return (
        db
          .prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0")
          .get() as { n: number }
      ).n;
    },
    update(
      id: string,
      changes: {
        role?: Role;
        displayName?: string;
        passwordHash?: string;
        disabled?: boolean;
        patientId?: string | null;
      },
      now: string,
    ): User | undefined {
      const current = byId.get(id);
      if (current === undefined) return undefined;
      db.prepare(
        `UPDATE users SET role = ?, display_name = ?, password_hash = ?, disabled = ?, patient_id = ?,
           password_changed_at = ?, updated_at = ? WHERE id = ?`,
      ).run(
        changes.role ?? current.role,
        changes.displayName ?? current.display_name,
        changes.passwordHash ?? current.password_hash,
        changes.disabled === undefined ? current.disabled : changes.disabled ? 1 : 0,
        changes.patientId === undefined ? current.patient_id : changes.patientId,
        changes.passwordHash === undefined ? current.password_changed_at : now,
        now,
        id,
      );
      return toUserLocked(byId.get(id) as UserRow);
    },
    recordLogin(id: string, now: string): void {
      db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now, id);
    },
  };
}
export type UsersRepo = ReturnType<typeof createUsersRepo>;
