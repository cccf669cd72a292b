import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createZip, type ZipEntry } from '../zip-writer.js';
import type { DicomResultsOptions, DicomResultsService } from './dicom-results-service.js';

/**
 * The DICOM results as one ZIP, for a download: written by `writeDicomResults` into a private
 * temporary folder (so a folder export and the download are one code path and the same files),
 * read back in the order written (SEG, overlays, report) and removed again whatever happens.
 */
export async function dicomResultsZip(
  dicomResults: Pick<DicomResultsService, 'writeDicomResults'>,
  scanId: string,
  options: DicomResultsOptions & { modifiedAt: Date },
): Promise<{ bytes: Buffer; names: string[]; notes: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'neurosphere-dicom-'));
  try {
    const written = await dicomResults.writeDicomResults(scanId, dir, options);
    const paths = [
      written.segmentation,
      ...written.overlays,
      ...(written.report === null ? [] : [written.report]),
    ];
    const entries: ZipEntry[] = [];
    for (const path of paths) entries.push({ name: basename(path), bytes: await readFile(path) });
    return {
      bytes: createZip(entries, options.modifiedAt),
      names: entries.map((entry) => entry.name),
      notes: written.notes,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
