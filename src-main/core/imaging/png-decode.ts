import { inflateSync } from 'node:zlib';
import { AppError } from '../../../src-shared/errors.js';
import { dtypeOf, valueRange, type DecodedFrame } from './frame.js';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function unsupported(reason: string): AppError {
  return new AppError('UNSUPPORTED_FORMAT', `PNG cannot be shown: ${reason}`);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses PNG's per-row filters (None, Sub, Up, Average, Paeth) in place into `out`. */
function unfilter(raw: Uint8Array, height: number, rowBytes: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * rowBytes);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)]!;
    const src = y * (rowBytes + 1) + 1;
    const row = y * rowBytes;
    const prev = row - rowBytes;
    for (let x = 0; x < rowBytes; x++) {
      const value = raw[src + x]!;
      const left = x >= bpp ? out[row + x - bpp]! : 0;
      const up = y > 0 ? out[prev + x]! : 0;
      const upLeft = y > 0 && x >= bpp ? out[prev + x - bpp]! : 0;
      let decoded: number;
      switch (filter) {
        case 0:
          decoded = value;
          break;
        case 1:
          decoded = value + left;
          break;
        case 2:
          decoded = value + up;
          break;
        case 3:
          decoded = value + ((left + up) >> 1);
          break;
        case 4:
          decoded = value + paeth(left, up, upLeft);
          break;
        default:
          throw new AppError('CORRUPT_FILE', `PNG row ${y + 1} has an unknown filter (${filter})`);
      }
      out[row + x] = decoded & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a (validated) PNG to a frame: greyscale stays one sample, colour becomes RGB,
 * alpha is dropped, palette images are expanded; 8 and 16 bits per sample.
 */
export function decodePng(data: Uint8Array): DecodedFrame {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colourType = 0;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (offset + 12 <= data.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...data.subarray(offset + 4, offset + 8));
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      depth = body[8]!;
      colourType = body[9]!;
      interlace = body[12]!;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = CHANNELS[colourType];
  if (channels === undefined || width === 0 || height === 0)
    throw new AppError('CORRUPT_FILE', 'PNG header is invalid');
  if (interlace !== 0)
    throw unsupported('interlaced PNGs are not supported; save it without interlacing');
  if (depth !== 8 && depth !== 16) throw unsupported(`${depth}-bit samples are not supported`);
  const bytesPerSample = depth / 8;
  const bpp = channels * bytesPerSample;
  const rowBytes = width * bpp;
  const raw = inflateSync(Buffer.concat(idat), { maxOutputLength: height * (rowBytes + 1) });
  if (raw.length < height * (rowBytes + 1))
    throw new AppError('CORRUPT_FILE', 'PNG image data is incomplete');
  const pixels = unfilter(raw, height, rowBytes, bpp);
  const outSamples = channels >= 3 || colourType === 3 ? 3 : 1;
  const count = width * height;
  const out =
    depth === 16 ? new Uint16Array(count * outSamples) : new Uint8Array(count * outSamples);
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < outSamples; s++) {
      if (colourType === 3) {
        out[i * 3 + s] = palette?.[pixels[i]! * 3 + s] ?? 0;
        continue;
      }
      const at = (i * channels + s) * bytesPerSample;
      // PNG samples are big-endian.
      out[i * outSamples + s] = depth === 16 ? (pixels[at]! << 8) | pixels[at + 1]! : pixels[at]!;
    }
  }
  return {
    rows: height,
    columns: width,
    samplesPerPixel: outSamples === 3 ? 3 : 1,
    dtype: dtypeOf(out),
    data: out,
    photometric: outSamples === 3 ? 'RGB' : 'MONOCHROME2',
    ...valueRange(out),
  };
}
