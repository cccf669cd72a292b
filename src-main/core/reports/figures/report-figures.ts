import { growthPlotSvg } from './growth-plot-svg.js';
import { renderKeyImages, type KeyImages, type KeyImagesInput } from './key-images.js';
import { lesionDiameters, type LesionDiameters } from './lesion-diameters.js';
import { lesionGrowth, type GrowthTimepoint, type LesionGrowth } from './lesion-growth.js';

export interface ReportFiguresInput {
  /** The scan's volume as the analysis read it, and its stored mask and heatmap. */
  volume: KeyImagesInput['volume'];
  mask: Uint8Array | null;
  heatmap?: KeyImagesInput['heatmap'];
  /** As the analysis filtered its components (default 1: every component). */
  minComponentVoxels?: number;
  /** The patient's time points (`patientTimepoints`), this study's among them; none: no growth. */
  timepoints?: readonly GrowthTimepoint[];
  /** Longer side of the key images, pixels (default 512). */
  imageSize?: number;
}

export interface ReportFigures {
  diameters: LesionDiameters[];
  keyImages: KeyImages;
  /** null with fewer than two time points (nothing to compare). */
  growth: LesionGrowth | null;
  growthPlotSvg: string | null;
  /** What each part took, for the benchmark. */
  timingsMs: { diameters: number; keyImages: number; growth: number };
}

/**
 * Every figure of a report in one call, each lesion labelled once: the diameters' largest lesion
 * centres the key images.
 */
export function computeReportFigures(input: ReportFiguresInput): ReportFigures {
  const { volume, mask } = input;
  let started = performance.now();
  const diameters =
    mask === null
      ? []
      : lesionDiameters({
          mask,
          dims: volume.dims,
          spacing: volume.spacing,
          ...(volume.direction === undefined ? {} : { direction: volume.direction }),
          ...(input.minComponentVoxels === undefined
            ? {}
            : { minComponentVoxels: input.minComponentVoxels }),
        });
  const diametersMs = performance.now() - started;
  started = performance.now();
  const centre = diameters[0]?.centroidVoxel;
  const keyImages = renderKeyImages({
    volume,
    mask,
    ...(centre === undefined ? {} : { centreVoxel: centre }),
    ...(input.heatmap === undefined ? {} : { heatmap: input.heatmap }),
    ...(input.imageSize === undefined ? {} : { size: input.imageSize }),
  });
  const keyImagesMs = performance.now() - started;
  started = performance.now();
  const timepoints = input.timepoints ?? [];
  const growth = timepoints.length >= 2 ? lesionGrowth(timepoints) : null;
  const plot = growth === null ? null : growthPlotSvg(growth);
  return {
    diameters,
    keyImages,
    growth,
    growthPlotSvg: plot,
    timingsMs: {
      diameters: diametersMs,
      keyImages: keyImagesMs,
      growth: performance.now() - started,
    },
  };
}

/** One line of a growth table: a lesion at one study. */
export interface GrowthTableRow {
  date: string;
  /** e.g. "L1 (det-1)", "L2 (new, det-3)", "L3 (not seen)". */
  lesion: string;
  volumeMl: number;
  maxDiameterMm: number | null;
  /** Product of the two axial diameters, mm² (RANO/WHO). */
  productMm2: number | null;
  /** Volume change against the previous study, %; null at the first or when it was 0 before. */
  changePercent: number | null;
  changePercentPerMonth: number | null;
  /** Volume change against the first study, %. */
  changeFromFirstPercent: number | null;
}

/**
 * The growth as table rows, lesion by lesion in date order, from the study where each lesion
 * first appears (a lesion not seen later stays in the table at 0 mL).
 */
export function growthTableRows(growth: LesionGrowth): GrowthTableRow[] {
  return growth.tracks.flatMap((track) => {
    const from = track.points.findIndex((point) => point.seen);
    return track.points.slice(from).map((point, k) => {
      const isFirstSeen = k === 0 && track.isNew;
      const what = !point.seen
        ? 'not seen'
        : isFirstSeen
          ? `new, ${point.detectionId!}`
          : point.detectionId!;
      return {
        date: point.date.slice(0, 10),
        lesion: `${track.trackId} (${what})`,
        volumeMl: point.volume_mm3 / 1000,
        maxDiameterMm: point.maxDiameter_mm,
        productMm2: point.product_mm2,
        changePercent: point.vsPrevious?.volumePercent ?? null,
        changePercentPerMonth: point.vsPrevious?.volumePercentPerMonth ?? null,
        changeFromFirstPercent: point.vsFirst?.volumePercent ?? null,
      };
    });
  });
}
