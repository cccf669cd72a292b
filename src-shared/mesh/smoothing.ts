import type { TriangleMesh } from './marching-cubes.js';
import { meshEnclosedVolume, vertexCentroid } from './mesh-measures.js';

/** Each vertex's neighbours (through the mesh's edges) in compressed rows. */
interface Adjacency {
  readonly start: Uint32Array;
  readonly neighbours: Uint32Array;
}

function adjacencyOf(mesh: TriangleMesh): Adjacency {
  const count = mesh.positions.length / 3;
  const { indices } = mesh;
  const degree = new Uint32Array(count + 1);
  // Each triangle edge once per direction; an edge shared by two triangles counts twice, which
  // weights every neighbour alike on a closed surface.
  for (let t = 0; t < indices.length; t += 3)
    for (let e = 0; e < 3; e++) degree[indices[t + e]!]! += 2;
  const start = new Uint32Array(count + 1);
  for (let v = 0; v < count; v++) start[v + 1] = start[v]! + degree[v]!;
  const fill = start.slice(0, count);
  const neighbours = new Uint32Array(start[count]!);
  for (let t = 0; t < indices.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const a = indices[t + e]!;
      const b = indices[t + ((e + 1) % 3)]!;
      neighbours[fill[a]!++] = b;
      neighbours[fill[b]!++] = a;
    }
  }
  return { start, neighbours };
}

/** One umbrella-operator step: p += factor · (mean of neighbours − p). */
function laplacianStep(
  positions: Float32Array,
  adjacency: Adjacency,
  factor: number,
  scratch: Float32Array,
): void {
  const { start, neighbours } = adjacency;
  const count = positions.length / 3;
  for (let v = 0; v < count; v++) {
    const from = start[v]!;
    const to = start[v + 1]!;
    if (to === from) {
      scratch[3 * v] = positions[3 * v]!;
      scratch[3 * v + 1] = positions[3 * v + 1]!;
      scratch[3 * v + 2] = positions[3 * v + 2]!;
      continue;
    }
    let sx = 0;
    let sy = 0;
    let sz = 0;
    for (let i = from; i < to; i++) {
      const n = 3 * neighbours[i]!;
      sx += positions[n]!;
      sy += positions[n + 1]!;
      sz += positions[n + 2]!;
    }
    const inverse = 1 / (to - from);
    for (let axis = 0; axis < 3; axis++) {
      const own = positions[3 * v + axis]!;
      const mean = (axis === 0 ? sx : axis === 1 ? sy : sz) * inverse;
      scratch[3 * v + axis] = own + factor * (mean - own);
    }
  }
  positions.set(scratch);
}

export interface SmoothingOptions {
  /** Taubin λ|μ pairs; 0 leaves the mesh as it is. */
  readonly iterations: number;
  /** Shrinking step (default 0.5). */
  readonly lambda?: number;
  /** Inflating step, slightly larger than λ in magnitude (default −0.53). */
  readonly mu?: number;
  /**
   * The volume the surface must enclose afterwards (e.g. the voxel count × voxel volume), or
   * null to keep what Taubin leaves.
   */
  readonly targetVolume?: number | null;
}

/**
 * Taubin's λ|μ smoothing (a low-pass filter: each pair shrinks with λ and inflates back with μ),
 * which removes the marching-cubes staircase without the steady shrinking of plain Laplacian
 * smoothing. What little volume it still changes is restored by scaling about the centroid
 * (Desbrun et al. 1999), so a lesion's mesh encloses the volume its voxels measure.
 */
export function smoothMesh(mesh: TriangleMesh, options: SmoothingOptions): TriangleMesh {
  const positions = mesh.positions.slice();
  const smoothed: TriangleMesh = { positions, indices: mesh.indices };
  if (options.iterations > 0) {
    const adjacency = adjacencyOf(mesh);
    const scratch = new Float32Array(positions.length);
    const lambda = options.lambda ?? 0.5;
    const mu = options.mu ?? -0.53;
    for (let i = 0; i < options.iterations; i++) {
      laplacianStep(positions, adjacency, lambda, scratch);
      laplacianStep(positions, adjacency, mu, scratch);
    }
  }
  const target = options.targetVolume ?? null;
  if (target !== null) scaleToVolume(smoothed, target);
  return smoothed;
}

/** Scales a closed mesh about its vertex centroid, in place, so it encloses `target`. */
export function scaleToVolume(mesh: TriangleMesh, target: number): void {
  const enclosed = meshEnclosedVolume(mesh);
  if (!(enclosed > 0) || !(target > 0)) return;
  const factor = Math.cbrt(target / enclosed);
  const centre = vertexCentroid(mesh);
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3) {
    p[i] = centre[0] + (p[i]! - centre[0]) * factor;
    p[i + 1] = centre[1] + (p[i + 1]! - centre[1]) * factor;
    p[i + 2] = centre[2] + (p[i + 2]! - centre[2]) * factor;
  }
}
