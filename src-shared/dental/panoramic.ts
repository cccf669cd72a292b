/**
 * Panoramic view of a dental CBCT (curved planar reformation): the dental arch is found on an
 * axial slab from the teeth's high density, given as a few control points (editable), and the
 * volume is resampled along the smooth curve through them, across a slab in the normal
 * direction. Pure functions on typed arrays: shared by the renderer and the unit tests.
 *
 * Voxel layout: index = i + j·columns + k·columns·rows (i column, j row, k axial slice), values
 * stored as the frames store them, with one rescale to modality units (HU for CT).
 */

export interface CbctVolume {
  /** [columns, rows, slices]. */
  readonly dims: readonly [number, number, number];
  /** mm between voxel centres along columns, rows and slices. */
  readonly spacing: readonly [number, number, number];
  readonly data: ArrayLike<number>;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
}

/** A point on the axial image, in pixels (x column, y row). */
export interface ArchPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * Enamel and dentine are the densest tissue of the jaw (enamel ~2,000+ HU, dentine ~1,200–
 * 1,800 HU) above cortical bone (~700–1,200 HU on CBCT): 1,200 HU keeps the teeth.
 */
export const TOOTH_THRESHOLD_HU = 1200;
/** The axial slab whose MIP the arch is found on. */
export const ARCH_SLAB_MM = 15;
export const ARCH_CONTROL_POINTS = 7;

export interface ArchFinding {
  /** Control points of the arch, from the patient's right end to the left end (image x order). */
  readonly points: ArchPoint[];
  /** The axial slices of the slab the arch was found on. */
  readonly slab: { readonly from: number; readonly to: number };
  /** The threshold used, in modality units. */
  readonly threshold: number;
  /** Pixels of the largest dense component. */
  readonly pixels: number;
}

function modality(volume: CbctVolume, index: number): number {
  return (volume.data[index] as number) * volume.rescaleSlope + volume.rescaleIntercept;
}

/** Maximum over axial slices [from, to] per pixel, in modality units. */
export function axialMip(volume: CbctVolume, from: number, to: number): Float32Array {
  const [nx, ny] = volume.dims;
  const plane = nx * ny;
  const out = new Float32Array(plane).fill(-Infinity);
  for (let k = from; k <= to; k++) {
    const base = k * plane;
    for (let p = 0; p < plane; p++) {
      const v = modality(volume, base + p);
      if (v > (out[p] as number)) out[p] = v;
    }
  }
  return out;
}

/** The largest 8-connected component of `mask` (1 = in), as a mask of its own. */
export function largestComponent(mask: Uint8Array, width: number, height: number): Uint8Array {
  const labels = new Int32Array(mask.length);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    next += 1;
    let size = 0;
    labels[start] = next;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      size += 1;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const qx = x + dx;
          const qy = y + dy;
          if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
          const q = qy * width + qx;
          if (mask[q] === 1 && labels[q] === 0) {
            labels[q] = next;
            stack.push(q);
          }
        }
    }
    if (size > bestSize) {
      bestSize = size;
      best = next;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) if (labels[p] === best && best !== 0) out[p] = 1;
  return out;
}

/** Least-squares y = a·x² + b·x + c through weighted points. */
export function fitParabola(
  points: ReadonlyArray<{ x: number; y: number; w: number }>,
): [number, number, number] {
  // Normal equations of the 3 × 3 system, solved by Cramer's rule.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  for (const { x, y, w } of points) {
    const x2 = x * x;
    s0 += w;
    s1 += w * x;
    s2 += w * x2;
    s3 += w * x2 * x;
    s4 += w * x2 * x2;
    t0 += w * y;
    t1 += w * x * y;
    t2 += w * x2 * y;
  }
  const det = (m: number[]): number =>
    (m[0] as number) * ((m[4] as number) * (m[8] as number) - (m[5] as number) * (m[7] as number)) -
    (m[1] as number) * ((m[3] as number) * (m[8] as number) - (m[5] as number) * (m[6] as number)) +
    (m[2] as number) * ((m[3] as number) * (m[7] as number) - (m[4] as number) * (m[6] as number));
  const m = [s4, s3, s2, s3, s2, s1, s2, s1, s0];
  const d = det(m);
  if (Math.abs(d) < 1e-12) return [0, 0, s0 > 0 ? t0 / s0 : 0];
  const a = det([t2, s3, s2, t1, s2, s1, t0, s1, s0]) / d;
  const b = det([s4, t2, s2, s3, t1, s1, s2, t0, s0]) / d;
  const c = det([s4, s3, t2, s3, s2, t1, s2, s1, t0]) / d;
  return [a, b, c];
}

