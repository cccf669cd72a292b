/**
 * A lesion's pixels on one slice: `inside[i + width * j]` is 1 for a lesion pixel. Pixel (i, j)
 * has its centre at (i × spacing[0], j × spacing[1]) mm and covers half a pixel around it.
 */
export interface PlaneGrid {
  inside: Uint8Array;
  width: number;
  height: number;
  spacing: readonly [number, number];
}

/** A chord: its length and its two ends in the grid's mm. */
export interface Chord {
  length: number;
  ends: [readonly [number, number], readonly [number, number]];
}

/** Lines a fraction of the finer pixel side apart: the longest is found within 1/8 pixel. */
const LINES_PER_PIXEL = 8;
/** At most this many lines (a 20 cm lesion at 0.13 mm apart). */
const MAX_LINES = 1500;

/**
 * The longest segment inside the lesion in the direction perpendicular to the unit vector `u`
 * (RANO/WHO: the greatest diameter perpendicular to the longest one). A segment, not the
 * lesion's width: for an L-shape it lies within one arm, as a radiologist's calliper would.
 * Lines perpendicular to `u` are swept across the lesion a fraction of a pixel apart; along each
 * the pixels it crosses are walked exactly (Amanatides-Woo), pixels being squares, so a run ends
 * at pixel edges and a row of n pixels measures n pixels.
 */
export function longestPerpendicularChord(grid: PlaneGrid, u: readonly [number, number]): Chord {
  const { width, height, spacing } = grid;
  const v: readonly [number, number] = [-u[1], u[0]];
  const corners: Array<readonly [number, number]> = [
    [-spacing[0] / 2, -spacing[1] / 2],
    [(width - 0.5) * spacing[0], -spacing[1] / 2],
    [-spacing[0] / 2, (height - 0.5) * spacing[1]],
    [(width - 0.5) * spacing[0], (height - 0.5) * spacing[1]],
  ];
  const along = corners.map((c) => c[0] * u[0] + c[1] * u[1]);
  const [tMin, tMax] = [Math.min(...along), Math.max(...along)];
  const step = Math.max(
    Math.min(spacing[0], spacing[1]) / LINES_PER_PIXEL,
    (tMax - tMin) / MAX_LINES,
  );
  let best: Chord = {
    length: 0,
    ends: [
      [0, 0],
      [0, 0],
    ],
  };
  const lineCount = Math.max(1, Math.ceil((tMax - tMin) / step));
  for (let line = 0; line < lineCount; line++) {
    const t = tMin + (line + 0.5) * step;
    const run = longestRunOnLine(grid, [t * u[0], t * u[1]], v);
    if (run !== null && run.length > best.length) best = run;
  }
  return best;
}

/**
 * Walks the line `origin + w·direction` (mm, direction a unit vector) through the grid's pixels
 * and answers its longest unbroken stretch inside the lesion. Scalars only: this runs for every
 * line of the sweep.
 */
function longestRunOnLine(
  grid: PlaneGrid,
  origin: readonly [number, number],
  direction: readonly [number, number],
): Chord | null {
  const { inside, width, height, spacing } = grid;
  // Pixel coordinates: pixel (i, j) covers [i, i + 1) × [j, j + 1).
  const startX = origin[0] / spacing[0] + 0.5;
  const startY = origin[1] / spacing[1] + 0.5;
  const rateX = direction[0] / spacing[0];
  const rateY = direction[1] / spacing[1];
  // The stretch of w for which the line is inside the grid's rectangle.
  let wIn = -Infinity;
  let wOut = Infinity;
  if (rateX === 0) {
    if (startX < 0 || startX >= width) return null;
  } else {
    const a = -startX / rateX;
    const b = (width - startX) / rateX;
    wIn = Math.max(wIn, Math.min(a, b));
    wOut = Math.min(wOut, Math.max(a, b));
  }
  if (rateY === 0) {
    if (startY < 0 || startY >= height) return null;
  } else {
    const a = -startY / rateY;
    const b = (height - startY) / rateY;
    wIn = Math.max(wIn, Math.min(a, b));
    wOut = Math.min(wOut, Math.max(a, b));
  }
  if (!(wIn < wOut)) return null;
  // Start in the middle of the first pixel's stretch so rounding cannot pick a neighbour.
  const w0 = wIn + Math.min(1e-9 * (1 + Math.abs(wIn)), (wOut - wIn) / 2);
  let i = Math.min(width - 1, Math.max(0, Math.floor(startX + w0 * rateX)));
  let j = Math.min(height - 1, Math.max(0, Math.floor(startY + w0 * rateY)));
  const stepI = rateX > 0 ? 1 : -1;
  const stepJ = rateY > 0 ? 1 : -1;
  // w at which the line crosses the next pixel boundary along x and along y, and how often.
  let nextX = rateX === 0 ? Infinity : (i + (rateX > 0 ? 1 : 0) - startX) / rateX;
  let nextY = rateY === 0 ? Infinity : (j + (rateY > 0 ? 1 : 0) - startY) / rateY;
  const everyX = rateX === 0 ? Infinity : Math.abs(1 / rateX);
  const everyY = rateY === 0 ? Infinity : Math.abs(1 / rateY);
  let w = wIn;
  let runStart = NaN;
  let bestStart = 0;
  let bestLength = 0;
  while (w < wOut && i >= 0 && j >= 0 && i < width && j < height) {
    if (inside[i + width * j] === 1) {
      if (Number.isNaN(runStart)) runStart = w;
    } else if (!Number.isNaN(runStart)) {
      if (w - runStart > bestLength) [bestStart, bestLength] = [runStart, w - runStart];
      runStart = NaN;
    }
    if (nextX <= nextY) {
      w = Math.min(nextX, wOut);
      nextX += everyX;
      i += stepI;
    } else {
      w = Math.min(nextY, wOut);
      nextY += everyY;
      j += stepJ;
    }
  }
  const end = Math.min(w, wOut);
  if (!Number.isNaN(runStart) && end - runStart > bestLength)
    [bestStart, bestLength] = [runStart, end - runStart];
  if (bestLength === 0) return null;
  const at = (t: number): [number, number] => [
    origin[0] + t * direction[0],
    origin[1] + t * direction[1],
  ];
  return { length: bestLength, ends: [at(bestStart), at(bestStart + bestLength)] };
}
