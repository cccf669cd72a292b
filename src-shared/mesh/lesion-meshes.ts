import type { ReadonlyVector3 } from '../geometry/vector.js';
import { boxVoxelCount, cropToBox, nonZeroBox } from '../geometry/voxel-box.js';
import { labelMaskComponents } from './label-components.js';
import type { TriangleMesh } from './marching-cubes.js';
import { lesionSurface, type SurfaceQuality } from './mask-surface.js';
import { maxVertexDistance, vertexCentroid } from './mesh-measures.js';
import { placeInPatientSpace, type VolumePlacement } from './patient-space.js';

/** One lesion of a mask, meshed in patient space with its measurements. */
export interface LesionMesh {
  /** 1-based, in the order of the lesion's first voxel. */
  readonly id: number;
  readonly mesh: TriangleMesh;
  readonly voxelCount: number;
  /** From the voxel count (as the analysis reports it), in mL. */
  readonly volumeMl: number;
  /** The largest distance across the surface, in mm. */
  readonly maxDiameterMm: number;
  /** The surface's vertex centroid in patient space (where its label goes). */
  readonly centre: [number, number, number];
}

export interface LesionMeshInput {
  readonly mask: Uint8Array;
  readonly dims: ReadonlyVector3;
  readonly spacing: ReadonlyVector3;
  readonly placement: VolumePlacement;
  readonly quality: SurfaceQuality;
  /**
   * Where voxel 0, 0, 0 of `mask` lies on the scan's grid, for a mask already cropped to its
   * labelled box (what the `labels.box` stream sends); 0, 0, 0 when it is the whole grid.
   */
  readonly offset?: ReadonlyVector3;
  /** Lesions smaller than this are left out (a few voxels make no surface worth showing). */
  readonly minVoxels?: number;
  /** Called between lesions; throwing from it (a cancel) stops the work. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Splits a label mask into lesions (26-connected) and meshes each one. The mask is cropped to
 * its labelled box first: labelling and the per-lesion passes then walk the tumour's few
 * hundred thousand voxels, not a 256³ grid's sixteen million (and its 64 MB label array).
 */
export function meshLesions(input: LesionMeshInput): LesionMesh[] {
  const { spacing, placement, quality } = input;
  const box = nonZeroBox(input.mask, input.dims);
  if (boxVoxelCount(box) === 0) return [];
  const mask = cropToBox(input.mask, input.dims, box);
  const dims = box.size;
  // The box's first voxel on the scan's grid, in mm of the volume's own frame.
  const shift = [0, 1, 2].map(
    (axis) => ((input.offset?.[axis] ?? 0) + box.offset[axis]!) * spacing[axis]!,
  );
  const { labels, components } = labelMaskComponents(mask, dims);
  const kept = components.filter((c) => c.voxelCount >= (input.minVoxels ?? 8));
  const voxelMl = (spacing[0] * spacing[1] * spacing[2]) / 1000;
  return kept.map((component, done) => {
    input.onProgress?.(done, kept.length);
    const mesh = lesionSurface(labels, dims, component, spacing, quality);
    const p = mesh.positions;
    for (let i = 0; i < p.length; i += 3) {
      p[i]! += shift[0]!;
      p[i + 1]! += shift[1]!;
      p[i + 2]! += shift[2]!;
    }
    placeInPatientSpace(mesh, placement);
    return {
      id: component.id,
      mesh,
      voxelCount: component.voxelCount,
      volumeMl: component.voxelCount * voxelMl,
      maxDiameterMm: maxVertexDistance(mesh),
      centre: vertexCentroid(mesh),
    };
  });
}
