import type { DataSet, Element, Fragment } from 'dicom-parser';
import { AppError } from '../../../../src-shared/errors.js';
import { frameByteLength, type PixelDescription } from './pixel-description.js';
import type { PixelEncoding } from './transfer-syntax.js';

function corrupt(reason: string): AppError {
  return new AppError('CORRUPT_FILE', reason);
}

/** The bytes a frame's compressed codestream starts with, to find frames without an offset table. */
function startsFrame(encoding: PixelEncoding, bytes: Uint8Array, at: number): boolean {
  const b = (i: number): number => bytes[at + i] ?? -1;
  switch (encoding) {
    case 'jpeg-baseline':
    case 'jpeg-lossless':
    case 'jpeg-ls':
      return b(0) === 0xff && b(1) === 0xd8;
    case 'jpeg-2000':
    case 'htj2k':
      return (b(0) === 0xff && b(1) === 0x4f) || (b(4) === 0x6a && b(5) === 0x50);
    case 'rle': {
      const segments = b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
      const firstOffset = b(4) | (b(5) << 8) | (b(6) << 16) | (b(7) << 24);
      return segments >= 1 && segments <= 15 && firstOffset === 64;
    }
    case 'deflated-frames':
    case 'native-le':
    case 'native-be':
      return false;
  }
}

function concat(bytes: Uint8Array, fragments: readonly Fragment[]): Uint8Array {
  if (fragments.length === 1) {
    const f = fragments[0]!;
    return bytes.subarray(f.position, f.position + f.length);
  }
  const total = fragments.reduce((sum, f) => sum + f.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const f of fragments) {
    out.set(bytes.subarray(f.position, f.position + f.length), offset);
    offset += f.length;
  }
  return out;
}

/** Groups fragments into frames: by the Basic Offset Table, one per frame, or by start markers. */
function fragmentsOfFrame(
  bytes: Uint8Array,
  element: Element,
  frames: number,
  index: number,
  encoding: PixelEncoding,
): Fragment[] {
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw corrupt('Encapsulated pixel data holds no fragments');
  for (const f of fragments) {
    if (f.position + f.length > bytes.length)
      throw corrupt(
        'Encapsulated pixel data is truncated: a fragment runs past the end of the file',
      );
  }
  if (frames === 1) return fragments;
  const table = element.basicOffsetTable ?? [];
  if (table.length === frames) {
    const start = table[index]!;
    const end = index + 1 < frames ? table[index + 1]! : Number.POSITIVE_INFINITY;
    const selected = fragments.filter((f) => f.offset >= start && f.offset < end);
    if (selected.length > 0) return selected;
  }
  if (fragments.length === frames) return [fragments[index]!];
  const starts: number[] = [];
  fragments.forEach((f, i) => {
    if (startsFrame(encoding, bytes, f.position)) starts.push(i);
  });
  if (starts.length !== frames) {
    throw corrupt(
      `Encapsulated pixel data has ${fragments.length} fragments that cannot be matched to ${frames} frames`,
    );
  }
  return fragments.slice(starts[index], starts[index + 1] ?? fragments.length);
}

/**
 * The raw bytes of one frame as stored: the uncompressed samples (native transfer syntaxes,
 * still in the file's byte order) or the compressed codestream. Checks every length against
 * the bytes present.
 */
export function frameBytes(
  ds: DataSet,
  pixels: PixelDescription,
  encoding: PixelEncoding,
  index: number,
): Uint8Array {
  const element = ds.elements[pixels.pixelTag];
  if (element === undefined) throw corrupt('DICOM file has no Pixel Data');
  if (index < 0 || index >= pixels.frames) {
    throw new AppError('NOT_FOUND', `Frame ${index + 1} does not exist (${pixels.frames} frames)`);
  }
  const bytes = ds.byteArray;
  if (encoding !== 'native-le' && encoding !== 'native-be') {
    if (element.encapsulatedPixelData !== true)
      throw corrupt('Compressed transfer syntax but the pixel data is not encapsulated');
    return concat(bytes, fragmentsOfFrame(bytes, element, pixels.frames, index, encoding));
  }
  const available = Math.min(element.length, bytes.length - element.dataOffset);
  if (pixels.bitsAllocated === 1) {
    // Single-bit frames are packed back to back without byte alignment.
    const pixelsPerFrame = pixels.rows * pixels.columns * pixels.samplesPerPixel;
    const firstBit = index * pixelsPerFrame;
    const start = element.dataOffset + Math.floor(firstBit / 8);
    const end = element.dataOffset + Math.ceil((firstBit + pixelsPerFrame) / 8);
    if (end - element.dataOffset > available) throw truncated(pixels, available);
    return bytes.subarray(start, end);
  }
  const size = frameByteLength(pixels);
  const start = element.dataOffset + index * size;
  if ((index + 1) * size > available) throw truncated(pixels, available);
  return bytes.subarray(start, start + size);
}

function truncated(pixels: PixelDescription, available: number): AppError {
  const needed =
    pixels.bitsAllocated === 1
      ? Math.ceil((pixels.rows * pixels.columns * pixels.frames) / 8)
      : frameByteLength(pixels) * pixels.frames;
  return corrupt(
    `DICOM pixel data is incomplete: ${Math.max(0, available)} bytes present, ${needed} needed ` +
      `for ${pixels.frames} frame(s) of ${pixels.columns}x${pixels.rows}`,
  );
}
