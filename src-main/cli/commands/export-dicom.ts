import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_INTERRUPTED } from './import.js';

type ExportDicom = Extract<Command, { kind: 'export-dicom' }>;

/** Reads the PDF to encapsulate, with an error that says which file and why. */
async function readReportPdf(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      'NOT_FOUND',
      `Cannot read the report PDF ${path}${code === undefined ? '' : ` (${code})`}: check the path.`,
    );
  }
}

/**
 * `export-dicom <scan-id> --out DIR`: the latest analysis of a scan as DICOM for a PACS: the
 * mask as a SEG, one overlay Secondary Capture per slice with a lesion and, with
 * --report-pdf, that PDF as an Encapsulated PDF. Ctrl-C stops between files.
 */
export async function runExportDicom(command: ExportDicom, io: CliIo): Promise<number> {
  const reportPdf =
    command.reportPdf === undefined
      ? undefined
      : await readReportPdf(resolve(io.cwd, command.reportPdf));
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  const abort = new AbortController();
  const removeSigint = io.onSignal('SIGINT', () => abort.abort());
  try {
    // Through the router: an unknown id is a clear NOT_FOUND, and the read is audited.
    await cli.call('scans.get', { id: command.scanId });
    const outDir = resolve(io.cwd, command.out);
    const written = await cli.core.dicomResults.writeDicomResults(command.scanId, outDir, {
      ...(reportPdf !== undefined && { reportPdf }),
      signal: abort.signal,
      onProgress: (done, total) => {
        if (io.stderr.isTTY === true) io.stderr.write(`\rWriting DICOM files: ${done}/${total}`);
      },
    });
    if (io.stderr.isTTY === true) io.stderr.write('\n');
    if (command.json) {
      io.stdout.write(`${JSON.stringify({ scanId: command.scanId, ...written }, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `Segmentation (DICOM SEG): ${written.segmentation}`,
      written.overlays.length === 0
        ? 'Overlays: none (no slice holds a lesion)'
        : `Overlays (Secondary Capture, outline burned in): ${written.overlays.length} in ${outDir}`,
      ...(written.report === null ? [] : [`Report (Encapsulated PDF): ${written.report}`]),
      ...written.notes.map((note) => `Note: ${note}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (abort.signal.aborted) {
      io.stderr.write('\nStopped: the folder may hold some of the files.\n');
      return EXIT_INTERRUPTED;
    }
    throw error;
  } finally {
    removeSigint();
    await cli.close();
  }
}
