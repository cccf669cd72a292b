/**
 * Bilinear resize of a row-major 2D image with PyTorch's F.interpolate semantics
 * (mode 'bilinear', align_corners=False, no antialiasing): the models were trained with
 * exactly this, so any other resampler would shift their inputs.
 */
export function resizeBilinear(
  source: ArrayLike<number>,
  inHeight: number,
  inWidth: number,
  outHeight: number,
  outWidth: number,
  target: Float32Array = new Float32Array(outHeight * outWidth),
): Float32Array {
  const scaleY = inHeight / outHeight;
  const scaleX = inWidth / outWidth;
  const x0s = new Int32Array(outWidth);
  const x1s = new Int32Array(outWidth);
  const xLambdas = new Float32Array(outWidth);
  for (let ox = 0; ox < outWidth; ox++) {
    const src = Math.max(0, scaleX * (ox + 0.5) - 0.5);
    const x0 = Math.min(Math.floor(src), inWidth - 1);
    x0s[ox] = x0;
    x1s[ox] = x0 < inWidth - 1 ? x0 + 1 : x0;
    xLambdas[ox] = src - x0;
  }
  for (let oy = 0; oy < outHeight; oy++) {
    const srcY = Math.max(0, scaleY * (oy + 0.5) - 0.5);
    const y0 = Math.min(Math.floor(srcY), inHeight - 1);
    const y1 = y0 < inHeight - 1 ? y0 + 1 : y0;
    const ly = srcY - y0;
    const row0 = y0 * inWidth;
    const row1 = y1 * inWidth;
    for (let ox = 0; ox < outWidth; ox++) {
      const lx = xLambdas[ox]!;
      const a = x0s[ox]!;
      const b = x1s[ox]!;
      const top = (1 - lx) * source[row0 + a]! + lx * source[row0 + b]!;
      const bottom = (1 - lx) * source[row1 + a]! + lx * source[row1 + b]!;
      target[oy * outWidth + ox] = (1 - ly) * top + ly * bottom;
    }
  }
  return target;
}
