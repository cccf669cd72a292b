import type { HandlerCall, Refusal } from '../router.js';
import { actorOf } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { AuditRepo } from './audit-repo.js';

/**
 * Audits what a call did that is not a change of clinical data: reads of patient data, account
 * changes, job control. Clinical changes are audited by the clinical writer, in their transaction.
 */
export type CallAuditor = (
  call: HandlerCall,
  action: string,
  target: string | null,
  details?: Record<string, unknown>,
) => void;

export function createCallAuditor(audit: AuditRepo, clock: Clock): CallAuditor {
  return (call, action, target, details) => {
    const row = {
      at: clock.iso(),
      actor: actorOf(call.principal),
      action,
      target,
      ...(details !== undefined && { details }),
    };
    // A read-only request's calls are written down as one row for the request.
    if (call.context.auditScope?.collect(row) === true) return;
    audit.append(row);
  };
}

/**
 * Audits refused attempts. Only the method or stream name, the reason and the transport are
 * kept: never the input (it may hold patient names) nor the token.
 */
export function createRefusalAuditor(audit: AuditRepo, clock: Clock): (refusal: Refusal) => void {
  return ({ name, code, call }) =>
    audit.append({
      at: clock.iso(),
      actor: call.principal === null ? null : actorOf(call.principal),
      action: 'access.refused',
      target: null,
      details: { call: name, reason: code, transport: call.context.transport },
    });
}
