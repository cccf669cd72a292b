import type { DataSet } from 'dicom-parser';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { parseDicom } from '../../imaging/dicom/parse-dicom.js';

/** Headers sit before the pixel data; this much of a file always holds them in practice. */
const HEADER_BYTES = 1024 * 1024;

/**
 * The data set (up to the pixel data) of a DICOM scan's first stored file, for the
 * applicability check. Null for other formats, or when the header cannot be read: the import
 * already parsed this file, so a failure here only means the check has less to go on.
 */
export async function readScanHeader(
  scan: Scan,
  /** The first `bytes` bytes of the scan's primary file, read through the blob store. */
  readPrimaryFileStart: (bytes: number) => Promise<Buffer> | null,
): Promise<DataSet | null> {
  if (scan.format !== 'dicom') return null;
  const reading = readPrimaryFileStart(HEADER_BYTES);
  if (reading === null) return null;
  try {
    return parseDicom(await reading, {
      untilPixelData: true,
      maxInflatedBytes: 16 * HEADER_BYTES,
    }).dataSet;
  } catch {
    return null;
  }
}
