import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { writePage } from '../format/page-output.js';
import {
  formatDimensions,
  formatPatient,
  formatSpacing,
  toScanSummary,
} from '../format/scan-summary.js';
import { orDash, truncate } from '../format/table.js';

type ScansList = Extract<Command, { kind: 'scans list' }>;
type ScansShow = Extract<Command, { kind: 'scans show' }>;

export async function runScansList(command: ScansList, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const page = await cli.call('scans.list', {
      ...(command.status !== undefined && { status: command.status }),
      ...(command.search !== undefined && { search: command.search }),
      ...(command.page !== undefined && { page: command.page }),
      ...(command.limit !== undefined && { limit: command.limit }),
    });
    writePage(io, page, {
      json: command.json,
      jsonItem: toScanSummary,
      empty: 'No scans match.',
      noun: 'scan',
      headers: [
        'ID',
        'PATIENT',
        'MODALITY',
        'STATUS',
        'SIZE (C×R×S)',
        'SPACING',
        'ACQUIRED',
        'DESCRIPTION',
      ],
      row: (scan) => [
        scan.id,
        truncate(formatPatient(scan), 32),
        orDash(scan.modality ?? scan.format.toUpperCase()),
        scan.status,
        formatDimensions(scan),
        formatSpacing(scan.spacing),
        orDash(scan.acquiredAt),
        truncate(orDash(scan.description), 30),
      ],
    });
    return 0;
  } finally {
    await cli.close();
  }
}

function kilobytes(bytes: number): string {
  return bytes < 1_000_000 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

export async function runScansShow(command: ScansShow, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const detail = await cli.call('scans.get', { id: command.id });
    if (command.json) {
      const document = { ...detail, scan: toScanSummary(detail.scan) };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return 0;
    }
    const { scan, study, series, instances, files } = detail;
    const bytes = files.reduce((sum, file) => sum + file.size, 0);
    const rows: Array<[string, string]> = [
      ['Scan', scan.id],
      ['Patient', scan.patientId === null ? '-' : `${formatPatient(scan)}, id ${scan.patientId}`],
      [
        'Kind',
        `${scan.kind} (${scan.format})${scan.modality === null ? '' : `, ${scan.modality}`}`,
      ],
      ['Description', orDash(scan.description)],
      ['Status', scan.status],
      ['Size', `${formatDimensions(scan)} (columns × rows × slices)`],
      ['Spacing', formatSpacing(scan.spacing)],
      ['Acquired', orDash(scan.acquiredAt)],
      ['Imported', scan.createdAt],
    ];
    if (study !== null)
      rows.push([
        'Study',
        `${orDash(study.description)}, ${orDash(study.studyDate)}, UID ${orDash(study.studyInstanceUid)}`,
      ]);
    if (series !== null)
      rows.push([
        'Series',
        `#${orDash(series.seriesNumber)} ${orDash(series.description)}, UID ${orDash(series.seriesInstanceUid)}`,
      ]);
    if (instances.length > 0) rows.push(['Instances', String(instances.length)]);
    rows.push(['Files', `${files.length} (${kilobytes(bytes)})`]);
    const width = Math.max(...rows.map(([key]) => key.length));
    io.stdout.write(rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n') + '\n');
    return 0;
  } finally {
    await cli.close();
  }
}
