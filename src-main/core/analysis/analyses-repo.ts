import {
  brainTumourFindings,
  isPositiveFinding,
  type Analysis,
} from '../../../src-shared/contract/analysis.js';
import { readStoredAnalysis } from '../analysis/stored-analysis.js';
import type { Db } from '../db/connection.js';

interface AnalysisRow {
  id: string;
  result: string;
  mask_sha256: string | null;
  heatmap_sha256: string | null;
  overlay_sha256: string | null;
}

export interface AnalysisBlobs {
  maskSha256: string | null;
  heatmapSha256: string | null;
  overlaySha256: string | null;
}

export function createAnalysesRepo(db: Db) {
  return {
    insert(analysis: Analysis, blobs: AnalysisBlobs): void {
      db.prepare(
        `INSERT INTO analyses (id, scan_id, job_id, segmentation_model, classification_model, provider, tumor_detected,
           detection_count, overall_confidence, label, result, mask_sha256, heatmap_sha256, overlay_sha256, created_at,
           pipeline, applicability)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        analysis.id,
        analysis.scanId,
        analysis.jobId,
        analysis.models.segmentation?.id ?? null,
        analysis.models.classification?.id ?? null,
        analysis.provider ?? 'none',
        isPositiveFinding(analysis.findings) ? 1 : 0,
        brainTumourFindings(analysis)?.detections.length ?? 0,
        brainTumourFindings(analysis)?.overallConfidence ?? null,
        brainTumourFindings(analysis)?.classification?.label ?? null,
        JSON.stringify(analysis),
        blobs.maskSha256,
        blobs.heatmapSha256,
        blobs.overlaySha256,
        analysis.createdAt,
        analysis.pipeline,
        analysis.applicability.verdict,
      );
    },
    /** The newest analysis of a scan. */
    latestOfScan(scanId: string): { analysis: Analysis; blobs: AnalysisBlobs } | undefined {
      const row = db
        .prepare<[string], AnalysisRow>(
          'SELECT id, result, mask_sha256, heatmap_sha256, overlay_sha256 FROM analyses WHERE scan_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
        )
        .get(scanId);
      if (row === undefined) return undefined;
      return {
        analysis: readStoredAnalysis(JSON.parse(row.result)),
        blobs: {
          maskSha256: row.mask_sha256,
          heatmapSha256: row.heatmap_sha256,
          overlaySha256: row.overlay_sha256,
        },
      };
    },
    /** One analysis by its id (a report shows the analysis it was made from, not the latest). */
    get(id: string): { analysis: Analysis; blobs: AnalysisBlobs } | undefined {
      const row = db
        .prepare<[string], AnalysisRow>(
          'SELECT id, result, mask_sha256, heatmap_sha256, overlay_sha256 FROM analyses WHERE id = ?',
        )
        .get(id);
      if (row === undefined) return undefined;
      return {
        analysis: readStoredAnalysis(JSON.parse(row.result)),
        blobs: {
          maskSha256: row.mask_sha256,
          heatmapSha256: row.heatmap_sha256,
          overlaySha256: row.overlay_sha256,
        },
      };
    },
    /** Every blob the analyses of these scans refer to, so deleting the scans can delete them too. */
    blobHashesOfScans(scanIds: readonly string[]): string[] {
      const hashes: string[] = [];
      const select = db.prepare<
        [string],
        { mask_sha256: string | null; heatmap_sha256: string | null; overlay_sha256: string | null }
      >('SELECT mask_sha256, heatmap_sha256, overlay_sha256 FROM analyses WHERE scan_id = ?');
      for (const scanId of scanIds) {
        for (const row of select.all(scanId)) {
          for (const hash of [row.mask_sha256, row.heatmap_sha256, row.overlay_sha256])
            if (hash !== null) hashes.push(hash);
        }
      }
      return hashes;
    },
  };
}
export type AnalysesRepo = ReturnType<typeof createAnalysesRepo>;
