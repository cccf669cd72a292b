import { describe, expect, it } from 'vitest';
import { decimateToTarget } from './decimate.js';
import { labelMaskComponents } from './label-components.js';
import { meshLesions } from './lesion-meshes.js';
import { marchingCubes } from './marching-cubes.js';
import { LESION_QUALITY, lesionSurface, otsuThreshold, scalarSurface } from './mask-surface.js';
import { meshEnclosedVolume, meshSurfaceArea, vertexCentroid } from './mesh-measures.js';
import { IDENTITY_PLACEMENT } from './patient-space.js';
import { smoothMesh } from './smoothing.js';

type Triple = [number, number, number];

/** A mask with an ellipsoid (semi-axes in mm) rasterised at voxel centres. */
function ellipsoidMask(dims: Triple, spacing: Triple, centre: Triple, axes: Triple): Uint8Array {
  const mask = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const u = (x * spacing[0] - centre[0]) / axes[0];
        const v = (y * spacing[1] - centre[1]) / axes[1];
        const w = (z * spacing[2] - centre[2]) / axes[2];
        if (u * u + v * v + w * w <= 1) mask[x + dims[0] * (y + dims[1] * z)] = 1;
      }
  return mask;
}

/** The area of an ellipsoid by numerical integration of |∂r/∂θ × ∂r/∂φ| (no closed form). */
function ellipsoidArea([a, b, c]: Triple): number {
  const steps = 800;
  let area = 0;
  const dTheta = Math.PI / steps;
  const dPhi = (2 * Math.PI) / steps;
  for (let i = 0; i < steps; i++) {
    const t = (i + 0.5) * dTheta;
    for (let j = 0; j < steps; j++) {
      const p = (j + 0.5) * dPhi;
      const st = Math.sin(t);
      const ct = Math.cos(t);
      const sp = Math.sin(p);
      const cp = Math.cos(p);
      // r = (a sinθ cosφ, b sinθ sinφ, c cosθ)
      const rt: Triple = [a * ct * cp, b * ct * sp, -c * st];
      const rp: Triple = [-a * st * sp, b * st * cp, 0];
      area +=
        Math.hypot(
          rt[1] * rp[2] - rt[2] * rp[1],
          rt[2] * rp[0] - rt[0] * rp[2],
          rt[0] * rp[1] - rt[1] * rp[0],
        ) *
        dTheta *
        dPhi;
    }
  }
  return area;
}

const relative = (value: number, truth: number): number => Math.abs(value - truth) / truth;

