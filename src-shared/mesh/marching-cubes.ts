import { TRIANGLE_TABLE } from './marching-cubes-table.js';
import type { ReadonlyVector3 } from '../geometry/vector.js';

type Vec3 = ReadonlyVector3;
/** [nx, ny, nz]: samples along x, y and z. */
type VolumeDims = ReadonlyVector3;
/** [sx, sy, sz]: distance between neighbouring samples along x, y and z. */
type SpacingMm = ReadonlyVector3;

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

/** Per table edge (see marching-cubes-table.ts): its axis and the offset of its lower end. */
const EDGE_AXIS = [0, 1, 0, 1, 0, 1, 0, 1, 2, 2, 2, 2] as const;
const EDGE_DX = [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0] as const;
const EDGE_DY = [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1] as const;
const EDGE_DZ = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0] as const;

/**
 * Extracts the iso-surface of a scalar field with the classic marching-cubes table. The surface is
 * closed only where the field is below the iso-level on its whole border, so callers pad masks with
 * a layer of zeros. Runs slice by slice: each edge is cut once and its vertex shared through
 * per-slice caches, so memory beyond the mesh is a few slices of vertex numbers.
 */
export function marchingCubes(input: MarchingCubesInput): TriangleMesh {
  const { field, dims, isoLevel, spacing } = input;
  const origin = input.origin ?? [0, 0, 0];
  const [nx, ny, nz] = dims;
  if (field.length !== nx * ny * nz) throw new RangeError('field length does not match dims');
  const sliceSize = nx * ny;
  const positions = new GrowableArray(Float32Array);
  const indices = new GrowableArray(Uint32Array);

  // Vertex numbers of the edges already cut: x- and y-edges of the two slices bounding the current
  // layer of cubes, z-edges of the layer itself. -1 = not cut yet.
  const caches: { x: [Int32Array, Int32Array]; y: [Int32Array, Int32Array]; z: Int32Array } = {
    x: [new Int32Array(sliceSize), new Int32Array(sliceSize)],
    y: [new Int32Array(sliceSize), new Int32Array(sliceSize)],
    z: new Int32Array(sliceSize),
  };
  let layer = -1;
  const enterLayer = (z: number): void => {
    const isNext = layer >= 0 && z === layer + 1;
    for (const pair of [caches.x, caches.y]) {
      const [low, high] = pair;
      if (isNext) [pair[0], pair[1]] = [high, low.fill(-1)];
      else for (const cache of pair) cache.fill(-1);
    }
    caches.z.fill(-1);
    layer = z;
  };

  const vertexOnEdge = (edge: number, x: number, y: number, z: number): number => {
    const ex = x + EDGE_DX[edge]!;
    const ey = y + EDGE_DY[edge]!;
    const dz = EDGE_DZ[edge]!;
    const axis = EDGE_AXIS[edge]!;
    const cache = axis === 2 ? caches.z : axis === 0 ? caches.x[dz]! : caches.y[dz]!;
    const cacheIndex = ex + nx * ey;
    const cached = cache[cacheIndex]!;
    if (cached >= 0) return cached;
    const lower = cacheIndex + sliceSize * (z + dz);
    const upper = lower + (axis === 0 ? 1 : axis === 1 ? nx : sliceSize);
    const a = field[lower]!;
    const t = (isoLevel - a) / (field[upper]! - a);
    const vertex = positions.length / 3;
    positions.push(origin[0] + (ex + (axis === 0 ? t : 0)) * spacing[0]);
    positions.push(origin[1] + (ey + (axis === 1 ? t : 0)) * spacing[1]);
    positions.push(origin[2] + (z + dz + (axis === 2 ? t : 0)) * spacing[2]);
    cache[cacheIndex] = vertex;
    return vertex;
  };

  const polygonise = (x: number, y: number, z: number): void => {
    const base = x + nx * y + sliceSize * z;
    const up = base + sliceSize;
    // Bit i set: corner i (table order) lies at or below the level, i.e. outside.
    const cubeCase =
      (field[base]! <= isoLevel ? 1 : 0) |
      (field[base + 1]! <= isoLevel ? 2 : 0) |
      (field[base + 1 + nx]! <= isoLevel ? 4 : 0) |
      (field[base + nx]! <= isoLevel ? 8 : 0) |
      (field[up]! <= isoLevel ? 16 : 0) |
      (field[up + 1]! <= isoLevel ? 32 : 0) |
      (field[up + 1 + nx]! <= isoLevel ? 64 : 0) |
      (field[up + nx]! <= isoLevel ? 128 : 0);
    if (cubeCase === 0 || cubeCase === 255) return;
    const row = cubeCase * 16;
    // With "inside" above the level, the table's winding is counter-clockwise seen from outside
    // (checked by the enclosed-volume test).
    for (let i = row; TRIANGLE_TABLE[i]! >= 0; i++)
      indices.push(vertexOnEdge(TRIANGLE_TABLE[i]!, x, y, z));
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
  return { positions: positions.toArray(), indices: indices.toArray() };
}

/**
 * The cells that can hold surface for any iso-level in (low, high]: some corner at or below
 * `high` and some above `low`. Deep inside and far outside a blurred mask no level in between
 * cuts a cell, so repeated passes (the iso-level search) need visit only a shell around the
 * surface. Built with three separable "or" passes over one byte per sample.
 */
export function cellsCrossingLevels(
  field: Float32Array,
  dims: VolumeDims,
  low: number,
  high: number,
): Uint32Array {
  const [nx, ny, nz] = dims;
  const sliceSize = nx * ny;
  const flags = new Uint8Array(field.length);
  for (let i = 0; i < field.length; i++) {
    const value = field[i]!;
    flags[i] = (value <= high ? 1 : 0) | (value > low ? 2 : 0);
  }
  // After the passes, flags[i] holds the "or" over the cell whose lowest corner is sample i.
  for (const step of [1, nx, sliceSize]) {
    for (let i = 0; i + step < flags.length; i++) flags[i]! |= flags[i + step]!;
  }
  const cells: number[] = [];
  for (let z = 0; z < nz - 1; z++) {
    for (let y = 0; y < ny - 1; y++) {
      const row = nx * y + sliceSize * z;
      for (let x = 0; x < nx - 1; x++) if (flags[row + x] === 3) cells.push(row + x);
    }
  }
  return Uint32Array.from(cells);
}

/** An append-only typed array that doubles its storage, avoiding a boxed number[] detour. */
class GrowableArray<T extends Float32Array | Uint32Array> {
  private data: T;
  length = 0;
  // A plain field, not a parameter property: Node's type stripping (the core's mesh worker
  // run from source under Vitest) does not support those.
  private readonly create: { new (length: number): T };

  constructor(create: { new (length: number): T }) {
    this.create = create;
    this.data = new create(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.create(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}
