import type { AuditQuery } from '../audit/audit-query.js';
import { auditCsvHeaderLine, auditCsvLines } from '../audit/audit-csv.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { Clock } from '../platform/clock.js';
import type { StreamHandlers } from './stream-types.js';

/** The audit trail's rows a filter selects, as a CSV download streamed in batches. */
export function createAuditStreamHandlers(deps: {
  auditQuery: AuditQuery;
  record: CallAuditor;
  clock: Clock;
}): Pick<StreamHandlers, 'audit.csv'> {
  return {
    'audit.csv': (filter, call) => {
      const selection = deps.auditQuery.export(filter);
      // Written before the rows are read, so the export is in the trail even if the download is
      // cut; the patient filter is kept as record ids (an MRN typed in is not written down).
      deps.record(call, 'audit.export', null, {
        format: 'csv',
        rows: selection.rows,
        ...(filter.actor !== undefined && { actor: filter.actor }),
        ...(filter.action !== undefined && { action: filter.action }),
        ...(filter.outcome !== undefined && { outcome: filter.outcome }),
        ...(filter.from !== undefined && { from: filter.from }),
        ...(filter.to !== undefined && { to: filter.to }),
        ...(selection.patientIds.length > 0 && { patientIds: selection.patientIds }),
      });
      const encoder = new TextEncoder();
      async function* chunks(): AsyncGenerator<Uint8Array> {
        yield encoder.encode(auditCsvHeaderLine());
        for (const rows of selection.batches()) {
          yield encoder.encode(auditCsvLines(rows));
          // Let other requests run between batches of a long trail.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const fileName = `neurosphere-audit-${deps.clock.iso().slice(0, 19).replace(/:/g, '-')}.csv`;
      return {
        description: { fileName, rows: selection.rows },
        data: chunks(),
        filename: fileName,
      };
    },
  };
}
