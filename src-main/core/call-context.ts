import type { AuditAppend } from './audit/audit-repo.js';
import type { Principal } from './auth/principal.js';

// Who is calling and through what: shared by the router and the stream types, in a module of its
// own so that neither has to import the other.

export type Transport = 'ipc' | 'http' | 'cli' | 'test';

export interface CallContext {
  readonly transport: Transport;
  /** Bearer session token from the client. */
  readonly token?: string | null | undefined;
  /** Set only by trusted local transports (the CLI), which act as the operator. */
  readonly principal?: Principal | undefined;
  /** Free text for the session record: e.g. "http 127.0.0.1" or "electron". */
  readonly client?: string | undefined;
  /**
   * Set for the calls of one read-only REST request: their audit rows are gathered into one
   * row for the request (core/audit/request-audit.ts) instead of one row per call.
   */
  readonly auditScope?: AuditScope | undefined;
}

/** Gathers the audit rows of one request; false when the row must be written on its own. */
export interface AuditScope {
  collect(row: AuditAppend): boolean;
}

export interface HandlerCall {
  readonly principal: Principal | null;
  readonly context: CallContext;
}
