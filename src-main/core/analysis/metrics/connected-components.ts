import { voxelCountOf, type Connectivity, type VolumeDims } from './types.js';

/** A mask split into its connected components. */
export interface LabelledComponents {
  /** Per voxel: 0 for background, k (1-based) for the k-th component in scan order. */
  labels: Int32Array;
  /** sizes[k - 1] = number of voxels of component k. */
  sizes: number[];
}

/**
 * Labels the connected components of a mask (any non-zero value is foreground) by breadth-first
 * flood fill with an explicit queue: a tumour can hold millions of voxels, far beyond what a
 * recursive fill could keep on the stack. Components are numbered in the order of their first
 * voxel (x fastest), so labelling the same mask twice gives the same numbers.
 */
export function labelConnectedComponents(
  mask: Uint8Array,
  dims: VolumeDims,
  connectivity: Connectivity = 26,
): LabelledComponents {
  const [nx, ny, nz] = dims;
  if (mask.length !== voxelCountOf(dims)) throw new RangeError('mask length does not match dims');
  const sliceSize = nx * ny;
  const labels = new Int32Array(mask.length);
  const sizes: number[] = [];
  let foreground = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) foreground++;
  // One queue for every fill: a component never holds more voxels than the whole foreground.
  const queue = new Int32Array(foreground);
  const isFaceOnly = connectivity === 6;
  const neighbours: number[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const steps = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
        if (steps !== 0 && (!isFaceOnly || steps === 1))
          neighbours.push(dx + dy * nx + dz * sliceSize);
      }

  for (let seed = 0; seed < mask.length; seed++) {
    if (mask[seed] === 0 || labels[seed] !== 0) continue;
    const label = sizes.length + 1;
    labels[seed] = label;
    queue[0] = seed;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const index = queue[head++]!;
      const z = Math.floor(index / sliceSize);
      const y = Math.floor((index - z * sliceSize) / nx);
      const x = index - z * sliceSize - y * nx;
      const isInterior = x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1;
      if (isInterior) {
        // The common case needs no bounds checks.
        for (const offset of neighbours) {
          const neighbour = index + offset;
          if (mask[neighbour] === 0 || labels[neighbour] !== 0) continue;
          labels[neighbour] = label;
          queue[tail++] = neighbour;
        }
        continue;
      }
      for (let dz = z > 0 ? -1 : 0; dz <= (z < nz - 1 ? 1 : 0); dz++) {
        for (let dy = y > 0 ? -1 : 0; dy <= (y < ny - 1 ? 1 : 0); dy++) {
          for (let dx = x > 0 ? -1 : 0; dx <= (x < nx - 1 ? 1 : 0); dx++) {
            if (isFaceOnly && Math.abs(dx) + Math.abs(dy) + Math.abs(dz) !== 1) continue;
            if (dx === 0 && dy === 0 && dz === 0) continue;
            const neighbour = index + dx + dy * nx + dz * sliceSize;
            if (mask[neighbour] === 0 || labels[neighbour] !== 0) continue;
            labels[neighbour] = label;
            queue[tail++] = neighbour;
          }
        }
      }
    }
    sizes.push(tail);
  }
  return { labels, sizes };
}

/**
 * A copy of the mask (values 0/1) without the components smaller than `minVoxels`, e.g. to drop
 * isolated false-positive voxels of a segmentation before measuring it.
 */
export function removeSmallComponents(
  mask: Uint8Array,
  dims: VolumeDims,
  minVoxels: number,
  connectivity: Connectivity = 26,
): Uint8Array {
  const { labels, sizes } = labelConnectedComponents(mask, dims, connectivity);
  const kept = new Uint8Array(mask.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label !== 0 && sizes[label - 1]! >= minVoxels) kept[i] = 1;
  }
  return kept;
}
