/**
 * Directions spread evenly over a hemisphere (a Fibonacci lattice): `count` unit vectors, flat
 * x, y, z triples. A hemisphere is enough: the points extreme along d and along -d are both kept.
 */
export function hemisphereDirections(count: number): Float64Array {
  const out = new Float64Array(3 * count);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < count; i++) {
    const z = 1 - (i + 0.5) / count; // 1 → 0: the upper hemisphere
    const r = Math.sqrt(1 - z * z);
    out.set([r * Math.cos(golden * i), r * Math.sin(golden * i), z], 3 * i);
  }
  return out;
}

/**
 * The points that lie farthest along, or against, one of the directions: a superset of where a
 * diameter can end when the directions are dense. The farthest pair p, q is extreme along
 * (p - q); a sampled direction at angle θ from it has extreme points at least |p - q| cos θ
 * apart, so the largest distance among the kept points is within a factor cos θ of the true
 * one. Duplicates are removed. Cost: points × directions dot products.
 */
export function extremePoints(points: Float64Array, directions: Float64Array): Float64Array {
  const pointCount = points.length / 3;
  const directionCount = directions.length / 3;
  const maxValue = new Float64Array(directionCount).fill(-Infinity);
  const minValue = new Float64Array(directionCount).fill(Infinity);
  const maxIndex = new Int32Array(directionCount);
  const minIndex = new Int32Array(directionCount);
  for (let i = 0; i < pointCount; i++) {
    const [x, y, z] = [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!];
    for (let d = 0; d < directionCount; d++) {
      const along =
        x * directions[3 * d]! + y * directions[3 * d + 1]! + z * directions[3 * d + 2]!;
      if (along > maxValue[d]!) {
        maxValue[d] = along;
        maxIndex[d] = i;
      }
      if (along < minValue[d]!) {
        minValue[d] = along;
        minIndex[d] = i;
      }
    }
  }
  const kept = [...new Set([...maxIndex, ...minIndex])].sort((a, b) => a - b);
  const out = new Float64Array(3 * kept.length);
  kept.forEach((i, k) => out.set(points.subarray(3 * i, 3 * i + 3), 3 * k));
  return out;
}

/**
 * The farthest pair of a small point set by comparing every pair: for the thousand-odd extreme
 * points this is quicker than building a search tree.
 */
export function farthestPairBruteForce(points: Float64Array): {
  distance: number;
  ends: [[number, number, number], [number, number, number]];
} {
  const count = points.length / 3;
  let [bestI, bestJ, best2] = [0, 0, 0];
  for (let i = 0; i < count; i++) {
    const [x, y, z] = [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!];
    for (let j = i + 1; j < count; j++) {
      const dx = points[3 * j]! - x;
      const dy = points[3 * j + 1]! - y;
      const dz = points[3 * j + 2]! - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > best2) [bestI, bestJ, best2] = [i, j, d2];
    }
  }
  const at = (i: number): [number, number, number] => [
    points[3 * i] ?? 0,
    points[3 * i + 1] ?? 0,
    points[3 * i + 2] ?? 0,
  ];
  return { distance: Math.sqrt(best2), ends: [at(bestI), at(bestJ)] };
}

/**
 * Drops points that cannot be a vertex of the set's convex hull, exactly: a vertex is the unique
 * farthest point along some direction u, so along each axis k it is the first or last point of
 * its row (the points sharing its other two coordinates; u_k = 0 leaves it alone in its row).
 * The two ends of a diameter are hull vertices. On a voxel surface this keeps only the corners
 * of each terrace, a small share of the points. `coords` are integer triples (e.g. doubled voxel
 * indices); answers the kept ones.
 */
export function keepRowEnds(coords: Int32Array): Int32Array {
  const count = coords.length / 3;
  if (count === 0) return coords;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++)
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k]!, coords[3 * i + k]!);
      hi[k] = Math.max(hi[k]!, coords[3 * i + k]!);
    }
  const size = [0, 1, 2].map((k) => hi[k]! - lo[k]! + 1);
  const keep = new Uint8Array(count).fill(1);
  for (let k = 0; k < 3; k++) {
    const [a, b] = [(k + 1) % 3, (k + 2) % 3];
    const rows = size[a]! * size[b]!;
    const rowMin = new Int32Array(rows).fill(2 ** 31 - 1);
    const rowMax = new Int32Array(rows).fill(-(2 ** 31));
    const rowOf = (i: number): number =>
      coords[3 * i + a]! - lo[a]! + size[a]! * (coords[3 * i + b]! - lo[b]!);
    for (let i = 0; i < count; i++) {
      const row = rowOf(i);
      const value = coords[3 * i + k]!;
      if (value < rowMin[row]!) rowMin[row] = value;
      if (value > rowMax[row]!) rowMax[row] = value;
    }
    for (let i = 0; i < count; i++) {
      const row = rowOf(i);
      const value = coords[3 * i + k]!;
      if (value !== rowMin[row] && value !== rowMax[row]) keep[i] = 0;
    }
  }
  let kept = 0;
  for (let i = 0; i < count; i++) kept += keep[i]!;
  const out = new Int32Array(3 * kept);
  for (let i = 0, j = 0; i < count; i++)
    if (keep[i] === 1) out.set(coords.subarray(3 * i, 3 * i + 3), 3 * j++);
  return out;
}
