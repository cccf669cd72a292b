import type { FrameSamples } from '../frame.js';
import type { PixelDescription } from './pixel-description.js';

/** Copies little-endian bytes into a fresh, aligned typed array of the right width. */
function aligned<T extends Uint16Array | Uint32Array | Float32Array | Float64Array | Int32Array>(
  bytes: Uint8Array,
  make: (buffer: ArrayBuffer) => T,
): T {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return make(copy.buffer);
}

export function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length - (bytes.length % width));
  for (let i = 0; i < out.length; i += width)
    for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b]!;
  return out;
}

function unpackBits(bytes: Uint8Array, count: number, firstBit: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = firstBit + i;
    out[i] = ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1;
  }
  return out;
}

/**
 * Turns little-endian frame bytes into stored values: masks bits above Bits Stored (some
 * scanners leave garbage there, e.g. overlays), sign-extends signed data from its high bit,
 * and widens 32/64-bit and float data to float32.
 */
export function storedValues(
  bytes: Uint8Array,
  p: PixelDescription,
  sampleCount: number,
  firstBit = 0,
): FrameSamples {
  if (p.bitsAllocated === 1) return unpackBits(bytes, sampleCount, firstBit);
  if (p.floatBytes === 4) return aligned(bytes, (b) => new Float32Array(b, 0, sampleCount));
  if (p.floatBytes === 8)
    return Float32Array.from(aligned(bytes, (b) => new Float64Array(b, 0, sampleCount)));
  const shift = Math.max(0, p.highBit + 1 - p.bitsStored);
  if (p.bitsAllocated === 8) {
    const raw = bytes.subarray(0, sampleCount);
    if (!p.isSigned && p.bitsStored === 8) return Uint8Array.from(raw);
    const mask = (1 << p.bitsStored) - 1;
    const signBit = 1 << (p.bitsStored - 1);
    if (!p.isSigned) return raw.map((v) => (v >> shift) & mask);
    return Int16Array.from(raw, (v) => {
      const value = (v >> shift) & mask;
      return value & signBit ? value - (mask + 1) : value;
    });
  }
  if (p.bitsAllocated === 16) {
    const raw = aligned(bytes, (b) => new Uint16Array(b, 0, sampleCount));
    if (p.bitsStored === 16 && shift === 0) {
      return p.isSigned ? new Int16Array(raw.buffer, 0, sampleCount) : raw;
    }
    const mask = (1 << p.bitsStored) - 1;
    const signBit = 1 << (p.bitsStored - 1);
    if (!p.isSigned) {
      for (let i = 0; i < raw.length; i++) raw[i] = (raw[i]! >> shift) & mask;
      return raw;
    }
    const out = new Int16Array(sampleCount);
    for (let i = 0; i < sampleCount; i++) {
      const value = (raw[i]! >> shift) & mask;
      out[i] = value & signBit ? value - (mask + 1) : value;
    }
    return out;
  }
  // 32-bit integers: widen to float32 (exact up to 2^24, which covers dose grids and maps).
  const raw = p.isSigned
    ? aligned(bytes, (b) => new Int32Array(b, 0, sampleCount))
    : aligned(bytes, (b) => new Uint32Array(b, 0, sampleCount));
  return Float32Array.from(raw);
}
