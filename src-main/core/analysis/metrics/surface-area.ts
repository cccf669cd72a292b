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
 * Volume enclosed by a closed, outward-facing mesh (divergence theorem). Positive when the winding
 * is right; used to check meshes, while reported volumes come from voxel counts.
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
