import type { Db } from '../db/connection.js';

/**
 * Login throttling per username typed (existing or not, so a refusal does not reveal which
 * usernames exist). A few failures are free; then every attempt must wait a growing delay; at
 * `lockAfter` failures the name is locked until an administrator unlocks it or `lockSeconds` pass.
 * A throttled attempt is refused before any password hashing, so it costs the server nothing.
 */
export interface ThrottlePolicy {
  /** Failures allowed without any wait. */
  readonly freeFailures: number;
  /** Failures that lock the account. */
  readonly lockAfter: number;
  readonly lockSeconds: number;
  /** The longest wait between attempts before the lock. */
  readonly maxDelaySeconds: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  lockAfter: 20,
  lockSeconds: 24 * 60 * 60,
  maxDelaySeconds: 5 * 60,
};

interface ThrottleRow {
  username: string;
  failures: number;
  last_failed_at: string;
  locked_until: string | null;
}

/** Why an attempt may not be made now, or null when it may. */
export type ThrottleRefusal =
  | { readonly kind: 'locked'; readonly until: string; readonly failures: number }
  | { readonly kind: 'wait'; readonly seconds: number; readonly failures: number };

/** Seconds to wait after `failures` failures (0 while they are free): 1, 2, 4 … up to the cap. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(2 ** (failures - policy.freeFailures), policy.maxDelaySeconds);
}

export function createLoginThrottle(db: Db, policy: ThrottlePolicy = DEFAULT_THROTTLE) {
  const get = db.prepare<[string], ThrottleRow>('SELECT * FROM login_throttle WHERE username = ?');
  return {
    policy,
    /** Whether an attempt for `username` may be made at `now`. */
    check(username: string, now: Date): ThrottleRefusal | null {
      const row = get.get(username);
      if (row === undefined) return null;
      if (row.locked_until !== null) {
        if (Date.parse(row.locked_until) > now.getTime())
          return { kind: 'locked', until: row.locked_until, failures: row.failures };
        // The lock has run out: start again from nothing.
        db.prepare('DELETE FROM login_throttle WHERE username = ?').run(username);
        return null;
      }
      const waitMs =
        Date.parse(row.last_failed_at) + delayAfter(row.failures, policy) * 1000 - now.getTime();
      return waitMs > 0
        ? { kind: 'wait', seconds: Math.ceil(waitMs / 1000), failures: row.failures }
        : null;
    },
    /** Counts a failure; answers the count and whether it locked the name. */
    fail(username: string, now: Date): { failures: number; locked: boolean } {
      const failures = (get.get(username)?.failures ?? 0) + 1;
      const locked = failures >= policy.lockAfter;
      const lockedUntil = locked
        ? new Date(now.getTime() + policy.lockSeconds * 1000).toISOString()
        : null;
      db.prepare(
        `INSERT INTO login_throttle (username, failures, last_failed_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT(username) DO UPDATE SET failures = excluded.failures,
           last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until`,
      ).run(username, failures, now.toISOString(), lockedUntil);
      // Old rows of names nobody tries any more are dropped, so the table stays small.
      const stale = new Date(now.getTime() - policy.lockSeconds * 1000).toISOString();
      db.prepare(
        'DELETE FROM login_throttle WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until < ?)',
      ).run(stale, now.toISOString());
      return { failures, locked };
    },
    /** A successful login or an administrator's unlock clears the count. */
    clear(username: string): boolean {
      return db.prepare('DELETE FROM login_throttle WHERE username = ?').run(username).changes > 0;
    },
    /** Until when a name is locked (null when it is not), for the account screen. */
    lockedUntil(username: string, now: Date): string | null {
      const until = get.get(username)?.locked_until ?? null;
      return until !== null && Date.parse(until) > now.getTime() ? until : null;
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
