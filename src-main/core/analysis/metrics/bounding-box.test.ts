import { describe, expect, it } from 'vitest';
import { boundingBoxInMm, measureComponentExtents } from './bounding-box.js';
import { labelConnectedComponents } from './connected-components.js';
import { emptyMask, paintBlock } from './testing/synthetic-masks.js';

describe('component bounding boxes and centroids', () => {
  it('gives inclusive index bounds, voxel counts and mean positions per component', () => {
    const volume = emptyMask([20, 16, 12]);
    paintBlock(volume, [2, 3, 4], [5, 7, 6]);
    paintBlock(volume, [12, 10, 0], [19, 15, 0]); // touches three borders of the volume
    const { labels, sizes } = labelConnectedComponents(volume.mask, volume.dims);
    const extents = measureComponentExtents(labels, volume.dims, sizes.length);
    const first = extents.find((e) => e.voxelCount === 4 * 5 * 3)!;
    expect(first.box).toEqual({ min: [2, 3, 4], max: [5, 7, 6] });
    expect(first.centroidVoxel).toEqual([3.5, 5, 5]);
    const second = extents.find((e) => e.voxelCount === 8 * 6)!;
    expect(second.box).toEqual({ min: [12, 10, 0], max: [19, 15, 0] });
    expect(second.centroidVoxel).toEqual([15.5, 12.5, 0]);
  });

  it('converts to millimetres: corner voxel centres and the outer size', () => {
    const mm = boundingBoxInMm({ min: [2, 3, 4], max: [5, 7, 6] }, [0.5, 1, 2.5]);
    expect(mm.min).toEqual([1, 3, 10]);
    expect(mm.max).toEqual([2.5, 7, 15]);
    expect(mm.size).toEqual([2, 5, 7.5]);
  });
});
