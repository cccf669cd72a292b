import { gunzipSync } from 'node:zlib';
import {
  brainTumourFindings,
  isApplicableAnalysis,
  type Analysis,
} from '../../../../src-shared/contract/analysis.js';
import { AppError } from '../../../../src-shared/errors.js';
import type { Vector3 } from '../../../../src-shared/geometry/vector.js';
import type { DirectionCosines } from '../../analysis/metrics/location.js';
import type { Vec3 } from '../../analysis/metrics/types.js';
import { readStoredAnalysis } from '../../analysis/stored-analysis.js';
import type { Db } from '../../db/connection.js';
import type { BlobStore } from '../../store/blob-store.js';
import { lesionDiameters, type LesionDiameters } from './lesion-diameters.js';
import type { GrowthLesionInput, GrowthTimepoint } from './lesion-growth.js';

/** A time point for growth, with where it came from. */
export interface PriorTimepoint extends GrowthTimepoint {
  /** GrowthTimepoint.id is the analysis id. */
  scanId: string;
  studyId: string | null;
  /** The scan the report is about. */
  isCurrent: boolean;
}

export interface PatientTimepoints {
  /** In date order, the current scan's among them; later studies are left out. */
  timepoints: PriorTimepoint[];
  /** Analysed scans of the patient that were not used, and why. */
  skipped: Array<{ scanId: string; reason: string }>;
}

interface Row {
  scan_id: string;
  study_id: string | null;
  description: string | null;
  acquired_at: string | null;
  study_date: string | null;
  origin: string | null;
  direction: string | null;
  analysis_id: string;
  result: string;
  mask_sha256: string | null;
  analysed_at: string;
}

/**
 * The patient's analysed studies for "growth over time", read only: for each scan of the
 * scan's patient its latest analysis (for the current scan the given one), one scan per study
 * (the current one, else the series with the current one's description, else the latest
 * analysed), dated by the study (else the scan's acquisition date), up to the current study's
 * date. Each lesion gets its volume from the analysis, its centroid in patient space from the
 * scan's geometry, and its diameters measured on the stored mask (`lesionDiameters`), so every
 * time point is measured the same way. Refused and 2D analyses are skipped with a reason.
 */
export async function patientTimepoints(
  deps: { db: Db; blobs: BlobStore },
  scanId: string,
  options: {
    /** The report's analysis of this scan (default its latest). */
    analysisId?: string;
    /** This scan's diameters when already measured (saves measuring its mask twice). */
    currentDiameters?: readonly LesionDiameters[];
  } = {},
): Promise<PatientTimepoints> {
  const current = deps.db
    .prepare<[string], { patient_id: string | null }>('SELECT patient_id FROM scans WHERE id = ?')
    .get(scanId);
  if (current === undefined)
    throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
  const rows = deps.db
    .prepare<[string, string, string, string], Row>(
      `SELECT c.id AS scan_id, c.study_id, c.description, c.acquired_at, s.study_date, c.origin, c.direction,
         a.id AS analysis_id, a.result, a.mask_sha256, a.created_at AS analysed_at
       FROM scans c
       LEFT JOIN studies s ON s.id = c.study_id
       JOIN analyses a ON a.scan_id = c.id
       WHERE (c.patient_id = ? OR c.id = ?)
         AND a.rowid = (
           SELECT b.rowid FROM analyses b WHERE b.scan_id = c.id
           ORDER BY (c.id = ? AND b.id = ?) DESC, b.created_at DESC, b.rowid DESC LIMIT 1)`,
    )
    .all(current.patient_id ?? '', scanId, scanId, options.analysisId ?? '');
  const skipped: PatientTimepoints['skipped'] = [];
  const usable = rows.flatMap((row) => {
    const analysis = readStoredAnalysis(JSON.parse(row.result));
    const reason = unusableReason(row, analysis);
    if (reason !== null) {
      skipped.push({ scanId: row.scan_id, reason });
      return [];
    }
    return [{ row, analysis, date: (row.study_date ?? row.acquired_at)! }];
  });
  const mine = usable.find((u) => u.row.scan_id === scanId);
  if (mine === undefined) return { timepoints: [], skipped };

  // One scan per study: the current, else the same series description, else the latest analysed.
  const byStudy = new Map<string, typeof usable>();
  for (const u of usable) {
    const key = u.row.study_id ?? `scan:${u.row.scan_id}`;
    byStudy.set(key, [...(byStudy.get(key) ?? []), u]);
  }
  const sameSeries = (u: (typeof usable)[number]): boolean =>
    normalised(u.row.description) === normalised(mine.row.description);
  const chosen = [...byStudy.values()].flatMap((group) => {
    const ranked = [...group].sort(
      (a, b) =>
        Number(b.row.scan_id === scanId) - Number(a.row.scan_id === scanId) ||
        Number(sameSeries(b)) - Number(sameSeries(a)) ||
        b.row.analysed_at.localeCompare(a.row.analysed_at),
    );
    for (const other of ranked.slice(1))
      skipped.push({
        scanId: other.row.scan_id,
        reason: `another series of the same study (${ranked[0]!.row.description ?? 'unnamed'}) was used`,
      });
    return [ranked[0]!];
  });
  const myDate = mine.date.slice(0, 10);
  const kept = chosen.filter((u) => {
    const isLater = u.date.slice(0, 10) > myDate;
    if (isLater)
      skipped.push({ scanId: u.row.scan_id, reason: 'its study is later than this one' });
    return !isLater;
  });
  kept.sort(
    (a, b) => a.date.localeCompare(b.date) || a.row.analysed_at.localeCompare(b.row.analysed_at),
  );

  const timepoints: PriorTimepoint[] = [];
  for (const { row, analysis, date } of kept) {
    timepoints.push({
      id: row.analysis_id,
      scanId: row.scan_id,
      studyId: row.study_id,
      isCurrent: row.scan_id === scanId,
      date,
      lesions: await lesionsOf(
        deps.blobs,
        row,
        analysis,
        row.scan_id === scanId ? options.currentDiameters : undefined,
      ),
    });
  }
  return { timepoints, skipped };
}

