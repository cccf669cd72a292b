import { TRIANGLE_TABLE } from './marching-cubes-table.js';
import type { SpacingMm, Vec3, VolumeDims } from './types.js';

/**
 * An indexed triangle mesh, ready for a viewer or an export (STL/OBJ/glTF): vertices are shared
 * between the triangles that meet at them.
 */
export interface TriangleMesh {
  /** x, y, z per vertex in millimetres (or pixels when the spacing is unknown). */
  positions: Float32Array;
  /** Three vertex numbers per triangle, counter-clockwise seen from outside (normals point out). */
  indices: Uint32Array;
}

export interface MarchingCubesInput {
  /** Samples on a regular grid, x fastest; "inside" is where the value exceeds `isoLevel`. */
  field: Float32Array;
  dims: VolumeDims;
  isoLevel: number;
  spacing: SpacingMm;
  /** Position of sample [0, 0, 0], in the same units as `spacing`. Default [0, 0, 0]. */
  origin?: Vec3;
  /**
   * Only these cells (numbered by their lowest corner's sample index, ascending) can hold
   * surface; from `cellsCrossingLevels`. Default: all cells.
   */
  cells?: Uint32Array;
}

/** Cube corner offsets (x, y, z) in the table's corner order. */
const CORNERS: readonly Vec3[] = [
  [0, 0, 0],
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
  [1, 1, 1],
  [0, 1, 1],
];

/** For each table edge: the axis it runs along and the offset of its lower end in the cube. */
const EDGES: ReadonlyArray<{ axis: 0 | 1 | 2; from: Vec3 }> = [
  { axis: 0, from: [0, 0, 0] },
  { axis: 1, from: [1, 0, 0] },
  { axis: 0, from: [0, 1, 0] },
  { axis: 1, from: [0, 0, 0] },
  { axis: 0, from: [0, 0, 1] },
  { axis: 1, from: [1, 0, 1] },
  { axis: 0, from: [0, 1, 1] },
  { axis: 1, from: [0, 0, 1] },
  { axis: 2, from: [0, 0, 0] },
  { axis: 2, from: [1, 0, 0] },
  { axis: 2, from: [1, 1, 0] },
  { axis: 2, from: [0, 1, 0] },
];

/**
 * Extracts the iso-surface of a scalar field with the classic marching-cubes table. The surface is
 * closed only where the field is below the iso-level on its whole border, so callers pad masks with
 * a layer of zeros. Runs slice by slice; memory beyond the mesh is a few slices of vertex numbers.
 */
