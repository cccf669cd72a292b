import type { ReadonlyVector3 } from '../geometry/vector.js';

/** One connected region of a label mask (a lesion), with its voxel-index bounds (inclusive). */
export interface MaskComponent {
  /** 1-based, in the order of the component's first voxel (x fastest), as the analysis numbers them. */
  readonly id: number;
  readonly voxelCount: number;
  readonly min: [number, number, number];
  readonly max: [number, number, number];
}

export interface LabelledMask {
  /** Per voxel: 0 for background, else the id of its component. */
  readonly labels: Int32Array;
  readonly components: readonly MaskComponent[];
}

/**
 * Splits a label mask (any non-zero value is foreground: a lesion's BraTS sub-regions stay one
 * lesion) into 26-connected components, as the analysis does, by breadth-first fill with one
 * explicit queue (a tumour can hold millions of voxels; a recursive fill would overflow).
 */
export function labelMaskComponents(mask: Uint8Array, dims: ReadonlyVector3): LabelledMask {
  const [nx, ny, nz] = dims;
  if (mask.length !== nx * ny * nz)
    throw new RangeError(`The mask holds ${mask.length} voxels, not ${nx}×${ny}×${nz}.`);
  const slice = nx * ny;
  const labels = new Int32Array(mask.length);
  let foreground = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) foreground++;
  const queue = new Int32Array(foreground);
  const components: MaskComponent[] = [];
  for (let seed = 0; seed < mask.length; seed++) {
    if (mask[seed] === 0 || labels[seed] !== 0) continue;
    const id = components.length + 1;
    const min: [number, number, number] = [nx, ny, nz];
    const max: [number, number, number] = [-1, -1, -1];
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    labels[seed] = id;
    while (head < tail) {
      const v = queue[head++]!;
      const z = Math.floor(v / slice);
      const rest = v - z * slice;
      const y = Math.floor(rest / nx);
      const x = rest - y * nx;
      if (x < min[0]) min[0] = x;
      if (x > max[0]) max[0] = x;
      if (y < min[1]) min[1] = y;
      if (y > max[1]) max[1] = y;
      if (z < min[2]) min[2] = z;
      if (z > max[2]) max[2] = z;
      const z0 = z > 0 ? -1 : 0;
      const z1 = z < nz - 1 ? 1 : 0;
      const y0 = y > 0 ? -1 : 0;
      const y1 = y < ny - 1 ? 1 : 0;
      const x0 = x > 0 ? -1 : 0;
      const x1 = x < nx - 1 ? 1 : 0;
      for (let dz = z0; dz <= z1; dz++)
        for (let dy = y0; dy <= y1; dy++)
          for (let dx = x0; dx <= x1; dx++) {
            const n = v + dx + dy * nx + dz * slice;
            if (mask[n] !== 0 && labels[n] === 0) {
              labels[n] = id;
              queue[tail++] = n;
            }
          }
    }
    components.push({ id, voxelCount: tail, min, max });
  }
  return { labels, components };
}
