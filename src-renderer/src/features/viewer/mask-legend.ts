import { labelColour, type PaintedLabels, type LabelVolume } from './label-overlay.js';

type Rgb = readonly [number, number, number];

/** The AI mask's one colour: cyan, apart from every expert label colour. */
export const AI_MASK_COLOUR: Rgb = [0, 200, 255];
export const DEFAULT_MASK_OPACITY = 0.4;

/** BraTS enhancing tumour: yellow whether it is numbered 4 (BraTS 2012–2021) or 3 (2023). */
const ENHANCING_COLOUR: Rgb = [255, 204, 0];

/** One line of the legend: a label of a source, its name and colour. */
export interface LegendEntry {
  /** 'analysis' or a segmentation id. */
  readonly source: string;
  readonly label: number;
  readonly name: string;
  readonly colour: Rgb;
}

/** How one label is shown. */
export interface LabelStyle {
  readonly visible: boolean;
  readonly opacity: number;
}
export type LabelStyles = Readonly<Record<string, LabelStyle>>;

export const styleKey = (source: string, label: number): string => `${source}:${label}`;

export function styleOf(styles: LabelStyles, source: string, label: number): LabelStyle {
  return styles[styleKey(source, label)] ?? { visible: true, opacity: DEFAULT_MASK_OPACITY };
}

/** Whether the labels follow the BraTS convention: only 1, 2 and 4, or 1, 2 and 3. */
export function isBratsLabelling(labels: readonly number[]): boolean {
  return labels.length > 0 && labels.every((l) => l >= 1 && l <= 4);
}

/**
 * Names of an expert segmentation's labels. BraTS (2012–2021): 1 necrotic / non-enhancing
 * tumour core, 2 peritumoural oedema, 4 enhancing tumour; BraTS 2023 numbers enhancing tumour 3.
 * A map holding both 3 and 4 is of the oldest BraTS, where 3 was non-enhancing tumour. Other
 * label maps have no known convention: "Label n".
 */
export function expertLabelName(label: number, labels: readonly number[]): string {
  if (!isBratsLabelling(labels)) return `Label ${label}`;
  const enhancing = labels.includes(4) ? 4 : 3;
  if (label === 1) return 'Necrotic / non-enhancing tumour core (1)';
  if (label === 2) return 'Peritumoural oedema (2)';
  if (label === enhancing) return `Enhancing tumour (${label})`;
  return 'Non-enhancing tumour (3, older BraTS)';
}

function expertColour(label: number, labels: readonly number[]): Rgb {
  if (isBratsLabelling(labels) && label === (labels.includes(4) ? 4 : 3)) return ENHANCING_COLOUR;
  return labelColour(label);
}

/** The AI mask's legend line: it has one label, the whole segmented tumour. */
export function aiLegend(): LegendEntry[] {
  return [{ source: 'analysis', label: 1, name: 'Tumour (AI mask)', colour: AI_MASK_COLOUR }];
}

export function expertLegend(segmentationId: string, labels: readonly number[]): LegendEntry[] {
  return labels.map((label) => ({
    source: segmentationId,
    label,
    name: expertLabelName(label, labels),
    colour: expertColour(label, labels),
  }));
}

/** RGBA by label value for one source's entries, hidden labels transparent. */
export function paletteFor(
  entries: readonly LegendEntry[],
  styles: LabelStyles,
): Uint8ClampedArray {
  const palette = new Uint8ClampedArray(256 * 4);
  for (const entry of entries) {
    const style = styleOf(styles, entry.source, entry.label);
    if (!style.visible) continue;
    const alpha = Math.round(Math.min(1, Math.max(0, style.opacity)) * 255);
    palette.set([...entry.colour, alpha], entry.label * 4);
  }
  return palette;
}

/** A loaded volume with its legend, painted as the legend says. */
export function paintLayer(
  source: string,
  volume: LabelVolume,
  entries: readonly LegendEntry[],
  styles: LabelStyles,
): PaintedLabels {
  const own = entries.filter((entry) => entry.source === source);
  return { key: source, volume, palette: paletteFor(own, styles) };
}
