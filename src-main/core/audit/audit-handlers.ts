import type { HandlerMap } from '../merge-handlers.js';
import type { CallAuditor } from './call-auditor.js';
import type { AuditQuery } from './audit-query.js';
import type { AuditRepo } from './audit-repo.js';

type AuditMethods = 'audit.list' | 'audit.filterOptions' | 'audit.verify';

/**
 * The audit page's reads. Listing is not itself written down (each page view would add a row
 * at the top and move every page under the reader); verifying and exporting are.
 */
export function createAuditHandlers(deps: {
  audit: AuditRepo;
  query: AuditQuery;
  record: CallAuditor;
}): HandlerMap<AuditMethods> {
  return {
    'audit.list': ({ page, limit, ...filter }) => deps.query.list(filter, page, limit),
    'audit.filterOptions': () => deps.query.options(),
    'audit.verify': (_input, call) => {
      const result = deps.audit.verify();
      deps.record(call, 'audit.verify', null, {
        ok: result.ok,
        rows: result.rows,
        issues: result.issues.length,
      });
      return result;
    },
  };
}
