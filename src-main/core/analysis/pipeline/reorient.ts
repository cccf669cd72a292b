import type { Volume } from './volume.js';

/**
 * How to turn a volume into the models' convention (voxel axes along L, P, S: axial slices with
 * anterior at the top and patient right on the image's left, as the LGG training slices are):
 * for each output axis, which input axis it comes from and whether that axis is flipped.
 * Volumes are snapped to the nearest patient axes; obliquity is small in clinical brain series.
 */
export interface AxisPlan {
  /** sourceAxis[o] = input axis (0 x, 1 y, 2 z) that becomes output axis o (0 L, 1 P, 2 S). */
  sourceAxis: [number, number, number];
  /** flip[o]: the input axis points against the patient axis. */
  flip: [boolean, boolean, boolean];
}

export function planToLps(direction: Volume['direction']): AxisPlan {
  const axisVector = (a: number): [number, number, number] => [
    direction[a * 3]!,
    direction[a * 3 + 1]!,
    direction[a * 3 + 2]!,
  ];
  const sourceAxis: [number, number, number] = [-1, -1, -1];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  const used = new Set<number>();
  // Assign the most clearly aligned pairs first, so an oblique axis cannot steal another's place.
  const pairs: Array<{ input: number; patient: number; weight: number }> = [];
  for (let input = 0; input < 3; input++) {
    const v = axisVector(input);
    for (let patient = 0; patient < 3; patient++)
      pairs.push({ input, patient, weight: Math.abs(v[patient]!) });
  }
  pairs.sort((a, b) => b.weight - a.weight);
  for (const { input, patient } of pairs) {
    if (used.has(input) || sourceAxis[patient] !== -1) continue;
    sourceAxis[patient] = input;
    flip[patient] = axisVector(input)[patient]! < 0;
    used.add(input);
  }
  return { sourceAxis, flip };
}

function outputDims(dims: Volume['dims'], plan: AxisPlan): [number, number, number] {
  return [dims[plan.sourceAxis[0]]!, dims[plan.sourceAxis[1]]!, dims[plan.sourceAxis[2]]!];
}

/** Copies voxels into LPS order. `inverse` maps an LPS-ordered array back to the input's order. */
function permute(
  data: ArrayLike<number>,
  dims: Volume['dims'],
  plan: AxisPlan,
  inverse: boolean,
  target: Float32Array | Uint8Array,
): void {
  const out = outputDims(dims, plan);
  const inStride = [1, dims[0], dims[0] * dims[1]];
  const index = [0, 0, 0];
  let o = 0;
  for (let k = 0; k < out[2]; k++) {
    for (let j = 0; j < out[1]; j++) {
      for (let i = 0; i < out[0]; i++) {
        const outIndex = [i, j, k];
        for (let axis = 0; axis < 3; axis++) {
          const source = plan.sourceAxis[axis]!;
          const value = outIndex[axis]!;
          index[source] = plan.flip[axis] ? out[axis]! - 1 - value : value;
        }
        const s = index[0]! * inStride[0]! + index[1]! * inStride[1]! + index[2]! * inStride[2]!;
        if (inverse) target[s] = data[o]!;
        else target[o] = data[s]!;
        o++;
      }
    }
  }
}

export function reorientToLps(volume: Volume): { volume: Volume; plan: AxisPlan } {
  const plan = planToLps(volume.direction);
  const dims = outputDims(volume.dims, plan);
  const data = new Float32Array(volume.data.length);
  permute(volume.data, volume.dims, plan, false, data);
  const spacing =
    volume.spacing === null
      ? null
      : ([
          volume.spacing[plan.sourceAxis[0]]!,
          volume.spacing[plan.sourceAxis[1]]!,
          volume.spacing[plan.sourceAxis[2]]!,
        ] as [number, number, number]);
  return { volume: { dims, spacing, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data }, plan };
}

/** Maps a mask computed in LPS order back onto the original volume's voxel grid. */
export function maskToSourceOrder(
  mask: Uint8Array,
  sourceDims: Volume['dims'],
  plan: AxisPlan,
): Uint8Array {
  const target = new Uint8Array(mask.length);
  permute(mask, sourceDims, plan, true, target);
  return target;
}
