import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDicom } from '../../../test-support/dicom-fixtures.js';
import { decodeDicomFrame } from '../dicom/decode-frame.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { describePixels } from '../dicom/pixel-description.js';
import type { DecodedFrame } from '../frame.js';

const HTJ2K_LOSSLESS = '1.2.840.10008.1.2.4.201';
const HTJ2K_LOSSLESS_RPCL = '1.2.840.10008.1.2.4.202';
const HTJ2K = '1.2.840.10008.1.2.4.203';

/** OpenJPH's encoder, shipped in the same WebAssembly build as the decoder the app uses. */
interface HtEncoder {
  getDecodedBuffer(info: {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
    isUsingColorTransform: boolean;
  }): Uint8Array;
  setProgressionOrder(order: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}
type EncoderFactory = (options: {
  print: () => void;
  printErr: () => void;
}) => Promise<{ HTJ2KEncoder: new () => HtEncoder }>;

/** OpenJPH's progression order numbering (LRCP 0, RLCP 1, RPCL 2, PCRL 3, CPRL 4). */
const RPCL = 2;

let Encoder: new () => HtEncoder;
beforeAll(async () => {
  const factory = createRequire(import.meta.url)(
    '@cornerstonejs/codec-openjph/wasmjs',
  ) as EncoderFactory;
  Encoder = (await factory({ print: () => undefined, printErr: () => undefined })).HTJ2KEncoder;
});

interface Greyscale {
  rows: number;
  columns: number;
  bitsStored: number;
  isSigned: boolean;
  /** Stored values, row by row. */
  values: Int32Array;
}

/** A deterministic generator so a failing image can be rebuilt from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/**
 * An image that uses the whole value range: a gradient, a disc at the maximum, a corner at the
 * minimum and noise (so the entropy coder has real work), clamped to what `bitsStored` holds.
 */
function phantom(rows: number, columns: number, bitsStored: number, isSigned: boolean): Greyscale {
  const min = isSigned ? -(2 ** (bitsStored - 1)) : 0;
  const max = isSigned ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;
  const noise = random(rows * 1000 + columns + bitsStored);
  const values = new Int32Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const inDisc = (r - rows / 2) ** 2 + (c - columns / 3) ** 2 < (rows / 5) ** 2;
      const gradient = min + ((max - min) * (r * columns + c)) / (rows * columns);
      const value = inDisc ? max : r < 4 && c < 4 ? min : gradient + (noise() - 0.5) * 64;
      values[r * columns + c] = Math.round(Math.min(max, Math.max(min, value)));
    }
  }
  return { rows, columns, bitsStored, isSigned, values };
}

