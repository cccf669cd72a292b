/**
 * Three-component vectors: the one definition of the point, direction and per-axis size triple
 * that imaging, analysis, the repositories and the viewer share.
 */

/** Three numbers: a point, a direction or a per-axis value (dims, spacing), as JSON and zod give it. */
export type Vector3 = [number, number, number];

/** A triple the receiver only reads. */
export type ReadonlyVector3 = readonly [number, number, number];

/** The voxel axes of a volume in patient space: [column (i) axis, row (j) axis, slice (k) axis]. */
export type AxisVectors = [Vector3, Vector3, Vector3];

/** DICOM Image Orientation (Patient): the row direction's three cosines, then the column's. */
export type Orientation6 = [number, number, number, number, number, number];

export const dot = (a: ReadonlyVector3, b: ReadonlyVector3): number =>
  a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export function cross(a: ReadonlyVector3, b: ReadonlyVector3): Vector3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export const lengthOf = (v: ReadonlyVector3): number => Math.hypot(v[0], v[1], v[2]);

/** The unit vector along `v`, or null for a (near) zero vector that has no direction. */
export function normalise(v: ReadonlyVector3): Vector3 | null {
  const length = lengthOf(v);
  return length < 1e-6 ? null : [v[0] / length, v[1] / length, v[2] / length];
}

/** The first three numbers of a longer list (a DICOM multi-value, an orientation half). */
export function vector3Of(values: readonly number[], start = 0): Vector3 {
  return [values[start]!, values[start + 1]!, values[start + 2]!];
}
