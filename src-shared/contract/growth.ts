import { z } from 'zod';
import { uuid } from './entities.js';

/**
 * Growth over time (issue 12, item 3) for the scan page: each lesion of the patient's analysed
 * studies up to this scan's, followed by centroid, with its size at every time point and the
 * change in % and per month, plus a small SVG plot of the volumes. The same figures the report
 * prints (src-main/core/reports/figures).
 */
export const growthRowSchema = z.object({
  /** The study's date, YYYY-MM-DD. */
  date: z.string(),
  /** e.g. "L1 (det-1)", "L2 (new, det-3)", "L3 (not seen)". */
  lesion: z.string(),
  volumeMl: z.number(),
  maxDiameterMm: z.number().nullable(),
  /** Product of the two largest perpendicular axial diameters, mm² (RANO/WHO). */
  productMm2: z.number().nullable(),
  /** Volume change against the previous study; null at the first or from 0. */
  changePercent: z.number().nullable(),
  changePercentPerMonth: z.number().nullable(),
  changeFromFirstPercent: z.number().nullable(),
});
export type GrowthRow = z.infer<typeof growthRowSchema>;

export const scanGrowthSchema = z.object({
  /** The analysed studies used, in date order; growth needs at least two. */
  timepoints: z.array(
    z.object({ analysisId: uuid, scanId: uuid, date: z.string(), isCurrent: z.boolean() }),
  ),
  /** Empty with fewer than two time points. */
  rows: z.array(growthRowSchema),
  /** Plain SVG (no scripts, no CSS) of the volumes over time; null without growth. */
  plotSvg: z.string().nullable(),
  /** What a reader must know (same-day studies, lesions that could not be followed). */
  notes: z.array(z.string()),
  /** Analysed scans of the patient left out, and why. */
  skipped: z.array(z.object({ scanId: uuid, reason: z.string() })),
});
export type ScanGrowth = z.infer<typeof scanGrowthSchema>;
