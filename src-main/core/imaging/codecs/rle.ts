/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane (most significant byte first, one plane set per sample).
 * Returns the frame as interleaved little-endian samples, like a native frame.
 */
export function decodeRle(
  encoded: Uint8Array,
  frame: { rows: number; columns: number; samplesPerPixel: number; bitsAllocated: number },
): Uint8Array {
  // Single-bit images (segmentations) are RLE-coded as packed bytes of 8 pixels.
  const bytesPerSample = Math.ceil(frame.bitsAllocated / 8);
  const pixelCount =
    frame.bitsAllocated === 1
      ? Math.ceil((frame.rows * frame.columns) / 8)
      : frame.rows * frame.columns;
  const frameWithBytes = { ...frame, bytesPerSample };
  const planes = frame.samplesPerPixel * bytesPerSample;
  if (encoded.length < 64) throw new Error('RLE frame is shorter than its 64-byte header');
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segmentCount = view.getUint32(0, true);
  if (segmentCount !== planes) {
    throw new Error(`RLE frame has ${segmentCount} segments where ${planes} are needed`);
  }
  const offsets: number[] = [];
  for (let i = 0; i < segmentCount; i++) offsets.push(view.getUint32(4 + 4 * i, true));
  const out = new Uint8Array(pixelCount * planes);
  for (let segment = 0; segment < segmentCount; segment++) {
    const start = offsets[segment]!;
    const end = segment + 1 < segmentCount ? offsets[segment + 1]! : encoded.length;
    if (start < 64 || start > end || end > encoded.length)
      throw new Error(`RLE segment ${segment + 1} has an impossible offset`);
    const sample = Math.floor(segment / frameWithBytes.bytesPerSample);
    // Segments go from the most significant byte; little-endian output puts it last.
    const byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
    const stride = planes;
    const firstByte = sample * bytesPerSample + byteInSample;
    unpackBits(encoded, start, end, out, firstByte, stride, pixelCount);
  }
  return out;
}

function unpackBits(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  first: number,
  stride: number,
  count: number,
): void {
  let written = 0;
  let at = start;
  while (written < count && at < end) {
    const header = src[at++]!;
    if (header < 128) {
      const literal = header + 1;
      if (at + literal > end) throw new Error('RLE literal run is truncated');
      for (let i = 0; i < literal && written < count; i++)
        out[first + stride * written++] = src[at + i]!;
      at += literal;
    } else if (header > 128) {
      const repeat = 257 - header;
      if (at >= end) throw new Error('RLE repeat run is truncated');
      const value = src[at++]!;
      for (let i = 0; i < repeat && written < count; i++) out[first + stride * written++] = value;
    }
    // 128 is a no-op by definition.
  }
  if (written < count) throw new Error(`RLE segment decodes to ${written} of ${count} bytes`);
}