export function marchingCubes(input: MarchingCubesInput): TriangleMesh {
  const { field, dims, isoLevel, spacing } = input;
  const origin = input.origin ?? [0, 0, 0];
  const [nx, ny, nz] = dims;
  if (field.length !== nx * ny * nz) throw new RangeError('field length does not match dims');
  const sliceSize = nx * ny;
  const positions: number[] = [];
  const indices: number[] = [];

  // Vertex numbers of the edges already cut, per axis: x- and y-edges for the two slices of the
  // current layer of cubes, z-edges for the layer itself. -1 = not cut yet.
  let xEdgesLow = new Int32Array(sliceSize);
  let xEdgesHigh = new Int32Array(sliceSize);
  let yEdgesLow = new Int32Array(sliceSize);
  let yEdgesHigh = new Int32Array(sliceSize);
  const zEdges = new Int32Array(sliceSize);

  const cutEdge = (axis: 0 | 1 | 2, x: number, y: number, z: number): number => {
    const lower = x + nx * y + sliceSize * z;
    const upper = lower + (axis === 0 ? 1 : axis === 1 ? nx : sliceSize);
    const a = field[lower]!;
    const t = (isoLevel - a) / (field[upper]! - a);
    positions.push(
      origin[0] + (x + (axis === 0 ? t : 0)) * spacing[0],
      origin[1] + (y + (axis === 1 ? t : 0)) * spacing[1],
      origin[2] + (z + (axis === 2 ? t : 0)) * spacing[2],
    );
    return positions.length / 3 - 1;
  };

  const vertexOnEdge = (edge: number, x: number, y: number, z: number): number => {
    const { axis, from } = EDGES[edge]!;
    const ex = x + from[0];
    const ey = y + from[1];
    const isHigh = from[2] === 1;
    const cacheIndex = ex + nx * ey;
    const cache =
      axis === 2
        ? zEdges
        : axis === 0
          ? isHigh
            ? xEdgesHigh
            : xEdgesLow
          : isHigh
            ? yEdgesHigh
            : yEdgesLow;
    let vertex = cache[cacheIndex]!;
    if (vertex < 0) {
      vertex = cutEdge(axis, ex, ey, z + from[2]);
      cache[cacheIndex] = vertex;
    }
    return vertex;
  };

  const cornerOffsets = CORNERS.map(([dx, dy, dz]) => dx + nx * dy + sliceSize * dz);
  const polygonise = (x: number, y: number, z: number): void => {
    const base = x + nx * y + sliceSize * z;
    let cubeCase = 0;
    for (let corner = 0; corner < 8; corner++) {
      if (field[base + cornerOffsets[corner]!]! <= isoLevel) cubeCase |= 1 << corner;
    }
    if (cubeCase === 0 || cubeCase === 255) return;
    const row = cubeCase * 16;
    for (let i = 0; TRIANGLE_TABLE[row + i]! >= 0; i += 3) {
      const a = vertexOnEdge(TRIANGLE_TABLE[row + i]!, x, y, z);
      const b = vertexOnEdge(TRIANGLE_TABLE[row + i + 1]!, x, y, z);
      const c = vertexOnEdge(TRIANGLE_TABLE[row + i + 2]!, x, y, z);
      // With "inside" above the iso-level, the table's winding is counter-clockwise seen from
      // outside (checked by the enclosed-volume test).
      indices.push(a, b, c);
    }
  };
  // Edge caches follow the layer of cubes: the upper slice's edges become the lower slice's.
  let layer = -1;
  const enterLayer = (z: number): void => {
    if (layer >= 0 && z === layer + 1) {
      [xEdgesLow, xEdgesHigh] = [xEdgesHigh, xEdgesLow.fill(-1)];
      [yEdgesLow, yEdgesHigh] = [yEdgesHigh, yEdgesLow.fill(-1)];
    } else {
      for (const cache of [xEdgesLow, xEdgesHigh, yEdgesLow, yEdgesHigh]) cache.fill(-1);
    }
    zEdges.fill(-1);
    layer = z;
  };

  if (input.cells === undefined) {
    for (let z = 0; z < nz - 1; z++) {
      enterLayer(z);
      for (let y = 0; y < ny - 1; y++) for (let x = 0; x < nx - 1; x++) polygonise(x, y, z);
    }
  } else {
    for (const cell of input.cells) {
      const z = Math.floor(cell / sliceSize);
      const y = Math.floor((cell - z * sliceSize) / nx);
      if (z !== layer) enterLayer(z);
      polygonise(cell - z * sliceSize - y * nx, y, z);
    }
  }
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

/**
 * The cells that can hold surface for any iso-level in (low, high]: some corner at or below
 * `high` and some above `low`. Deep inside and far outside a blurred mask no level in between
 * cuts a cell, so repeated passes (the iso-level search) visit only a shell around the surface.
 */
export function cellsCrossingLevels(
  field: Float32Array,
  dims: VolumeDims,
  low: number,
  high: number,
): Uint32Array {
  const [nx, ny, nz] = dims;
  const sliceSize = nx * ny;
  const cornerOffsets = CORNERS.map(([dx, dy, dz]) => dx + nx * dy + sliceSize * dz);
  const cells: number[] = [];
  for (let z = 0; z < nz - 1; z++) {
    for (let y = 0; y < ny - 1; y++) {
      for (let x = 0; x < nx - 1; x++) {
        const base = x + nx * y + sliceSize * z;
        let hasLow = false;
        let hasHigh = false;
        for (const offset of cornerOffsets) {
          const value = field[base + offset]!;
          if (value <= high) hasLow = true;
          if (value > low) hasHigh = true;
        }
        if (hasLow && hasHigh) cells.push(base);
      }
    }
  }
  return Uint32Array.from(cells);
}
