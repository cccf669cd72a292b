import { createRequire } from 'node:module';

interface LosslessDecoder {
  decode(
    buffer: ArrayBufferLike,
    offset: number,
    length: number,
    numBytes?: number,
  ): ArrayLike<number> & {
    buffer: ArrayBufferLike;
    byteOffset: number;
    byteLength: number;
  };
}

const require = createRequire(import.meta.url);
const { Decoder } = require('jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder };

/**
 * JPEG lossless (process 14, any predictor) with jpeg-lossless-decoder-js.
 * Returns the samples as bytes: 1 byte per sample up to 8 bits, else 2 (little endian).
 */
export function decodeJpegLossless(encoded: Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  const result = new Decoder().decode(
    encoded.buffer,
    encoded.byteOffset,
    encoded.byteLength,
    bytesPerSample,
  );
  return new Uint8Array(result.buffer, result.byteOffset, result.byteLength);
}
