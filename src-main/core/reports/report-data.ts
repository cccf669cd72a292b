import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { Report } from '../../../src-shared/contract/reports.js';

/**
 * Everything a report PDF shows, as plain data: collected from the store by report-content.ts,
 * rendered by pdf-document.ts without touching the store, the disk or the network. Tests and the
 * benchmark build it directly.
 */
export interface ReportDocumentData {
  readonly report: Report;
  readonly clinic: {
    readonly name: string;
    readonly address: string;
    /** PNG or JPEG bytes. */
    readonly logo: Uint8Array | null;
  };
  readonly patient: {
    readonly name: string;
    readonly mrn: string | null;
    readonly birthDate: string | null;
    readonly sex: string | null;
  } | null;
  readonly study: {
    readonly date: string | null;
    readonly description: string | null;
    readonly accessionNumber: string | null;
    readonly studyInstanceUid: string | null;
  } | null;
  readonly series: {
    readonly modality: string | null;
    readonly description: string | null;
    readonly seriesNumber: number | null;
    readonly seriesInstanceUid: string | null;
  } | null;
  readonly scan: {
    readonly id: string;
    readonly kind: string;
    readonly format: string;
    readonly acquiredAt: string | null;
    readonly slices: number;
  };
  /** The analysis the report version was made from. */
  readonly analysis: Analysis;
  /** Model provenance: what the analysis records, with the sha256 of that model version. */
  readonly models: readonly ModelProvenance[];
  /** Figures computed by other modules; absent sections are left out, never faked. */
  readonly figures: ReportFigures;
  readonly generatedAt: string;
  readonly appVersion: string;
}

export interface ModelProvenance {
  /** The part the model played: "segmentation" or "classification". */
  readonly role: string;
  readonly id: string;
  readonly version: string;
  /** The model file's sha256 (from the manifest of that id and version); null where unknown. */
  readonly sha256: string | null;
  /** Why sha256 is null, e.g. "version 1.1.0 is installed now". */
  readonly note: string | null;
}

/**
 * FIGURES: the marked place where the figure modules plug in (issue 12: key images, lesion
 * diameters, growth over time, saved viewer measurements). Each is optional; the renderer shows
 * a section only for figures that are present.
 */
export interface ReportFigures {
  /** Key images through the largest lesion (axial, coronal, sagittal), mask outlined, heatmap. */
  readonly keyImages?: readonly ReportKeyImage[];
  /** Per lesion, by detectionId: the two largest perpendicular in-plane diameters. */
  readonly diameters?: readonly LesionDiameters[];
  /** Each lesion's size at every time point of the patient, and a plot. */
  readonly growth?: ReportGrowth;
  /** Measurements the radiologist saved in the viewer. */
  readonly measurements?: readonly SavedMeasurement[];
}

export interface ReportKeyImage {
  /** E.g. "Axial, slice 42 of 170: lesion 1 outlined" or "Class activation heatmap". */
  readonly caption: string;
  readonly png: Uint8Array;
}

export interface LesionDiameters {
  readonly detectionId: string;
  /** The longest in-plane diameter and the longest one perpendicular to it, mm. */
  readonly longestInPlaneMm: number;
  readonly perpendicularInPlaneMm: number;
  /** The plane they were measured in, e.g. "axial slice 42". */
  readonly plane: string;
}

export interface ReportGrowth {
  readonly rows: readonly ReportGrowthRow[];
  /** A small SVG plot of volume over time; null when there is only one time point. */
  readonly plotSvg: string | null;
}

export interface ReportGrowthRow {
  readonly date: string;
  readonly lesion: string;
  readonly volumeMl: number;
  readonly maxDiameterMm: number | null;
  /** Change in volume against the previous time point, %; null at the first. */
  readonly changePercent: number | null;
  readonly changePercentPerMonth: number | null;
}

export interface SavedMeasurement {
  readonly label: string;
  /** As shown in the viewer, e.g. "23.4 mm" or "mean 412 ± 38 (area 120 mm²)". */
  readonly value: string;
  readonly slice: number | null;
}
