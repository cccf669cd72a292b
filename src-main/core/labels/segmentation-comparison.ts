import { ANALYSIS_LABELS } from '../../../src-shared/contract/labels.js';
import type { SegmentationComparison } from '../../../src-shared/contract/masks-patients.js';
import { AppError } from '../../../src-shared/errors.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { LabelVolumeService } from './label-volumes.js';

/** What is compared, in words: shown next to the figures wherever they appear. */
export const WHOLE_TUMOUR_REGION =
  'Whole tumour: every non-zero label of the expert segmentation against the AI tumour mask ' +
  '(the model segments the whole lesion, not its sub-regions).';

/** Voxel counts of two masks on one grid: non-zero is inside. */
export interface OverlapCounts {
  readonly ai: number;
  readonly expert: number;
  readonly overlap: number;
}

export function overlapCounts(ai: Uint8Array, expert: Uint8Array): OverlapCounts {
  if (ai.length !== expert.length) {
    throw new AppError(
      'INVALID_INPUT',
      `The two masks have different sizes (${ai.length} and ${expert.length} voxels): they are ` +
        'not on the same grid and cannot be compared.',
    );
  }
  let a = 0;
  let e = 0;
  let both = 0;
  for (let i = 0; i < ai.length; i++) {
    const inAi = ai[i] !== 0;
    const inExpert = expert[i] !== 0;
    if (inAi) a++;
    if (inExpert) e++;
    if (inAi && inExpert) both++;
  }
  return { ai: a, expert: e, overlap: both };
}

/** 2·|A∩E| / (|A|+|E|); null when both are empty (agreement on nothing is not a score). */
export function diceOf(counts: OverlapCounts): number | null {
  const total = counts.ai + counts.expert;
  return total === 0 ? null : (2 * counts.overlap) / total;
}

/** The volume of one voxel in mL from the scan's spacing (mm); null without a full spacing. */
export function voxelMlOf(spacing: readonly [number, number, number | null] | null): number | null {
  if (spacing === null || spacing[2] === null) return null;
  const mm3 = spacing[0] * spacing[1] * spacing[2];
  return mm3 > 0 ? mm3 / 1000 : null;
}

export function comparisonFigures(
  counts: OverlapCounts,
  voxelMl: number | null,
): Omit<SegmentationComparison, 'scanId' | 'segmentationId' | 'region'> {
  const ml = (voxels: number): number | null => (voxelMl === null ? null : voxels * voxelMl);
  return {
    dice: diceOf(counts),
    aiVoxels: counts.ai,
    expertVoxels: counts.expert,
    overlapVoxels: counts.overlap,
    voxelMl,
    aiMl: ml(counts.ai),
    expertMl: ml(counts.expert),
    differenceMl: ml(counts.ai - counts.expert),
    differencePercent:
      counts.expert === 0 ? null : ((counts.ai - counts.expert) / counts.expert) * 100,
  };
}

export interface SegmentationComparisonService {
  compare(scanId: string, segmentationId: string): Promise<SegmentationComparison>;
}

/**
 * Compares the latest analysis's mask with an imported segmentation of the same scan. Both are
 * read through the label volume service, so both lie on the scan's frame grid voxel for voxel
 * (the same volumes the viewer draws).
 */
export function createSegmentationComparison(deps: {
  labels: Pick<LabelVolumeService, 'getVolume'>;
  scans: Pick<ScansRepo, 'get'>;
}): SegmentationComparisonService {
  return {
    async compare(scanId, segmentationId) {
      const scan = deps.scans.get(scanId);
      if (scan === undefined)
        throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
      const expert = await deps.labels.getVolume(scanId, segmentationId);
      const ai = await deps.labels.getVolume(scanId, ANALYSIS_LABELS);
      const counts = overlapCounts(ai.data, expert.data);
      return {
        scanId,
        segmentationId,
        region: WHOLE_TUMOUR_REGION,
        ...comparisonFigures(counts, voxelMlOf(scan.spacing)),
      };
    },
  };
}
