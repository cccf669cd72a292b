import type { BrainTumourFindings, Detection } from '../../../../src-shared/contract/analysis.js';
import { lesionCentreSlice } from '../../../../src-shared/lesions.js';

/** One lesion as the analysis panel lists it. */
export interface LesionRow {
  readonly detectionId: string;
  /** "Lesion 1": the core lists lesions largest first. */
  readonly name: string;
  /** Approximate, from the lesion's centre, e.g. "Left frontal lobe (approximate)". */
  readonly location: string;
  /** "14.6 mL" for a volume; "320 mm²" or "412 px²" (area) for a single slice. */
  readonly extent: string;
  /** Whether `extent` is a volume or, for a single slice, an area. */
  readonly extentKind: 'volume' | 'area';
  /** Largest distance between two points of the lesion (3D for a volume), e.g. "34.1 mm". */
  readonly maxDiameter: string;
  /** The extent along the image axes, e.g. "32 × 28 × 25 mm"; null without a pixel size. */
  readonly dimensions: string | null;
  /** "87%", or null when the model gave no probabilities. */
  readonly confidence: string | null;
  /** The frame (0-based) "Go to" shows: the slice through the lesion's centre. */
  readonly frame: number;
}

/** Up to 3 significant digits, whole numbers from 100 on (as the CLI prints them). */
function amount(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

/** The frame "Go to" shows: the lesion's centre slice, inside the series. */
export function lesionFrame(detection: Detection, frameCount: number): number {
  return Math.min(Math.max(0, frameCount - 1), Math.max(0, lesionCentreSlice(detection)));
}

function extentOf(detection: Detection): Pick<LesionRow, 'extent' | 'extentKind' | 'maxDiameter'> {
  const { metrics, units } = detection;
  if (metrics.kind === 'volume') {
    return {
      extent: `${amount(metrics.volume_mm3 / 1000)} mL`,
      extentKind: 'volume',
      maxDiameter: `${amount(metrics.diameter_mm)} mm`,
    };
  }
  const unit = units === 'mm' ? 'mm' : 'px';
  return {
    extent: `${amount(metrics.area)} ${unit}²`,
    extentKind: 'area',
    maxDiameter: `${amount(metrics.diameter)} ${unit}`,
  };
}

/** The bounding box's size in mm ("32 × 28 × 25 mm", or two numbers on a single slice). */
function dimensionsOf(detection: Detection): string | null {
  const size = detection.boundingBox.mm?.size;
  if (size === undefined) return null;
  const axes = detection.metrics.kind === 'volume' ? size : size.slice(0, 2);
  return `${axes.map((v) => amount(v)).join(' × ')} mm`;
}

/** The lesions of brain findings as panel rows, in the core's order (largest first). */
export function lesionRows(findings: BrainTumourFindings, frameCount: number): LesionRow[] {
  return findings.detections.map((detection, index) => ({
    detectionId: detection.detectionId,
    name: `Lesion ${index + 1}`,
    location: detection.location.description,
    ...extentOf(detection),
    dimensions: dimensionsOf(detection),
    confidence: detection.confidence === null ? null : `${Math.round(detection.confidence * 100)}%`,
    frame: lesionFrame(detection, frameCount),
  }));
}
