import { describe, expect, it } from 'vitest';
import {
  ellipsoidShape,
  emptyMask,
  maskAroundShape,
  paintBlock,
  sphereShape,
} from '../../analysis/metrics/testing/synthetic-masks.js';
import type { Vec3 } from '../../analysis/metrics/types.js';
import { extractDetections } from '../../analysis/metrics/detections.js';
import { lesionDiameters, type MeasuredSegment } from './lesion-diameters.js';

/** A segment's length recomputed from its ends (voxel indices) and the spacing. */
function lengthOf(segment: MeasuredSegment, spacing: Vec3): number {
  const [p, q] = segment.endpoints;
  return Math.hypot(...[0, 1, 2].map((k) => (q[k]! - p[k]!) * spacing[k]!));
}

describe('lesionDiameters', () => {
  it('measures a sphere of radius r as 2r within a voxel, in 3D and on its largest axial slice', () => {
    const spacing: Vec3 = [1, 1, 1];
    const sphere = maskAroundShape([10, 10, 10], spacing, sphereShape(10));
    const [lesion] = lesionDiameters({ mask: sphere.mask, dims: sphere.dims, spacing });
    expect(lesion!.units).toBe('mm');
    expect(Math.abs(lesion!.maxDiameter.length - 20)).toBeLessThanOrEqual(1);
    expect(lengthOf(lesion!.maxDiameter, spacing)).toBeCloseTo(lesion!.maxDiameter.length, 6);
    const { axial } = lesion!;
    expect(axial.sliceAxis).toBe(2);
    // The largest disc is the one nearest the centre.
    expect(Math.abs(axial.slice - sphere.centreMm[2])).toBeLessThanOrEqual(1);
    expect(Math.abs(axial.longest.length - 20)).toBeLessThanOrEqual(1);
    expect(Math.abs(axial.perpendicular.length - 20)).toBeLessThanOrEqual(1);
    expect(axial.product).toBeCloseTo(axial.longest.length * axial.perpendicular.length, 6);
    expect(Math.abs(axial.area - Math.PI * 100) / (Math.PI * 100)).toBeLessThan(0.05);
    expect(lesion!.maxDiameterExact).toBe(true);
  });

  it('measures a sphere with 0.5 × 0.5 × 3 mm voxels within the coarsest voxel', () => {
    const spacing: Vec3 = [0.5, 0.5, 3];
    const sphere = maskAroundShape([15, 15, 15], spacing, sphereShape(15));
    const [lesion] = lesionDiameters({ mask: sphere.mask, dims: sphere.dims, spacing });
    expect(Math.abs(lesion!.maxDiameter.length - 30)).toBeLessThanOrEqual(3);
    expect(lengthOf(lesion!.maxDiameter, spacing)).toBeCloseTo(lesion!.maxDiameter.length, 6);
    // The largest slice is within half a slice (1.5 mm) of the centre: its disc is 30 mm ± 0.5.
    expect(Math.abs(lesion!.axial.longest.length - 30)).toBeLessThanOrEqual(0.6);
    expect(Math.abs(lesion!.axial.perpendicular.length - 30)).toBeLessThanOrEqual(0.6);
  });

  it('gives an ellipsoid its axes: 3D diameter 2a, axial diameters 2a and 2b (anisotropic voxels)', () => {
    const spacing: Vec3 = [0.8, 1, 2.5];
    const shape = maskAroundShape([25, 15, 10], spacing, ellipsoidShape(25, 15, 10));
    const [lesion] = lesionDiameters({ mask: shape.mask, dims: shape.dims, spacing });
    expect(Math.abs(lesion!.maxDiameter.length - 50)).toBeLessThanOrEqual(1);
    const { axial } = lesion!;
    expect(Math.abs(axial.longest.length - 50)).toBeLessThanOrEqual(1);
    expect(Math.abs(axial.perpendicular.length - 30)).toBeLessThanOrEqual(1);
    // Along x and y: the longest runs left-right, the perpendicular front-back.
    const [p, q] = axial.longest.endpoints;
    expect(Math.abs((q[0] - p[0]) * spacing[0])).toBeGreaterThan(49);
    expect(Math.abs(axial.product - 1500) / 1500).toBeLessThan(0.05);
  });

  it('measures an ellipsoid standing up through thick slices: 3D along z, axial in-plane', () => {
    const spacing: Vec3 = [1, 1, 3];
    const shape = maskAroundShape([10, 15, 25], spacing, ellipsoidShape(10, 15, 25));
    const [lesion] = lesionDiameters({ mask: shape.mask, dims: shape.dims, spacing });
    expect(Math.abs(lesion!.maxDiameter.length - 50)).toBeLessThanOrEqual(3);
    expect(Math.abs(lesion!.axial.longest.length - 30)).toBeLessThanOrEqual(1);
    expect(Math.abs(lesion!.axial.perpendicular.length - 20)).toBeLessThanOrEqual(1);
  });

  it('takes the axial plane from the orientation: a sagittal stack is measured across its rows', () => {
    // Voxel x runs posterior, y inferior, z to the patient's left: y is the up-down axis.
    const direction = [0, 1, 0, 0, 0, -1, 1, 0, 0] as const;
    const spacing: Vec3 = [1, 1, 1];
    const shape = maskAroundShape([15, 10, 25], spacing, ellipsoidShape(15, 10, 25));
    const [lesion] = lesionDiameters({
      mask: shape.mask,
      dims: shape.dims,
      spacing,
      direction: [...direction],
    });
    expect(lesion!.axial.sliceAxis).toBe(1);
    // The axial plane holds x (15 mm half-axis) and z (25 mm).
    expect(Math.abs(lesion!.axial.longest.length - 50)).toBeLessThanOrEqual(1);
    expect(Math.abs(lesion!.axial.perpendicular.length - 30)).toBeLessThanOrEqual(1);
  });

  it('measures the perpendicular of an L-shape inside one arm, not across its width', () => {
    // A 2D picture (pixels): a 10-wide upright arm 40 tall, and a 30-wide foot 10 tall.
    const target = emptyMask([40, 50, 1]);
    paintBlock(target, [2, 2, 0], [11, 41, 0]);
    paintBlock(target, [2, 32, 0], [31, 41, 0]);
    const [lesion] = lesionDiameters({ mask: target.mask, dims: target.dims, spacing: null });
    expect(lesion!.units).toBe('pixels');
    const { longest, perpendicular } = lesion!.axial;
    // Corner to corner of a 30 × 40 box: 50, measured between edge midpoints (within a pixel).
    expect(Math.abs(longest.length - 50)).toBeLessThanOrEqual(1);
    expect(lesion!.maxDiameter.length).toBeCloseTo(longest.length, 6);
    // Perpendicular lines run down-left; the longest crosses the 10-pixel-tall foot: 10 / |cos|
    // of the angle between the longest diameter and the x axis.
    const [p, q] = longest.endpoints;
    const cos = Math.abs(q[0] - p[0]) / longest.length;
    expect(Math.abs(perpendicular.length - 10 / cos)).toBeLessThanOrEqual(0.3);
    // The L's extent in that direction is far larger (a width would read about 31).
    const u = [(q[0] - p[0]) / longest.length, (q[1] - p[1]) / longest.length];
    const [a, b] = perpendicular.endpoints;
    const along = ((b[0] - a[0]) * u[0]! + (b[1] - a[1]) * u[1]!) / perpendicular.length;
    expect(Math.abs(along)).toBeLessThan(0.01);
    expect(lesion!.axial.product).toBeCloseTo(longest.length * perpendicular.length, 6);
  });

  it('measures a row of n voxels as n × spacing', () => {
    const target = emptyMask([20, 5, 3], [0.7, 1, 1]);
    paintBlock(target, [3, 2, 1], [14, 2, 1]);
    const [lesion] = lesionDiameters({
      mask: target.mask,
      dims: target.dims,
      spacing: [0.7, 1, 1],
    });
    expect(lesion!.maxDiameter.length).toBeCloseTo(12 * 0.7, 6);
    expect(lesion!.axial.longest.length).toBeCloseTo(12 * 0.7, 6);
    expect(Math.abs(lesion!.axial.perpendicular.length - 1)).toBeLessThanOrEqual(0.15);
  });

  it('names lesions as the analysis does: det-1 is the largest, as extractDetections says', () => {
    const spacing: Vec3 = [1, 1, 1];
    const target = emptyMask([40, 40, 20], spacing);
    paintBlock(target, [2, 2, 2], [5, 5, 5]);
    paintBlock(target, [20, 20, 5], [30, 28, 12]);
    const measured = lesionDiameters({ mask: target.mask, dims: target.dims, spacing });
    const detections = extractDetections({ mask: target.mask, dims: target.dims, spacing });
    expect(measured.map((l) => [l.detectionId, l.voxelCount])).toEqual(
      detections.map((d) => [d.detectionId, d.voxelCount]),
    );
    expect(measured[0]!.voxelCount).toBe(11 * 9 * 8);
  });

  it('says what is wrong with a mask that does not fit, or a volume without spacing', () => {
    expect(() =>
      lesionDiameters({ mask: new Uint8Array(10), dims: [4, 4, 1], spacing: null }),
    ).toThrow(/holds 10 voxels but its dimensions need 16/);
    expect(() =>
      lesionDiameters({ mask: new Uint8Array(32), dims: [4, 4, 2], spacing: null }),
    ).toThrow(/needs its voxel spacing/);
    expect(lesionDiameters({ mask: new Uint8Array(16), dims: [4, 4, 1], spacing: null })).toEqual(
      [],
    );
  });
});
