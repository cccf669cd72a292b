import type { DataSet } from 'dicom-parser';
import { AppError } from '../../../../src-shared/errors.js';
import { allStrings, decimal, integer, text } from './dataset-values.js';
import { frameBytes } from './frame-bytes.js';
import { frameGeometry } from './frame-geometry.js';
import { parseDicom, readingDicom } from './parse-dicom.js';
import { describePixels, frameByteLength, type PixelDescription } from './pixel-description.js';
import { transferSyntaxName, transferSyntaxOf } from './transfer-syntax.js';
import type { Orientation6, Vector3 } from '../../../../src-shared/geometry/vector.js';

/** The attributes Neurosphere records from a DICOM file at import. */
export interface DicomHeader {
  transferSyntaxUid: string;
  sopInstanceUid: string;
  sopClassUid: string | null;
  patientId: string | null;
  patientName: string | null;
  patientBirthDate: string | null;
  patientSex: 'M' | 'F' | 'O' | null;
  studyInstanceUid: string | null;
  studyDate: string | null;
  studyDescription: string | null;
  accessionNumber: string | null;
  seriesInstanceUid: string | null;
  seriesNumber: number | null;
  seriesDescription: string | null;
  modality: string | null;
  instanceNumber: number | null;
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  samplesPerPixel: number;
  imageType: string[];
  /** [column spacing, row spacing] in mm, i.e. PixelSpacing reversed. */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  spacingBetweenSlices: number | null;
  imagePosition: Vector3 | null;
  imageOrientation: Orientation6 | null;
  framePositions: Array<Vector3 | null> | null;
}

/** DICOM DA (YYYYMMDD) to ISO date, or null if it is not a real date. */
export function dicomDateToIso(value: string | null): string | null {
  if (value === null) return null;
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  if (m === null) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** DICOM PN "Family^Given^Middle" as "Family, Given Middle". */
export function formatPersonName(value: string | null): string | null {
  if (value === null) return null;
  const [family = '', given = '', middle = ''] = value
    .split('=')[0]!
    .split('^')
    .map((p) => p.trim());
  const rest = [given, middle].filter((p) => p !== '').join(' ');
  const name = rest === '' ? family : family === '' ? rest : `${family}, ${rest}`;
  return name === '' ? null : name;
}

function sexOf(value: string | null): 'M' | 'F' | 'O' | null {
  return value === 'M' || value === 'F' || value === 'O' ? value : null;
}

/**
 * Checks that every frame's bytes are present (native) or its fragments exist (compressed).
 * `fileSize` larger than the bytes given means only the head of the file was read: the native
 * pixel data is then checked against the file's size instead of the bytes in hand.
 */
function checkPixelDataPresent(
  ds: DataSet,
  pixels: PixelDescription,
  transferSyntaxUid: string,
  fileSize: number,
): void {
  const syntax = transferSyntaxOf(transferSyntaxUid);
  if (syntax === undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `DICOM transfer syntax ${transferSyntaxName(transferSyntaxUid)} (${transferSyntaxUid}) is not supported: ` +
        'export the study uncompressed from the PACS or scanner',
      { transferSyntaxUid },
    );
  }
  const isNative = syntax.encoding === 'native-le' || syntax.encoding === 'native-be';
  if (isNative && fileSize > ds.byteArray.length) {
    const element = ds.elements[pixels.pixelTag]!;
    const needed =
      pixels.bitsAllocated === 1
        ? Math.ceil((pixels.rows * pixels.columns * pixels.frames) / 8)
        : frameByteLength(pixels) * pixels.frames;
    const available = Math.min(element.length, fileSize - element.dataOffset);
    if (available < needed) {
      throw new AppError(
        'CORRUPT_FILE',
        `DICOM pixel data is incomplete: ${Math.max(0, available)} bytes present, ${needed} needed ` +
          `for ${pixels.frames} frame(s) of ${pixels.columns}x${pixels.rows}`,
      );
    }
    return;
  }
  // The last frame covers the whole length check for native data; every frame for encapsulated.
  if (isNative) frameBytes(ds, pixels, syntax.encoding, pixels.frames - 1);
  else for (let i = 0; i < pixels.frames; i++) frameBytes(ds, pixels, syntax.encoding, i);
}

export interface HeaderReading {
  header: DicomHeader;
  pixels: PixelDescription;
}

/** The header of an already parsed file; `fileSize` beyond the parsed bytes: head-only parse. */
export function headerFromParsed(
  parsed: ReturnType<typeof parseDicom>,
  fileSize: number,
): HeaderReading {
  return readingDicom(() => headerOf(parsed, fileSize));
}

function headerOf(parsed: ReturnType<typeof parseDicom>, fileSize: number): HeaderReading {
  const ds = parsed.dataSet;
  const sopInstanceUid = text(ds, 'x00080018');
  if (sopInstanceUid === null)
    throw new AppError('CORRUPT_FILE', 'DICOM file has no SOP Instance UID (0008,0018)');
  const pixels = describePixels(ds);
  checkPixelDataPresent(ds, pixels, parsed.transferSyntaxUid, fileSize);
  const geometry = frameGeometry(ds);
  const header: DicomHeader = {
    transferSyntaxUid: parsed.transferSyntaxUid,
    sopInstanceUid,
    sopClassUid: text(ds, 'x00080016'),
    patientId: text(ds, 'x00100020'),
    patientName: formatPersonName(text(ds, 'x00100010')),
    patientBirthDate: dicomDateToIso(text(ds, 'x00100030')),
    patientSex: sexOf(text(ds, 'x00100040')),
    studyInstanceUid: text(ds, 'x0020000d'),
    studyDate: dicomDateToIso(text(ds, 'x00080020')),
    studyDescription: text(ds, 'x00081030'),
    accessionNumber: text(ds, 'x00080050'),
    seriesInstanceUid: text(ds, 'x0020000e'),
    seriesNumber: integer(ds, 'x00200011'),
    seriesDescription: text(ds, 'x0008103e'),
    modality: text(ds, 'x00080060'),
    instanceNumber: integer(ds, 'x00200013'),
    rows: pixels.rows,
    columns: pixels.columns,
    frames: pixels.frames,
    bitsAllocated: pixels.bitsAllocated,
    samplesPerPixel: pixels.samplesPerPixel,
    imageType: allStrings(ds, 'x00080008'),
    pixelSpacing: pixels.pixelSpacing,
    sliceThickness: decimal(ds, 'x00180050'),
    spacingBetweenSlices: decimal(ds, 'x00180088'),
    imagePosition: geometry.position,
    imageOrientation: geometry.orientation,
    framePositions: geometry.framePositions,
  };
  return { header, pixels };
}
