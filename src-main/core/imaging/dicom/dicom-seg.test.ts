import { describe, expect, it } from 'vitest';
import { makeDicomSeg, type SegFixtureOptions } from '../../../test-support/dicom-seg-fixtures.js';
import { readDicomSeg, type ReferencedImage } from './dicom-seg.js';
import { parseDicom } from './parse-dicom.js';
import { describePixels } from './pixel-description.js';

const SERIES = '1.2.826.0.1.3680043.8.498.77';
const images: ReferencedImage[] = [1, 2, 3].map((i) => ({
  sopInstanceUid: `${SERIES}.${i}`,
  rows: 4,
  columns: 4,
  frames: 1,
  position: [0, 0, (i - 1) * 5],
}));

function read(options: Partial<SegFixtureOptions>, refs: readonly ReferencedImage[] = images) {
  const parsed = parseDicom(
    makeDicomSeg({
      referencedSeriesUid: SERIES,
      rows: 4,
      columns: 4,
      frames: [{ segment: 1, sopInstanceUid: `${SERIES}.1`, pixel: () => 1 }],
      ...options,
    }),
  );
  return readDicomSeg(parsed, describePixels(parsed.dataSet), refs, 1 << 20);
}

describe('readDicomSeg', () => {
  it('gives each frame its segment, the image it was drawn on and its 0/1 mask', async () => {
    const seg = await read({
      frames: [
        { segment: 2, sopInstanceUid: `${SERIES}.3`, pixel: (r, c) => (r === c ? 1 : 0) },
        // No source image: found by its position (written with a little rounding).
        { segment: 1, sopInstanceUid: null, position: [0, 0, 5.00001], pixel: (r) => r % 2 },
      ],
    });
    expect(seg.header).toMatchObject({
      type: 'BINARY',
      referencedSeriesUid: SERIES,
      segments: [
        { number: 1, label: 'Tumour' },
        { number: 2, label: 'Oedema' },
      ],
    });
    expect(seg.frames.map((f) => [f.segmentNumber, f.sopInstanceUid, [...f.mask]])).toEqual([
      [2, `${SERIES}.3`, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]],
      [1, `${SERIES}.2`, [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]],
    ]);
  });

  it('refuses what the bytes do not support, with the reason', async () => {
    await expect(read({ segments: [] })).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringMatching(/no Segment Sequence/),
    });
    await expect(
      read({ frames: [{ segment: 7, sopInstanceUid: `${SERIES}.1`, pixel: () => 1 }] }),
    ).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringMatching(/refers to segment 7, which the Segment Sequence/),
    });
    await expect(
      read({ frames: [{ segment: 1, sopInstanceUid: null, pixel: () => 1 }] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /names no source image/ });
    await expect(read({}, [{ ...images[0]!, frames: 20 }])).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: /multi-frame image/,
    });
  });
});
