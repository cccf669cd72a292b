import { describe, expect, it } from 'vitest';
import { summarise, formatDetectionSize } from './detection-summary.js';
import { extractDetections } from './detections.js';
import { emptyMask, paintShape, sphereShape } from './testing/synthetic-masks.js';
import type { SpacingMm, VolumeDims } from './types.js';

/** A lobulated 60 mm lesion (a sphere with three bulges) and a few specks of noise. */
function brainWithTumour(dims: VolumeDims, spacing: SpacingMm) {
  const volume = emptyMask(dims, spacing);
  const centre = [
    dims[0] * spacing[0] * 0.6,
    dims[1] * spacing[1] * 0.4,
    dims[2] * spacing[2] * 0.6,
  ] as const;
  paintShape(volume, centre, sphereShape(26));
  for (const [dx, dy, dz] of [
    [22, 0, 0],
    [-8, 18, 4],
    [-6, -10, 17],
  ] as const)
    paintShape(volume, [centre[0] + dx, centre[1] + dy, centre[2] + dz], sphereShape(12));
  for (let i = 0; i < 20; i++) volume.mask[(i * 7_919_993) % volume.mask.length] = 1;
  const probabilities = Float32Array.from(volume.mask, (v) => (v ? 0.92 : 0.01));
  return { ...volume, probabilities };
}

function timed<T>(run: () => T): { result: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = run();
  const used = process.cpuUsage(cpu);
  return { result, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

describe('performance', () => {
  const cases: Array<[string, VolumeDims, SpacingMm]> = [
    ['256 × 256 × 155, 1 mm isotropic', [256, 256, 155], [1, 1, 1]],
    ['256 × 256 × 40, 0.9 × 0.9 × 4 mm slices', [256, 256, 40], [0.9, 0.9, 4]],
  ];
  for (const [name, dims, spacing] of cases) {
    it(`measures a 60 mm lesion in a ${name} volume quickly`, () => {
      const input = brainWithTumour(dims, spacing);
      extractDetections({ ...input, minComponentVoxels: 10 }); // warm up the JIT
      const { result, wallMs, cpuMs } = timed(() =>
        extractDetections({ ...input, minComponentVoxels: 10, brainMask: input.mask }),
      );
      const [lesion] = result;
      if (lesion?.metrics.kind !== 'volume') throw new Error('expected one volume detection');
      console.log(
        `${name}: ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU; ` +
          `${formatDetectionSize(lesion)}, diameter ${lesion.metrics.diameter_mm.toFixed(1)} mm, ` +
          `sphericity ${lesion.metrics.sphericity.toFixed(3)}`,
      );
      expect(result).toHaveLength(1);
      expect(summarise(result).averageConfidence).toBeCloseTo(0.92, 5);
      expect(lesion.metrics.diameter_mm).toBeGreaterThan(57);
      expect(lesion.metrics.diameter_mm).toBeLessThan(66);
      // Generous: the machine is shared; the point is to catch an accidental quadratic.
      expect(wallMs).toBeLessThan(10_000);
    });
  }
});
