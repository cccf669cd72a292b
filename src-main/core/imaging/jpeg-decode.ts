import { AppError } from '../../../src-shared/errors.js';
import { decodeWithWasm } from './codecs/wasm-codecs.js';
import { valueRange, type DecodedFrame } from './frame.js';

/** Decodes a JPEG photo/X-ray (8-bit, greyscale or colour) with libjpeg-turbo. */
export async function decodeJpeg(data: Uint8Array): Promise<DecodedFrame> {
  let decoded;
  try {
    decoded = await decodeWithWasm('jpeg-baseline', data);
  } catch (error) {
    throw new AppError('CORRUPT_FILE', `JPEG cannot be decoded: ${(error as Error).message}`);
  }
  const { width, height, componentCount } = decoded.info;
  if (width === 0 || height === 0 || (componentCount !== 1 && componentCount !== 3)) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `JPEG with ${componentCount} components cannot be shown`,
    );
  }
  const frame = decoded.data.subarray(0, width * height * componentCount);
  return {
    rows: height,
    columns: width,
    samplesPerPixel: componentCount === 3 ? 3 : 1,
    dtype: 'uint8',
    data: frame,
    photometric: componentCount === 3 ? 'RGB' : 'MONOCHROME2',
    ...valueRange(frame),
  };
}