/**
 * Finds the dental arch: the axial slab (ARCH_SLAB_MM) with the most tooth-dense voxels, the
 * MIP of that slab thresholded at tooth density, its largest connected component, and a
 * parabola fitted through the component's medial line (the middle row of the band in each
 * column), sampled as control points across the component's width. Null when nothing in the
 * volume reaches the threshold.
 */
export function findArch(
  volume: CbctVolume,
  threshold: number = TOOTH_THRESHOLD_HU,
  controlPoints: number = ARCH_CONTROL_POINTS,
): ArchFinding | null {
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const counts = new Float64Array(nz);
  for (let k = 0; k < nz; k++) {
    let n = 0;
    const base = k * plane;
    for (let p = 0; p < plane; p++) if (modality(volume, base + p) >= threshold) n += 1;
    counts[k] = n;
  }
  const half = Math.max(0, Math.round(ARCH_SLAB_MM / volume.spacing[2] / 2));
  let bestK = -1;
  let bestSum = 0;
  for (let k = 0; k < nz; k++) {
    let sum = 0;
    for (let q = Math.max(0, k - half); q <= Math.min(nz - 1, k + half); q++)
      sum += counts[q] as number;
    if (sum > bestSum) {
      bestSum = sum;
      bestK = k;
    }
  }
  if (bestK < 0) return null;
  const slab = { from: Math.max(0, bestK - half), to: Math.min(nz - 1, bestK + half) };
  const mip = axialMip(volume, slab.from, slab.to);
  const mask = new Uint8Array(plane);
  for (let p = 0; p < plane; p++) mask[p] = (mip[p] as number) >= threshold ? 1 : 0;
  const component = largestComponent(mask, nx, ny);
  // The medial line: per column, the middle of the band's rows (a U-shaped band is crossed
  // once per column near the front, and along its length at the sides).
  const medial: { x: number; y: number; w: number }[] = [];
  let minX = Infinity;
  let maxX = -Infinity;
  let pixels = 0;
  for (let x = 0; x < nx; x++) {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < ny; y++)
      if (component[y * nx + x] === 1) {
        sum += y;
        n += 1;
      }
    if (n === 0) continue;
    pixels += n;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    medial.push({ x, y: sum / n, w: 1 });
  }
  if (medial.length < 3) return null;
  const [a, b, c] = fitParabola(medial);
  const points: ArchPoint[] = [];
  const count = Math.max(3, controlPoints);
  for (let n = 0; n < count; n++) {
    const x = minX + ((maxX - minX) * n) / (count - 1);
    points.push({ x, y: a * x * x + b * x + c });
  }
  return { points, slab, threshold, pixels };
}

/** A Catmull-Rom spline through the control points, sampled about every `step` pixels. */
export function splineThrough(points: readonly ArchPoint[], step = 0.5): ArchPoint[] {
  if (points.length < 2) return [...points];
  const out: ArchPoint[] = [];
  const at = (n: number): ArchPoint =>
    points[Math.max(0, Math.min(points.length - 1, n))] as ArchPoint;
  for (let s = 0; s < points.length - 1; s++) {
    const p0 = at(s - 1);
    const p1 = at(s);
    const p2 = at(s + 1);
    const p3 = at(s + 2);
    const length = Math.hypot(p2.x - p1.x, p2.y - p1.y);
    const pieces = Math.max(1, Math.ceil(length / step));
    for (let n = 0; n < pieces; n++) {
      const t = n / pieces;
      const t2 = t * t;
      const t3 = t2 * t;
      const f = (a: number, b: number, c: number, d: number): number =>
        0.5 *
        (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3);
      out.push({ x: f(p0.x, p1.x, p2.x, p3.x), y: f(p0.y, p1.y, p2.y, p3.y) });
    }
  }
  out.push(at(points.length - 1));
  return out;
}

