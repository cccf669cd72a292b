import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors.js';
import { makeDicom } from '../../test-support/dicom-fixtures.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { DEFLATED_LITTLE_ENDIAN } from './dicom/transfer-syntax.js';
import { IMAGE_LIMITS } from './image-limits.js';
import { inspectFile } from './inspect-file.js';

// Files made to exhaust memory, as an uploader could send them: each must be refused with a
// reason from its header (or while inflating, within a bound), with the process's memory flat.
const RLE = '1.2.840.10008.1.2.5';
const REQUEST = { maxFileBytes: 500 * 1024 * 1024, maxDecodedBytes: 2 * 1024 * 1024 * 1024 };
const MB = 1024 * 1024;

/** Sets a US element (explicit VR little endian) wherever its tag occurs in the data set. */
function patchUs(file: Buffer, group: number, element: number, value: number): void {
  const tag = Buffer.from([
    group & 0xff,
    group >> 8,
    element & 0xff,
    element >> 8,
    0x55,
    0x53,
    2,
    0,
  ]);
  for (let at = file.indexOf(tag); at >= 0; at = file.indexOf(tag, at + 1))
    file.writeUInt16LE(value, at + 8);
}

/** A 16384×16384 16-bit frame of zeros, RLE-encoded: ~8 MB that decodes to 512 MB. */
function hugeRleDicom(): Buffer {
  const side = 16384;
  const segmentLength = (side * side) / 128; // one 2-byte replicate run per 128 bytes
  const segment = Buffer.alloc(segmentLength * 2);
  for (let i = 0; i < segment.length; i += 2) segment[i] = 0x81; // repeat the next byte 128×
  const header = Buffer.alloc(64);
  header.writeUInt32LE(2, 0);
  header.writeUInt32LE(64, 4);
  header.writeUInt32LE(64 + segment.length, 8);
  const frame = Buffer.concat([header, segment, segment]);
  const file = makeDicom({
    rows: 16,
    columns: 16,
    transferSyntaxUid: RLE,
    encapsulatedFrames: [frame],
  });
  patchUs(file, 0x0028, 0x0010, side);
  patchUs(file, 0x0028, 0x0011, side);
  return file;
}

function element(group: number, el: number, vr: string, value: Buffer): Buffer {
  const head = Buffer.alloc(vr === 'OB' ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(el, 2);
  head.write(vr, 4, 'latin1');
  if (vr === 'OB') head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

const uid = (text: string): Buffer =>
  Buffer.from(text.length % 2 === 0 ? text : `${text}\0`, 'latin1');

/** A deflated DICOM whose data set inflates to `gib` GiB of zeros from a few MB of file. */
function deflateBombDicom(gib: number): Buffer {
  const meta = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', uid('1.2.840.10008.5.1.4.1.1.4')),
    element(0x0002, 0x0003, 'UI', uid('1.2.3.4.5.6.7.8.9')),
    element(0x0002, 0x0010, 'UI', uid(DEFLATED_LITTLE_ENDIAN)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length, 0);
  // Fully flushed blocks restart the compressor: the same bytes repeated inflate to the same MB.
  const megabyte = deflateRawSync(Buffer.alloc(MB), { finishFlush: constants.Z_FULL_FLUSH });
  const blocks = Array.from({ length: gib * 1024 }, () => megabyte);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    element(0x0002, 0x0000, 'UL', groupLength),
    meta,
    ...blocks,
    deflateRawSync(Buffer.alloc(0)),
  ]);
}

/** A .nii.gz whose header declares 4096×4096×512 int16 voxels (16 GiB). */
function niftiBombDeclared(): Buffer {
  const file = makeNifti({ dims: [4, 4, 4] });
  [3, 4096, 4096, 512].forEach((d, i) => file.writeInt16LE(d, 40 + 2 * i));
  return gzipSync(file);
}

/** A .nii.gz that declares a small volume but inflates to 1 GiB. */
function niftiBombUndeclared(): Buffer {
  const file = makeNifti({ dims: [64, 64, 64] });
  return gzipSync(Buffer.concat([file, Buffer.alloc(256 * MB)]), { level: 1 });
}

async function refusal(path: string): Promise<AppError> {
  try {
    await inspectFile({ path, ...REQUEST });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

describe('hostile image files', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('ns-hostile-');
  });
  afterAll(() => removeTempDir(dir));

  it('refuses each from its header or within a bound, and memory stays flat', async () => {
    const files: Array<[string, Buffer, RegExp]> = [
      ['huge-rle.dcm', hugeRleDicom(), /16384×16384 pixels per frame.*up to 8192×8192/],
      ['deflate-bomb.dcm', deflateBombDicom(4), /inflates beyond the limit/],
      ['declared-bomb.nii.gz', niftiBombDeclared(), /4096×4096 pixels per frame|voxels/],
      ['undeclared-bomb.nii.gz', niftiBombUndeclared(), /decompresses to more than .* declares/],
    ];
    const sizes: Record<string, number> = {};
    for (const [name, bytes] of files) {
      writeFileSync(join(dir, name), bytes);
      sizes[name] = bytes.length;
    }
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      for (const [name, , reason] of files) {
        const error = await refusal(join(dir, name));
        expect(error.code, name).toBe('FILE_TOO_LARGE');
        expect(error.message, name).toMatch(reason);
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    } finally {
      clearInterval(sample);
    }
    // maxRSS is the process's peak so far: it bounds the peak during the refusals too, where
    // synchronous inflating leaves no moment to sample.
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const growthMb = (Math.max(peak, maxRss) - baseline) / MB;
    console.info(
      `hostile files ${JSON.stringify(sizes)}: RSS before ${Math.round(baseline / MB)} MB, ` +
        `sampled peak ${Math.round(peak / MB)} MB, maxRSS ${Math.round(maxRss / MB)} MB`,
    );
    expect(growthMb).toBeLessThan(300);
    expect(IMAGE_LIMITS.maxFrameSide).toBe(8192);
  }, 120_000);
});
