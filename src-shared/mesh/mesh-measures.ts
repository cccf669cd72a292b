import type { TriangleMesh } from './marching-cubes.js';

/** Total area of the mesh's triangles, in the square of the mesh's units (mm² for mm meshes). */
export function meshSurfaceArea(mesh: TriangleMesh): number {
  const { positions: p, indices } = mesh;
  let doubleArea = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t]!;
    const b = 3 * indices[t + 1]!;
    const c = 3 * indices[t + 2]!;
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    doubleArea += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
  }
  return doubleArea / 2;
}

/**
 * Volume enclosed by a closed, outward-facing mesh (divergence theorem), in the cube of the
 * mesh's units. Positive when the winding is right.
 */
export function meshEnclosedVolume(mesh: TriangleMesh): number {
  const { positions: p, indices } = mesh;
  let sixVolume = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t]!;
    const b = 3 * indices[t + 1]!;
    const c = 3 * indices[t + 2]!;
    sixVolume +=
      p[a]! * (p[b + 1]! * p[c + 2]! - p[b + 2]! * p[c + 1]!) -
      p[a + 1]! * (p[b]! * p[c + 2]! - p[b + 2]! * p[c]!) +
      p[a + 2]! * (p[b]! * p[c + 1]! - p[b + 1]! * p[c]!);
  }
  return sixVolume / 6;
}

/** The mean of the mesh's vertices (a stable centre for scaling and labels). */
export function vertexCentroid(mesh: TriangleMesh): [number, number, number] {
  const p = mesh.positions;
  const count = p.length / 3;
  const sum: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < p.length; i += 3) {
    sum[0] += p[i]!;
    sum[1] += p[i + 1]!;
    sum[2] += p[i + 2]!;
  }
  return count === 0 ? sum : [sum[0] / count, sum[1] / count, sum[2] / count];
}

/**
 * The largest distance between two vertices (the maximum 3D diameter). Exact for up to
 * `maxPoints` vertices; larger meshes are sampled evenly, which for a smooth surface
 * underestimates by well under a voxel.
 */
export function maxVertexDistance(mesh: TriangleMesh, maxPoints = 3000): number {
  const p = mesh.positions;
  const count = p.length / 3;
  const step = Math.max(1, Math.ceil(count / maxPoints));
  let best = 0;
  for (let a = 0; a < count; a += step) {
    const ax = p[3 * a]!;
    const ay = p[3 * a + 1]!;
    const az = p[3 * a + 2]!;
    for (let b = a + step; b < count; b += step) {
      const dx = p[3 * b]! - ax;
      const dy = p[3 * b + 1]! - ay;
      const dz = p[3 * b + 2]! - az;
      const d = dx * dx + dy * dy + dz * dz;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}
