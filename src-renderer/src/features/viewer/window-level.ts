import type { FrameInfo } from '../../../../src-shared/contract/frames.js';

/** A display window in modality units (e.g. Hounsfield units for CT). */
export interface VoiWindow {
  readonly center: number;
  readonly width: number;
}

export interface WindowPreset extends VoiWindow {
  readonly id: string;
  readonly label: string;
}

/** Standard CT head windows (centre/width in HU). */
export const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'brain', label: 'Brain', center: 40, width: 80 },
  { id: 'subdural', label: 'Subdural', center: 75, width: 215 },
  { id: 'stroke', label: 'Stroke', center: 40, width: 40 },
  { id: 'bone', label: 'Bone', center: 600, width: 2800 },
];

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

/** The presets offered for a scan: the CT head windows for CT, windows from the data otherwise. */
export function presetsFor(
  modality: string | null,
  info: FrameInfo,
  stored: ArrayLike<number> | null,
): WindowPreset[] {
  const fromData: WindowPreset[] = [
    {
      id: 'default',
      label: info.windowWidth !== null ? 'From file' : 'Full range',
      ...defaultWindow(info),
    },
    { id: 'full', label: 'Full range', ...fullRangeWindow(info) },
    ...(stored === null
      ? []
      : [{ id: 'auto', label: 'Auto contrast', ...percentileWindow(info, stored) }]),
  ];
  const unique = fromData.filter(
    (preset, i) => fromData.findIndex((other) => other.label === preset.label) === i,
  );
  return modality === 'CT' ? [...CT_PRESETS, ...unique] : unique;
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
