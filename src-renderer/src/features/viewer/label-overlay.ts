/** A label volume on a scan's frame grid: uint8, x fastest, then rows, then frames. */
export interface LabelVolume {
  readonly columns: number;
  readonly rows: number;
  readonly frames: number;
  readonly data: Uint8Array;
}

type Rgb = readonly [number, number, number];

/**
 * Colours by label value. 1 is the tumour of an analysis (and BraTS necrotic core), 2 oedema,
 * 4 enhancing tumour (BraTS); others cycle, so neighbouring labels stay distinguishable.
 */
const LABEL_COLOURS: Readonly<Record<number, Rgb>> = {
  1: [255, 59, 48],
  2: [52, 199, 89],
  3: [0, 122, 255],
  4: [255, 204, 0],
};
const CYCLE: readonly Rgb[] = [
  [175, 82, 222],
  [90, 200, 250],
  [255, 149, 0],
  [255, 45, 85],
];

export function labelColour(label: number): Rgb {
  return LABEL_COLOURS[label] ?? CYCLE[label % CYCLE.length]!;
}

/**
 * A label volume with the colour of each label: `palette` holds RGBA (alpha 0..255) for label
 * values 0..255, 4 bytes each; a label with alpha 0 is not drawn.
 */
export interface PaintedLabels {
  /** Tells layers apart (the source: 'analysis' or a segmentation id). */
  readonly key: string;
  readonly volume: LabelVolume;
  readonly palette: Uint8ClampedArray;
}

/** Several label volumes drawn over the slices, in order (the last on top). */
export interface LabelOverlay {
  readonly layers: readonly PaintedLabels[];
}

/** The RGBA picture of one frame's labels in their palette colours. Null outside the volume. */
export function paintedSliceRgba(
  volume: LabelVolume,
  frame: number,
  palette: Uint8ClampedArray,
): Uint8ClampedArray<ArrayBuffer> | null {
  if (frame < 0 || frame >= volume.frames) return null;
  const size = volume.columns * volume.rows;
  const rgba = new Uint8ClampedArray(size * 4);
  const offset = frame * size;
  for (let i = 0; i < size; i++) {
    const label = volume.data[offset + i]!;
    if (label === 0 || palette[label * 4 + 3] === 0) continue;
    rgba[i * 4] = palette[label * 4]!;
    rgba[i * 4 + 1] = palette[label * 4 + 1]!;
    rgba[i * 4 + 2] = palette[label * 4 + 2]!;
    rgba[i * 4 + 3] = palette[label * 4 + 3]!;
  }
  return rgba;
}

/** Every label in its default colour (labelColour) at one opacity (0..1). */
export function uniformPalette(opacity: number): Uint8ClampedArray {
  const alpha = Math.round(Math.min(1, Math.max(0, opacity)) * 255);
  const palette = new Uint8ClampedArray(256 * 4);
  for (let label = 1; label < 256; label++) {
    const [r, g, b] = labelColour(label);
    palette.set([r, g, b, alpha], label * 4);
  }
  return palette;
}

/**
 * The RGBA picture of one frame's labels: each labelled pixel in its colour at `opacity` (0..1),
 * unlabelled pixels transparent. Null for a frame outside the volume.
 */
export function labelSliceRgba(
  volume: LabelVolume,
  frame: number,
  opacity: number,
): Uint8ClampedArray<ArrayBuffer> | null {
  return paintedSliceRgba(volume, frame, uniformPalette(opacity));
}

/** How many labelled pixels a frame has: the viewer says when the mask is elsewhere. */
export function labelledPixelCount(volume: LabelVolume, frame: number): number {
  if (frame < 0 || frame >= volume.frames) return 0;
  const size = volume.columns * volume.rows;
  let count = 0;
  for (let i = frame * size; i < (frame + 1) * size; i++) if (volume.data[i] !== 0) count++;
  return count;
}

/** The frames that hold any label, for "jump to the lesion". */
export function labelledFrames(volume: LabelVolume): number[] {
  const frames: number[] = [];
  for (let k = 0; k < volume.frames; k++) if (labelledPixelCount(volume, k) > 0) frames.push(k);
  return frames;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The canvas transform [a, b, c, d, e, f] (as `setTransform` takes it) that maps image pixel
 * coordinates to canvas coordinates, from where three image points land on the canvas. Built from
 * cornerstone's public pixelToCanvas, so zoom, pan, rotation and flips all carry over.
 */
export function affineFromPoints(
  origin: Point,
  unitX: Point,
  unitY: Point,
): [number, number, number, number, number, number] {
  return [
    unitX.x - origin.x,
    unitX.y - origin.y,
    unitY.x - origin.x,
    unitY.y - origin.y,
    origin.x,
    origin.y,
  ];
}
