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
}

export interface UserWithHash {
  user: User;
  passwordHash: string;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

export function createUsersRepo(db: Db) {
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
      now: string;
    }): User {
      db.prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(u.id, u.username, u.displayName, u.role, u.passwordHash, u.now, u.now);
      return toUser(byId.get(u.id) as UserRow);
    },
    get(id: string): User | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : toUser(row);
    },
    getWithHashByUsername(username: string): UserWithHash | undefined {
      const row = byName.get(username);
      return row === undefined ? undefined : { user: toUser(row), passwordHash: row.password_hash };
    },
    list(): User[] {
      return db
        .prepare<[], UserRow>('SELECT * FROM users ORDER BY username COLLATE NOCASE')
        .all()
        .map(toUser);
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
      changes: { role?: Role; displayName?: string; passwordHash?: string; disabled?: boolean },
      now: string,
    ): User | undefined {
      const current = byId.get(id);
      if (current === undefined) return undefined;
      db.prepare(
        `UPDATE users SET role = ?, display_name = ?, password_hash = ?, disabled = ?, updated_at = ? WHERE id = ?`,
      ).run(
        changes.role ?? current.role,
        changes.displayName ?? current.display_name,
        changes.passwordHash ?? current.password_hash,
        changes.disabled === undefined ? current.disabled : changes.disabled ? 1 : 0,
        now,
        id,
      );
      return toUser(byId.get(id) as UserRow);
    },
    recordLogin(id: string, now: string): void {
      db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now, id);
    },
  };
}
export type UsersRepo = ReturnType<typeof createUsersRepo>;
