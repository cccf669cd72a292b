import type { Vec3, VolumeDims, VoxelBox } from './types.js';

/** One component copied out of a label volume into a small grid of its own. */
export interface ComponentCrop {
  /** 1 on the component's voxels, 0 elsewhere. */
  field: Float32Array;
  dims: VolumeDims;
  /** Voxel index, in the whole volume, of the crop's first sample (may be negative). */
  start: Vec3;
}

/**
 * Copies one component into a grid spanning its box plus `pad` voxels on each side. The padding
 * may reach beyond the volume: those samples are empty, so a component cut by the border of the
 * image still gets a closed surface (its cut face included).
 */
export function cropComponent(
  labels: Int32Array,
  dims: VolumeDims,
  label: number,
  box: VoxelBox,
  pad: Vec3,
): ComponentCrop {
  const start: Vec3 = [box.min[0] - pad[0], box.min[1] - pad[1], box.min[2] - pad[2]];
  const cropDims: VolumeDims = [
    box.max[0] - box.min[0] + 1 + 2 * pad[0],
    box.max[1] - box.min[1] + 1 + 2 * pad[1],
    box.max[2] - box.min[2] + 1 + 2 * pad[2],
  ];
  const field = new Float32Array(cropDims[0] * cropDims[1] * cropDims[2]);
  for (let z = box.min[2]; z <= box.max[2]; z++) {
    for (let y = box.min[1]; y <= box.max[1]; y++) {
      const row = dims[0] * (y + dims[1] * z);
      const cropRow = cropDims[0] * (y - start[1] + cropDims[1] * (z - start[2])) - start[0];
      for (let x = box.min[0]; x <= box.max[0]; x++) {
        if (labels[row + x] === label) field[cropRow + x] = 1;
      }
    }
  }
  return { field, dims: cropDims, start };
}
