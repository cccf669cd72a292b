import type { HandlerCall } from '../router.js';
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
  return (call, action, target, details) =>
    audit.append({
      at: clock.iso(),
      actor: actorOf(call.principal),
      action,
      target,
      ...(details !== undefined && { details }),
    });
}
