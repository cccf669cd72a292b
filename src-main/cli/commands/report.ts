import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { reportDocumentTitle } from '../../../src-shared/contract/report-dicom.js';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { reportOfScan, writeReportPdf } from '../report/report-file.js';

type ReportCommand = Extract<Command, { kind: 'report' }>;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `neurosphere report <scan-id> [--out FILE|DIR] [--dicom DIR] [--json]`: writes the scan's report
 * as PDF: its newest version, or a new draft from the latest analysis. Signing is the
 * radiologist's, in the app. --dicom also writes the SEG, overlays and this PDF as DICOM.
 */
export async function runReport(command: ReportCommand, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const { report, note } = await reportOfScan(cli, command.scanId);
    const target = command.out === undefined ? io.cwd : resolve(io.cwd, command.out);
    // A folder (or no --out) gets the report's own name: patient, version, DRAFT.
    const toFolder = command.out === undefined || isDirectory(target);
    const { path } = await writeReportPdf(cli, report.id, (name) =>
      toFolder ? join(target, name) : target,
    );
    if (note !== null) io.stderr.write(`Note: ${note}\n`);
    // The PDF just written, so the Encapsulated PDF is byte for byte the file beside it.
    const dicom =
      command.dicom === undefined
        ? null
        : await cli.core.dicomResults.writeDicomResults(
            report.scanId,
            resolve(io.cwd, command.dicom),
            {
              analysisId: report.analysisId,
              reportPdf: await readFile(path),
              reportTitle: reportDocumentTitle(report),
            },
          );
    if (command.json) {
      const document = {
        scanId: report.scanId,
        reportId: report.id,
        version: report.version,
        status: report.status,
        file: path,
        ...(dicom !== null && { dicom }),
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      io.stdout.write(
        `Wrote ${path}: report version ${report.version} (${report.status === 'final' ? `signed by ${report.signedBy ?? '?'}` : 'draft, not signed'}).\n`,
      );
      if (dicom !== null) {
        const lines = [
          `Segmentation (DICOM SEG): ${dicom.segmentation}`,
          `Overlays (Secondary Capture): ${dicom.overlays.length}`,
          ...(dicom.report === null ? [] : [`Report (Encapsulated PDF): ${dicom.report}`]),
          ...dicom.notes.map((line) => `Note: ${line}`),
        ];
        io.stdout.write(`${lines.join('\n')}\n`);
      }
    }
    return 0;
  } finally {
    await cli.close();
  }
}
