import { frameSamples, type BinaryFrame } from '../../../../src-shared/contract/frames.js';
import type { ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';

/** The scan on a coarser grid for the head surface: values, grid size, spacing and offset. */
export interface CoarseVolume {
  readonly field: Float32Array;
  readonly dims: [number, number, number];
  /** mm between coarse samples. */
  readonly spacing: [number, number, number];
  /** Where coarse sample 0, 0, 0 lies in the volume's frame (mm): the centre of its block. */
  readonly offset: [number, number, number];
}

/** Frames read at once: enough to hide the round trip, few enough to leave the server room. */
const CONCURRENT_FRAMES = 6;

/**
 * Reads every `step`-th frame of a scan (the 2D viewer's `frames.read` stream) and averages
 * step × step pixel blocks in-plane, so a 240 × 240 × 155 BraTS volume at step 2 is 78 reads
 * and a 120 × 120 × 78 grid. Modality values (rescale applied); RGB frames use their mean.
 */
export async function readCoarseVolume(
  readFrame: (index: number) => Promise<BinaryFrame>,
  grid: { columns: number; rows: number; frames: number; spacing: ReadonlyVector3 },
  step: number,
  options: { signal: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<CoarseVolume> {
  const nx = Math.floor(grid.columns / step);
  const ny = Math.floor(grid.rows / step);
  const frameIndices: number[] = [];
  for (let k = 0; k < grid.frames; k += step) frameIndices.push(k);
  const nz = frameIndices.length;
  const field = new Float32Array(nx * ny * nz);
  let next = 0;
  let done = 0;
  const share = 1 / (step * step);
  const readOne = async (): Promise<void> => {
    while (next < nz) {
      if (options.signal.aborted) throw new DOMException('Cancelled', 'AbortError');
      const z = next++;
      const frame = await readFrame(frameIndices[z]!);
      const { info } = frame;
      if (info.columns !== grid.columns || info.rows !== grid.rows)
        throw new Error(
          `Frame ${frameIndices[z]! + 1} is ${info.columns} × ${info.rows}, not ${grid.columns} × ${grid.rows}: the 3D view needs one grid.`,
        );
      const samples = frameSamples(info, frame.data);
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
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_FRAMES, nz) }, readOne));
  const [sx, sy, sz] = grid.spacing;
  return {
    field,
    dims: [nx, ny, nz],
    spacing: [sx * step, sy * step, sz * step],
    offset: [((step - 1) / 2) * sx, ((step - 1) / 2) * sy, 0],
  };
}
