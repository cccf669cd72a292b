import { nonZeroPercentileWindow } from './preprocess/intensity.js';
import type { Volume } from './pipeline/volume.js';

/**
 * A coarse image-quality score (0..1) with the reasons it is below 1: what a radiologist would
 * check before trusting an automatic measurement. Heuristic, not a validated metric.
 */
export function assessImageQuality(
  volume: Volume,
  isSingleImage: boolean,
): { score: number; issues: string[] } {
  const [nx, ny, nz] = volume.dims;
  const issues: string[] = [];
  if (Math.min(nx, ny) < 128) issues.push(`Low in-plane resolution (${nx}×${ny} pixels).`);
  if (!isSingleImage && nz < 10) issues.push(`Only ${nz} slices: the volume may be incomplete.`);
  let nonZero = 0;
  for (const v of volume.data) if (v !== 0) nonZero++;
  if (nonZero < 0.05 * volume.data.length) issues.push('The image is mostly empty.');
  const { low, high } = nonZeroPercentileWindow(volume.data, 1, 99);
  if (nonZero > 0 && (high - low) / Math.max(Math.abs(high), 1e-6) < 0.2)
    issues.push('Very low contrast.');
  if (
    volume.spacing !== null &&
    volume.spacing[2] > 3 * Math.max(volume.spacing[0], volume.spacing[1])
  ) {
    issues.push(`Thick slices (${volume.spacing[2].toFixed(1)} mm): volumes are less precise.`);
  }
  return { score: Math.max(0, 1 - 0.2 * issues.length), issues };
}
