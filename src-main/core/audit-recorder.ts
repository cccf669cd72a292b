import type { AuditRepo } from './repos/audit-repo.js';
import type { Clock } from './platform/clock.js';
import type { HandlerCall } from './router.js';
import { actorOf } from './services/principal.js';

/** Appends one audit entry for a router call: who (the call's principal), what, on which record. */
export type AuditRecorder = (
  call: HandlerCall,
  action: string,
  target: string | null,
  details?: Record<string, unknown>,
) => void;

/** The one recorder the JSON handlers and the stream handlers share. */
export function createAuditRecorder(audit: AuditRepo, clock: Clock): AuditRecorder {
  return (call, action, target, details) =>
    audit.append({
      at: clock.iso(),
      actor: actorOf(call.principal),
      action,
      target,
      ...(details !== undefined && { details }),
    });
}
