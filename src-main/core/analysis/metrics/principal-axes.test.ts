import { describe, expect, it } from 'vitest';
import { labelConnectedComponents } from './connected-components.js';
import { measureComponentExtents } from './bounding-box.js';
import { principalAxesOfComponent, symmetricEigen3, type Symmetric3 } from './principal-axes.js';
import { ellipsoidShape, maskAroundShape } from './testing/synthetic-masks.js';
import type { Vec3 } from './types.js';

const multiply = (m: Symmetric3, v: Vec3): Vec3 => [
  m.xx * v[0] + m.xy * v[1] + m.xz * v[2],
  m.xy * v[0] + m.yy * v[1] + m.yz * v[2],
  m.xz * v[0] + m.yz * v[1] + m.zz * v[2],
];

describe('symmetric 3x3 eigen-decomposition (Jacobi)', () => {
  it('sorts the eigenvalues of a diagonal matrix', () => {
    const { values, vectors } = symmetricEigen3({ xx: 2, xy: 0, xz: 0, yy: 9, yz: 0, zz: 5 });
    expect(values).toEqual([9, 5, 2]);
    expect(vectors[0].map(Math.abs)).toEqual([0, 1, 0]);
  });

  it('satisfies A v = λ v with orthonormal vectors for a general matrix', () => {
    const m: Symmetric3 = { xx: 4, xy: 1.5, xz: -2, yy: 3, yz: 0.5, zz: 7 };
    const { values, vectors } = symmetricEigen3(m);
    expect(values[0] + values[1] + values[2]).toBeCloseTo(14, 10); // trace
    for (let i = 0; i < 3; i++) {
      const av = multiply(m, vectors[i]!);
      for (let k = 0; k < 3; k++) expect(av[k]).toBeCloseTo(values[i]! * vectors[i]![k]!, 10);
      for (let j = 0; j < 3; j++) {
        const dot = vectors[i]!.reduce((s, v, k) => s + v * vectors[j]![k]!, 0);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });

  it('copes with repeated eigenvalues (a sphere) and a zero matrix', () => {
    expect(symmetricEigen3({ xx: 3, xy: 0, xz: 0, yy: 3, yz: 0, zz: 3 }).values).toEqual([3, 3, 3]);
    expect(symmetricEigen3({ xx: 0, xy: 0, xz: 0, yy: 0, yz: 0, zz: 0 }).values).toEqual([0, 0, 0]);
  });
});

describe('principal axes of a component', () => {
  it('gives variances a²/5, b²/5, c²/5 for a solid ellipsoid in anisotropic voxels', () => {
    const [a, b, c] = [25, 15, 10];
    const volume = maskAroundShape([a, b, c], [0.8, 1, 2.5], ellipsoidShape(a, b, c));
    const { labels, sizes } = labelConnectedComponents(volume.mask, volume.dims);
    const [extent] = measureComponentExtents(labels, volume.dims, sizes.length);
    const { eigenvalues, axes } = principalAxesOfComponent(
      labels,
      volume.dims,
      1,
      extent!.box,
      volume.spacing,
    );
    expect(eigenvalues[0] / ((a * a) / 5)).toBeCloseTo(1, 1);
    expect(eigenvalues[1] / ((b * b) / 5)).toBeCloseTo(1, 1);
    expect(eigenvalues[2] / ((c * c) / 5)).toBeCloseTo(1, 1);
    expect(Math.abs(axes[0][0])).toBeCloseTo(1, 5);
    expect(Math.abs(axes[2][2])).toBeCloseTo(1, 5);
  });
});
