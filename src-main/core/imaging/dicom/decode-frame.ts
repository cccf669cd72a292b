import { inflateRawSync, inflateSync } from 'node:zlib';
import { AppError, isAppError } from '../../../../src-shared/errors.js';
import { decodeJpegExtended12, jpegPrecision } from '../codecs/jpeg-extended.js';
import { decodeJpegLossless } from '../codecs/jpeg-lossless.js';
import { decodeRle } from '../codecs/rle.js';
import { decodeWithWasm, type WasmCodecName } from '../codecs/wasm-codecs.js';
import { dtypeOf, valueRange, type DecodedFrame, type FrameSamples } from '../frame.js';
import { applyPalette, interleavePlanes, ybr422ToRgb, ybrFullToRgb } from './colour.js';
import { frameBytes } from './frame-bytes.js';
import { readingDicom, type ParsedDicom } from './parse-dicom.js';
import { frameByteLength, type PixelDescription } from './pixel-description.js';
import { storedValues, swapBytes } from './stored-values.js';
import { transferSyntaxName, transferSyntaxOf, type PixelEncoding } from './transfer-syntax.js';

/** Little-endian sample bytes of a frame and whether colour conversion is still to be done. */
interface Unpacked {
  bytes: Uint8Array;
  /** The codec already delivered RGB (JPEG and JPEG 2000 convert YCbCr themselves). */
  isRgb: boolean;
  /** Colour samples are interleaved (codecs and RLE always interleave). */
  isInterleaved: boolean;
  /** Single-bit images come out of image codecs as one byte per pixel, not packed bits. */
  isBytePerPixel?: boolean;
}

function expectWasmShape(
  p: PixelDescription,
  info: { width: number; height: number; componentCount: number },
): void {
  if (
    info.width !== p.columns ||
    info.height !== p.rows ||
    info.componentCount !== p.samplesPerPixel
  ) {
    throw new Error(
      `the codestream holds ${info.width}x${info.height}x${info.componentCount} where the header says ` +
        `${p.columns}x${p.rows}x${p.samplesPerPixel}`,
    );
  }
}

async function unpack(
  encoding: PixelEncoding,
  raw: Uint8Array,
  p: PixelDescription,
): Promise<Unpacked> {
  const bytesPerSample = Math.max(1, p.bitsAllocated / 8);
  switch (encoding) {
    case 'native-le':
      return { bytes: raw, isRgb: false, isInterleaved: p.planarConfiguration === 0 };
    case 'native-be':
      return {
        bytes: p.bitsAllocated > 8 ? swapBytes(raw, bytesPerSample) : raw,
        isRgb: false,
        isInterleaved: p.planarConfiguration === 0,
      };
    case 'deflated-frames': {
      const maxOutputLength = Math.max(1, frameByteLength(p));
      let bytes: Uint8Array;
      try {
        bytes = inflateRawSync(raw, { maxOutputLength });
      } catch {
        bytes = inflateSync(raw, { maxOutputLength });
      }
      return { bytes, isRgb: false, isInterleaved: p.planarConfiguration === 0 };
    }
    case 'rle':
      return {
        bytes: decodeRle(raw, p),
        isRgb: false,
        isInterleaved: true,
      };
    case 'jpeg-lossless':
      return {
        bytes: decodeJpegLossless(raw, p.bitsAllocated > 8 ? 2 : 1),
        isRgb: false,
        isInterleaved: true,
      };
    case 'jpeg-baseline':
      // libjpeg-turbo's WASM build is 8-bit only; 12-bit (process 4) goes to a 12-bit decoder.
      if (jpegPrecision(raw) > 8) {
        if (p.bitsAllocated !== 16) throw new Error('a 12-bit JPEG needs Bits Allocated 16');
        return {
          bytes: decodeJpegExtended12(raw, p),
          isRgb: false,
          isInterleaved: true,
        };
      }
      return wasm('jpeg-baseline', raw, p);
    case 'jpeg-ls':
    case 'jpeg-2000':
    case 'htj2k':
      return wasm(encoding, raw, p);
  }
}

async function wasm(name: WasmCodecName, raw: Uint8Array, p: PixelDescription): Promise<Unpacked> {
  const { info, data } = await decodeWithWasm(name, raw);
  expectWasmShape(p, info);
  // 8-bit codestreams in 16-bit words (and the reverse) are widened to what the header says.
  const outBytesPerSample = p.bitsAllocated > 8 ? 2 : 1;
  const codecBytesPerSample = info.bitsPerSample > 8 ? 2 : 1;
  let bytes = data;
  if (outBytesPerSample === 2 && codecBytesPerSample === 1) {
    bytes = new Uint8Array(new Uint16Array(Uint8Array.from(data)).buffer);
  } else if (outBytesPerSample === 1 && codecBytesPerSample === 2) {
    bytes = Uint8Array.from(new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2));
  }
  const isColour = p.samplesPerPixel === 3;
  return { bytes, isRgb: isColour, isInterleaved: true, isBytePerPixel: p.bitsAllocated === 1 };
}