describe('lesion surfaces from masks', () => {
  const cases: { name: string; dims: Triple; spacing: Triple; axes: Triple }[] = [
    {
      name: 'sphere r = 15 mm, 1 mm voxels',
      dims: [40, 40, 40],
      spacing: [1, 1, 1],
      axes: [15, 15, 15],
    },
    {
      name: 'sphere r = 8 mm, 0.5 mm voxels',
      dims: [40, 40, 40],
      spacing: [0.5, 0.5, 0.5],
      axes: [8, 8, 8],
    },
    {
      name: 'ellipsoid 22 × 14 × 10 mm, 0.9 × 0.9 × 1.2 mm voxels',
      dims: [60, 44, 30],
      spacing: [0.9, 0.9, 1.2],
      axes: [22, 14, 10],
    },
  ];
  for (const { name, dims, spacing, axes } of cases) {
    it(`measures a ${name} within 2 % of its volume and area, before and after decimation`, () => {
      const centre: Triple = [
        ((dims[0] - 1) * spacing[0]) / 2 + 0.3,
        ((dims[1] - 1) * spacing[1]) / 2 - 0.2,
        ((dims[2] - 1) * spacing[2]) / 2 + 0.1,
      ];
      const mask = ellipsoidMask(dims, spacing, centre, axes);
      const volume = (4 / 3) * Math.PI * axes[0] * axes[1] * axes[2];
      const area = ellipsoidArea(axes);
      const { labels, components } = labelMaskComponents(mask, dims);
      expect(components).toHaveLength(1);
      const quality = { ...LESION_QUALITY.high, maxTriangles: Infinity };
      const mesh = lesionSurface(labels, dims, components[0]!, spacing, quality);
      expect(relative(meshEnclosedVolume(mesh), volume)).toBeLessThan(0.02);
      expect(relative(meshSurfaceArea(mesh), area)).toBeLessThan(0.02);
      const c = vertexCentroid(mesh);
      for (let axis = 0; axis < 3; axis++)
        expect(Math.abs(c[axis]! - centre[axis]!)).toBeLessThan(0.3);

      const decimated = decimateToTarget(mesh, 2000);
      expect(decimated.indices.length / 3).toBeLessThanOrEqual(2600);
      expect(relative(meshEnclosedVolume(decimated), volume)).toBeLessThan(0.03);
      expect(relative(meshSurfaceArea(decimated), area)).toBeLessThan(0.03);
    });
  }

  it('without smoothing, the staircase overstates the area: smoothing is what makes it right', () => {
    const dims: Triple = [40, 40, 40];
    const mask = ellipsoidMask(dims, [1, 1, 1], [19.5, 19.5, 19.5], [15, 15, 15]);
    const field = Float32Array.from(mask);
    const raw = marchingCubes({ field, dims, isoLevel: 0.5, spacing: [1, 1, 1] });
    const area = 4 * Math.PI * 15 * 15;
    expect(relative(meshSurfaceArea(raw), area)).toBeGreaterThan(0.04);
    const smooth = smoothMesh(raw, { iterations: 16, targetVolume: (4 / 3) * Math.PI * 15 ** 3 });
    expect(relative(meshSurfaceArea(smooth), area)).toBeLessThan(0.02);
  });

  it('splits lesions, measures each and places them in patient space', () => {
    const dims: Triple = [64, 48, 32];
    const a = ellipsoidMask(dims, [1, 1, 1], [16, 20, 15], [8, 8, 8]);
    const b = ellipsoidMask(dims, [1, 1, 1], [48, 24, 16], [5, 5, 5]);
    const mask = a.map((value, i) => (value !== 0 ? 2 : b[i]! !== 0 ? 4 : 0));
    // Mirrored axes (a left-handed set, as NIfTI volumes often are): normals must stay outward.
    const placement = {
      origin: [100, -50, 20] as Triple,
      direction: [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, -1],
      ] as [Triple, Triple, Triple],
    };
    const progress: number[] = [];
    const lesions = meshLesions({
      mask,
      dims,
      spacing: [1, 1, 1],
      placement,
      quality: LESION_QUALITY.medium,
      onProgress: (done) => progress.push(done),
    });
    expect(lesions.map((l) => l.id)).toEqual([1, 2]);
    expect(progress).toEqual([0, 1]);
    expect(lesions[0]!.volumeMl).toBeCloseTo(((4 / 3) * Math.PI * 512) / 1000, 1);
    expect(lesions[0]!.maxDiameterMm).toBeGreaterThan(15);
    expect(lesions[0]!.maxDiameterMm).toBeLessThan(17.5);
    expect(lesions[0]!.centre[0]).toBeCloseTo(100 - 16, 0);
    expect(lesions[0]!.centre[1]).toBeCloseTo(-50 - 20, 0);
    expect(lesions[0]!.centre[2]).toBeCloseTo(20 - 15, 0);
    for (const lesion of lesions) expect(meshEnclosedVolume(lesion.mesh)).toBeGreaterThan(0);
    const kept = meshLesions({
      mask,
      dims,
      spacing: [1, 1, 1],
      placement: IDENTITY_PLACEMENT,
      quality: LESION_QUALITY.low,
      minVoxels: 1000,
    });
    expect(kept.map((l) => l.id)).toEqual([1]);
  });

  it('rejects a mask whose size does not match its dimensions', () => {
    expect(() => labelMaskComponents(new Uint8Array(10), [2, 2, 2])).toThrow(
      /10 voxels, not 2×2×2/,
    );
  });
});

describe('head surface from a scan', () => {
  it('finds the threshold between background and tissue and meshes a closed head', () => {
    const dims: Triple = [40, 40, 30];
    const field = new Float32Array(dims[0] * dims[1] * dims[2]);
    for (let z = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++)
        for (let x = 0; x < dims[0]; x++) {
          const inside = ((x - 20) / 15) ** 2 + ((y - 20) / 17) ** 2 + ((z - 15) / 12) ** 2 <= 1;
          field[x + 40 * (y + 40 * z)] = (inside ? 600 : 20) + ((x * 7 + y * 3 + z) % 11);
        }
    const threshold = otsuThreshold(field);
    expect(threshold).toBeGreaterThan(40);
    expect(threshold).toBeLessThan(600);
    const head = scalarSurface(field, dims, [2, 2, 2], threshold, {
      downsample: 1,
      smoothingIterations: 4,
      maxTriangles: 50_000,
    });
    const volume = (4 / 3) * Math.PI * 30 * 34 * 24;
    expect(relative(meshEnclosedVolume(head), volume)).toBeLessThan(0.05);
  });
});
