import { csvField } from '../measurements/measurements-csv.js';
import type { AuditExportRow } from './audit-query.js';

export const AUDIT_CSV_HEADER = [
  'seq',
  'at',
  'actor',
  'action',
  'outcome',
  'target',
  'details',
  'hash',
] as const;

/**
 * Audit rows as CSV lines (RFC 4180, CRLF). Usernames and details are text someone typed, so a
 * spreadsheet never runs them as a formula; the hash lets a row be checked against the chain.
 */
export function auditCsvLines(rows: readonly AuditExportRow[]): string {
  return rows
    .map(
      (r) =>
        [
          csvField(r.seq),
          csvField(r.at),
          csvField(r.actor, true),
          csvField(r.action, true),
          csvField(r.outcome),
          csvField(r.target, true),
          csvField(JSON.stringify(r.details), true),
          csvField(r.hash),
        ].join(',') + '\r\n',
    )
    .join('');
}

export function auditCsvHeaderLine(): string {
  return AUDIT_CSV_HEADER.join(',') + '\r\n';
}
