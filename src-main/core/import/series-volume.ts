import { assembleVolume, type SliceCandidate } from '../imaging/volume.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { StudiesRepo } from '../scans/studies-repo.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';

/**
 * Sorts a series' instances (and the frames of multi-frame ones) into a volume and stores the
 * geometry and frame order with its scan, in one transaction.
 */
export function assembleSeriesVolume(
  deps: { writer: ClinicalWriter; scans: ScansRepo; studies: StudiesRepo },
  seriesId: string,
  now: string,
  actor: string | null,
): void {
  const scan = deps.scans.findBySeries(seriesId);
  if (scan === undefined) return;
  const candidates: SliceCandidate[] = [];
  for (const instance of deps.studies.listInstanceGeometryRows(seriesId)) {
    const label = `instance ${instance.instanceNumber ?? instance.sopInstanceUid}`;
    for (let frame = 0; frame < instance.frames; frame++) {
      candidates.push({
        fileId: instance.fileId,
        frameNumber: frame,
        label: instance.frames > 1 ? `${label} frame ${frame + 1}` : label,
        rows: instance.rows,
        columns: instance.columns,
        imageType: instance.imageType,
        // Multi-frame images without per-frame positions stay in stored order.
        position:
          instance.frames > 1 ? (instance.framePositions?.[frame] ?? null) : instance.position,
        orientation: instance.orientation,
      });
    }
  }
  if (candidates.length === 0) return;
  const volume = assembleVolume(candidates, {
    pixelSpacing: scan.spacing === null ? null : [scan.spacing[0], scan.spacing[1]],
    fallbackSliceSpacing: scan.spacing?.[2] ?? null,
  });
  deps.writer.write(actor, 'scans.geometry', () => {
    deps.scans.setGeometry(scan.id, volume, volume.frames, now);
    return {
      result: undefined,
      target: scan.id,
      details: { dims: [...volume.dims], warnings: volume.warnings.length },
      changes: [{ entity: 'scan', id: scan.id, op: 'update' }],
    };
  });
}
