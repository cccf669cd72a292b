import type { Job, VisualizationCreateInput } from '../../../src-shared/contract/entities.js';
import type { Visualization } from '../../../src-shared/contract/visualizations.js';
import { AppError, isAppError } from '../../../src-shared/errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { ScanDetail } from '../scans/scan-service.js';
import type { VisualizationRecord, VisualizationsRepo } from './visualizations-repo.js';

export interface VisualizationServiceDeps {
  repo: VisualizationsRepo;
  jobs: Pick<JobQueue, 'enqueue' | 'get'>;
  scanDetail(scanId: string): ScanDetail;
  /** Whether the scan's latest analysis has a mask (false when it has no analysis). */
  hasAnalysisMask(scanId: string): boolean;
  /** A stored blob's bytes, through the blob store (which may decrypt them). */
  readBlob(sha256: string): Promise<Uint8Array>;
  clock: Clock;
  ids: IdGenerator;
}

/** The name a scene is saved under: no patient data, the quality and a short id. */
export function sceneFileName(record: Pick<VisualizationRecord, 'id' | 'quality'>): string {
  return `neurosphere-3d-scene-${record.quality}-${record.id.slice(0, 8)}.html`;
}

function viewOf(record: VisualizationRecord, job: Job | undefined): Visualization {
  const isStored = record.blobSha256 !== null;
  // No file and no job (deleted with its history), or a job that ended without storing one:
  // nothing will come.
  const status = isStored
    ? 'completed'
    : job === undefined || job.status === 'completed'
      ? 'failed'
      : job.status;
  return {
    id: record.id,
    scanId: record.scanId,
    quality: record.quality,
    options: record.options,
    status,
    progress: isStored ? 1 : (job?.progress ?? 0),
    stage: isStored ? null : (job?.stage ?? null),
    error: isStored
      ? null
      : (job?.error?.message ?? (job === undefined ? 'Its job is no longer recorded.' : null)),
    jobId: record.jobId,
    size: record.size,
    lesionCount: record.lesionCount,
    fileName: sceneFileName(record),
    createdAt: record.createdAt,
  };
}

/** HTML scenes of scans: queue one, list and follow them, read the stored file. */
export function createVisualizationService(deps: VisualizationServiceDeps) {
  const jobOf = (record: VisualizationRecord): Job | undefined => {
    if (record.jobId === null) return undefined;
    try {
      return deps.jobs.get(record.jobId);
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  };
  const view = (record: VisualizationRecord): Visualization => viewOf(record, jobOf(record));

  function found(id: string): VisualizationRecord {
    const record = deps.repo.get(id);
    if (record === undefined)
      throw new AppError(
        'NOT_FOUND',
        'No such 3D scene: it may have been deleted with its scan. List the scan’s scenes to find one.',
      );
    return record;
  }

  /** The mask to show: the one asked for, else the analysis's, else the first label map. */
  function tumourSource(scanId: string, asked: string | undefined): string {
    const { segmentations } = deps.scanDetail(scanId);
    if (asked === 'analysis' || (asked === undefined && deps.hasAnalysisMask(scanId))) {
      if (!deps.hasAnalysisMask(scanId))
        throw new AppError(
          'CONFLICT',
          'This scan has no analysis with a tumour mask yet: run the analysis first, or choose an imported label map.',
        );
      return 'analysis';
    }
    if (asked !== undefined) {
      if (!segmentations.some((s) => s.id === asked))
        throw new AppError('NOT_FOUND', 'This scan has no such label map (segmentation).');
      return asked;
    }
    const first = segmentations[0];
    if (first === undefined)
      throw new AppError(
        'CONFLICT',
        'This scan has no tumour mask to show in 3D: run the analysis, or import a label map of it, first.',
      );
    return first.id;
  }

  return {
    create(input: VisualizationCreateInput, actor: string | null): Visualization {
      const { scan } = deps.scanDetail(input.scanId); // NOT_FOUND now, not a failed job later
      // As the 3D view: a single picture has no depth to build a scene from.
      if (scan.kind === 'image' || scan.dims === null || scan.dims[2] < 2)
        throw new AppError(
          'CONFLICT',
          'A 3D scene needs a volume (a DICOM series or a 3D NIfTI file); this scan is a single 2D picture.',
        );
      const source = tumourSource(input.scanId, input.source);
      const record = {
        id: deps.ids(),
        scanId: input.scanId,
        jobId: null,
        quality: input.quality,
        options: {
          highlightTumor: input.highlightTumor,
          colorScheme: input.colorScheme,
          source,
          withoutHead: input.withoutHead ?? false,
        },
        createdBy: actor,
        createdAt: deps.clock.iso(),
      };
      deps.repo.insert(record);
      const job = deps.jobs.enqueue(
        'visualization.build',
        { ...input, source, visualizationId: record.id },
        actor,
        1,
      );
      deps.repo.setJob(record.id, job.id);
      return viewOf(
        { ...record, jobId: job.id, blobSha256: null, size: null, lesionCount: null },
        job,
      );
    },

    list(scanId: string): Visualization[] {
      deps.scanDetail(scanId);
      return deps.repo.listForScan(scanId).map(view);
    },

    get(id: string): Visualization {
      return view(found(id));
    },

    /** The newest completed scene of a scan, or undefined. */
    latestCompleted(scanId: string): Visualization | undefined {
      const record = deps.repo.listForScan(scanId).find((r) => r.blobSha256 !== null);
      return record === undefined ? undefined : view(record);
    },

    /** The stored HTML file; CONFLICT while it is still being built (or when building failed). */
    async html(id: string): Promise<{ visualization: Visualization; data: Uint8Array }> {
      const record = found(id);
      const visualization = view(record);
      if (record.blobSha256 === null) {
        const why =
          visualization.status === 'pending' || visualization.status === 'processing'
            ? `is still being built (${Math.round(visualization.progress * 100)} %): download it when it is completed`
            : `was not built (${visualization.status}${visualization.error === null ? '' : `: ${visualization.error}`}): generate it again`;
        throw new AppError('CONFLICT', `This 3D scene ${why}.`);
      }
      return { visualization, data: await deps.readBlob(record.blobSha256) };
    },
  };
}
export type VisualizationService = ReturnType<typeof createVisualizationService>;
