import { z } from 'zod';
import { isoTimestamp } from './entities.js';

/**
 * Whose calendar "this month" is: an IANA time zone ("Europe/Berlin") or a UTC offset ("+01:00").
 * The renderer sends its own; without one the month is UTC's.
 */
export const dashboardStatsInputSchema = z
  .object({ timeZone: z.string().min(1).max(64).optional() })
  .strict();

/**
 * The dashboard's statistics. Patients and studies are what a reading room counts; series
 * ("scans") are kept for the API. Tumour counts use only applicable analyses: the latest
 * analysis of each series, when the series is what the model reads.
 */
export const dashboardStatsSchema = z.object({
  totalPatients: z.number().int(),
  /** DICOM studies, plus each picture or NIfTI volume imported without a study. */
  totalStudies: z.number().int(),
  /** Series (analysable scans). */
  totalScans: z.number().int(),
  /** Studies whose first series was imported in the current month of `month.timeZone`. */
  studiesThisMonth: z.number().int(),
  /** Series imported in the current month of `month.timeZone`. */
  scansThisMonth: z.number().int(),
  /** The month counted: its time zone and its bounds as UTC instants [start, end). */
  month: z.object({ timeZone: z.string(), start: isoTimestamp, end: isoTimestamp }),
  /** Studies with at least one series whose latest analysis is applicable. */
  studiesAnalysed: z.number().int(),
  /** Of those, studies where such an analysis found a tumour. */
  studiesWithTumour: z.number().int(),
  patientsAnalysed: z.number().int(),
  patientsWithTumour: z.number().int(),
  /** The seed API's name for studiesWithTumour. */
  tumorsDetected: z.number().int(),
  /** studiesWithTumour as a whole percentage of studiesAnalysed (0 when none is analysed). */
  tumorPercentage: z.number().int(),
  /** Series whose latest analysis is applicable. */
  analysedScans: z.number().int(),
  /** The latest import as an ISO timestamp; null without scans. */
  lastScanDate: isoTimestamp.nullable(),
  /** Whole days between lastScanDate and now; null without scans. */
  lastScanDaysAgo: z.number().int().nullable(),
});
export type DashboardStats = z.infer<typeof dashboardStatsSchema>;
