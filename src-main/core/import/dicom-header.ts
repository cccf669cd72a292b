import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { AppError } from '../../../src-shared/errors.js';

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
  /** [column spacing, row spacing] in mm, i.e. PixelSpacing reversed. */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  spacingBetweenSlices: number | null;
  imagePosition: [number, number, number] | null;
  imageOrientation: [number, number, number, number, number, number] | null;
}

export const UNCOMPRESSED_TRANSFER_SYNTAXES: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
};

const KNOWN_COMPRESSED: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

function str(ds: DataSet, tag: string): string | null {
  const value = ds.string(tag);
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function num(ds: DataSet, tag: string, index = 0): number | null {
  const value = ds.floatString(tag, index);
  return value === undefined || !Number.isFinite(value) ? null : value;
}

function numbers<N extends number>(ds: DataSet, tag: string, count: N): number[] | null {
  if (ds.elements[tag] === undefined) return null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = num(ds, tag, i);
    if (value === null) return null;
    out.push(value);
  }
  return out;
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

/** dicom-parser throws strings, Errors, or objects of the form { exception, dataSet }. */
function describeParseError(error: unknown): string {
  const exception =
    typeof error === 'object' && error !== null && 'exception' in error
      ? (error as { exception: unknown }).exception
      : error;
  const text =
    typeof exception === 'string'
      ? exception
      : exception instanceof Error
        ? exception.message
        : 'unreadable structure';
  return text.replace(/^dicomParser\.\w+: /, '');
}

/**
 * Parses a DICOM file's header and checks that its pixel data is really there.
 * Throws AppError CORRUPT_FILE for damaged files and UNSUPPORTED_FORMAT for files this build cannot show.
 */
export function readDicomHeader(data: Uint8Array, options: { hasPreamble: boolean }): DicomHeader {
  let ds: DataSet;
  try {
    ds = options.hasPreamble
      ? dicomParser.parseDicom(data)
      : dicomParser.parseDicom(data, { TransferSyntaxUID: guessRawTransferSyntax(data) });
  } catch (error) {
    throw new AppError('CORRUPT_FILE', `DICOM file cannot be parsed: ${describeParseError(error)}`);
  }
  const transferSyntaxUid = str(ds, 'x00020010') ?? guessRawTransferSyntax(data);
  const sopInstanceUid = str(ds, 'x00080018');
  if (sopInstanceUid === null)
    throw new AppError('CORRUPT_FILE', 'DICOM file has no SOP Instance UID (0008,0018)');
  const pixelData = ds.elements['x7fe00010'];
  if (pixelData === undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      'DICOM file holds no image (no Pixel Data): it may be a report, a DICOMDIR or a presentation state',
    );
  }
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  if (rows === 0 || columns === 0)
    throw new AppError('CORRUPT_FILE', 'DICOM image has no Rows/Columns');
  const bitsAllocated = ds.uint16('x00280100') ?? 0;
  const samplesPerPixel = ds.uint16('x00280002') ?? 1;
  const frames = Math.max(1, ds.intString('x00280008') ?? 1);
  if (![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new AppError(
      'CORRUPT_FILE',
      `DICOM image has an invalid Bits Allocated (${bitsAllocated})`,
    );
  }
  const compressedName = KNOWN_COMPRESSED[transferSyntaxUid];
  if (UNCOMPRESSED_TRANSFER_SYNTAXES[transferSyntaxUid] === undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `DICOM transfer syntax ${compressedName ?? 'unknown'} (${transferSyntaxUid}) is not supported yet: ` +
        'export the study uncompressed from the PACS or scanner',
      { transferSyntaxUid },
    );
  }
  // Sizes in floating point: rows*columns*frames*samples can exceed 2^31 for hostile headers.
  const expectedBytes = Math.ceil((rows * columns * frames * samplesPerPixel * bitsAllocated) / 8);
  const available = data.byteLength - pixelData.dataOffset;
  if (pixelData.length < expectedBytes || available < expectedBytes) {
    throw new AppError(
      'CORRUPT_FILE',
      `DICOM pixel data is incomplete: ${Math.min(pixelData.length, available)} bytes present, ${expectedBytes} needed ` +
        `for ${frames} frame(s) of ${columns}x${rows}`,
    );
  }
  const spacing = numbers(ds, 'x00280030', 2);
  const position = numbers(ds, 'x00200032', 3);
  const orientation = numbers(ds, 'x00200037', 6);
  return {
    transferSyntaxUid,
    sopInstanceUid,
    sopClassUid: str(ds, 'x00080016'),
    patientId: str(ds, 'x00100020'),
    patientName: formatPersonName(str(ds, 'x00100010')),
    patientBirthDate: dicomDateToIso(str(ds, 'x00100030')),
    patientSex: sexOf(str(ds, 'x00100040')),
    studyInstanceUid: str(ds, 'x0020000d'),
    studyDate: dicomDateToIso(str(ds, 'x00080020')),
    studyDescription: str(ds, 'x00081030'),
    accessionNumber: str(ds, 'x00080050'),
    seriesInstanceUid: str(ds, 'x0020000e'),
    seriesNumber: ds.intString('x00200011') ?? null,
    seriesDescription: str(ds, 'x0008103e'),
    modality: str(ds, 'x00080060'),
    instanceNumber: ds.intString('x00200013') ?? null,
    rows,
    columns,
    frames,
    bitsAllocated,
    samplesPerPixel,
    pixelSpacing: spacing === null ? null : [spacing[1]!, spacing[0]!],
    sliceThickness: num(ds, 'x00180050'),
    spacingBetweenSlices: num(ds, 'x00180088'),
    imagePosition: position === null ? null : [position[0]!, position[1]!, position[2]!],
    imageOrientation:
      orientation === null
        ? null
        : [
            orientation[0]!,
            orientation[1]!,
            orientation[2]!,
            orientation[3]!,
            orientation[4]!,
            orientation[5]!,
          ],
  };
}

/** A data set without preamble: explicit VR if a VR follows the first tag, else implicit. */
function guessRawTransferSyntax(data: Uint8Array): string {
  const vr0 = data[4] ?? 0;
  const vr1 = data[5] ?? 0;
  const isExplicit = vr0 >= 0x41 && vr0 <= 0x5a && vr1 >= 0x41 && vr1 <= 0x5a;
  return isExplicit ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2';
}
