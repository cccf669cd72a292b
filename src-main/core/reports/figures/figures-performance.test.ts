import { describe, expect, it } from 'vitest';
import { heatmapRgb } from '../../analysis/output/heatmap-colours.js';
import { encodePng } from '../../analysis/output/png-encoder.js';
import type { SpacingMm, VolumeDims } from '../../analysis/metrics/types.js';
import { computeReportFigures } from './report-figures.js';
import type { GrowthTimepoint } from './lesion-growth.js';

/**
 * A 256 × 256 × 170 head (noisy brain in air) with a lobulated 60 mm tumour and a small lesion, the
 * size of the Philips 170-slice series: what the report benchmark's figures cost.
 */
function headWithTumour(dims: VolumeDims, spacing: SpacingMm) {
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  const mask = new Uint8Array(data.length);
  let seed = 12345;
  const noise = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 80;
  // The head: an ellipsoid filling most of the field of view.
  const half = [nx / 2, ny / 2, nz / 2];
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const r2 =
          ((x - half[0]!) / (half[0]! * 0.9)) ** 2 +
          ((y - half[1]!) / (half[1]! * 0.9)) ** 2 +
          ((z - half[2]!) / (half[2]! * 0.9)) ** 2;
        if (r2 < 1) data[i] = 600 + noise();
      }
  // The tumour: a 26 mm ball with three 12 mm bulges, painted within its own box only.
  const centre = [0.6, 0.4, 0.6].map((f, k) => f * dims[k]! * spacing[k]!);
  const balls = [
    [0, 0, 0, 26],
    [22, 0, 0, 12],
    [-8, 18, 4, 12],
    [-6, -10, 17, 12],
  ] as const;
  for (const [dx, dy, dz, r] of balls) {
    const c = [centre[0]! + dx, centre[1]! + dy, centre[2]! + dz];
    const lo = c.map((v, k) => Math.max(0, Math.floor((v - r) / spacing[k]!)));
    const hi = c.map((v, k) => Math.min(dims[k]! - 1, Math.ceil((v + r) / spacing[k]!)));
    for (let z = lo[2]!; z <= hi[2]!; z++)
      for (let y = lo[1]!; y <= hi[1]!; y++)
        for (let x = lo[0]!; x <= hi[0]!; x++) {
          const d2 =
            (x * spacing[0] - c[0]!) ** 2 +
            (y * spacing[1] - c[1]!) ** 2 +
            (z * spacing[2] - c[2]!) ** 2;
          if (d2 > r * r) continue;
          const j = x + nx * (y + ny * z);
          mask[j] = 1;
          data[j] = 1100 + noise();
        }
  }
  // A second, small lesion on the other side: the lesions' box spans much of the head.
  const [ox, oy, oz] = [0.3 * nx, 0.7 * ny, 0.35 * nz].map(Math.round) as [number, number, number];
  for (let z = oz - 4; z <= oz + 4; z++)
    for (let y = oy - 4; y <= oy + 4; y++)
      for (let x = ox - 4; x <= ox + 4; x++)
        if ((x - ox) ** 2 + (y - oy) ** 2 + (z - oz) ** 2 <= 16) mask[x + nx * (y + ny * z)] = 1;
  return { data, mask, centreSlice: Math.round(centre[2]! / spacing[2]) };
}

describe('figures performance', () => {
  it('computes every figure of a 256 × 256 × 170 volume well under a second', () => {
    const dims: VolumeDims = [256, 256, 170];
    const spacing: SpacingMm = [0.94, 0.94, 1];
    const { data, mask, centreSlice } = headWithTumour(dims, spacing);
    const heat = new Float32Array(256 * 256).map((_, j) =>
      Math.max(0, 1 - Math.hypot((j % 256) - 154, Math.floor(j / 256) - 102) / 40),
    );
    const heatmapPng = encodePng(heatmapRgb(heat), 256, 256, 3);
    const timepoints: GrowthTimepoint[] = ['2023-06-01', '2023-12-01', '2024-06-01'].map(
      (date, k) => ({
        id: date,
        date,
        lesions: [
          {
            detectionId: 'det-1',
            centroidPatientMm: [144, 96, 102 + k],
            volume_mm3: 50_000 * (1 + k / 2),
            maxDiameter_mm: 60 + 5 * k,
            longestAxial_mm: 55,
            perpendicularAxial_mm: 48,
          },
        ],
      }),
    );
    const input = {
      volume: { dims, spacing, data },
      mask,
      heatmap: { png: heatmapPng, slice: centreSlice },
      minComponentVoxels: 10,
      timepoints,
    };
    computeReportFigures(input); // warm up the JIT
    const cpu = process.cpuUsage();
    const started = performance.now();
    const figures = computeReportFigures(input);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const { diameters, keyImages, growth } = figures;
    const t = figures.timingsMs;
    console.log(
      `figures of a 256 × 256 × 170 volume: ${wallMs.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU ` +
        `(diameters ${t.diameters.toFixed(0)} ms, key images ${t.keyImages.toFixed(0)} ms, growth ${t.growth.toFixed(1)} ms); ` +
        `det-1 ${diameters[0]!.maxDiameter.length.toFixed(1)} mm, axial ${diameters[0]!.axial.longest.length.toFixed(1)} × ${diameters[0]!.axial.perpendicular.length.toFixed(1)} mm`,
    );
    expect(diameters).toHaveLength(2);
    // Sphere of 26 mm with a 12 mm bulge 22 mm out along x: 26 + 34 = 60 mm across.
    expect(Math.abs(diameters[0]!.maxDiameter.length - 60)).toBeLessThan(2);
    expect(keyImages.images.map((image) => image.kind)).toEqual([
      'outline',
      'outline',
      'outline',
      'heatmap',
    ]);
    expect(growth!.tracks).toHaveLength(1);
    expect(figures.growthPlotSvg).toContain('<polyline');
    // Generous: the machine is shared; the point is to catch an accidental quadratic.
    expect(wallMs).toBeLessThan(10_000);
  }, 120_000);
});
