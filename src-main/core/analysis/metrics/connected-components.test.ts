import { describe, expect, it } from 'vitest';
import { labelConnectedComponents, removeSmallComponents } from './connected-components.js';
import { emptyMask, paintBlock } from './testing/synthetic-masks.js';

describe('connected components', () => {
  it('finds separate blobs and numbers them in scan order', () => {
    const volume = emptyMask([10, 10, 10]);
    paintBlock(volume, [6, 6, 6], [8, 8, 8]); // 27 voxels, first met later in the scan
    paintBlock(volume, [0, 0, 0], [1, 1, 0]); // 4 voxels, first in the scan
    const { labels, sizes } = labelConnectedComponents(volume.mask, volume.dims);
    expect(sizes).toEqual([4, 27]);
    expect(labels[0]).toBe(1);
    expect(labels[6 + 10 * (6 + 10 * 6)]).toBe(2);
    expect(labels.filter((l) => l === 0).length).toBe(1000 - 31);
  });

  it('joins voxels touching at a corner with 26-connectivity, not with 6', () => {
    const volume = emptyMask([3, 3, 3]);
    volume.mask[0] = 1; // (0,0,0)
    volume.mask[1 + 3 * (1 + 3 * 1)] = 1; // (1,1,1): shares only a corner
    volume.mask[2 + 3 * (1 + 3 * 1)] = 1; // (2,1,1): shares a face with (1,1,1)
    expect(labelConnectedComponents(volume.mask, volume.dims, 26).sizes).toEqual([3]);
    expect(labelConnectedComponents(volume.mask, volume.dims, 6).sizes).toEqual([1, 2]);
  });

  it('counts any non-zero value as foreground', () => {
    const mask = Uint8Array.from([0, 255, 7, 0]);
    expect(labelConnectedComponents(mask, [4, 1, 1]).sizes).toEqual([2]);
  });

  it('labels a component of millions of voxels without recursion', () => {
    const volume = emptyMask([200, 200, 60]);
    volume.mask.fill(1);
    const started = performance.now();
    const { sizes } = labelConnectedComponents(volume.mask, volume.dims);
    console.log(`labelled 2.4 M voxels in ${(performance.now() - started).toFixed(0)} ms`);
    expect(sizes).toEqual([2_400_000]);
  });

  it('returns no components for an empty mask', () => {
    const volume = emptyMask([4, 4, 4]);
    const { labels, sizes } = labelConnectedComponents(volume.mask, volume.dims);
    expect(sizes).toEqual([]);
    expect(labels.every((l) => l === 0)).toBe(true);
  });

  it('rejects a mask whose length does not match its dimensions', () => {
    expect(() => labelConnectedComponents(new Uint8Array(7), [2, 2, 2])).toThrow(RangeError);
  });

  it('removes components smaller than the threshold and keeps the rest as 0/1', () => {
    const volume = emptyMask([12, 12, 12]);
    paintBlock(volume, [1, 1, 1], [4, 4, 4]); // 64
    paintBlock(volume, [8, 8, 8], [9, 9, 8]); // 4
    volume.mask[11] = 200; // 1, non-binary value
    const kept = removeSmallComponents(volume.mask, volume.dims, 5);
    expect(kept.reduce((a, b) => a + b, 0)).toBe(64);
    expect(kept[1 + 12 * (1 + 12)]).toBe(1);
    expect(kept[11]).toBe(0);
    expect(removeSmallComponents(volume.mask, volume.dims, 1).reduce((a, b) => a + b, 0)).toBe(69);
  });
});
