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
 * and answers its longest unbroken stretch inside the lesion.
 */
function longestRunOnLine(
  grid: PlaneGrid,
  origin: readonly [number, number],
  direction: readonly [number, number],
): Chord | null {
  const { inside, width, height, spacing } = grid;
  // Pixel coordinates: pixel (i, j) covers [i, i + 1) × [j, j + 1).
  const start = [origin[0] / spacing[0] + 0.5, origin[1] / spacing[1] + 0.5];
  const rate = [direction[0] / spacing[0], direction[1] / spacing[1]];
  const size = [width, height];
  // The stretch of w for which the line is inside the grid's rectangle.
  let [wIn, wOut] = [-Infinity, Infinity];
  for (const k of [0, 1]) {
    if (rate[k] === 0) {
      if (start[k]! < 0 || start[k]! >= size[k]!) return null;
      continue;
    }
    const a = (0 - start[k]!) / rate[k]!;
    const b = (size[k]! - start[k]!) / rate[k]!;
    wIn = Math.max(wIn, Math.min(a, b));
    wOut = Math.min(wOut, Math.max(a, b));
  }
  if (!(wIn < wOut)) return null;
  const at = (w: number): [number, number] => [
    origin[0] + w * direction[0],
    origin[1] + w * direction[1],
  ];
  // Start in the middle of the first pixel's stretch so rounding cannot pick a neighbour.
  const nudge = Math.min(1e-9 * (1 + Math.abs(wIn)), (wOut - wIn) / 2);
  const first = [start[0]! + (wIn + nudge) * rate[0]!, start[1]! + (wIn + nudge) * rate[1]!];
  const cell = [
    Math.min(width - 1, Math.max(0, Math.floor(first[0]!))),
    Math.min(height - 1, Math.max(0, Math.floor(first[1]!))),
  ];
  const stepCell = [Math.sign(rate[0]!), Math.sign(rate[1]!)];
  // w at which the line crosses the next pixel boundary along x and along y.
  const nextCross = [0, 1].map((k) =>
    rate[k] === 0 ? Infinity : (cell[k]! + (rate[k]! > 0 ? 1 : 0) - start[k]!) / rate[k]!,
  );
  const crossEvery = [0, 1].map((k) => (rate[k] === 0 ? Infinity : Math.abs(1 / rate[k]!)));
  let w = wIn;
  let runStart: number | null = null;
  let best: Chord | null = null;
  const close = (end: number): void => {
    if (runStart !== null && (best === null || end - runStart > best.length))
      best = { length: end - runStart, ends: [at(runStart), at(end)] };
    runStart = null;
  };
  while (w < wOut && cell[0]! >= 0 && cell[1]! >= 0 && cell[0]! < width && cell[1]! < height) {
    const isIn = inside[cell[0]! + width * cell[1]!] === 1;
    if (isIn && runStart === null) runStart = w;
    if (!isIn) close(w);
    const k = nextCross[0]! <= nextCross[1]! ? 0 : 1;
    w = Math.min(nextCross[k]!, wOut);
    nextCross[k]! += crossEvery[k]!;
    cell[k]! += stepCell[k]!;
  }
  close(Math.min(w, wOut));
  return best;
}
