import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors.js';
import { checkImageSize, gunzipHead, IMAGE_LIMITS, maxInflatedBytes } from './image-limits.js';

function refusal(run: () => void): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('image limits', () => {
  it('accepts a brain MR series and the largest frame allowed', () => {
    expect(() =>
      checkImageSize({ rows: 512, columns: 512, frames: 400, bytesPerPixel: 2 }, 'The series'),
    ).not.toThrow();
    expect(() =>
      checkImageSize({ rows: 8192, columns: 8192, frames: 1, bytesPerPixel: 2 }, 'The picture'),
    ).not.toThrow();
  });

  it('refuses, saying what and what to do, a frame, a volume or a decoded size beyond the limits', () => {
    const frame = refusal(() =>
      checkImageSize({ rows: 16384, columns: 16384, frames: 1, bytesPerPixel: 2 }, 'The image'),
    );
    expect(frame.code).toBe('FILE_TOO_LARGE');
    expect(frame.message).toMatch(/16384×16384 pixels per frame.*8192×8192.*lower resolution/);
    const voxels = refusal(() =>
      checkImageSize({ rows: 512, columns: 512, frames: 4000, bytesPerPixel: 1 }, 'The series'),
    );
    expect(voxels.message).toMatch(/512×512×4000 voxels.*Split the series/);
    const bytes = refusal(() =>
      checkImageSize({ rows: 8192, columns: 8192, frames: 5, bytesPerPixel: 4 }, 'The scan'),
    );
    expect(bytes.message).toMatch(/needs 1280 MB once decoded; the limit is 1024 MB/);
  });

  it('bounds inflating by the compressed size, never beyond the decoded limit', () => {
    expect(maxInflatedBytes(1024 * 1024)).toBe(IMAGE_LIMITS.inflateFloorBytes + 64 * 1024 * 1024);
    expect(maxInflatedBytes(1e12)).toBe(IMAGE_LIMITS.maxDecodedBytes);
  });

  it('reads the head of a gzip stream without inflating the rest', () => {
    const big = gzipSync(Buffer.concat([Buffer.from('header!'), Buffer.alloc(64 * 1024 * 1024)]));
    expect(gunzipHead(big, 7).toString('latin1')).toBe('header!');
    expect(refusal(() => gunzipHead(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 4)).code).toBe(
      'CORRUPT_FILE',
    );
  });
});
