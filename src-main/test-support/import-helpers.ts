import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ImportReport, Job } from '../../src-shared/contract/entities.js';
import type { TestCore } from './test-core.js';

/** Starts an import through the contract and waits for the job to finish. */
export async function runImport(
  t: TestCore,
  token: string,
  paths: string[],
  patientId?: string,
): Promise<{ job: Job; report: ImportReport }> {
  const started = await t.ok(
    'import.files',
    { paths, ...(patientId !== undefined && { patientId }) },
    token,
  );
  const job = await t.core.jobs.whenFinished(started.id);
  const report = await t.ok('import.report', { id: job.id }, token);
  return { job, report };
}

/** Each report item as "status code" keyed by file name, for compact assertions. */
export function outcomes(report: ImportReport): Record<string, string> {
  const byName: Record<string, string> = {};
  for (const item of report.items) {
    const name = item.path.split(/[\\/]/).pop() ?? item.path;
    byName[name] = item.code === undefined ? item.status : `${item.status} ${item.code}`;
  }
  return byName;
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function tableCounts(t: TestCore): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const table of ['patients', 'studies', 'series', 'scans', 'files', 'instances']) {
    counts[table] = (
      t.core.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }
    ).n;
  }
  return counts;
}
