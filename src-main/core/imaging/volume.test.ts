import { describe, expect, it } from 'vitest';
import { assembleVolume, type SliceCandidate } from './volume.js';

const AXIAL = [1, 0, 0, 0, 1, 0] as const;

function slice(z: number, overrides: Partial<SliceCandidate> = {}): SliceCandidate {
  return {
    fileId: `file-z${z}`,
    frameNumber: 0,
    label: `instance at z=${z}`,
    rows: 16,
    columns: 16,
    imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    position: [-100, -120, z],
    orientation: AXIAL,
    ...overrides,
  };
}

const options = { pixelSpacing: [0.5, 0.6] as [number, number], fallbackSliceSpacing: 5 };

describe('assembleVolume', () => {
  it('sorts slices along the normal whatever order they arrive in, with spacing and origin', () => {
    const volume = assembleVolume([slice(10), slice(0), slice(5), slice(15)], options);
    expect(volume.frames.map((f) => f.fileId)).toEqual([
      'file-z0',
      'file-z5',
      'file-z10',
      'file-z15',
    ]);
    expect(volume).toMatchObject({
      dims: [16, 16, 4],
      spacing: [0.5, 0.6, 5],
      origin: [-100, -120, 0],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      warnings: [],
    });
  });

  it('sorts an oblique sagittal stack by its normal, not by z', () => {
    // Row direction along y (posterior), column direction along -z: the normal points along -x.
    const sagittal = [0, 1, 0, 0, 0, -1] as const;
    const at = (x: number) =>
      slice(0, { fileId: `x${x}`, position: [x, -100, 100 + x * 0.1], orientation: sagittal });
    const volume = assembleVolume([at(2), at(-2), at(0)], options);
    expect(volume.direction?.[2]).toEqual([-1, 0, 0]);
    expect(volume.frames.map((f) => f.fileId)).toEqual(['x2', 'x0', 'x-2']);
    expect(volume.spacing[2]).toBe(2);
  });

  it('reports a gap and irregular spacing', () => {
    const gap = assembleVolume(
      [0, 5, 10, 25, 30].map((z) => slice(z)),
      options,
    );
    expect(gap.warnings.join(' ')).toMatch(
      /Gap: 15 mm between slices 3 and 4 where 5 mm is usual \(about 2 slices missing\)/,
    );
    const irregular = assembleVolume(
      [0, 5, 10.6, 15.6, 20.6].map((z) => slice(z)),
      options,
    );
    expect(irregular.warnings.join(' ')).toMatch(
      /Irregular slice spacing: 1 step between 5.6 and 5.6 mm/,
    );
  });

  it('keeps localizers, other sizes, other orientations and repeated positions out of the volume', () => {
    const volume = assembleVolume(
      [
        slice(0),
        slice(5),
        slice(10),
        slice(99, { imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] }),
        slice(15, { rows: 32, columns: 32, label: 'big one' }),
        slice(20, { orientation: [0, 1, 0, 0, 0, -1] }),
        slice(10, { fileId: 'second echo' }),
      ],
      options,
    );
    expect(volume.frames.map((f) => f.fileId)).toEqual(['file-z0', 'file-z5', 'file-z10']);
    expect(volume.warnings).toEqual([
      '1 localizer image kept out of the volume.',
      '1 image of another size than 16x16 kept out of the volume (big one).',
      '1 image with another orientation or no position kept out of the volume.',
      '1 image at an already occupied position (repeats, echoes or time points) kept out of the volume.',
    ]);
  });

  it('keeps instance order and says so when no image has a position', () => {
    const volume = assembleVolume(
      [
        slice(0, { position: null, orientation: null, fileId: 'a' }),
        slice(0, { position: null, orientation: null, fileId: 'b' }),
      ],
      options,
    );
    expect(volume.frames.map((f) => f.fileId)).toEqual(['a', 'b']);
    expect(volume).toMatchObject({ origin: null, direction: null, spacing: [0.5, 0.6, 5] });
    expect(volume.warnings[0]).toMatch(/no position or orientation/);
  });
});
