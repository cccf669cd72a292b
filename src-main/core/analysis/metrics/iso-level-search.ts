/** Relative mismatch at which the search stops: 0.05 % of the volume is ≈ 0.03 % of the area. */
const TOLERANCE = 5e-4;
const MAX_STEPS = 30;

/** What one iso-level gives: the enclosed measure (volume or area) and the surface itself. */
export interface IsoLevelResult<T> {
  enclosed: number;
  surface: T;
}

/**
 * Finds the iso-level of a blurred 0/1 mask whose surface encloses `target` (the voxel-count
 * volume, or the pixel-count area). The enclosed measure falls steadily as the level rises from 0
 * to the field's `peak`, so a secant step kept inside a shrinking bracket (bisection when the
 * step would leave it) converges in a handful of evaluations. Returns the closest level tried.
 */
export function findVolumeMatchedIsoLevel<T>(
  surfaceAt: (isoLevel: number) => IsoLevelResult<T>,
  target: number,
  peak: number,
): { isoLevel: number; surface: T } {
  const evaluate = (isoLevel: number): { isoLevel: number; surface: T; excess: number } => {
    const { enclosed, surface } = surfaceAt(isoLevel);
    return { isoLevel, surface, excess: enclosed - target };
  };
  const error = (sample: { excess: number }): number => Math.abs(sample.excess) / target;
  let low = 0;
  let high = peak;
  let current = evaluate(Math.min(0.5, peak / 2));
  let older: { isoLevel: number; excess: number } | null = null;
  let best = current;
  for (let step = 1; step < MAX_STEPS && error(best) > TOLERANCE; step++) {
    if (current.excess > 0) low = current.isoLevel;
    else high = current.isoLevel;
    let next = (low + high) / 2;
    if (older !== null && older.excess !== current.excess) {
      const slope = (current.excess - older.excess) / (current.isoLevel - older.isoLevel);
      const secant = current.isoLevel - current.excess / slope;
      if (secant > low && secant < high) next = secant;
    }
    older = current;
    current = evaluate(next);
    if (error(current) < error(best)) best = current;
  }
  return { isoLevel: best.isoLevel, surface: best.surface };
}
