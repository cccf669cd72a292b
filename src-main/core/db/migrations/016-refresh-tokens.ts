import type { Migration } from './migration.js';

/**
 * Refresh tokens for the REST API's token routes (the doctor/patient seed's access + refresh
 * tokens). Only a hash is stored, as for sessions; a token ends at `expires_at` (an absolute
 * lifetime set by the site) or when its user's account is removed.
 *
 * And an index for the scan list's default order (newest first, ties by id): deep pages of
 * `GET /api/scans?page=…` (10,000 scans) walked the whole table and sorted it on every call.
 */
export const migration016: Migration = {
  version: 16,
  name: 'refresh-tokens-scan-order',
  sql: `
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  client TEXT NOT NULL
) STRICT;
CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
CREATE INDEX scans_created_id ON scans(created_at, id);
`,
};
