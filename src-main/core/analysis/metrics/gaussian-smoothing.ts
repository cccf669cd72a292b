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
 * Separable Gaussian blur in place, with a standard deviation per axis in voxels (0 = leave that
 * axis alone). Samples beyond the grid count as zero, which is right for a padded mask crop.
 */
export function gaussianSmoothInPlace(
  field: Float32Array,
  dims: VolumeDims,
  sigmaVoxels: Vec3,
): void {
  if (field.length !== voxelCountOf(dims)) throw new RangeError('field length does not match dims');
  const strides = [1, dims[0], dims[0] * dims[1]] as const;
  for (let axis = 0; axis < 3; axis++) {
    const sigma = sigmaVoxels[axis]!;
    const length = dims[axis]!;
    if (sigma <= 0 || length < 2) continue;
    const kernel = gaussianKernel(sigma);
    const radius = (kernel.length - 1) / 2;
    const stride = strides[axis]!;
    const line = new Float64Array(length);
    // The two axes other than `axis` enumerate the lines to blur.
    const [a, b] = [0, 1, 2].filter((other) => other !== axis) as [number, number];
    for (let j = 0; j < dims[b]!; j++) {
      for (let i = 0; i < dims[a]!; i++) {
        const start = i * strides[a]! + j * strides[b]!;
        let isEmpty = true;
        for (let t = 0; t < length; t++) {
          line[t] = field[start + t * stride]!;
          if (line[t] !== 0) isEmpty = false;
        }
        if (isEmpty) continue; // most lines of a crop around a blob hold nothing
        for (let t = 0; t < length; t++) {
          let acc = 0;
          const from = Math.max(-radius, -t);
          const to = Math.min(radius, length - 1 - t);
          for (let k = from; k <= to; k++) acc += kernel[k + radius]! * line[t + k]!;
          field[start + t * stride] = acc;
        }
      }
    }
  }
}
