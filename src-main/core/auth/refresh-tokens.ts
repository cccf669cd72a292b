import { createHash, randomBytes } from 'node:crypto';
import type { RefreshedToken, TokenPair } from '../../../src-shared/contract/tokens.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AuditRepo } from '../audit/audit-repo.js';
import type { Db } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { SessionInfo } from './auth-service.js';
import type { SessionsRepo } from './sessions-repo.js';
import type { UsersRepo } from './users-repo.js';

/** A week, the usual refresh-token lifetime of the seeds' frameworks; a site may shorten it. */
export const DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

interface RefreshTokenRow {
  token_hash: string;
  user_id: string;
  expires_at: string;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface RefreshTokenDeps {
  db: Db;
  users: UsersRepo;
  sessions: SessionsRepo;
  audit: AuditRepo;
  clock: Clock;
  lifetimeSeconds: number;
  idleTimeoutSeconds: number;
}

/**
 * Refresh tokens: issued beside a session at a password login, they mint new sessions (access
 * tokens) until they expire. Only their hash is stored. A disabled account's tokens are refused.
 */
export function createRefreshTokens(deps: RefreshTokenDeps) {
  const { db, users, sessions, audit, clock } = deps;
  const insert = db.prepare(
    'INSERT INTO refresh_tokens (token_hash, user_id, created_at, expires_at, client) VALUES (?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare<[string], RefreshTokenRow>(
    'SELECT token_hash, user_id, expires_at FROM refresh_tokens WHERE token_hash = ?',
  );
  const remove = db.prepare('DELETE FROM refresh_tokens WHERE token_hash = ?');
  const removeExpired = db.prepare('DELETE FROM refresh_tokens WHERE expires_at <= ?');

  return {
    /** A refresh token for the user of a session that was just opened by a password login. */
    issue(session: SessionInfo, client: string): TokenPair {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + deps.lifetimeSeconds * 1000).toISOString();
      removeExpired.run(now.toISOString());
      insert.run(hashToken(token), session.user.id, now.toISOString(), expiresAt, client);
      return {
        accessToken: session.token,
        refreshToken: token,
        tokenType: 'bearer',
        idleTimeoutSeconds: session.idleTimeoutSeconds,
        refreshExpiresAt: expiresAt,
        user: session.user,
      };
    },

    /** A new access token (a new session) for a refresh token that is known and unexpired. */
    refresh(refreshToken: string, client: string): RefreshedToken {
      const tokenHash = hashToken(refreshToken);
      const row = byHash.get(tokenHash);
      if (row === undefined)
        throw new AppError('UNAUTHENTICATED', 'This refresh token is not valid. Log in again.');
      const now = clock.now();
      if (Date.parse(row.expires_at) <= now.getTime()) {
        remove.run(tokenHash);
        throw new AppError(
          'UNAUTHENTICATED',
          `This refresh token expired at ${row.expires_at}. Log in again.`,
        );
      }
      const user = users.get(row.user_id);
      if (user === undefined || user.disabled) {
        remove.run(tokenHash);
        throw new AppError(
          'UNAUTHENTICATED',
          'This account is no longer active. Ask an administrator.',
        );
      }
      const accessToken = randomBytes(32).toString('base64url');
      sessions.insert({
        tokenHash: hashToken(accessToken),
        userId: user.id,
        now: now.toISOString(),
        client,
      });
      audit.append({
        at: now.toISOString(),
        actor: user.username,
        action: 'auth.refresh',
        target: user.id,
      });
      return { accessToken, tokenType: 'bearer', idleTimeoutSeconds: deps.idleTimeoutSeconds };
    },
  };
}
export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
