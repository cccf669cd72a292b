import type { ScanGrowth } from '../../../src-shared/contract/growth.js';
import type { Db } from '../db/connection.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { BlobStore } from '../store/blob-store.js';
import {
  growthPlotSvg,
  growthTableRows,
  lesionGrowth,
  patientTimepoints,
} from './figures/index.js';

/**
 * Growth over time of a scan's patient, as the report prints it: the analysed studies up to
 * this scan's (one series each), lesions followed by centroid, sizes measured on each stored
 * mask the same way. Read only.
 */
export async function growthOfScan(
  deps: { db: Db; blobs: BlobStore },
  scanId: string,
): Promise<ScanGrowth> {
  const { timepoints, skipped } = await patientTimepoints(deps, scanId);
  const used = timepoints.map((p) => ({
    analysisId: p.id,
    scanId: p.scanId,
    date: p.date.slice(0, 10),
    isCurrent: p.isCurrent,
  }));
  if (timepoints.length < 2)
    return { timepoints: used, rows: [], plotSvg: null, notes: [], skipped };
  const growth = lesionGrowth(timepoints);
  return {
    timepoints: used,
    rows: growthTableRows(growth),
    plotSvg: growthPlotSvg(growth),
    notes: growth.notes,
    skipped,
  };
}

export function createGrowthHandlers(deps: {
  db: Db;
  blobs: BlobStore;
  record: CallAuditor;
}): HandlerMap<'reports.growth'> {
  return {
    'reports.growth': async (input, call) => {
      const growth = await growthOfScan(deps, input.scanId);
      deps.record(call, 'growth.read', input.scanId, { timepoints: growth.timepoints.length });
      return growth;
    },
  };
}
