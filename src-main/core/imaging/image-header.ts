import { crc32, inflateSync } from 'node:zlib';
import { AppError } from '../../../src-shared/errors.js';

export interface ImageHeader {
  width: number;
  height: number;
}

const CHANNELS_BY_COLOUR_TYPE: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function corrupt(reason: string): AppError {
  return new AppError('CORRUPT_FILE', reason);
}

/**
 * Reads a PNG's size and proves the file is whole: every chunk's CRC matches, IEND is present
 * and the image data inflates to exactly the bytes its header promises.
 */
export function readPngHeader(data: Uint8Array): ImageHeader {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colourType = -1;
  let interlace = 0;
  const idat: Uint8Array[] = [];
  let sawEnd = false;
  while (offset + 12 <= data.byteLength) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...data.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > data.byteLength)
      throw corrupt(`PNG is truncated: chunk ${type} needs ${length} bytes that are missing`);
    const body = data.subarray(offset + 8, offset + 8 + length);
    const storedCrc = view.getUint32(offset + 8 + length);
    if (crc32(data.subarray(offset + 4, offset + 8 + length)) !== storedCrc) {
      throw corrupt(`PNG chunk ${type} fails its checksum: the file is damaged`);
    }
    if (type === 'IHDR') {
      if (length < 13) throw corrupt('PNG header chunk is too short');
      const h = new DataView(body.buffer, body.byteOffset, body.byteLength);
      width = h.getUint32(0);
      height = h.getUint32(4);
      bitDepth = body[8]!;
      colourType = body[9]!;
      interlace = body[12]!;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    offset = end;
  }
  if (width === 0 || height === 0) throw corrupt('PNG has no valid header (IHDR)');
  if (!sawEnd) throw corrupt('PNG is truncated: the end marker (IEND) is missing');
  const channels = CHANNELS_BY_COLOUR_TYPE[colourType];
  if (channels === undefined) throw corrupt(`PNG colour type ${colourType} is invalid`);
  if (width > 65_536 || height > 65_536)
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `PNG of ${width}x${height} pixels is too large to be a medical image`,
    );
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(idat));
  } catch {
    throw corrupt('PNG image data cannot be decompressed: the file is damaged');
  }
  if (interlace === 0) {
    const expected = height * (1 + Math.ceil((width * channels * bitDepth) / 8));
    if (inflated.byteLength !== expected) {
      throw corrupt(
        `PNG image data has ${inflated.byteLength} bytes where ${expected} were expected`,
      );
    }
  }
  return { width, height };
}

const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

/** Reads a JPEG's size from its frame header and checks that the end-of-image marker is there. */
export function readJpegHeader(data: Uint8Array): ImageHeader {
  let offset = 2;
  let size: ImageHeader | undefined;
  while (offset + 4 <= data.byteLength && size === undefined) {
    if (data[offset] !== 0xff) throw corrupt('JPEG structure is damaged (marker expected)');
    const marker = data[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = (data[offset + 2]! << 8) | data[offset + 3]!;
    if (length < 2 || offset + 2 + length > data.byteLength)
      throw corrupt('JPEG is truncated inside its headers');
    if (SOF_MARKERS.has(marker)) {
      const height = (data[offset + 5]! << 8) | data[offset + 6]!;
      const width = (data[offset + 7]! << 8) | data[offset + 8]!;
      size = { width, height };
    }
    offset += 2 + length;
  }
  if (size === undefined || size.width === 0 || size.height === 0)
    throw corrupt('JPEG has no frame header with a size');
  // Allow trailing padding after EOI, as some scanners write it.
  let end = data.byteLength;
  while (end > 2 && data[end - 1] === 0x00) end--;
  if (!(data[end - 2] === 0xff && data[end - 1] === 0xd9))
    throw corrupt('JPEG is truncated: the end-of-image marker is missing');
  return size;
}