function normalised(description: string | null): string {
  return (description ?? '').trim().toLowerCase();
}

function unusableReason(row: Row, analysis: Analysis): string | null {
  if (!isApplicableAnalysis(analysis)) return 'its analysis found the series not applicable';
  if (brainTumourFindings(analysis) === null) return 'its analysis holds no lesion findings';
  if (analysis.input.units !== 'mm' || analysis.input.voxelSizes === null)
    return 'it is a picture without a known pixel size: no volume to follow';
  if (row.study_date === null && row.acquired_at === null) return 'it has no study date';
  return null;
}

/** Each detection with its volume, patient-space centroid and diameters from the stored mask. */
async function lesionsOf(
  blobs: BlobStore,
  row: Row,
  analysis: Analysis,
  known: readonly LesionDiameters[] | undefined,
): Promise<GrowthLesionInput[]> {
  const findings = brainTumourFindings(analysis)!;
  const spacing = analysis.input.voxelSizes!;
  const origin = row.origin === null ? null : (JSON.parse(row.origin) as Vector3);
  const axes =
    row.direction === null ? null : (JSON.parse(row.direction) as [Vector3, Vector3, Vector3]);
  const direction = (axes?.flat() ?? [1, 0, 0, 0, 1, 0, 0, 0, 1]) as DirectionCosines;
  const measured = known ?? (await measuredDiameters(blobs, row.mask_sha256, analysis, direction));
  return findings.detections.map((detection) => {
    const mine = measured?.find((m) => m.detectionId === detection.detectionId);
    const volume =
      detection.metrics.kind === 'volume'
        ? detection.metrics.volume_mm3
        : detection.voxelCount * spacing[0] * spacing[1] * spacing[2];
    const fallbackDiameter =
      detection.metrics.kind === 'volume' ? detection.metrics.diameter_mm : null;
    return {
      detectionId: detection.detectionId,
      centroidPatientMm:
        origin === null ? null : toPatient(detection.centroid.voxels, spacing, direction, origin),
      volume_mm3: volume,
      maxDiameter_mm: mine?.maxDiameter.length ?? fallbackDiameter,
      longestAxial_mm: mine?.axial.longest.length ?? null,
      perpendicularAxial_mm: mine?.axial.perpendicular.length ?? null,
    };
  });
}

/** Diameters on the stored mask; null when the mask is gone (sizes then come from the analysis). */
async function measuredDiameters(
  blobs: BlobStore,
  maskSha256: string | null,
  analysis: Analysis,
  direction: DirectionCosines,
): Promise<LesionDiameters[] | null> {
  if (maskSha256 === null || !blobs.has(maskSha256)) return null;
  const mask = new Uint8Array(gunzipSync(await blobs.read(maskSha256)));
  const dims = analysis.input.dimensions;
  if (mask.length !== dims[0] * dims[1] * dims[2]) return null;
  return lesionDiameters({ mask, dims, spacing: analysis.input.voxelSizes, direction });
}

/** origin + Σ index_k × spacing_k × axis_k: the voxel's centre in patient space (LPS mm). */
export function toPatient(
  voxel: Vec3,
  spacing: Vec3,
  direction: DirectionCosines,
  origin: Vec3,
): Vec3 {
  const out: Vector3 = [origin[0], origin[1], origin[2]];
  for (let k = 0; k < 3; k++)
    for (let r = 0; r < 3; r++) out[r] = out[r]! + voxel[k]! * spacing[k]! * direction[3 * k + r]!;
  return out;
}
