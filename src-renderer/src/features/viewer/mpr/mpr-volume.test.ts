import { describe, expect, it } from 'vitest';
import type { FrameInfo } from '../../../../../src-shared/contract/frames.js';
import { labelledCentreOnFrame } from './mpr-reformat.js';
import {
  createVolumeAssembler,
  mprUnavailableReason,
  storedWindow,
  volumeRefusal,
} from './mpr-volume.js';

function frame(
  index: number,
  values: number[],
  overrides: Partial<FrameInfo> = {},
): { info: FrameInfo; data: ArrayBuffer } {
  const samples = Int16Array.from(values);
  return {
    info: {
      scanId: '00000000-0000-4000-8000-000000000000',
      index,
      frameCount: 3,
      rows: 1,
      columns: 2,
      samplesPerPixel: 1,
      dtype: 'int16',
      rescaleSlope: 1,
      rescaleIntercept: 0,
      windowCenter: null,
      windowWidth: null,
      photometric: 'MONOCHROME2',
      pixelSpacing: [1, 1],
      minValue: Math.min(...values),
      maxValue: Math.max(...values),
      ...overrides,
    },
    data: samples.buffer,
  };
}

describe('stacking frames into an MPR volume', () => {
  it('keeps stored int16 values in frame order, whatever order they arrive in', () => {
    const assembler = createVolumeAssembler(3);
    for (const f of [frame(2, [5, 6]), frame(0, [1, 2]), frame(1, [3, 4])])
      assembler.add(f.info, f.data);
    const volume = assembler.finish();
    expect(volume.data).toBeInstanceOf(Int16Array);
    expect([...volume.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(volume.dims).toEqual([2, 1, 3]);
    expect(volume.range).toEqual({ low: 1, high: 6 });
  });

  it('turns to modality values when the frames’ rescales differ (and says the range in them)', () => {
    const assembler = createVolumeAssembler(3);
    const a = frame(0, [1, 2], { rescaleSlope: 2, rescaleIntercept: -10 });
    const b = frame(1, [3, 4], { rescaleSlope: 1, rescaleIntercept: 0 });
    const c = frame(2, [5, 6], { rescaleSlope: 2, rescaleIntercept: -10 });
    for (const f of [a, b, c]) assembler.add(f.info, f.data);
    const volume = assembler.finish();
    expect(volume.data).toBeInstanceOf(Float32Array);
    expect([...volume.data]).toEqual([-8, -6, 3, 4, 0, 2]);
    expect([volume.rescaleSlope, volume.rescaleIntercept]).toEqual([1, 0]);
    expect(volume.range).toEqual({ low: -8, high: 4 });
  });

  it('refuses frames of another size, colour, a single frame, and says when frames are missing', () => {
    const assembler = createVolumeAssembler(3);
    assembler.add(frame(0, [1, 2]).info, frame(0, [1, 2]).data);
    const odd = frame(1, [1, 2, 3], { columns: 3 });
    expect(() => assembler.add(odd.info, odd.data)).toThrow(/slices of one size/);
    expect(() => assembler.finish()).toThrow('Only 1 of 3 slices arrived.');
    expect(volumeRefusal(frame(0, [1, 2], { samplesPerPixel: 3 }).info, 3)).toMatch(/colour/);
    expect(volumeRefusal(frame(0, [1, 2]).info, 1)).toMatch(/several slices/);
    expect(volumeRefusal(frame(0, [1, 2], { rows: 4096, columns: 4096 }).info, 2000)).toMatch(
      /too large/,
    );
  });

  it('converts a modality window to stored units, flipping for a negative slope', () => {
    expect(
      storedWindow({ rescaleSlope: 2, rescaleIntercept: -1024 }, { center: 40, width: 80 }),
    ).toEqual({
      window: { center: 532, width: 40 },
      flips: false,
    });
    expect(
      storedWindow({ rescaleSlope: -1, rescaleIntercept: 0 }, { center: 10, width: 4 }).flips,
    ).toBe(true);
  });
});

describe('the crosshair on a lesion', () => {
  it('goes to the middle of the labelled voxels of the frame, or nowhere without labels', () => {
    const dims = [5, 4, 2] as const;
    const data = new Uint8Array(40);
    // Frame 1: labels at (1, 1), (3, 1), (3, 3).
    for (const [x, y] of [
      [1, 1],
      [3, 1],
      [3, 3],
    ] as const)
      data[20 + y * 5 + x] = 2;
    expect(labelledCentreOnFrame({ dims, data }, 1)).toEqual({ column: 2, row: 2 });
    expect(labelledCentreOnFrame({ dims, data }, 0)).toBeNull();
    expect(labelledCentreOnFrame({ dims, data }, 7)).toBeNull();
  });
});

describe('when MPR is offered', () => {
  const volume = {
    id: '00000000-0000-4000-8000-000000000000',
    kind: 'volume',
    spacing: [1, 1, 2.5] as const,
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ] as const,
  };
  const grey = { samplesPerPixel: 1 as const };

  it('for a volume with its geometry, and not for an image, colour or a volume without geometry', () => {
    expect(mprUnavailableReason(volume, 40, grey)).toBeNull();
    expect(mprUnavailableReason({ ...volume, kind: 'image' }, 1, grey)).toMatch(/single image/);
    expect(mprUnavailableReason(volume, 40, { samplesPerPixel: 3 })).toMatch(/colour/);
    expect(mprUnavailableReason({ ...volume, direction: null }, 40, grey)).toMatch(/geometry/);
    expect(mprUnavailableReason({ ...volume, spacing: [1, 1, null] }, 40, grey)).toMatch(
      /slice spacing/,
    );
  });
});