/** Points spaced `spacing` pixels apart along a polyline (arc length). */
export function resampleByLength(line: readonly ArchPoint[], spacing: number): ArchPoint[] {
  if (line.length < 2) return [...line];
  const out: ArchPoint[] = [line[0] as ArchPoint];
  let carried = 0;
  for (let n = 1; n < line.length; n++) {
    const a = line[n - 1] as ArchPoint;
    const b = line[n] as ArchPoint;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    let along = spacing - carried;
    while (along <= length) {
      const t = along / length;
      out.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
      along += spacing;
    }
    carried = length - (along - spacing);
  }
  return out;
}

export type PanoramicMode = 'mip' | 'average';

export interface PanoramicImage {
  /** Samples along the arch. */
  readonly width: number;
  /** Axial slices, top row = first slice. */
  readonly height: number;
  /** Modality values, row-major. */
  readonly data: Float32Array;
  /** mm per column (along the arch) and per row (slice spacing). */
  readonly pixelSpacing: readonly [number, number];
  /** Where each column's centre lies on the axial image (for the arch overlay and tests). */
  readonly path: ArchPoint[];
}

function bilinear(volume: CbctVolume, x: number, y: number, k: number): number | null {
  const [nx, ny] = volume.dims;
  if (x < 0 || y < 0 || x > nx - 1 || y > ny - 1) return null;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(nx - 1, x0 + 1);
  const y1 = Math.min(ny - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const base = k * nx * ny;
  const v00 = modality(volume, base + y0 * nx + x0);
  const v10 = modality(volume, base + y0 * nx + x1);
  const v01 = modality(volume, base + y1 * nx + x0);
  const v11 = modality(volume, base + y1 * nx + x1);
  return v00 * (1 - fx) * (1 - fy) + v10 * fx * (1 - fy) + v01 * (1 - fx) * fy + v11 * fx * fy;
}

/**
 * The panoramic image: the spline through `controlPoints` sampled at the in-plane pixel size,
 * and at each sample the volume read across `thicknessMm` along the curve's normal (in-plane),
 * combined by maximum (MIP) or mean, for every axial slice. Assumes square in-plane pixels
 * (CBCT is isotropic); a thickness under one pixel reads the curve itself.
 */
export function panoramicImage(
  volume: CbctVolume,
  controlPoints: readonly ArchPoint[],
  thicknessMm: number,
  mode: PanoramicMode = 'mip',
): PanoramicImage {
  const [, , nz] = volume.dims;
  const pixelMm = volume.spacing[0];
  const path = resampleByLength(splineThrough(controlPoints), 1);
  const width = path.length;
  const data = new Float32Array(width * nz);
  const halfSteps = Math.floor(thicknessMm / pixelMm / 2);
  for (let c = 0; c < width; c++) {
    const prev = path[Math.max(0, c - 1)] as ArchPoint;
    const next = path[Math.min(width - 1, c + 1)] as ArchPoint;
    const tx = next.x - prev.x;
    const ty = next.y - prev.y;
    const length = Math.hypot(tx, ty) || 1;
    const nxv = -ty / length;
    const nyv = tx / length;
    const centre = path[c] as ArchPoint;
    for (let k = 0; k < nz; k++) {
      let best = -Infinity;
      let sum = 0;
      let n = 0;
      for (let s = -halfSteps; s <= halfSteps; s++) {
        const v = bilinear(volume, centre.x + nxv * s, centre.y + nyv * s, k);
        if (v === null) continue;
        if (v > best) best = v;
        sum += v;
        n += 1;
      }
      data[k * width + c] = n === 0 ? 0 : mode === 'mip' ? best : sum / n;
    }
  }
  return { width, height: nz, data, pixelSpacing: [pixelMm, volume.spacing[2]], path };
}
