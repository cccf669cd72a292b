import type { Volume } from '../pipeline/volume.js';
import type { SpacingMm, Vec3, VolumeDims, VoxelBox } from './types.js';

/**
 * Unit vectors of the voxel axes in LPS patient space, [x axis (3), y axis (3), z axis (3)], the
 * layout the analysis pipeline's `Volume.direction` uses. In DICOM terms: the row direction, the
 * column direction and the slice normal (the columns of an ITK/NIfTI-LPS direction matrix).
 * Identity: x runs to the patient's left, y to posterior, z to superior (an axial DICOM series).
 */
export type DirectionCosines = Volume['direction'];

export type Hemisphere = 'left' | 'right' | 'midline';
export type BrainRegion =
  'frontal' | 'parietal' | 'temporal' | 'occipital' | 'cerebellum' | 'brainstem';

/** Where a lesion lies, guessed from its centroid's place within the brain's box. */
export interface ApproximateLocation {
  /** Always true: rules on relative position, no atlas registration. */
  approximate: true;
  /** null when the image does not extend left-right (e.g. one sagittal slice). */
  hemisphere: Hemisphere | null;
  /** null when the image does not extend both front-back and up-down (e.g. one axial slice). */
  region: BrainRegion | null;
  /**
   * Centroid relative to the brain box's centre, -1..1 along each patient axis, positive towards
   * the patient's left, posterior and superior; null for an axis the image does not extend along.
   */
  relativePosition: { left: number | null; posterior: number | null; superior: number | null };
  /** e.g. "Left frontal lobe (approximate)". */
  description: string;
}

export interface LocationInput {
  centroidVoxel: Vec3;
  /** The brain's extent in voxels: a brain mask's box, or the image's non-zero box. */
  brainBox: VoxelBox;
  spacing: SpacingMm;
  direction?: DirectionCosines;
}

/** Within 5 % of the brain's width from its centre counts as midline. */
const MIDLINE_FRACTION = 0.05;
/** An axis along which the brain box is less than this share of its largest extent is "flat". */
const FLAT_AXIS_SHARE = 0.2;
const IDENTITY: DirectionCosines = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function estimateLocation(input: LocationInput): ApproximateLocation {
  const { centroidVoxel, brainBox, spacing } = input;
  const direction = input.direction ?? IDENTITY;
  // Offset from the box centre and the box's half size, both in mm along the voxel axes; an axis
  // the box spans with a single voxel has no extent (a single slice tells nothing along it).
  const offset = [0, 1, 2].map(
    (k) => (centroidVoxel[k]! - (brainBox.min[k]! + brainBox.max[k]!) / 2) * spacing[k]!,
  );
  const half = [0, 1, 2].map((k) =>
    brainBox.max[k] === brainBox.min[k]
      ? 0
      : ((brainBox.max[k]! - brainBox.min[k]! + 1) / 2) * spacing[k]!,
  );
  // The same in patient axes: an oblique voxel axis shares its extent among the patient axes.
  const patientOffset = [0, 1, 2].map((j) =>
    [0, 1, 2].reduce((sum, k) => sum + offset[k]! * direction[3 * k + j]!, 0),
  );
  const patientHalf = [0, 1, 2].map((j) =>
    [0, 1, 2].reduce((sum, k) => sum + half[k]! * Math.abs(direction[3 * k + j]!), 0),
  );
  const largest = Math.max(...patientHalf);
  const relative = patientHalf.map((h, j) =>
    largest > 0 && h >= FLAT_AXIS_SHARE * largest
      ? Math.max(-1, Math.min(1, patientOffset[j]! / h))
      : null,
  );
  const [left, posterior, superior] = [
    relative[0] ?? null,
    relative[1] ?? null,
    relative[2] ?? null,
  ];
  const hemisphere: Hemisphere | null =
    left === null
      ? null
      : Math.abs(left) <= 2 * MIDLINE_FRACTION
        ? 'midline'
        : left > 0
          ? 'left'
          : 'right';
  const region =
    posterior === null || superior === null
      ? null
      : regionAt(Math.abs(left ?? 0), posterior, superior);
  return {
    approximate: true,
    hemisphere,
    region,
    relativePosition: { left, posterior, superior },
    description: `${describe(hemisphere, region)} (approximate)`,
  };
}

/**
 * Coarse rules on the position within the brain box (fractions from anterior, from inferior,
 * from the midline), after the typical adult brain: posterior fossa low and back (brainstem in
 * front of the cerebellum, near the midline), temporal lobes low and lateral, occipital at the
 * back, frontal in the front, parietal above and behind the frontal lobe.
 */
function regionAt(lateral: number, posterior: number, superior: number): BrainRegion {
  const fromFront = (posterior + 1) / 2;
  const fromBottom = (superior + 1) / 2;
  if (fromBottom < 0.35 && lateral < 0.15 && fromFront >= 0.4 && fromFront <= 0.65)
    return 'brainstem';
  if (fromBottom < 0.35 && fromFront > 0.6) return 'cerebellum';
  if (fromBottom < 0.5 && lateral > 0.45 && fromFront >= 0.2 && fromFront <= 0.7) return 'temporal';
  if (fromFront > 0.75) return 'occipital';
  if (fromFront < 0.45) return 'frontal';
  return 'parietal';
}

function describe(hemisphere: Hemisphere | null, region: BrainRegion | null): string {
  const side = hemisphere === 'left' ? 'Left' : hemisphere === 'right' ? 'Right' : null;
  if (region === null)
    return side === null ? (hemisphere === 'midline' ? 'Midline' : 'Brain') : `${side} hemisphere`;
  const name = region === 'cerebellum' || region === 'brainstem' ? region : `${region} lobe`;
  if (region === 'brainstem')
    return hemisphere === 'midline' || side === null
      ? 'Brainstem'
      : `Brainstem, ${hemisphere} side`;
  if (side !== null) return `${side} ${name}`;
  const capitalised = name[0]!.toUpperCase() + name.slice(1);
  return hemisphere === 'midline' ? `${capitalised}, midline` : capitalised;
}

/**
 * Index bounds of the samples above `threshold`: the brain's extent from a brain mask, or from a
 * skull-stripped image (for a whole-head image this is the head's extent, a coarser guide).
 * null when nothing exceeds the threshold.
 */
export function brainBoxFromVolume(
  values: ArrayLike<number>,
  dims: VolumeDims,
  threshold = 0,
): VoxelBox | null {
  const min = [Infinity, Infinity, Infinity];
  const max = [-1, -1, -1];
  let index = 0;
  for (let z = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++, index++) {
        if (!(values[index]! > threshold)) continue;
        if (x < min[0]!) min[0] = x;
        if (x > max[0]!) max[0] = x;
        if (y < min[1]!) min[1] = y;
        if (y > max[1]!) max[1] = y;
        if (z < min[2]!) min[2] = z;
        if (z > max[2]!) max[2] = z;
      }
    }
  }
  if (max[0]! < 0) return null;
  return { min: [min[0]!, min[1]!, min[2]!], max: [max[0]!, max[1]!, max[2]!] };
}
