import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Report } from '../../../src-shared/contract/reports.js';
import { AppError, isAppError } from '../../../src-shared/errors.js';
import type { CliCore } from '../cli-core.js';

/**
 * The report of a scan to print: its newest version, or a new draft from the latest analysis.
 * A draft made before a re-analysis is moved to the latest analysis (its texts stay); a signed
 * report is printed as signed (a note says when a newer analysis exists: amend it in the app).
 */
export async function reportOfScan(
  cli: CliCore,
  scanId: string,
): Promise<{ report: Report; note: string | null }> {
  try {
    await cli.call('scans.get', { id: scanId });
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND')
      throw new AppError(
        'NOT_FOUND',
        `No scan has the id ${scanId} (see "neurosphere scans list").`,
      );
    throw error;
  }
  const newest = (await cli.call('reports.listForScan', { scanId }))[0];
  if (newest === undefined)
    return { report: await cli.call('reports.create', { scanId }), note: null };
  const latest = await cli.call('analysis.get', { scanId });
  if (latest.id === newest.analysisId) return { report: newest, note: null };
  if (newest.status === 'draft')
    return {
      report: await cli.call('reports.update', { id: newest.id, analysis: 'latest' }),
      note: null,
    };
  return {
    report: newest,
    note: `the signed report (version ${newest.version}) shows an earlier analysis than the latest; amend it to report the new one.`,
  };
}

/**
 * Writes a report version's PDF (a temporary file renamed into place) to the path `pathFor`
 * chooses, given the name the report suggests (patient, version, DRAFT).
 */
export async function writeReportPdf(
  cli: CliCore,
  reportId: string,
  pathFor: (suggestedName: string) => string,
): Promise<{ path: string; bytes: number }> {
  const { description, bytes } = await cli.stream('reports.pdf', { reportId });
  const path = pathFor(description.fileName);
  const temporary = `${path}.${process.pid}.part`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new AppError(
      'INVALID_INPUT',
      `Cannot write the report to ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { path, bytes: bytes.length };
}
