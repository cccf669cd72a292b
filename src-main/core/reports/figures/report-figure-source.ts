import { gunzipSync } from 'node:zlib';
import { brainTumourFindings, type Analysis } from '../../../../src-shared/contract/analysis.js';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { AppError } from '../../../../src-shared/errors.js';
import type { AnalysisBlobs } from '../../analysis/analyses-repo.js';
import { loadScanVolume } from '../../analysis/pipeline/scan-volume.js';
import type { Db } from '../../db/connection.js';
import type { FrameService } from '../../imaging/frame-service.js';
import type { BlobStore } from '../../store/blob-store.js';
import { growthPlotSvg } from './growth-plot-svg.js';
import { lesionGrowth, type GrowthTimepoint } from './lesion-growth.js';
import { patientTimepoints } from './prior-analyses.js';
import { computeReportFigures, growthTableRows, type GrowthTableRow } from './report-figures.js';

/** What the report workflow hands a figure source: the report's scan, its analysis and blobs. */
export interface FigureContext {
  report: { scanId: string };
  analysis: Analysis;
  blobs: AnalysisBlobs;
}

/** The figures in the report document's terms (plain data the PDF builder places). */
export interface ReportFigureSet {
  keyImages?: Array<{ caption: string; png: Uint8Array }>;
  diameters?: Array<{
    detectionId: string;
    max3dMm: number;
    longestInPlaneMm: number;
    perpendicularInPlaneMm: number;
    /** Product of the two in-plane diameters, mm². */
    productMm2: number;
    /** Where they were measured, e.g. "axial slice 42". */
    plane: string;
  }>;
  growth?: { rows: GrowthTableRow[]; plotSvg: string | null };
  /** Figures that could not be drawn, and why. */
  warnings?: string[];
}

/**
 * The figure source for reports: loads the scan's volume, the analysis's stored mask and
 * heatmap, and the patient's earlier analysed studies (read only), and computes the key images,
 * the diameters of the analysis's lesions and their growth. A figure that cannot be made is left
 * out (the report says what the analysis says); nothing is written.
 */
export function reportFigureSource(deps: {
  db: Db;
  blobs: BlobStore;
  frames: FrameService;
  scans: { get(id: string): Scan | undefined };
}) {
  const read = async (sha256: string | null): Promise<Buffer | null> =>
    sha256 === null || !deps.blobs.has(sha256) ? null : deps.blobs.read(sha256);

  return async ({ report, analysis, blobs }: FigureContext): Promise<ReportFigureSet> => {
    const findings = brainTumourFindings(analysis);
    if (findings === null || !analysis.outputs.hasMask) return {};
    const scan = deps.scans.get(report.scanId);
    if (scan === undefined) throw new AppError('NOT_FOUND', 'The report’s scan no longer exists.');
    const maskBytes = await read(blobs.maskSha256);
    if (maskBytes === null)
      return { warnings: ['The stored mask is missing from the data folder: no key images.'] };
    const { volume } = await loadScanVolume(deps.frames, scan);
    const mask = new Uint8Array(gunzipSync(maskBytes));
    const expected = volume.dims[0] * volume.dims[1] * volume.dims[2];
    if (mask.length !== expected)
      return {
        warnings: [
          'The stored mask does not fit the scan’s grid (the scan changed since its analysis): analyse it again for key images.',
        ],
      };
    const heatmapPng = await read(blobs.heatmapSha256);
    const classified = findings.classification?.slice;
    const figures = computeReportFigures({
      volume,
      mask,
      heatmap:
        heatmapPng === null || classified === undefined
          ? null
          : { png: heatmapPng, slice: classified },
    });
    const { timepoints } = await patientTimepoints({ db: deps.db, blobs: deps.blobs }, scan.id, {
      analysisId: analysis.id,
      currentDiameters: figures.diameters,
    });
    const growth = timepoints.length >= 2 ? computeGrowth(timepoints) : null;
    const reported = new Set(findings.detections.map((d) => d.detectionId));
    return {
      keyImages: figures.keyImages.images.map(({ caption, png }) => ({ caption, png })),
      // A picture without a pixel size measures in pixels: the table keeps the analysis's own.
      diameters: figures.diameters
        .filter((d) => d.units === 'mm' && reported.has(d.detectionId))
        .map((d) => ({
          detectionId: d.detectionId,
          max3dMm: d.maxDiameter.length,
          longestInPlaneMm: d.axial.longest.length,
          perpendicularInPlaneMm: d.axial.perpendicular.length,
          productMm2: d.axial.product,
          plane: `axial slice ${d.axial.slice + 1}`,
        })),
      ...(growth === null ? {} : { growth }),
      warnings: figures.keyImages.warnings,
    };
  };
}

function computeGrowth(timepoints: readonly GrowthTimepoint[]): {
  rows: GrowthTableRow[];
  plotSvg: string | null;
} {
  const growth = lesionGrowth(timepoints);
  return { rows: growthTableRows(growth), plotSvg: growthPlotSvg(growth) };
}