function toColour(
  samples: FrameSamples,
  p: PixelDescription,
  unpacked: Unpacked,
  encoding: PixelEncoding,
): FrameSamples {
  const pixelCount = p.rows * p.columns;
  if (p.photometric === 'YBR_FULL_422' && !unpacked.isRgb && encoding.startsWith('native')) {
    return ybr422ToRgb(samples as Uint8Array, p.rows, p.columns);
  }
  let rgb = unpacked.isInterleaved ? samples : interleavePlanes(samples, pixelCount);
  if (!unpacked.isRgb && p.photometric.startsWith('YBR_FULL') && rgb instanceof Uint8Array) {
    rgb = ybrFullToRgb(rgb);
  }
  return rgb;
}

function sampleCountOf(p: PixelDescription, encoding: PixelEncoding): number {
  // Uncompressed 4:2:2 stores two samples per pixel on average, not three.
  if (p.photometric === 'YBR_FULL_422' && encoding.startsWith('native'))
    return p.rows * p.columns * 2;
  return p.rows * p.columns * p.samplesPerPixel;
}

/**
 * Decodes frame `index` (0-based) of a parsed DICOM image to stored values: any supported
 * transfer syntax, bit depth, sign, colour model. Throws AppError CORRUPT_FILE with the
 * decoder's reason for damaged data and UNSUPPORTED_FORMAT for what this build cannot decode.
 */
export async function decodeDicomFrame(
  parsed: ParsedDicom,
  p: PixelDescription,
  index: number,
): Promise<DecodedFrame> {
  const syntax = transferSyntaxOf(parsed.transferSyntaxUid);
  if (syntax === undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `DICOM transfer syntax ${parsed.transferSyntaxUid} is not supported: export the study uncompressed from the PACS or scanner`,
      { transferSyntaxUid: parsed.transferSyntaxUid },
    );
  }
  const encoding = syntax.encoding;
  const raw = readingDicom(() => frameBytes(parsed.dataSet, p, encoding, index));
  let unpacked: Unpacked;
  try {
    unpacked = await unpack(encoding, raw, p);
  } catch (error) {
    if (isAppError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'CORRUPT_FILE',
      `${transferSyntaxName(parsed.transferSyntaxUid)} frame ${index + 1} cannot be decoded: ${reason}`,
    );
  }
  const sampleCount = sampleCountOf(p, encoding);
  const neededBytes = p.bitsAllocated === 1 ? 0 : Math.ceil((sampleCount * p.bitsAllocated) / 8);
  if (unpacked.bytes.length < neededBytes) {
    throw new AppError(
      'CORRUPT_FILE',
      `Frame ${index + 1} decodes to ${unpacked.bytes.length} bytes where ${neededBytes} are needed`,
    );
  }
  // Native single-bit frames are packed back to back, so a frame may start mid-byte.
  const firstBit =
    p.bitsAllocated === 1 && encoding.startsWith('native') ? (index * p.rows * p.columns) % 8 : 0;
  let samples =
    unpacked.isBytePerPixel === true
      ? Uint8Array.from(unpacked.bytes.subarray(0, sampleCount), (v) => (v > 0 ? 1 : 0))
      : storedValues(unpacked.bytes, p, sampleCount, firstBit);
  let photometric: DecodedFrame['photometric'] =
    p.photometric === 'MONOCHROME1' ? 'MONOCHROME1' : 'MONOCHROME2';
  let samplesPerPixel: 1 | 3 = 1;
  if (p.samplesPerPixel === 3) {
    samples = toColour(samples, p, unpacked, encoding);
    photometric = 'RGB';
    samplesPerPixel = 3;
  } else if (p.photometric === 'PALETTE COLOR') {
    const indices = samples;
    samples = readingDicom(() => applyPalette(parsed.dataSet, indices));
    photometric = 'RGB';
    samplesPerPixel = 3;
  }
  return {
    rows: p.rows,
    columns: p.columns,
    samplesPerPixel,
    dtype: dtypeOf(samples),
    data: samples,
    photometric,
    ...valueRange(samples),
  };
}
