import { z } from 'zod';
import { isoTimestamp } from './entities.js';

/**
 * The dashboard's statistics (the seed API's `GET /api/users/stats`), plus the number of analysed
 * scans so a client can tell "no tumour found" from "nothing analysed yet".
 */
export const dashboardStatsSchema = z.object({
  totalScans: z.number().int(),
  /** Scans whose scan date (acquisition date, else import date) falls in the current month (UTC). */
  scansThisMonth: z.number().int(),
  /** Scans with at least one analysis that found a tumour. */
  tumorsDetected: z.number().int(),
  /** tumorsDetected as a whole percentage of totalScans (0 when there are no scans). */
  tumorPercentage: z.number().int(),
  /** Scans with at least one finished analysis; 0 until analysis models run. */
  analysedScans: z.number().int(),
  /** The latest scan date (acquisition, else import) as an ISO timestamp; null without scans. */
  lastScanDate: isoTimestamp.nullable(),
  /** Whole days between lastScanDate and now; null without scans. */
  lastScanDaysAgo: z.number().int().nullable(),
});
export type DashboardStats = z.infer<typeof dashboardStatsSchema>;
