import { describe, expect, it } from 'vitest';
import { marchingCubes, type TriangleMesh } from './marching-cubes.js';
import { meshEnclosedVolume, meshSurfaceArea } from './surface-area.js';

/** A padded 0/1 field from a predicate on voxel indices. */
function binaryField(
  dims: [number, number, number],
  isSet: (x: number, y: number, z: number) => boolean,
) {
  const field = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let z = 1; z < dims[2] - 1; z++)
    for (let y = 1; y < dims[1] - 1; y++)
      for (let x = 1; x < dims[0] - 1; x++)
        if (isSet(x, y, z)) field[x + dims[0] * (y + dims[1] * z)] = 1;
  return field;
}

/** Every directed edge once and its reverse once: closed, manifold and consistently wound. */
function expectWatertight(mesh: TriangleMesh): void {
  const directed = new Map<string, number>();
  const { indices } = mesh;
  for (let t = 0; t < indices.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const key = `${indices[t + e]}>${indices[t + ((e + 1) % 3)]}`;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of directed) {
    expect(count).toBe(1);
    const [a, b] = key.split('>');
    expect(directed.get(`${b}>${a}`)).toBe(1);
  }
}

/** A small deterministic generator, so the "random" masks are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('marching cubes', () => {
  it('turns a single voxel into an octahedron of known area and volume', () => {
    const field = binaryField([3, 3, 3], () => true);
    const mesh = marchingCubes({ field, dims: [3, 3, 3], isoLevel: 0.5, spacing: [1, 1, 1] });
    expect(mesh.indices.length / 3).toBe(8);
    expect(mesh.positions.length / 3).toBe(6);
    // Vertices at ±0.5 along each axis: faces are equilateral triangles of side √0.5.
    expect(meshSurfaceArea(mesh)).toBeCloseTo(Math.sqrt(3), 6);
    expect(meshEnclosedVolume(mesh)).toBeCloseTo(1 / 6, 6);
    expectWatertight(mesh);
  });

  it('produces closed, outward-facing surfaces for noisy masks, ambiguous cubes included', () => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const dims: [number, number, number] = [14, 12, 10];
      const field = binaryField(dims, () => random() < 0.45);
      const mesh = marchingCubes({ field, dims, isoLevel: 0.5, spacing: [0.7, 1.1, 2] });
      expect(mesh.indices.length).toBeGreaterThan(0);
      expectWatertight(mesh);
      expect(meshEnclosedVolume(mesh)).toBeGreaterThan(0);
    }
  });

  it('scales by the spacing and shifts by the origin', () => {
    const dims: [number, number, number] = [6, 5, 4];
    const field = binaryField(dims, (x, y, z) => x <= 4 && y <= 3 && z <= 2);
    const mesh = marchingCubes({
      field,
      dims,
      isoLevel: 0.5,
      spacing: [2, 3, 4],
      origin: [10, 20, 30],
    });
    let [minX, maxX] = [Infinity, -Infinity];
    for (let v = 0; v < mesh.positions.length; v += 3) {
      minX = Math.min(minX, mesh.positions[v]!);
      maxX = Math.max(maxX, mesh.positions[v]!);
    }
    // Voxels 1..4 along x: the surface sits half a voxel outside them.
    expect(minX).toBeCloseTo(10 + 0.5 * 2, 5);
    expect(maxX).toBeCloseTo(10 + 4.5 * 2, 5);
    expectWatertight(mesh);
  });

  it('places vertices by linear interpolation of the field', () => {
    const dims: [number, number, number] = [3, 3, 3];
    const field = new Float32Array(27);
    field[13] = 1; // centre
    const mesh = marchingCubes({ field, dims, isoLevel: 0.25, spacing: [1, 1, 1] });
    // Between 1 (centre) and 0 the level 0.25 lies three quarters of the way out.
    const distances = new Set<string>();
    for (let v = 0; v < mesh.positions.length; v += 3) {
      const d = Math.hypot(
        mesh.positions[v]! - 1,
        mesh.positions[v + 1]! - 1,
        mesh.positions[v + 2]! - 1,
      );
      distances.add(d.toFixed(5));
    }
    expect([...distances]).toEqual(['0.75000']);
  });

  it('rejects a field whose length does not match its dimensions', () => {
    expect(() =>
      marchingCubes({
        field: new Float32Array(5),
        dims: [2, 2, 2],
        isoLevel: 0.5,
        spacing: [1, 1, 1],
      }),
    ).toThrow(RangeError);
  });
});
