import { createRequire } from 'node:module';

interface JpegImageDecoder {
  width: number;
  height: number;
  components: readonly unknown[];
  parse(data: Uint8Array): void;
  getData16(width: number, height: number): Uint16Array;
}

const require = createRequire(import.meta.url);
// Daikon's decoder is pdf.js's JpegImage extended to 12-bit precision: the one DCT decoder on
// npm that runs in plain Node and keeps 12 bits. libjpeg-turbo's WASM build is 8-bit only.
const { JpegImage } = require('daikon/lib/jpeg-baseline.js') as {
  JpegImage: new () => JpegImageDecoder;
};

/**
 * The decoder scales pdf.js's 8-bit output step `(x + 2056) >> 4` to other precisions by
 * (2^P − 1)/255, which turns the level shift 2^(P−1) into 2056·4095/255 = 33016 instead of
 * 2048·16 + 8 = 32776 for 12 bits: every sample comes out (33016 − 32776)/16 = 15 too high, the
 * same for all pixels (measured against dcmtk on the NEMA and pydicom samples). Subtracting it
 * gives dcmtk's values except at the very top of the range, where the decoder clips from
 * 4080 rather than 4095.
 */
function removeLevelShiftBias(samples: Uint16Array, precision: number): void {
  const scaledOffset = Math.trunc((2056 * (2 ** precision - 1)) / 255);
  const bias = (scaledOffset - (2 ** (precision + 3) + 8)) >> 4;
  if (bias <= 0) return;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    samples[i] = value > bias ? value - bias : 0;
  }
}

/**
 * Decodes a 12-bit (process 4) JPEG Extended greyscale codestream to 16-bit samples.
 * Returns little-endian bytes, two per sample, exactly `width × height` of them.
 */
export function decodeJpegExtended12(
  encoded: Uint8Array,
  expected: { columns: number; rows: number; samplesPerPixel: number },
): Uint8Array {
  const image = new JpegImage();
  try {
    image.parse(withoutFillBytes(encoded));
  } catch (thrown) {
    // The decoder throws plain strings ("marker was not found"): make them errors with a reason.
    throw thrown instanceof Error ? thrown : new Error(`JPEG Extended: ${String(thrown)}`);
  }
  const components = image.components.length;
  if (
    image.width !== expected.columns ||
    image.height !== expected.rows ||
    components !== expected.samplesPerPixel
  ) {
    throw new Error(
      `the codestream holds ${image.width}x${image.height}x${components} where the header says ` +
        `${expected.columns}x${expected.rows}x${expected.samplesPerPixel}`,
    );
  }
  if (components !== 1) {
    throw new Error(
      '12-bit JPEG Extended colour images are not supported (DICOM allows greyscale only)',
    );
  }
  const samples = image.getData16(image.width, image.height);
  removeLevelShiftBias(samples, jpegPrecision(encoded));
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Start-of-frame markers of the DCT and lossless processes (not DHT C4, JPG C8, DAC CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * The sample precision (8 or 12 for DCT) from the codestream's start-of-frame header, or 0 when
 * none is found. The codestream, not Bits Stored, decides the decoder: some writers put 8-bit
 * JPEG in 12-bit-labelled files.
 */
export function jpegPrecision(encoded: Uint8Array): number {
  let offset = 2; // after SOI
  while (offset + 4 < encoded.length) {
    if (encoded[offset] !== 0xff) return 0;
    const marker = encoded[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (isStartOfFrame(marker)) return encoded[offset + 4] ?? 0;
    if (marker === 0xda || marker === 0xd9) return 0; // scan data before any frame header
    const length = (encoded[offset + 2]! << 8) | encoded[offset + 3]!;
    offset += 2 + length;
  }
  return 0;
}

function hasLength(marker: number): boolean {
  // SOI, EOI, RSTn and TEM stand alone; every other marker is followed by a 2-byte length.
  return !(
    marker === 0xd8 ||
    marker === 0xd9 ||
    (marker >= 0xd0 && marker <= 0xd7) ||
    marker === 0x01
  );
}

/**
 * Drops 0xFF fill bytes in front of markers (T.81 B.1.1.2), which encoders such as dcmtk write
 * before EOI and the decoder reads as an unknown marker. Segment payloads are copied untouched:
 * a quantisation table may hold 0xFFFF.
 */
export function withoutFillBytes(encoded: Uint8Array): Uint8Array {
  const out = new Uint8Array(encoded.length);
  let o = 0;
  let i = 0;
  const copy = (count: number): void => {
    const end = Math.min(encoded.length, i + count);
    out.set(encoded.subarray(i, end), o);
    o += end - i;
    i = end;
  };
  while (i < encoded.length) {
    if (encoded[i] !== 0xff) {
      copy(1);
      continue;
    }
    const marker = encoded[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (!hasLength(marker)) {
      copy(2);
      continue;
    }
    const length = ((encoded[i + 2] ?? 0) << 8) | (encoded[i + 3] ?? 0);
    copy(2 + length);
    if (marker !== 0xda) continue;
    // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker.
    while (i < encoded.length) {
      const next = encoded[i + 1] ?? 0;
      if (encoded[i] === 0xff && next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
      copy(encoded[i] === 0xff ? 2 : 1);
    }
  }
  return out.subarray(0, o);
}
