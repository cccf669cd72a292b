import type { Db } from '../db/connection.js';

export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  client: string;
}

export function createSessionsRepo(db: Db) {
  // Read on every authenticated call: prepared once (on first use: the table may not exist yet).
  let byHash: ReturnType<typeof db.prepare<[string], SessionRow>> | undefined;
  return {
    insert(s: { tokenHash: string; userId: string; now: string; client: string }): void {
      db.prepare(
        'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client) VALUES (?, ?, ?, ?, ?)',
      ).run(s.tokenHash, s.userId, s.now, s.now, s.client);
    },
    get(tokenHash: string): SessionRow | undefined {
      byHash ??= db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?');
      return byHash.get(tokenHash);
    },
    touch(tokenHash: string, now: string): void {
      db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, tokenHash);
    },
    remove(tokenHash: string): boolean {
      return db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
    },
    removeForUser(userId: string): void {
      db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
    },
    /** Ends a user's other sessions, keeping the one that asked. */
    removeForUserExcept(userId: string, keepTokenHash: string): void {
      db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?').run(
        userId,
        keepTokenHash,
      );
    },
    removeIdleSince(cutoff: string): number {
      return db.prepare('DELETE FROM sessions WHERE last_seen_at < ?').run(cutoff).changes;
    },
  };
}
export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
