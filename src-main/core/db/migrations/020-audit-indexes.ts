import type { Migration } from './migration.js';

/**
 * Indexes for the audit page's filters (user, action, patient through the row's target, time).
 * Each ends in `seq` where the page sorts by it, so a filtered page newest-first is read from the
 * index in order. Indexes do not touch the rows: the chain and its append-only triggers stay.
 */
export const migration020: Migration = {
  version: 20,
  name: 'audit-indexes',
  sql: `
CREATE INDEX audit_log_actor ON audit_log(actor, seq);
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_target ON audit_log(target, seq);
CREATE INDEX audit_log_at ON audit_log(at);
`,
};
