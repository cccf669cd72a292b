/** The secret the audit chain is keyed with; it never lives in the database. */
export interface AuditKey {
  readonly bytes: Buffer;
  /**
   * The key was created just now (nothing held one for this data folder before). Only then may
   * rows written before the chain was keyed be sealed: otherwise a missing head record means
   * someone removed it.
   */
  readonly isNew: boolean;
  /** Where it is kept, for messages: "OS keychain", "key file /path", "test key". */
  readonly source: string;
}

export const AUDIT_KEY_BYTES = 32;
