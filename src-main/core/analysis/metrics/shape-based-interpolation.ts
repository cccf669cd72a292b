import { squaredDistanceToFeatures } from './distance-transform.js';
import type { SpacingMm, Vec3, VolumeDims } from './types.js';
import type { Vector3 } from '../../../../src-shared/geometry/vector.js';

/** A 0/1 field on a grid, with the grid's spacing. */
export interface SampledMask {
  field: Float32Array;
  dims: VolumeDims;
  spacing: SpacingMm;
}

/** No axis is refined more than this, which bounds the memory of very thick slices. */
const MAX_FACTOR = 8;

/**
 * How many planes to make of each gap along each axis so that the grid becomes close to
 * isotropic: round(spacing / finest spacing), 1 where that is below 2 (mild anisotropy is left
 * to the blur).
 */
export function refinementFactors(spacing: SpacingMm): Vec3 {
  const finest = Math.min(spacing[0], spacing[1], spacing[2]);
  const factor = (s: number): number => {
    const f = Math.round(s / finest);
    return f < 2 ? 1 : Math.min(f, MAX_FACTOR);
  };
  return [factor(spacing[0]), factor(spacing[1]), factor(spacing[2])];
}

/**
 * Shape-based interpolation (Raya & Udupa, 1990) of a 0/1 mask along one axis: each plane is
 * turned into a signed distance map (mm, negative inside), maps of neighbouring planes are
 * interpolated linearly, and the new planes are inside where the result is negative. Contours
 * then move smoothly from slice to slice instead of in steps of a slice thickness, which is what
 * makes thick-slice surfaces and diameters trustworthy. Where a plane is empty next to one that
 * is not, the object ends half-way between them, as the voxels themselves say.
 */
export function refineAlongAxis(mask: SampledMask, axis: 0 | 1 | 2, factor: number): SampledMask {
  if (factor < 2) return mask;
  const { field, dims, spacing } = mask;
  const [u, v] = ([0, 1, 2] as const).filter((a) => a !== axis) as [0 | 1 | 2, 0 | 1 | 2];
  const strides = [1, dims[0], dims[0] * dims[1]] as const;
  const planeCount = dims[axis];
  const [nu, nv] = [dims[u], dims[v]];
  const planeIndex = (plane: number, i: number, j: number): number =>
    plane * strides[axis] + i * strides[u] + j * strides[v];
  const signedDistances: Array<Float64Array | null> = Array.from(
    { length: planeCount },
    (_, plane) =>
      signedDistanceOfPlane(field, nu, nv, spacing[u], spacing[v], (i, j) =>
        planeIndex(plane, i, j),
      ),
  );

  const fineDims = [...dims] as Vector3;
  fineDims[axis] = (planeCount - 1) * factor + 1;
  const fineSpacing = [...spacing] as Vector3;
  fineSpacing[axis] = spacing[axis] / factor;
  const fineStrides = [1, fineDims[0], fineDims[0] * fineDims[1]] as const;
  const fine = new Float32Array(fineDims[0] * fineDims[1] * fineDims[2]);
  for (let plane = 0; plane < planeCount; plane++) {
    const below = signedDistances[plane] ?? null;
    const above = plane + 1 < planeCount ? (signedDistances[plane + 1] ?? null) : below;
    if (below === null && above === null) continue;
    const from = below ?? capDistances(above!, signedDistances[plane + 2] ?? null);
    const to = above ?? capDistances(below!, signedDistances[plane - 1] ?? null);
    const steps = plane + 1 < planeCount ? factor : 1;
    for (let step = 0; step < steps; step++) {
      const t = step / factor;
      const base = (plane * factor + step) * fineStrides[axis];
      for (let j = 0; j < nv; j++) {
        for (let i = 0; i < nu; i++) {
          const k = i + nu * j;
          if ((1 - t) * from[k]! + t * to[k]! < 0)
            fine[base + i * fineStrides[u] + j * fineStrides[v]] = 1;
        }
      }
    }
  }
  return { field: fine, dims: fineDims, spacing: fineSpacing };
}

/**
 * Distances standing in for the empty plane beyond the last plane of an object, so that its cap
 * follows the trend of the last two planes (a dome, as on a rounded lesion) but ends no later than
 * half-way, where the voxels themselves end: the linear extrapolation 2·last - previous, raised
 * to at least |last| (with which inside points cross zero exactly half-way).
 */
function capDistances(last: Float64Array, previous: Float64Array | null): Float64Array {
  return last.map((d, k) => Math.max(Math.abs(d), previous === null ? 0 : 2 * d - previous[k]!));
}

/**
 * Signed distance (mm) of every pixel of one plane to the mask's outline: distance to the nearest
 * inside pixel minus distance to the nearest outside pixel, so that the zero crossing lies
 * half-way between an inside and an outside pixel. null for a plane with nothing inside.
 */
function signedDistanceOfPlane(
  field: Float32Array,
  nu: number,
  nv: number,
  hu: number,
  hv: number,
  indexOf: (i: number, j: number) => number,
): Float64Array | null {
  const isInside = new Uint8Array(nu * nv);
  const isOutside = new Uint8Array(nu * nv);
  let insideCount = 0;
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) {
      const inside = field[indexOf(i, j)]! > 0.5;
      isInside[i + nu * j] = inside ? 1 : 0;
      isOutside[i + nu * j] = inside ? 0 : 1;
      if (inside) insideCount++;
    }
  }
  if (insideCount === 0) return null;
  const toInside = squaredDistanceToFeatures(isInside, nu, nv, hu, hv);
  const toOutside = squaredDistanceToFeatures(isOutside, nu, nv, hu, hv);
  return toInside.map((d2, k) => Math.sqrt(d2) - Math.sqrt(toOutside[k]!));
}
