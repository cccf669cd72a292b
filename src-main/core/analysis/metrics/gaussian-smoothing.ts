import { voxelCountOf, type Vec3, type VolumeDims } from './types.js';

/** Normalised Gaussian weights for offsets -radius..radius, cut at three standard deviations. */
export function gaussianKernel(sigmaVoxels: number): Float64Array {
  const radius = Math.ceil(3 * sigmaVoxels);
  const weights = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = Math.exp(-(k * k) / (2 * sigmaVoxels * sigmaVoxels));
    weights[k + radius] = w;
    total += w;
  }
  return weights.map((w) => w / total);
}

/**
 * Separable Gaussian blur, with a standard deviation per axis in voxels (0 = leave that axis
 * alone). Samples beyond the grid count as zero, which is right for a padded mask crop. Returns
 * the blurred field (the input is used as scratch space).
 */
export function gaussianSmooth(
  field: Float32Array,
  dims: VolumeDims,
  sigmaVoxels: Vec3,
): Float32Array {
  if (field.length !== voxelCountOf(dims)) throw new RangeError('field length does not match dims');
  let source: Float32Array = field;
  let target: Float32Array = new Float32Array(field.length);
  for (const axis of [0, 1, 2] as const) {
    if (sigmaVoxels[axis] <= 0 || dims[axis] < 2) continue;
    const kernel = gaussianKernel(sigmaVoxels[axis]);
    if (axis === 0) blurRows(source, target, dims[0], kernel);
    else blurBlocks(source, target, dims, axis, kernel);
    [source, target] = [target, source];
  }
  return source;
}

/** Along x: each row of `length` samples on its own, one shifted weighted add per kernel tap. */
function blurRows(
  source: Float32Array,
  target: Float32Array,
  length: number,
  kernel: Float64Array,
): void {
  const radius = (kernel.length - 1) / 2;
  target.fill(0);
  for (let start = 0; start < source.length; start += length) {
    let isEmpty = true;
    for (let t = start; t < start + length && isEmpty; t++) isEmpty = source[t] === 0;
    if (isEmpty) continue; // most rows of a crop around a blob hold nothing
    for (let k = -radius; k <= radius; k++) {
      const w = kernel[k + radius]!;
      const from = start + Math.max(0, -k);
      const to = start + Math.min(length, length - k);
      for (let t = from; t < to; t++) target[t]! += w * source[t + k]!;
    }
  }
}

/**
 * Along y or z: whole rows (y) or slices (z) are weighted and added, so the inner loop runs over
 * contiguous memory instead of striding through it.
 */
function blurBlocks(
  source: Float32Array,
  target: Float32Array,
  dims: VolumeDims,
  axis: 1 | 2,
  kernel: Float64Array,
): void {
  const radius = (kernel.length - 1) / 2;
  const block = axis === 1 ? dims[0] : dims[0] * dims[1];
  const count = dims[axis];
  const groups = axis === 1 ? dims[2] : 1;
  target.fill(0);
  for (let group = 0; group < groups; group++) {
    const groupStart = group * count * block;
    for (let t = 0; t < count; t++) {
      const out = groupStart + t * block;
      const from = Math.max(-radius, -t);
      const to = Math.min(radius, count - 1 - t);
      for (let k = from; k <= to; k++) {
        const w = kernel[k + radius]!;
        const input = out + k * block;
        for (let i = 0; i < block; i++) target[out + i]! += w * source[input + i]!;
      }
    }
  }
}
