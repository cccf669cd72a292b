/** An iso-contour of a 2D field as loose directed segments (closed where the field is padded). */
export interface Contour2D {
  /** x1, y1, x2, y2 per segment, in the units of the spacing; the inside lies on the left. */
  segments: Float64Array;
  /** Total segment length. */
  length: number;
  /** Area enclosed (Green's theorem over the directed segments; holes count negative). */
  enclosedArea: number;
}

export interface MarchingSquaresInput {
  /** Samples, x fastest; "inside" is where the value exceeds `isoLevel`. */
  field: Float32Array;
  dims: readonly [number, number];
  isoLevel: number;
  spacing: readonly [number, number];
  /** Position of sample [0, 0]. Default [0, 0]. */
  origin?: readonly [number, number];
}

/** Corners of a cell in order: (0,0), (1,0), (1,1), (0,1); edge e joins corner e and e + 1. */
const CORNER_X = [0, 1, 1, 0] as const;
const CORNER_Y = [0, 0, 1, 1] as const;
/** The two edges that meet at each corner. */
const EDGES_AT_CORNER = [
  [3, 0],
  [0, 1],
  [1, 2],
  [2, 3],
] as const;

/**
 * Marching squares, the 2D sibling of marching cubes, used for single-slice images. Saddle cells
 * (diagonal corners inside) are split by the cell's mean value, so contours never cross.
 */
export function marchingSquares(input: MarchingSquaresInput): Contour2D {
  const { field, dims, isoLevel, spacing } = input;
  const [nx, ny] = dims;
  const [ox, oy] = input.origin ?? [0, 0];
  if (field.length !== nx * ny) throw new RangeError('field length does not match dims');
  const segments: number[] = [];
  const values = [0, 0, 0, 0];
  const isInside = [false, false, false, false];

  const crossing = (x: number, y: number, edge: number): [number, number] => {
    const a = edge;
    const b = (edge + 1) % 4;
    const t = (isoLevel - values[a]!) / (values[b]! - values[a]!);
    return [
      ox + (x + CORNER_X[a]! + t * (CORNER_X[b]! - CORNER_X[a]!)) * spacing[0],
      oy + (y + CORNER_Y[a]! + t * (CORNER_Y[b]! - CORNER_Y[a]!)) * spacing[1],
    ];
  };
  // Adds the segment between two edge crossings, directed so that `reference` (a point known to
  // be inside, or outside when `isReferenceInside` is false) lies on the correct side.
  const addSegment = (
    p: [number, number],
    q: [number, number],
    reference: [number, number],
    isReferenceInside: boolean,
  ): void => {
    const cross = (q[0] - p[0]) * (reference[1] - p[1]) - (q[1] - p[1]) * (reference[0] - p[0]);
    if (cross > 0 === isReferenceInside) segments.push(p[0], p[1], q[0], q[1]);
    else segments.push(q[0], q[1], p[0], p[1]);
  };

  for (let y = 0; y < ny - 1; y++) {
    for (let x = 0; x < nx - 1; x++) {
      let insideCount = 0;
      for (let c = 0; c < 4; c++) {
        values[c] = field[x + CORNER_X[c]! + nx * (y + CORNER_Y[c]!)]!;
        isInside[c] = values[c]! > isoLevel;
        if (isInside[c]) insideCount++;
      }
      if (insideCount === 0 || insideCount === 4) continue;
      const cornerAt = (c: number): [number, number] => [
        ox + (x + CORNER_X[c]!) * spacing[0],
        oy + (y + CORNER_Y[c]!) * spacing[1],
      ];
      const isSaddle = insideCount === 2 && isInside[0] === isInside[2];
      if (isSaddle) {
        // Cut off the two corners whose side differs from the cell centre's.
        const isCentreInside = (values[0]! + values[1]! + values[2]! + values[3]!) / 4 > isoLevel;
        for (let c = 0; c < 4; c++) {
          if (isInside[c] === isCentreInside) continue;
          const [e1, e2] = EDGES_AT_CORNER[c]!;
          addSegment(crossing(x, y, e1), crossing(x, y, e2), cornerAt(c), isInside[c]!);
        }
        continue;
      }
      const crossed = [0, 1, 2, 3].filter((e) => isInside[e] !== isInside[(e + 1) % 4]);
      // The mean of the inside corners is strictly on the inside of the single segment.
      let rx = 0;
      let ry = 0;
      for (let c = 0; c < 4; c++) {
        if (!isInside[c]) continue;
        const [cx, cy] = cornerAt(c);
        rx += cx / insideCount;
        ry += cy / insideCount;
      }
      addSegment(crossing(x, y, crossed[0]!), crossing(x, y, crossed[1]!), [rx, ry], true);
    }
  }
  return summarise(Float64Array.from(segments));
}

function summarise(segments: Float64Array): Contour2D {
  let length = 0;
  let doubleArea = 0;
  for (let s = 0; s < segments.length; s += 4) {
    const [x1, y1, x2, y2] = [segments[s]!, segments[s + 1]!, segments[s + 2]!, segments[s + 3]!];
    length += Math.hypot(x2 - x1, y2 - y1);
    doubleArea += x1 * y2 - x2 * y1;
  }
  return { segments, length, enclosedArea: doubleArea / 2 };
}
