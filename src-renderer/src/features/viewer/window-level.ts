import type { FrameInfo } from '../../../../src-shared/contract/frames.js';

/** A display window in modality units (e.g. Hounsfield units for CT). */
export interface VoiWindow {
  readonly center: number;
  readonly width: number;
}

export interface WindowPreset extends VoiWindow {
  readonly id: string;
  readonly label: string;
  /** The number key that applies it ('0'–'9'), if any. */
  readonly key: string | null;
  /** How it was chosen, when that is not a fixed window (e.g. percentiles of the volume). */
  readonly note?: string;
}

/** Standard CT head windows (centre/width in HU), on the number keys as in most PACS. */
export const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'brain', label: 'Brain', center: 40, width: 80, key: '1' },
  { id: 'subdural', label: 'Subdural', center: 75, width: 200, key: '2' },
  { id: 'stroke', label: 'Stroke', center: 40, width: 40, key: '3' },
  { id: 'bone', label: 'Bone', center: 600, width: 2800, key: '4' },
  { id: 'soft-tissue', label: 'Soft tissue', center: 40, width: 400, key: '5' },
];

/**
 * Dental CBCT windows (HU; a CBCT's grey values approximate HU only roughly, so these are
 * starting points): bone and teeth −700…2,300 HU keeps enamel (~2,000+) below white and the
 * jaw's trabecular bone visible; soft tissue −200…300 HU; implant −1,000…5,000 HU so titanium
 * (~3,000 HU and more) is not one white blob and the bone around it stays grey (docs/dental.md).
 */
export const DENTAL_CBCT_PRESETS: readonly WindowPreset[] = [
  { id: 'dental-bone-teeth', label: 'Dental: bone/teeth', center: 800, width: 3000, key: '6' },
  { id: 'dental-soft-tissue', label: 'Dental: soft tissue', center: 50, width: 500, key: '7' },
  { id: 'dental-implant', label: 'Dental: implant', center: 2000, width: 6000, key: '8' },
];

/**
 * MR windows by sequence. MR intensities have no fixed scale, so each is a pair of percentiles
 * of the head's voxels (background left out) sampled across the volume, not fixed numbers:
 * FLAIR clips the brightest 0.5 % so oedema and lesions stand out from grey matter, T1 spans the
 * middle 98 % (white/grey matter contrast), T2 keeps nearly all the top end (bright CSF).
 */
export const MR_PERCENTILE_PRESETS = [
  { id: 'flair', label: 'FLAIR', low: 0.02, high: 0.995, key: '1' },
  { id: 't1', label: 'T1', low: 0.01, high: 0.99, key: '2' },
  { id: 't2', label: 'T2', low: 0.01, high: 0.999, key: '3' },
] as const;

const MIN_WIDTH = 1;

/** Modality value of a stored value. */
export function modalityValue(
  info: Pick<FrameInfo, 'rescaleSlope' | 'rescaleIntercept'>,
  stored: number,
): number {
  return stored * info.rescaleSlope + info.rescaleIntercept;
}

/** The frame's value range in modality units (a negative slope swaps the ends). */
export function modalityRange(info: FrameInfo): { low: number; high: number } {
  const a = modalityValue(info, info.minValue);
  const b = modalityValue(info, info.maxValue);
  return { low: Math.min(a, b), high: Math.max(a, b) };
}

/** The window the source suggests, else one spanning all values. */
export function defaultWindow(info: FrameInfo): VoiWindow {
  if (info.windowCenter !== null && info.windowWidth !== null && info.windowWidth > 0)
    return { center: info.windowCenter, width: info.windowWidth };
  return fullRangeWindow(info);
}

export function fullRangeWindow(info: FrameInfo): VoiWindow {
  const { low, high } = modalityRange(info);
  return { center: (low + high) / 2, width: Math.max(MIN_WIDTH, high - low) };
}

/**
 * A window from the data between two percentiles (1 % and 99 % by default) of the stored
 * values: a robust contrast for MR, whose intensities have no fixed scale.
 */
