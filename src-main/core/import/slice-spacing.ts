/**
 * Slice spacing of a series from its instances' ImagePositionPatient projected on the slice
 * normal (row × column direction of ImageOrientationPatient): the median gap between
 * consecutive distinct positions. Null when fewer than two positioned slices exist.
 */
export function sliceSpacingFromPositions(
  positions: ReadonlyArray<readonly [number, number, number]>,
  orientation: readonly [number, number, number, number, number, number],
): number | null {
  const [rx, ry, rz, cx, cy, cz] = orientation;
  const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx] as const;
  const distances = positions
    .map((p) => p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2])
    .sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < distances.length; i++) {
    const gap = distances[i]! - distances[i - 1]!;
    if (gap > 1e-4) gaps.push(gap);
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  return Math.round(median * 1e4) / 1e4;
}
