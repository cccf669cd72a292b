import {
  frameSamples,
  type FrameInfo,
  type FrameSamples,
} from '../../../../../src-shared/contract/frames.js';
import type { VoiWindow } from '../window-level.js';
import type { MprGrid } from './mpr-geometry.js';

/**
 * A scan's frames stacked into one volume for MPR: stored values in the frames' own type
 * (int16 stays int16: half the memory of floats), with one rescale for all; frames whose
 * rescales differ (some DICOM series) are converted to modality values (float32, rescale 1/0).
 */
export interface MprVolume {
  readonly dims: readonly [number, number, number];
  readonly data: FrameSamples;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  /** MONOCHROME1: low values are bright. */
  readonly isInverted: boolean;
  /** Smallest and largest modality value, for window dragging. */
  readonly range: { readonly low: number; readonly high: number };
}

/**
 * The most memory the stacked volume may take, counted as floats (frames may have to become
 * modality values): about 84 million voxels, a 512 × 512 × 300 CT.
 */
export const MAX_VOLUME_BYTES = 320 * 1024 * 1024;

/** Why a scan's frames cannot become an MPR volume, for the user; null when they can. */
export function volumeRefusal(first: FrameInfo, frameCount: number): string | null {
  if (first.samplesPerPixel !== 1) return 'MPR needs a greyscale volume; this scan is in colour.';
  if (frameCount < 2) return 'MPR needs a volume of several slices; this scan has one.';
  const bytes = first.rows * first.columns * frameCount * 4;
  if (bytes > MAX_VOLUME_BYTES)
    return `This volume (${first.columns} × ${first.rows} × ${frameCount}) is too large for MPR in the viewer (at most ${Math.round(MAX_VOLUME_BYTES / 4 / 1e6)} million voxels).`;
  return null;
}

/** Collects decoded frames (in any order) into an MprVolume. */
export interface VolumeAssembler {
  /** Adds frame `index`; throws with a message for the user when it does not fit the first. */
  add(info: FrameInfo, data: ArrayBuffer): void;
  readonly added: number;
  /** The volume once every frame was added. */
  finish(): MprVolume;
}

export function createVolumeAssembler(frameCount: number): VolumeAssembler {
  let first: FrameInfo | null = null;
  let data: FrameSamples | null = null;
  let modality: Float32Array | null = null;
  const seen = new Uint8Array(frameCount);
  let added = 0;
  let low = Infinity;
  let high = -Infinity;

  const toModality = (stored: FrameSamples, info: FrameInfo, out: Float32Array, at: number) => {
    for (let i = 0; i < stored.length; i++)
      out[at + i] = stored[i]! * info.rescaleSlope + info.rescaleIntercept;
  };

  return {
    add(info, bytes) {
      if (first === null) {
        const refusal = volumeRefusal(info, frameCount);
        if (refusal !== null) throw new Error(refusal);
        first = info;
        const size = info.columns * info.rows * frameCount;
        const Typed = frameSamples(info, new ArrayBuffer(0)).constructor as new (
          length: number,
        ) => FrameSamples;
        data = new Typed(size);
      }
      if (info.index >= frameCount || seen[info.index] === 1) return;
      if (info.rows !== first.rows || info.columns !== first.columns)
        throw new Error(
          `Slice ${info.index + 1} is ${info.columns} × ${info.rows}, the first ${first.columns} × ${first.rows}: MPR needs slices of one size.`,
        );
      if (info.samplesPerPixel !== 1) throw new Error('MPR needs a greyscale volume.');
      const stored = frameSamples(info, bytes);
      const frameSize = first.rows * first.columns;
      const at = info.index * frameSize;
      const sameRescale =
        info.dtype === first.dtype &&
        info.rescaleSlope === first.rescaleSlope &&
        info.rescaleIntercept === first.rescaleIntercept;
      if (modality === null && !sameRescale) {
        // From here on, modality values: convert what is there already, with the first's rescale.
        modality = new Float32Array(frameSize * frameCount);
        for (let i = 0; i < data!.length; i++)
          modality[i] = data![i]! * first.rescaleSlope + first.rescaleIntercept;
      }
      if (modality !== null) toModality(stored, info, modality, at);
      else data!.set(stored, at);
      const ends = [info.minValue, info.maxValue].map(
        (v) => v * info.rescaleSlope + info.rescaleIntercept,
      );
      low = Math.min(low, ...ends);
      high = Math.max(high, ...ends);
      seen[info.index] = 1;
      added++;
    },
    get added() {
      return added;
    },
    finish() {
      if (first === null || added < frameCount)
        throw new Error(`Only ${added} of ${frameCount} slices arrived.`);
      const isModality = modality !== null;
      return {
        dims: [first.columns, first.rows, frameCount],
        data: modality ?? data!,
        rescaleSlope: isModality ? 1 : first.rescaleSlope,
        rescaleIntercept: isModality ? 0 : first.rescaleIntercept,
        isInverted: first.photometric === 'MONOCHROME1',
        range: { low, high },
      };
    },
  };
}

/**
 * The window in stored units of a volume (what its voxels hold), from one in modality units,
 * and whether the grey scale turns round (a negative slope).
 */
export function storedWindow(
  volume: Pick<MprVolume, 'rescaleSlope' | 'rescaleIntercept'>,
  window: VoiWindow,
): { window: VoiWindow; flips: boolean } {
  const slope = volume.rescaleSlope === 0 ? 1 : volume.rescaleSlope;
  return {
    window: {
      center: (window.center - volume.rescaleIntercept) / slope,
      width: window.width / Math.abs(slope),
    },
    flips: slope < 0,
  };
}

/** What MPR needs of a scan: its grid in patient space. */
export interface MprScan {
  readonly id: string;
  readonly spacing: readonly [number, number, number | null] | null;
  readonly direction: MprGrid['direction'] | null;
}

/** Why MPR cannot be offered for a scan, or null when it can. */
export function mprUnavailableReason(
  scan: MprScan & { readonly kind: string },
  frameCount: number,
  first: Pick<FrameInfo, 'samplesPerPixel'> | null,
): string | null {
  if (scan.kind === 'image' || frameCount < 2)
    return 'MPR needs a volume: this scan is a single image.';
  if (first !== null && first.samplesPerPixel !== 1)
    return 'MPR needs a greyscale volume; this scan is in colour.';
  if (scan.direction === null || scan.spacing === null || scan.spacing[2] === null)
    return "MPR needs the scan's geometry (orientation and slice spacing), which its files do not give.";
  return null;
}
