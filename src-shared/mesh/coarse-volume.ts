import { frameSamples, type BinaryFrame } from '../contract/frames.js';
import type { ReadonlyVector3 } from '../geometry/vector.js';

/** A scan on a coarser grid for its head surface: values, grid size, spacing and offset. */
export interface CoarseVolume {
  readonly field: Float32Array;
  readonly dims: [number, number, number];
  /** mm between coarse samples. */
  readonly spacing: [number, number, number];
  /** Where coarse sample 0, 0, 0 lies in the volume's frame (mm): the centre of its block. */
  readonly offset: [number, number, number];
}

/**
 * Reads every `step`-th frame and averages step × step pixel blocks in-plane (modality values,
 * rescale applied; RGB frames use their mean). The same reduction as the renderer's
 * `head-volume.ts`, for the core's HTML scene job; frames are read `concurrency` at a time.
 * `beforeEach` runs before every read: throwing from it (a cancel) stops the reading.
 */
export async function readCoarseFrames(
  readFrame: (index: number) => Promise<BinaryFrame>,
  grid: { columns: number; rows: number; frames: number; spacing: ReadonlyVector3 },
  step: number,
  options: {
    concurrency?: number;
    beforeEach?: () => void;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<CoarseVolume> {
  const nx = Math.floor(grid.columns / step);
  const ny = Math.floor(grid.rows / step);
  const frameIndices: number[] = [];
  for (let k = 0; k < grid.frames; k += step) frameIndices.push(k);
  const nz = frameIndices.length;
  const field = new Float32Array(nx * ny * nz);
  const share = 1 / (step * step);
  let next = 0;
  let done = 0;
  const readOne = async (): Promise<void> => {
    while (next < nz) {
      options.beforeEach?.();
      const z = next++;
      const index = frameIndices[z]!;
      const { info, data } = await readFrame(index);
      if (info.columns !== grid.columns || info.rows !== grid.rows)
        throw new Error(
          `Frame ${index + 1} is ${info.columns} × ${info.rows}, not ${grid.columns} × ${grid.rows}: a 3D scene needs one grid.`,
        );
      const samples = frameSamples(info, data);
      const spp = info.samplesPerPixel;
      const base = nx * ny * z;
      for (let y = 0; y < ny * step; y++) {
        const row = info.columns * y;
        const coarseRow = base + nx * Math.floor(y / step);
        for (let x = 0; x < nx * step; x++) {
          let value = 0;
          for (let s = 0; s < spp; s++) value += samples[(row + x) * spp + s]!;
          field[coarseRow + Math.floor(x / step)]! +=
            ((value / spp) * info.rescaleSlope + info.rescaleIntercept) * share;
        }
      }
      done++;
      options.onProgress?.(done, nz);
    }
  };
  const workers = Math.min(options.concurrency ?? 4, nz);
  await Promise.all(Array.from({ length: workers }, readOne));
  const [sx, sy, sz] = grid.spacing;
  return {
    field,
    dims: [nx, ny, nz],
    spacing: [sx * step, sy * step, sz * step],
    offset: [((step - 1) / 2) * sx, ((step - 1) / 2) * sy, 0],
  };
}
