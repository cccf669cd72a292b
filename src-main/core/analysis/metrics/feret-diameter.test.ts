import { describe, expect, it } from 'vitest';
import { maxFeretDiameter } from './feret-diameter.js';
import { marchingCubes } from './marching-cubes.js';

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Wall and CPU time: the machine is shared, so wall time alone says little. */
function timed<T>(run: () => T): { result: T; timing: string } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = run();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return {
    result,
    timing: `${(performance.now() - started).toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU`,
  };
}

function bruteForceDiameter(points: Float64Array): number {
  let best = 0;
  for (let i = 0; i < points.length; i += 3)
    for (let j = i + 3; j < points.length; j += 3)
      best = Math.max(
        best,
        Math.hypot(
          points[i]! - points[j]!,
          points[i + 1]! - points[j + 1]!,
          points[i + 2]! - points[j + 2]!,
        ),
      );
  return best;
}

/** n points on (or, with `jitter`, near) a sphere of the given radius, roughly uniformly. */
function spherePoints(n: number, radius: number, random: () => number, jitter = 0): Float64Array {
  const points = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const z = 2 * random() - 1;
    const phi = 2 * Math.PI * random();
    const r = radius * (1 + jitter * (random() - 0.5));
    const s = Math.sqrt(1 - z * z);
    points.set([r * s * Math.cos(phi), r * s * Math.sin(phi), r * z], 3 * i);
  }
  return points;
}

describe('maximum Feret diameter', () => {
  it('matches brute force on clouds of various shapes', () => {
    const random = seededRandom(7);
    const clouds = [
      spherePoints(1500, 20, random, 0.1),
      Float64Array.from({ length: 3000 }, () => 50 * random()), // a cube
      Float64Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 100 : 5) * random()), // a rod
      Float64Array.from({ length: 3000 }, (_, i) => (i % 3 === 2 ? 0 : 40 * random())), // a plate
    ];
    for (const cloud of clouds) {
      const result = maxFeretDiameter(cloud);
      expect(result.diameter).toBeCloseTo(bruteForceDiameter(cloud), 9);
      const [p, q] = result.endpoints;
      expect(Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])).toBeCloseTo(result.diameter, 9);
    }
  });

  it('gives the space diagonal of a box from its corners among inner points', () => {
    const random = seededRandom(3);
    const points = Float64Array.from(
      { length: 3 * 2000 },
      (_, i) => [30, 40, 120][i % 3]! * random(),
    );
    points.set([0, 0, 0, 30, 40, 120], 0);
    expect(maxFeretDiameter(points).diameter).toBeCloseTo(130, 9);
  });

  it('handles empty, single, repeated and Float32 inputs', () => {
    expect(maxFeretDiameter(new Float64Array(0)).diameter).toBe(0);
    expect(maxFeretDiameter(Float64Array.from([1, 2, 3])).endpoints).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    const repeated = new Float64Array(3 * 100).fill(4);
    expect(maxFeretDiameter(repeated).diameter).toBe(0);
    const pair = Float32Array.from([0, 0, 0, ...new Array<number>(300).fill(1), 3, 4, 0]);
    expect(maxFeretDiameter(pair).diameter).toBeCloseTo(5, 6);
  });

  it('is fast for 100k points on a sphere, the hardest case for pruning', () => {
    const points = Float32Array.from(spherePoints(100_000, 30, seededRandom(11)));
    const { result, timing } = timed(() => maxFeretDiameter(points));
    const { diameter } = result;
    console.log(`Feret diameter of 100k random sphere points: ${timing}`);
    expect(diameter).toBeGreaterThan(59.9);
    expect(diameter).toBeLessThanOrEqual(60.0001);
  });

  it('is fast for a 100k-vertex marching-cubes mesh of a 60 mm sphere', () => {
    // A field that rises linearly through 0.5 on the sphere gives an exact-radius surface.
    const [n, spacing, radius] = [166, 0.385, 30];
    const centre = ((n - 1) / 2) * spacing;
    const field = new Float32Array(n * n * n);
    for (let z = 0, i = 0; z < n; z++)
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++, i++) {
          const d = Math.hypot(x * spacing - centre, y * spacing - centre, z * spacing - centre);
          field[i] = Math.min(1, Math.max(0, 0.5 + (radius - d) / spacing));
        }
    const mesh = marchingCubes({
      field,
      dims: [n, n, n],
      isoLevel: 0.5,
      spacing: [spacing, spacing, spacing],
    });
    const { result, timing } = timed(() => maxFeretDiameter(mesh.positions));
    const { diameter } = result;
    console.log(`Feret diameter of a ${mesh.positions.length / 3}-vertex mesh: ${timing}`);
    expect(mesh.positions.length / 3).toBeGreaterThan(100_000);
    expect(diameter / 60).toBeCloseTo(1, 2);
  });
});
