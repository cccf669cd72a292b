import type { AuditScope } from '../call-context.js';
import type { AuditAppend, AuditRepo } from './audit-repo.js';

/**
 * One audit row per read-only request. A REST route may chain several contract reads (a scan's
 * detail is `scans.get`, `analysis.get`, `reports.listForScan`, `visualizations.list`); each
 * would write its own row. Gathered in a scope, they become one row: the first call's action,
 * target and details, with the others under `details.also` ([{action, target, details?}]), so
 * nothing read goes unrecorded. The row is written through the read batch (`appendRead`).
 *
 * Only for requests that change nothing (REST GET routes): a change is written down at once,
 * call by call, as before.
 */
export interface ReadRequestScope extends AuditScope {
  /** Writes the request's row (if any call was audited); rows collected later go on their own. */
  end(): void;
}

export function beginReadRequest(audit: Pick<AuditRepo, 'appendRead'>): ReadRequestScope {
  const rows: AuditAppend[] = [];
  let ended = false;
  return {
    collect(row) {
      // A stream audited after the answer was sent, or another account's row: on its own.
      if (ended || (rows.length > 0 && rows[0]?.actor !== row.actor)) return false;
      rows.push(row);
      return true;
    },
    end() {
      if (ended) return;
      ended = true;
      const [first, ...rest] = rows;
      if (first === undefined) return;
      audit.appendRead(
        rest.length === 0
          ? first
          : {
              ...first,
              details: {
                ...first.details,
                also: rest.map(({ action, target, details }) => ({
                  action,
                  target,
                  ...(details !== undefined && Object.keys(details).length > 0 && { details }),
                })),
              },
            },
      );
    },
  };
}
