import type { FrameDtype, FrameSamples } from '../../../src-shared/contract/frames.js';

export type { FrameSamples };

/** One decoded 2D frame: stored values (before rescale), row by row, samples interleaved. */
export interface DecodedFrame {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  dtype: FrameDtype;
  data: FrameSamples;
  photometric: 'MONOCHROME1' | 'MONOCHROME2' | 'RGB';
  minValue: number;
  maxValue: number;
}

export function dtypeOf(data: FrameSamples): FrameDtype {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  return 'float32';
}

export function valueRange(data: FrameSamples): { minValue: number; maxValue: number } {
  if (data.length === 0) return { minValue: 0, maxValue: 0 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { minValue: 0, maxValue: 0 };
  return { minValue: min, maxValue: max };
}

/** The frame's samples as an ArrayBuffer of exactly its bytes (for binary transports). */
export function frameBuffer(data: FrameSamples): ArrayBuffer {
  const copy = new Uint8Array(data.byteLength);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return copy.buffer;
}
