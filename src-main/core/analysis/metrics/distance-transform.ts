/** Stands in for "no feature on this line": large, yet finite so that the arithmetic stays exact. */
const FAR = 1e20;

/**
 * Exact squared Euclidean distance, in mm², from every pixel of a 2D grid to the nearest pixel
 * where `isFeature` is non-zero (Felzenszwalb & Huttenlocher's linear-time lower envelope of
 * parabolas, run along x and then along y). Pixels are `hx` by `hy` mm. A grid without features
 * gets distances of about 1e20.
 */
export function squaredDistanceToFeatures(
  isFeature: Uint8Array,
  nx: number,
  ny: number,
  hx: number,
  hy: number,
): Float64Array {
  const distances = new Float64Array(nx * ny);
  for (let i = 0; i < distances.length; i++) distances[i] = isFeature[i] !== 0 ? 0 : FAR;
  const longest = Math.max(nx, ny);
  const line = new Float64Array(longest);
  const result = new Float64Array(longest);
  const envelope = { vertices: new Int32Array(longest), bounds: new Float64Array(longest + 1) };
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) line[x] = distances[x + nx * y]!;
    lowerEnvelope(line, nx, hx, result, envelope);
    for (let x = 0; x < nx; x++) distances[x + nx * y] = result[x]!;
  }
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) line[y] = distances[x + nx * y]!;
    lowerEnvelope(line, ny, hy, result, envelope);
    for (let y = 0; y < ny; y++) distances[x + nx * y] = result[y]!;
  }
  return distances;
}

/** result[q] = min over p of ((q - p)·h)² + f[p], for q in 0..n-1. */
function lowerEnvelope(
  f: Float64Array,
  n: number,
  h: number,
  result: Float64Array,
  envelope: { vertices: Int32Array; bounds: Float64Array },
): void {
  const { vertices: v, bounds: z } = envelope;
  // Where the parabola rooted at q overtakes the one rooted at p (in position units).
  const crossing = (q: number, p: number): number =>
    (f[q]! + (q * h) ** 2 - (f[p]! + (p * h) ** 2)) / (2 * h * (q - p));
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = crossing(q, v[k]!);
    while (s <= z[k]!) {
      k--;
      s = crossing(q, v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q * h) k++;
    result[q] = ((q - v[k]!) * h) ** 2 + f[v[k]!]!;
  }
}
