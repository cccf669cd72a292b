import type { ImportReport } from '../../../src-shared/contract/entities.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "4 imported, 1 duplicate, 1 rejected (6 files) into 2 scans." */
export function formatImportCounts(report: ImportReport): string {
  return (
    `${report.imported} imported, ${plural(report.duplicates, 'duplicate')}, ` +
    `${report.rejected} rejected (${plural(report.total, 'file')}) ` +
    `into ${plural(report.scanIds.length, 'scan')}.`
  );
}

/** The counts, then every file that was not imported with its reason, one per line pair. */
export function formatImportReport(report: ImportReport): string {
  const lines = [formatImportCounts(report)];
  const skipped = report.items.filter((item) => item.status !== 'imported');
  if (skipped.length > 0) {
    lines.push('Not imported:');
    for (const item of skipped) {
      const reason = item.reason ?? 'no reason recorded';
      const code = item.code === undefined || item.code === 'DUPLICATE' ? '' : `${item.code}: `;
      lines.push(`  ${item.status.padEnd(9)}  ${item.path}`, `  ${''.padEnd(9)}  ${code}${reason}`);
    }
  }
  return lines.join('\n') + '\n';
}
