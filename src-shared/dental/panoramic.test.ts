import { describe, expect, it } from 'vitest';
import { archY, makeArchPhantomVolume, PHANTOM_TOOTH_HU } from './cbct-phantom.js';
import { findArch, largestComponent, panoramicImage, splineThrough } from './panoramic.js';

describe('the dental arch and the panoramic view of a phantom CBCT', () => {
  const { volume, phantom } = makeArchPhantomVolume([96, 80, 40]);

  it('finds the arch on the slab of the teeth, its control points on the known parabola', () => {
    const arch = findArch(volume);
    expect(arch).not.toBeNull();
    if (arch === null) return;
    expect(arch.slab.from).toBeLessThanOrEqual(phantom.teethSlices[1]);
    expect(arch.slab.to).toBeGreaterThanOrEqual(phantom.teethSlices[0]);
    expect(arch.points).toHaveLength(7);
    // Ends at the arch's ends, within two pixels.
    expect(Math.abs((arch.points[0]?.x ?? 0) - phantom.fromX)).toBeLessThanOrEqual(2);
    expect(Math.abs((arch.points[6]?.x ?? 0) - phantom.toX)).toBeLessThanOrEqual(2);
    // The middle points lie on the arch (within 3 px); the ends, where it is steep, within 6.
    for (const [n, point] of arch.points.entries()) {
      const tolerance = n === 0 || n === 6 ? 6 : 3;
      expect(Math.abs(point.y - archY(phantom, point.x))).toBeLessThanOrEqual(tolerance);
    }
  });

  it('shows the teeth as a band across the whole width of the panoramic image, on their slices', () => {
    const arch = findArch(volume);
    if (arch === null) throw new Error('no arch');
    const image = panoramicImage(volume, arch.points, 5, 'mip');
    expect(image.height).toBe(40);
    // The arch is about 2 × 40 px long (plus its curve): far wider than the 96-px volume's half.
    expect(image.width).toBeGreaterThan(90);
    const [t0, t1] = phantom.teethSlices;
    const mid = Math.round((t0 + t1) / 2);
    let toothColumns = 0;
    for (let c = 0; c < image.width; c++)
      if ((image.data[mid * image.width + c] ?? 0) >= PHANTOM_TOOTH_HU * 0.9) toothColumns += 1;
    // Teeth along (nearly) the whole width; the last pixels at the ends may fall off the band.
    expect(toothColumns / image.width).toBeGreaterThan(0.9);
    // Above and below the teeth slices: no tooth density at all (bone or soft tissue).
    for (const k of [t0 - 3, t1 + 3])
      for (let c = 0; c < image.width; c++)
        expect(image.data[k * image.width + c] ?? 0).toBeLessThan(PHANTOM_TOOTH_HU * 0.5);
  });

  it('a curve moved off the arch misses the teeth; a thicker slab brings them back', () => {
    const arch = findArch(volume);
    if (arch === null) throw new Error('no arch');
    const moved = arch.points.map((p) => ({ x: p.x, y: p.y - 8 }));
    const mid = Math.round((phantom.teethSlices[0] + phantom.teethSlices[1]) / 2);
    const toothShare = (thickness: number, mode: 'mip' | 'average'): number => {
      const image = panoramicImage(volume, moved, thickness, mode);
      let n = 0;
      for (let c = 0; c < image.width; c++)
        if ((image.data[mid * image.width + c] ?? 0) >= PHANTOM_TOOTH_HU * 0.9) n += 1;
      return n / image.width;
    };
    expect(toothShare(1, 'mip')).toBeLessThan(0.3);
    expect(toothShare(20, 'mip')).toBeGreaterThan(0.5);
    // Averaging over the slab dilutes the teeth with soft tissue.
    expect(toothShare(20, 'average')).toBeLessThan(0.1);
  });

  it('answers null for a volume with nothing of tooth density', () => {
    const empty = { ...volume, data: new Int16Array(volume.data.length) };
    expect(findArch(empty)).toBeNull();
  });

  it('keeps only the largest connected component and draws a spline through its points', () => {
    const mask = new Uint8Array([1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect([...largestComponent(mask, 4, 3)]).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
    const line = splineThrough([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
    ]);
    expect(line.at(-1)).toEqual({ x: 10, y: 0 });
    expect(line.every((p) => Math.abs(p.y) < 1e-9)).toBe(true);
  });
});
