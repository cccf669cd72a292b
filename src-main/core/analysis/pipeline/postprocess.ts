import { removeSmallComponents } from '../metrics/index.js';
import type { Volume } from './volume.js';

/**
 * Removes components smaller than `minPixels` slice by slice (8-connected), exactly as the
 * model card's figures were computed, so the app's masks match the published metrics.
 */
export function removeSmallPerSlice(
  mask: Uint8Array,
  dims: Volume['dims'],
  minPixels: number,
): Uint8Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const out = new Uint8Array(mask.length);
  for (let k = 0; k < nz; k++) {
    const slice = mask.subarray(k * plane, (k + 1) * plane);
    if (!slice.includes(1)) continue;
    out.set(removeSmallComponents(slice, [nx, ny, 1], minPixels, 26), k * plane);
  }
  return out;
}
