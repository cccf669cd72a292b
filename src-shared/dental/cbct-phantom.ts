import type { CbctVolume } from './panoramic.js';

/**
 * A generated dental CBCT with a known arch, for tests: a parabolic arch
 * y = vertexY + a·(x − centre)² in the axial plane (opening towards the back, rows growing
 * posteriorly), jaw bone (800 HU) along it over the middle of the volume, teeth (2,000 HU, a
 * narrower band) on the middle slices, soft tissue (40 HU) around, air (−1,000 HU) outside.
 */
export interface ArchPhantom {
  readonly dims: readonly [number, number, number];
  readonly centreX: number;
  readonly vertexY: number;
  readonly a: number;
  /** The arch's x range. */
  readonly fromX: number;
  readonly toX: number;
  /** Slices holding teeth (inclusive). */
  readonly teethSlices: readonly [number, number];
}

export const PHANTOM_TOOTH_HU = 2000;
export const PHANTOM_BONE_HU = 800;

export function archPhantom(dims: readonly [number, number, number]): ArchPhantom {
  const [nx, ny, nz] = dims;
  const centreX = (nx - 1) / 2;
  const vertexY = Math.round(ny * 0.25);
  const half = nx * 0.32;
  const a = (ny * 0.78 - vertexY) / (half * half);
  return {
    dims,
    centreX,
    vertexY,
    a,
    fromX: Math.ceil(centreX - half),
    toX: Math.floor(centreX + half),
    teethSlices: [Math.round(nz * 0.4), Math.round(nz * 0.6)],
  };
}

/** The arch's row at column x. */
export function archY(p: ArchPhantom, x: number): number {
  return p.vertexY + p.a * (x - p.centreX) ** 2;
}

/** Distance (pixels, approximately) of (x, y) from the arch, or Infinity beyond its ends. */
function archDistance(p: ArchPhantom, x: number, y: number): number {
  if (x < p.fromX || x > p.toX) return Infinity;
  const slope = 2 * p.a * (x - p.centreX);
  return Math.abs(y - archY(p, x)) / Math.sqrt(1 + slope * slope);
}

/** The phantom's value (HU) at voxel (x, y, k). */
export function phantomHu(p: ArchPhantom, x: number, y: number, k: number): number {
  const [nx, ny, nz] = p.dims;
  const d = archDistance(p, x, y);
  const isTeeth = k >= p.teethSlices[0] && k <= p.teethSlices[1];
  if (isTeeth && d <= 2) return PHANTOM_TOOTH_HU;
  if (k >= nz * 0.2 && k <= nz * 0.8 && d <= 4) return PHANTOM_BONE_HU;
  const ex = (x - nx / 2) / (nx * 0.48);
  const ey = (y - ny / 2) / (ny * 0.48);
  return ex * ex + ey * ey <= 1 ? 40 : -1000;
}

/** The phantom as a volume stored as int16 with rescale intercept −1024 (as CT files do). */
export function makeArchPhantomVolume(
  dims: readonly [number, number, number],
  spacing: readonly [number, number, number] = [0.5, 0.5, 0.5],
): { volume: CbctVolume; phantom: ArchPhantom } {
  const phantom = archPhantom(dims);
  const [nx, ny, nz] = dims;
  const data = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++)
        data[k * nx * ny + y * nx + x] = phantomHu(phantom, x, y, k) + 1024;
  return {
    volume: { dims, spacing, data, rescaleSlope: 1, rescaleIntercept: -1024 },
    phantom,
  };
}
