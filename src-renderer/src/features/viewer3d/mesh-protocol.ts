import type { ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';
import type { SurfaceQuality } from '../../../../src-shared/mesh/mask-surface.js';
import type { VolumePlacement } from '../../../../src-shared/mesh/patient-space.js';

/** What the page asks the mesh worker for. */
export type MeshRequest =
  | {
      readonly kind: 'lesions';
      /** The labelled box of the label volume (labels.box), not the whole grid. */
      readonly mask: Uint8Array;
      /** The box's size in voxels. */
      readonly dims: ReadonlyVector3;
      /** Where the box's first voxel lies on the scan's grid. */
      readonly offset: ReadonlyVector3;
      readonly spacing: ReadonlyVector3;
      readonly placement: VolumePlacement;
      readonly quality: SurfaceQuality;
    }
  | {
      readonly kind: 'head';
      /** The scan's values on a coarser grid (see head-volume.ts). */
      readonly field: Float32Array;
      readonly dims: ReadonlyVector3;
      /** The coarse grid's spacing in mm. */
      readonly spacing: ReadonlyVector3;
      /** Where coarse sample 0, 0, 0 lies in the volume's frame (mm). */
      readonly offset: ReadonlyVector3;
      readonly placement: VolumePlacement;
      readonly quality: SurfaceQuality;
    };

/** One lesion as the worker sends it: patient-space mesh and measurements. */
export interface LesionGeometry {
  readonly id: number;
  readonly positions: Float32Array;
  readonly indices: Uint32Array;
  readonly volumeMl: number;
  readonly maxDiameterMm: number;
  readonly centre: [number, number, number];
}

export type MeshReply =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'lesions'; readonly lesions: LesionGeometry[]; readonly ms: number }
  | {
      readonly kind: 'head';
      readonly positions: Float32Array;
      readonly indices: Uint32Array;
      readonly threshold: number;
      readonly ms: number;
    }
  | { readonly kind: 'error'; readonly message: string };
