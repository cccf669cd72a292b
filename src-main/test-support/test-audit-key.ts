import type { AuditKey } from '../core/audit/audit-key.js';

/** A fixed audit key for cores built in tests (the keychain itself is tested in audit-key-store tests). */
export const TEST_AUDIT_KEY: AuditKey = {
  bytes: Buffer.alloc(32, 7),
  isNew: true,
  source: 'test key',
};
