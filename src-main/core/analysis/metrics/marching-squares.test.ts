import { describe, expect, it } from 'vitest';
import { contourComponent } from './component-contour.js';
import { labelConnectedComponents } from './connected-components.js';
import { measureComponentExtents } from './bounding-box.js';
import { marchingSquares, type Contour2D } from './marching-squares.js';

/** Every segment end is the start of exactly one other segment: the contours are closed loops. */
function expectClosed(contour: Contour2D): void {
  const key = (x: number, y: number): string => `${x.toFixed(6)},${y.toFixed(6)}`;
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  const { segments } = contour;
  for (let s = 0; s < segments.length; s += 4) {
    const start = key(segments[s]!, segments[s + 1]!);
    const end = key(segments[s + 2]!, segments[s + 3]!);
    starts.set(start, (starts.get(start) ?? 0) + 1);
    ends.set(end, (ends.get(end) ?? 0) + 1);
  }
  expect(new Map([...starts].sort())).toEqual(new Map([...ends].sort()));
}

describe('marching squares', () => {
  it('turns a single pixel into a diamond of known perimeter and area', () => {
    const field = new Float32Array(9);
    field[4] = 1;
    const contour = marchingSquares({ field, dims: [3, 3], isoLevel: 0.5, spacing: [1, 1] });
    expect(contour.segments.length / 4).toBe(4);
    expect(contour.length).toBeCloseTo(2 * Math.SQRT2, 9);
    expect(contour.enclosedArea).toBeCloseTo(0.5, 9);
    expectClosed(contour);
  });

  it('closes contours with holes and saddles, and counts holes as negative area', () => {
    // A 5 × 5 ring of pixels around a one-pixel hole, plus a diagonal pair (saddle cells).
    const [nx, ny] = [11, 9];
    const field = new Float32Array(nx * ny);
    for (let y = 1; y <= 5; y++)
      for (let x = 1; x <= 5; x++) if (x !== 3 || y !== 3) field[x + nx * y] = 1;
    field[7 + nx * 2] = 1;
    field[8 + nx * 3] = 1;
    const contour = marchingSquares({ field, dims: [nx, ny], isoLevel: 0.5, spacing: [0.5, 2] });
    expectClosed(contour);
    // Outer outline 5 × 5 with cut corners, minus the hole's diamond, plus the pair.
    const ring = (25 - 4 * 0.125 - 0.5) * 1;
    expect(contour.enclosedArea).toBeGreaterThan(0);
    expect(contour.enclosedArea).toBeCloseTo(ring + 2 * 0.5 * 1, 6);
  });

  it('measures a disc of radius 12 px: enclosed area = pixel count, perimeter within 2 % of 2πr', () => {
    const [nx, ny, r] = [40, 36, 12];
    const mask = new Uint8Array(nx * ny);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) if (Math.hypot(x - 19.3, y - 17.6) <= r) mask[x + nx * y] = 1;
    const dims = [nx, ny, 1] as const;
    const { labels, sizes } = labelConnectedComponents(mask, dims);
    const [extent] = measureComponentExtents(labels, dims, sizes.length);
    const contour = contourComponent({
      labels,
      dims,
      label: 1,
      box: extent!.box,
      pixelCount: extent!.voxelCount,
      spacing: [1, 1],
    });
    expect(contour.enclosedArea / extent!.voxelCount).toBeCloseTo(1, 3);
    const error = contour.length / (2 * Math.PI * r) - 1;
    console.log(`disc r=12 px: perimeter ${(100 * error).toFixed(2)} %`);
    expect(Math.abs(error)).toBeLessThan(0.02);
    expectClosed(contour);
  });
});