/** Encodes losslessly (OpenJPH's default: reversible 5/3 wavelet) to a raw HTJ2K codestream. */
function encodeHtj2k(image: Greyscale, options: { progressionOrder?: number } = {}): Uint8Array {
  const encoder = new Encoder();
  try {
    const bytesPerSample = image.bitsStored > 8 ? 2 : 1;
    const input = encoder.getDecodedBuffer({
      width: image.columns,
      height: image.rows,
      bitsPerSample: image.bitsStored,
      componentCount: 1,
      isSigned: image.isSigned,
      isUsingColorTransform: false,
    });
    const samples = new DataView(input.buffer, input.byteOffset, input.byteLength);
    image.values.forEach((v, i) => {
      if (bytesPerSample === 1) samples.setUint8(i, v & 0xff);
      else samples.setInt16(i * 2, v, true);
    });
    if (options.progressionOrder !== undefined)
      encoder.setProgressionOrder(options.progressionOrder);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

function htj2kDicom(image: Greyscale, transferSyntaxUid: string, frames: Uint8Array[]): Buffer {
  return makeDicom({
    rows: image.rows,
    columns: image.columns,
    bitsAllocated: image.bitsStored > 8 ? 16 : 8,
    bitsStored: image.bitsStored,
    pixelRepresentation: image.isSigned ? 1 : 0,
    transferSyntaxUid,
    encapsulatedFrames: frames,
  });
}

/** Where a marker first occurs (the first SOT follows the main header's marker segments). */
function indexOfMarker(bytes: Uint8Array, marker: number): number {
  for (let i = 0; i + 1 < bytes.length; i++)
    if (bytes[i] === marker >> 8 && bytes[i + 1] === (marker & 0xff)) return i;
  throw new Error(`marker ${marker.toString(16)} not found`);
}

async function decodeFrame(file: Uint8Array, index = 0): Promise<DecodedFrame> {
  const parsed = parseDicom(file);
  return decodeDicomFrame(parsed, describePixels(parsed.dataSet), index);
}

describe('HTJ2K (High-Throughput JPEG 2000) through the DICOM decoder', () => {
  const cases = [
    {
      name: '8-bit unsigned, HTJ2K Lossless',
      image: phantom(48, 64, 8, false),
      syntax: HTJ2K_LOSSLESS,
      dtype: 'uint8',
    },
    {
      name: '12 bits stored in 16, unsigned, HTJ2K Lossless RPCL',
      image: phantom(57, 43, 12, false),
      syntax: HTJ2K_LOSSLESS_RPCL,
      progressionOrder: RPCL,
      dtype: 'uint16',
    },
    {
      name: '16-bit signed (CT-like), HTJ2K',
      image: phantom(40, 72, 16, true),
      syntax: HTJ2K,
      dtype: 'int16',
    },
    {
      name: '12 bits stored in 16, signed, HTJ2K Lossless',
      image: phantom(33, 31, 12, true),
      syntax: HTJ2K_LOSSLESS,
      dtype: 'int16',
    },
  ] as const;

  for (const c of cases) {
    it(`decodes ${c.name} exactly to the encoded values`, async () => {
      const codestream = encodeHtj2k(c.image, {
        ...('progressionOrder' in c && { progressionOrder: c.progressionOrder }),
      });
      // A raw codestream (SOC then SIZ), as DICOM's HTJ2K syntaxes carry it.
      expect([...codestream.subarray(0, 4)]).toEqual([0xff, 0x4f, 0xff, 0x51]);
      const file = htj2kDicom(c.image, c.syntax, [codestream]);
      expect(parseDicom(file).transferSyntaxUid).toBe(c.syntax);

      const frame = await decodeFrame(file);
      expect(frame).toMatchObject({
        rows: c.image.rows,
        columns: c.image.columns,
        samplesPerPixel: 1,
        dtype: c.dtype,
        photometric: 'MONOCHROME2',
      });
      expect(Array.from(frame.data)).toEqual(Array.from(c.image.values));
      // The phantom reaches both ends of the range, so sign and high bits are exercised.
      const isSigned = c.image.isSigned;
      const top = isSigned ? 2 ** (c.image.bitsStored - 1) - 1 : 2 ** c.image.bitsStored - 1;
      expect(frame.maxValue).toBe(top);
      expect(frame.minValue).toBe(isSigned ? -top - 1 : 0);
    });
  }

  it('picks each frame of a multi-frame file from its own fragment', async () => {
    const first = phantom(24, 20, 12, false);
    const second = { ...first, values: first.values.map((v) => 4095 - v) };
    const file = htj2kDicom(first, HTJ2K_LOSSLESS, [encodeHtj2k(first), encodeHtj2k(second)]);
    expect(Array.from((await decodeFrame(file, 0)).data)).toEqual(Array.from(first.values));
    expect(Array.from((await decodeFrame(file, 1)).data)).toEqual(Array.from(second.values));
  });

  it('reports a cut-off codestream as a damaged file with the reason', async () => {
    const image = phantom(48, 64, 12, false);
    const codestream = encodeHtj2k(image);
    // Keep the headers and most of the coded data; OpenJPH alone would decode this to noise.
    for (const keep of [0.5, 0.98, (codestream.length - 2) / codestream.length]) {
      const cut = codestream.subarray(0, Math.floor(codestream.length * keep));
      await expect(decodeFrame(htj2kDicom(image, HTJ2K_LOSSLESS, [cut]))).rejects.toMatchObject({
        code: 'CORRUPT_FILE',
        message: expect.stringMatching(
          /^HTJ2K Lossless frame 1 cannot be decoded: the codestream is cut short/,
        ) as unknown,
      });
    }
  });

  it('accepts a last tile-part of unstated length (Psot 0) that runs to the end marker', async () => {
    const image = phantom(20, 24, 12, false);
    const codestream = encodeHtj2k(image);
    const sot = indexOfMarker(codestream, 0xff90);
    new DataView(codestream.buffer, codestream.byteOffset).setUint32(sot + 6, 0);
    const file = htj2kDicom(image, HTJ2K_LOSSLESS, [codestream]);
    expect(Array.from((await decodeFrame(file)).data)).toEqual(Array.from(image.values));
    const cut = codestream.subarray(0, codestream.length - 7);
    await expect(decodeFrame(htj2kDicom(image, HTJ2K_LOSSLESS, [cut]))).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringContaining('without the end-of-codestream marker') as unknown,
    });
  });

  it('reports a codestream cut inside its main header as a damaged file', async () => {
    const image = phantom(16, 16, 8, false);
    const cut = encodeHtj2k(image).subarray(0, 30);
    await expect(decodeFrame(htj2kDicom(image, HTJ2K_LOSSLESS, [cut]))).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringMatching(
        /^HTJ2K Lossless frame 1 cannot be decoded: the codestream is cut short \(30 bytes end inside its main header\)$/,
      ) as unknown,
    });
  });

  it('reports a codestream whose size disagrees with the header', async () => {
    const image = phantom(16, 16, 8, false);
    const other = phantom(16, 12, 8, false);
    await expect(
      decodeFrame(htj2kDicom(image, HTJ2K_LOSSLESS, [encodeHtj2k(other)])),
    ).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringContaining(
        'the codestream holds 12x16x1 where the header says 16x16x1',
      ),
    });
  });
});
