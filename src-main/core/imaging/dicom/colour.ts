import type { DataSet } from 'dicom-parser';
import { AppError } from '../../../../src-shared/errors.js';
import type { FrameSamples } from '../frame.js';

/** RRR…GGG…BBB… to RGBRGB…. */
export function interleavePlanes(data: FrameSamples, pixelCount: number): FrameSamples {
  const out = new (data.constructor as new (n: number) => FrameSamples)(pixelCount * 3);
  for (let i = 0; i < pixelCount; i++) {
    out[3 * i] = data[i]!;
    out[3 * i + 1] = data[pixelCount + i]!;
    out[3 * i + 2] = data[2 * pixelCount + i]!;
  }
  return out;
}

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** YCbCr (full range, ITU-R BT.601 as PS3.3 C.7.6.3.1.2 defines it) to RGB, 8-bit, in place. */
export function ybrFullToRgb(data: Uint8Array): Uint8Array {
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = data[i]!;
    const cb = data[i + 1]! - 128;
    const cr = data[i + 2]! - 128;
    data[i] = clamp8(y + 1.402 * cr);
    data[i + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
    data[i + 2] = clamp8(y + 1.772 * cb);
  }
  return data;
}

/** Uncompressed YBR_FULL_422: each pair of pixels is stored as Y1 Y2 Cb Cr. */
export function ybr422ToRgb(data: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns * 3);
  let src = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c += 2) {
      const y1 = data[src]!;
      const y2 = data[src + 1]!;
      const cb = data[src + 2]!;
      const cr = data[src + 3]!;
      src += 4;
      const at = (r * columns + c) * 3;
      out.set([y1, cb, cr], at);
      if (c + 1 < columns) out.set([y2, cb, cr], at + 3);
    }
  }
  return ybrFullToRgb(out);
}

interface PaletteChannel {
  entries: number;
  firstMapped: number;
  data: Uint8Array;
}

function paletteChannel(ds: DataSet, descriptorTag: string, dataTag: string): PaletteChannel {
  const descriptor = ds.elements[descriptorTag];
  const element = ds.elements[dataTag];
  if (descriptor === undefined || element === undefined || descriptor.length < 6) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      'PALETTE COLOR image without its lookup tables (segmented palettes are not supported)',
    );
  }
  const entries = ds.uint16(descriptorTag, 0) || 65536;
  const firstMapped = ds.uint16(descriptorTag, 1) ?? 0;
  const bits = ds.uint16(descriptorTag, 2) ?? 16;
  const bytesPerEntry = bits > 8 ? 2 : 1;
  const available = Math.min(element.length, ds.byteArray.length - element.dataOffset);
  const count = Math.min(entries, Math.floor(available / bytesPerEntry));
  const lut = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    lut[i] =
      bytesPerEntry === 2
        ? ds.byteArrayParser.readUint16(ds.byteArray, element.dataOffset + 2 * i)
        : ds.byteArray[element.dataOffset + i]!;
  }
  // 16-bit entries are scaled to 8 bits, unless the writer put 8-bit values in 16-bit words.
  const max = lut.reduce((m, v) => (v > m ? v : m), 0);
  const scale = bytesPerEntry === 2 && max > 255 ? 1 / 257 : 1;
  return { entries: count, firstMapped, data: Uint8Array.from(lut, (v) => Math.round(v * scale)) };
}

/** Expands a PALETTE COLOR frame to RGB through its red, green and blue lookup tables. */
export function applyPalette(ds: DataSet, indices: FrameSamples): Uint8Array {
  const channels = [
    paletteChannel(ds, 'x00281101', 'x00281201'),
    paletteChannel(ds, 'x00281102', 'x00281202'),
    paletteChannel(ds, 'x00281103', 'x00281203'),
  ] as const;
  const out = new Uint8Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    for (let c = 0; c < 3; c++) {
      const channel = channels[c]!;
      const at = Math.min(Math.max(indices[i]! - channel.firstMapped, 0), channel.entries - 1);
      out[3 * i + c] = channel.data[at] ?? 0;
    }
  }
  return out;
}
