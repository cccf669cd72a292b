import { resizeBilinear } from '../preprocess/resize-bilinear.js';

/**
 * Class activation map for a global-average-pooling + linear head: CAM_c = Σ_k w_ck · F_k.
 * For such a head this equals Grad-CAM up to scale, so no gradients are needed at run time.
 * Negative evidence is clipped and the map scaled to 0..1, then resized to the image.
 */
export function classActivationMap(options: {
  /** The last feature map, [channels, height, width] of one image. */
  features: Float32Array;
  channels: number;
  height: number;
  width: number;
  /** The linear head's weights for the class, one per channel. */
  classWeights: readonly number[];
  outHeight: number;
  outWidth: number;
}): Float32Array {
  const { features, channels, height, width, classWeights } = options;
  if (classWeights.length !== channels) {
    throw new Error(
      `CAM weights have ${classWeights.length} channels, the feature map ${channels}`,
    );
  }
  const plane = height * width;
  const cam = new Float32Array(plane);
  for (let c = 0; c < channels; c++) {
    const w = classWeights[c]!;
    const offset = c * plane;
    for (let i = 0; i < plane; i++) cam[i] = cam[i]! + w * features[offset + i]!;
  }
  let max = 0;
  for (let i = 0; i < plane; i++) {
    if (cam[i]! < 0) cam[i] = 0;
    if (cam[i]! > max) max = cam[i]!;
  }
  if (max > 0) for (let i = 0; i < plane; i++) cam[i] = cam[i]! / max;
  return resizeBilinear(cam, height, width, options.outHeight, options.outWidth);
}
