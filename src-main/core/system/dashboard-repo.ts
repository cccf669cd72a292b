import type { DashboardStats } from '../../../src-shared/contract/dashboard.js';
import type { Db } from '../db/connection.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A scan's date for statistics: the acquisition date where the source has one, else the import
 * timestamp. The same rule as the worklist's date range, so "this month" on the dashboard and a
 * worklist filtered to this month count the same scans.
 */
const SCAN_DATE = `COALESCE(acquired_at || 'T00:00:00.000Z', created_at)`;

function monthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

/** The dashboard's statistics in one read transaction, so the numbers agree with each other. */
export function createDashboardRepo(db: Db) {
  const totals = db.prepare<[string], { total: number; this_month: number; last: string | null }>(
    `SELECT COUNT(*) AS total,
            COALESCE(SUM(CASE WHEN ${SCAN_DATE} >= ? THEN 1 ELSE 0 END), 0) AS this_month,
            MAX(${SCAN_DATE}) AS last
       FROM scans`,
  );
  // A scan counts by its latest analysis: a re-analysis with a better model replaces the verdict.
  // Only results that say something about the patient count: not an input the model refused,
  // nor one it was forced to read.
  const analysed = db.prepare<[], { analysed: number; positive: number }>(
    `SELECT COUNT(*) AS analysed, COALESCE(SUM(tumor_detected), 0) AS positive
       FROM analyses a
      WHERE a.id = (SELECT c.id FROM analyses c WHERE c.scan_id = a.scan_id
                     ORDER BY c.created_at DESC, c.id DESC LIMIT 1)
        AND a.applicability IN ('applicable', 'unchecked')`,
  );
  const read = db.transaction((now: Date): DashboardStats => {
    const row = totals.get(monthStart(now)) ?? { total: 0, this_month: 0, last: null };
    const verdicts = analysed.get() ?? { analysed: 0, positive: 0 };
    const analysedScans = verdicts.analysed;
    const tumorsDetected = verdicts.positive;
    const lastMs = row.last === null ? Number.NaN : Date.parse(row.last);
    return {
      totalScans: row.total,
      scansThisMonth: row.this_month,
      tumorsDetected,
      tumorPercentage: row.total === 0 ? 0 : Math.round((tumorsDetected / row.total) * 100),
      analysedScans,
      lastScanDate: Number.isNaN(lastMs) ? null : new Date(lastMs).toISOString(),
      lastScanDaysAgo: Number.isNaN(lastMs)
        ? null
        : Math.max(0, Math.floor((now.getTime() - lastMs) / DAY_MS)),
    };
  });
  return {
    stats(now: Date): DashboardStats {
      return read(now);
    },
  };
}
export type DashboardRepo = ReturnType<typeof createDashboardRepo>;
