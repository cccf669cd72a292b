import type { TriangleMesh } from './marching-cubes.js';
import { meshSurfaceArea } from './mesh-measures.js';

/**
 * Vertex clustering (Rossignac–Borrel): vertices in the same cube of side `cellSize` merge into
 * their mean, and triangles whose corners merged away are dropped. One linear pass, so a
 * head surface of a million triangles decimates in tens of milliseconds; the price is that
 * detail below the cell size goes, which is what a lower quality asks for.
 */
export function clusterVertices(mesh: TriangleMesh, cellSize: number): TriangleMesh {
  const { positions, indices } = mesh;
  const count = positions.length / 3;
  let minX = Infinity;
  let minY = Infinity;
  let minZ = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let v = 0; v < count; v++) {
    minX = Math.min(minX, positions[3 * v]!);
    minY = Math.min(minY, positions[3 * v + 1]!);
    minZ = Math.min(minZ, positions[3 * v + 2]!);
    maxX = Math.max(maxX, positions[3 * v]!);
    maxY = Math.max(maxY, positions[3 * v + 1]!);
  }
  const cellsX = Math.floor((maxX - minX) / cellSize) + 1;
  const cellsY = Math.floor((maxY - minY) / cellSize) + 1;
  const cellOf = new Map<number, number>();
  const clusterOfVertex = new Uint32Array(count);
  const sums: number[] = [];
  const counts: number[] = [];
  for (let v = 0; v < count; v++) {
    const x = positions[3 * v]!;
    const y = positions[3 * v + 1]!;
    const z = positions[3 * v + 2]!;
    const key =
      Math.floor((x - minX) / cellSize) +
      cellsX * (Math.floor((y - minY) / cellSize) + cellsY * Math.floor((z - minZ) / cellSize));
    let cluster = cellOf.get(key);
    if (cluster === undefined) {
      cluster = counts.length;
      cellOf.set(key, cluster);
      sums.push(0, 0, 0);
      counts.push(0);
    }
    clusterOfVertex[v] = cluster;
    sums[3 * cluster]! += x;
    sums[3 * cluster + 1]! += y;
    sums[3 * cluster + 2]! += z;
    counts[cluster]!++;
  }
  const merged = new Float32Array(counts.length * 3);
  for (let c = 0; c < counts.length; c++)
    for (let axis = 0; axis < 3; axis++) merged[3 * c + axis] = sums[3 * c + axis]! / counts[c]!;
  const kept: number[] = [];
  const clusters = counts.length;
  const seen = new Set<number | string>();
  // A number key while clusters³ stays exact in a double, text beyond (rare, and slower).
  const isNumericKey = clusters < 200_000;
  for (let t = 0; t < indices.length; t += 3) {
    const a = clusterOfVertex[indices[t]!]!;
    const b = clusterOfVertex[indices[t + 1]!]!;
    const c = clusterOfVertex[indices[t + 2]!]!;
    if (a === b || b === c || a === c) continue;
    // The same triangle twice (from both sides of a thin part) would z-fight: keep one. Its
    // corners in ascending order, without an array and a sort per triangle (slow before the JIT
    // has warmed up, which a fresh mesh worker never has).
    const p = Math.min(a, b, c);
    const r = Math.max(a, b, c);
    const q = a + b + c - p - r;
    const key = isNumericKey ? (p * clusters + q) * clusters + r : `${p},${q},${r}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(a, b, c);
  }
  return compact({ positions: merged, indices: Uint32Array.from(kept) });
}

/** Drops vertices no triangle uses. */
function compact(mesh: TriangleMesh): TriangleMesh {
  const count = mesh.positions.length / 3;
  const renumber = new Int32Array(count).fill(-1);
  let next = 0;
  const indices = new Uint32Array(mesh.indices.length);
  for (let i = 0; i < mesh.indices.length; i++) {
    const v = mesh.indices[i]!;
    if (renumber[v] === -1) renumber[v] = next++;
    indices[i] = renumber[v]!;
  }
  const positions = new Float32Array(next * 3);
  for (let v = 0; v < count; v++) {
    const to = renumber[v]!;
    if (to >= 0) positions.set(mesh.positions.subarray(3 * v, 3 * v + 3), 3 * to);
  }
  return { positions, indices };
}

/**
 * Reduces a mesh to about `targetTriangles` (never more than 1.3×) by vertex clustering with a
 * cell size estimated from its area: a surface meshed at spacing h has about 2.3·area/h²
 * triangles. A mesh already small enough comes back unchanged.
 */
export function decimateToTarget(mesh: TriangleMesh, targetTriangles: number): TriangleMesh {
  const triangles = mesh.indices.length / 3;
  if (triangles <= targetTriangles) return mesh;
  let cell = Math.sqrt((2.3 * meshSurfaceArea(mesh)) / targetTriangles);
  let result = clusterVertices(mesh, cell);
  for (
    let attempt = 0;
    attempt < 6 && result.indices.length / 3 > 1.3 * targetTriangles;
    attempt++
  ) {
    cell *= 1.25;
    result = clusterVertices(mesh, cell);
  }
  return result;
}
