import type { Scan } from '../../../../src-shared/contract/entities.js';
import { dot, type ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';

/** What slice syncing needs to know of a scan: its frame count and, if assembled, its geometry. */
export type SyncGeometry = Pick<Scan, 'origin' | 'direction' | 'spacing' | 'slices'>;

/** Two slice stacks are comparable by position when their normals are (anti)parallel within ~25°. */
const PARALLEL = 0.9;

/**
 * The slice of `to` that shows the same place as slice `index` of `from`: the one nearest along
 * `to`'s slice normal to the plane of `from`'s slice, when both have geometry and their slices are
 * parallel (e.g. T1 and FLAIR of one study). Otherwise the same relative position in the stack,
 * which is what a reader expects from two series without a shared frame of reference.
 */
export function syncedIndex(from: SyncGeometry, index: number, to: SyncGeometry): number {
  const last = Math.max(0, to.slices - 1);
  const byPosition = positionIndex(from, index, to);
  if (byPosition !== null) return Math.min(last, Math.max(0, byPosition));
  if (from.slices <= 1) return Math.round(last / 2);
  return Math.min(last, Math.max(0, Math.round((index / (from.slices - 1)) * last)));
}

function positionIndex(from: SyncGeometry, index: number, to: SyncGeometry): number | null {
  const fromStep = from.spacing?.[2];
  const toStep = to.spacing?.[2];
  if (
    from.origin === null ||
    from.direction === null ||
    to.origin === null ||
    to.direction === null ||
    fromStep === undefined ||
    fromStep === null ||
    toStep === undefined ||
    toStep === null ||
    toStep === 0
  )
    return null;
  const fromNormal = from.direction[2];
  const toNormal = to.direction[2];
  if (Math.abs(dot(fromNormal, toNormal)) < PARALLEL) return null;
  const point: ReadonlyVector3 = [
    from.origin[0] + index * fromStep * fromNormal[0],
    from.origin[1] + index * fromStep * fromNormal[1],
    from.origin[2] + index * fromStep * fromNormal[2],
  ];
  const offset: ReadonlyVector3 = [
    point[0] - to.origin[0],
    point[1] - to.origin[1],
    point[2] - to.origin[2],
  ];
  return Math.round(dot(offset, toNormal) / toStep);
}
