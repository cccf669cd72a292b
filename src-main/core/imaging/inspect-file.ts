import { open, readFile } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors.js';
import { detectType } from './detect-type.js';
import { headerFromParsed, type DicomHeader } from './dicom/dicom-header.js';
import { readJpegHeader, readPngHeader } from './image-header.js';
import { decodeDicomFrame } from './dicom/decode-frame.js';
import { dicomDirFiles, isDicomDir } from './dicom/dicomdir.js';
import { inspectDicomSeg, SEGMENTATION_STORAGE, type DicomSegSummary } from './dicom/dicom-seg.js';
import { parseDicom, readingDicom } from './dicom/parse-dicom.js';
import { isEncapsulated, transferSyntaxOf } from './dicom/transfer-syntax.js';
import { isNiftiHeader } from './nifti/nifti-header.js';
import { labelValues, readNiftiVolume, type NiftiGeometry } from './nifti/nifti-volume.js';
import { isAsciiStl, isBinaryStl, summariseStl, type MeshSummary } from './stl.js';
import { checkImageSize, gunzipHead, maxInflatedBytes } from './image-limits.js';

/** What a file turned out to be, with what the import records about it. */
export type Inspection =
  | { kind: 'dicom'; header: DicomHeader }
  /** A DICOM SEG: recorded as a segmentation of the series it refers to, not as a scan. */
  | { kind: 'dicom-seg'; header: DicomHeader; seg: DicomSegSummary }
  | { kind: 'dicomdir'; files: string[] }
  | { kind: 'png' | 'jpeg'; width: number; height: number }
  | { kind: 'nifti'; geometry: NiftiGeometry; labels: number[] | null }
  | { kind: 'stl'; mesh: MeshSummary };

export interface InspectRequest {
  path: string;
  maxFileBytes: number;
  /** Largest decompressed image accepted (NIfTI .gz, deflated DICOM). */
  maxDecodedBytes: number;
}

function unsupported(): AppError {
  return new AppError(
    'UNSUPPORTED_FORMAT',
    'Not a DICOM, NIfTI, STL, PNG or JPEG file (judged from its content, not its name).',
  );
}

/** Most DICOM headers fit in this; the pixel data after them need not be read to index a file. */
const HEAD_BYTES = 64 * 1024;

/**
 * The header from the head of the file when it holds all elements up to uncompressed pixel
 * data (lengths then checked against the file size); otherwise null and the caller reads it all.
 */
function headerFromHead(head: Uint8Array, fileSize: number): Inspection | null {
  let parsed;
  try {
    parsed = parseDicom(head, { untilPixelData: true });
  } catch {
    return null;
  }
  const syntax = transferSyntaxOf(parsed.transferSyntaxUid);
  const pixelData = parsed.dataSet.elements['x7fe00010'];
  if (syntax === undefined || isEncapsulated(syntax.encoding) || syntax.isDeflatedDataSet === true)
    return null;
  if (pixelData === undefined || readingDicom(() => isDicomDir(parsed.dataSet))) return null;
  const { header } = headerFromParsed(parsed, fileSize);
  checkDicomSize(header);
  // A SEG's frames are all decoded at import: read it whole.
  if (header.sopClassUid === SEGMENTATION_STORAGE) return null;
  return { kind: 'dicom', header };
}

/** Refuses, from its header, an image too large to decode (see IMAGE_LIMITS). */
function checkDicomSize(header: DicomHeader): void {
  checkImageSize(
    {
      rows: header.rows,
      columns: header.columns,
      frames: header.frames,
      bytesPerPixel: Math.ceil(header.bitsAllocated / 8) * header.samplesPerPixel,
    },
    'The DICOM image',
  );
}

async function inspectDicom(
  head: Uint8Array,
  fileSize: number,
  request: InspectRequest,
): Promise<Inspection> {
  if (head.length < fileSize) {
    const fromHead = headerFromHead(head, fileSize);
    if (fromHead !== null) return fromHead;
  }
  const data = head.length < fileSize ? await readFile(request.path) : head;
  const parsed = parseDicom(data, {
    maxInflatedBytes: Math.min(request.maxDecodedBytes, maxInflatedBytes(data.length)),
  });
  if (readingDicom(() => isDicomDir(parsed.dataSet))) {
    return {
      kind: 'dicomdir',
      files: readingDicom(() => dicomDirFiles(parsed.dataSet, request.path)),
    };
  }
  const { header, pixels } = headerFromParsed(parsed, data.length);
  checkDicomSize(header);
  if (header.sopClassUid === SEGMENTATION_STORAGE) {
    return {
      kind: 'dicom-seg',
      header,
      seg: await inspectDicomSeg(parsed, pixels),
    };
  }
  // A compressed codestream is only proven whole by decoding it: decode the first frame.
  const syntax = transferSyntaxOf(header.transferSyntaxUid);
  if (syntax !== undefined && isEncapsulated(syntax.encoding))
    await decodeDicomFrame(parsed, pixels, 0);
  return { kind: 'dicom', header };
}

/**
 * Reads a file and decides what it is from its content, validating it on the way: the work the
 * import hands to the worker pool, because a hostile file may throw, loop or exhaust memory.
 */
export async function inspectFile(request: InspectRequest): Promise<Inspection> {
  const handle = await open(request.path, 'r');
  let head: Buffer;
  let info;
  try {
    info = await handle.stat();
    head = Buffer.alloc(Math.min(info.size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (info.size > request.maxFileBytes) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `File is ${info.size} bytes; the limit is ${request.maxFileBytes}.`,
      {
        size: info.size,
        limit: request.maxFileBytes,
      },
    );
  }
  if (info.size === 0) throw new AppError('CORRUPT_FILE', 'File is empty');
  const type = detectType(head.subarray(0, 132));
  if (type === 'dicom' || type === 'dicom-raw') return inspectDicom(head, info.size, request);
  const data = head.length < info.size ? await readFile(request.path) : head;
  switch (type) {
    case 'png': {
      const { width, height } = readPngHeader(data);
      // Up to 16-bit RGBA: the most a PNG decodes to per pixel.
      checkImageSize(
        { rows: height, columns: width, frames: 1, bytesPerPixel: 8 },
        'The PNG picture',
      );
      return { kind: 'png', width, height };
    }
    case 'jpeg': {
      const { width, height } = readJpegHeader(data);
      checkImageSize(
        { rows: height, columns: width, frames: 1, bytesPerPixel: 3 },
        'The JPEG picture',
      );
      return { kind: 'jpeg', width, height };
    }
    default:
      break;
  }
  if (isBinaryStl(data) || isAsciiStl(data)) return { kind: 'stl', mesh: summariseStl(data) };
  const isGzip = data[0] === 0x1f && data[1] === 0x8b;
  if (isNiftiHeader(data) || (isGzip && isNiftiHeader(gunzipHead(data, 544)))) {
    const { data: voxels, ...geometry } = readNiftiVolume(data, {
      maxBytes: request.maxDecodedBytes,
    });
    return {
      kind: 'nifti',
      geometry,
      labels: geometry.samplesPerPixel === 1 ? labelValues(voxels) : null,
    };
  }
  throw unsupported();
}
