import type { AuditVerification } from './audit-repo.js';

/** The verifier's findings as lines for a terminal or a dialog: every issue, one per line. */
export function describeAuditVerification(v: AuditVerification): string {
  const rows = `${v.rows} row${v.rows === 1 ? '' : 's'}`;
  const legacy = v.legacyRows > 0 ? ` (${v.legacyRows} written before the chain was keyed)` : '';
  if (v.ok) return `Audit trail intact: ${rows}${legacy}.\n`;
  const lines = v.issues.map(
    (issue) => `  ${issue.seq === null ? 'log' : `row ${issue.seq}`}: ${issue.message}`,
  );
  return (
    `Audit trail BROKEN: ${v.issues.length} problem${v.issues.length === 1 ? '' : 's'} in ${rows}${legacy}.\n` +
    `${lines.join('\n')}\n` +
    'Keep a copy of the data folder as it is and tell your administrator: the log may have been tampered with.\n'
  );
}