export function percentileWindow(
  info: FrameInfo,
  stored: ArrayLike<number>,
  lowFraction = 0.01,
  highFraction = 0.99,
): VoiWindow {
  const step = Math.max(1, Math.floor(stored.length / 65_536));
  const sample: number[] = [];
  for (let i = 0; i < stored.length; i += step) sample.push(stored[i] as number);
  if (sample.length === 0) return fullRangeWindow(info);
  sample.sort((a, b) => a - b);
  const at = (fraction: number): number =>
    modalityValue(
      info,
      sample[Math.min(sample.length - 1, Math.floor(fraction * (sample.length - 1)))] as number,
    );
  const low = Math.min(at(lowFraction), at(highFraction));
  const high = Math.max(at(lowFraction), at(highFraction));
  return { center: (low + high) / 2, width: Math.max(MIN_WIDTH, high - low) };
}

/**
 * Like `percentileWindow`, over the foreground only: values above a tenth of the 99th
 * percentile, so the air around a head (half of an MR slice) does not pull the window down.
 */
export function foregroundPercentileWindow(
  info: FrameInfo,
  stored: ArrayLike<number>,
  lowFraction: number,
  highFraction: number,
): VoiWindow {
  const step = Math.max(1, Math.floor(stored.length / 65_536));
  const sample: number[] = [];
  for (let i = 0; i < stored.length; i += step) sample.push(stored[i] as number);
  if (sample.length === 0) return fullRangeWindow(info);
  sample.sort((a, b) => a - b);
  const top = sample[Math.floor(0.99 * (sample.length - 1))] as number;
  const floor = sample[0] as number;
  const threshold = floor + (top - floor) * 0.1;
  const foreground = sample.filter((value) => value > threshold);
  return percentileWindow(
    info,
    foreground.length > 16 ? foreground : sample,
    lowFraction,
    highFraction,
  );
}

/**
 * The presets offered for a scan, each on its number key where it has one: the CT head windows
 * for CT (1–5), the percentile windows of the MR sequences for MR (1–3); 0 goes back to the
 * window the image opened with (the file's, else the full range). `stored` is a sample of the
 * stored values: for MR, several slices across the volume.
 */
export function presetsFor(
  modality: string | null,
  info: FrameInfo,
  stored: ArrayLike<number> | null,
  sampledSlices = 1,
): WindowPreset[] {
  const fromData: WindowPreset[] = [
    {
      id: 'default',
      label: info.windowWidth !== null ? 'From file' : 'Full range',
      key: '0',
      ...defaultWindow(info),
    },
    { id: 'full', label: 'Full range', key: null, ...fullRangeWindow(info) },
    ...(stored === null
      ? []
      : [
          {
            id: 'auto',
            label: 'Auto contrast',
            key: null,
            note: 'values between the 1st and 99th percentile',
            ...percentileWindow(info, stored),
          },
        ]),
  ];
  const unique = fromData.filter(
    (preset, i) => fromData.findIndex((other) => other.label === preset.label) === i,
  );
  if (modality === 'CT') return [...CT_PRESETS, ...DENTAL_CBCT_PRESETS, ...unique];
  if (modality === 'MR' && stored !== null) {
    const where = sampledSlices > 1 ? `${sampledSlices} slices across the volume` : 'this slice';
    const mr = MR_PERCENTILE_PRESETS.map(({ id, label, low, high, key }) => ({
      id,
      label,
      key,
      note: `percentiles ${low * 100}–${high * 100} % of the head's values in ${where}`,
      ...foregroundPercentileWindow(info, stored, low, high),
    }));
    return [...mr, ...unique];
  }
  return unique;
}

/**
 * Window/level by dragging: right widens the window, down raises the level (brighter), as in
 * most PACS viewers. The sensitivity follows the value range, so a drag across the viewport
 * covers the whole range whatever the modality.
 */
export function dragWindow(
  start: VoiWindow,
  dx: number,
  dy: number,
  range: { low: number; high: number },
  viewportSize = 512,
): VoiWindow {
  const perPixel = Math.max(range.high - range.low, 1) / Math.max(viewportSize, 1);
  return {
    center: start.center - dy * perPixel,
    width: Math.max(MIN_WIDTH, start.width + dx * perPixel),
  };
}

/** "C 40 / W 80", rounded for display. */
export function formatWindow(window: VoiWindow): string {
  const round = (value: number): string =>
    Math.abs(value) >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return `C ${round(window.center)} / W ${round(window.width)}`;
}
