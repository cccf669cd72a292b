import type { JobPayload } from '../../../src-shared/contract/entities.js';
import { brainTumourFindings, isPositiveFinding } from '../../../src-shared/contract/analysis.js';
import { AppError, isAppError } from '../../../src-shared/errors.js';
import { parseJobPayload } from '../jobs/job-payload.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { ScanStatusOwner } from '../scans/scan-status.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { AnalysisService } from './analysis-service.js';

/** The analysis job's payload: the input of `analysis.start` (one schema, in the contract). */
export type AnalysisPayload = JobPayload<'analysis.run'>;

/**
 * The analysis job: the scan shows 'processing' while it runs and 'completed' or 'failed'
 * after. Re-running is harmless (a new result row), so an interrupted analysis is resumed.
 */
export function createAnalysisJobRunner(deps: {
  analysis: AnalysisService;
  scans: ScansRepo;
  scanStatus: ScanStatusOwner;
}): JobRunner<AnalysisPayload> {
  return {
    type: 'analysis.run',
    isResumable: true,
    // Not run again by itself after a crash: the scan may be what brought the app down, and
    // resuming it would bring it down again at every start. Retry stays possible.
    resumesAfterCrash: false,
    parsePayload: (payload) => parseJobPayload('analysis.run', payload),
    async run(ctx) {
      const { scanId } = ctx.payload;
      if (deps.scans.get(scanId) === undefined)
        throw new AppError('NOT_FOUND', 'The scan to analyse no longer exists.');
      // The status changes and the result are audited under the user who started the job.
      const actor = ctx.job.createdBy;
      deps.scanStatus.set(scanId, 'processing', actor);
      try {
        const { analysis } = await deps.analysis.analyseAndStore(scanId, {
          segmentationModel: ctx.payload.segmentationModel,
          classificationModel: ctx.payload.classificationModel,
          normaliseWith: ctx.payload.normaliseWith,
          force: ctx.payload.force,
          jobId: ctx.job.id,
          actor,
          signal: ctx.signal,
          onProgress: (progress, stage) => {
            ctx.throwIfCancelled();
            ctx.reportProgress({ progress, stage });
          },
        });
        return {
          analysisId: analysis.id,
          findings: analysis.findings.kind,
          applicability: analysis.applicability.verdict,
          tumorDetected: isPositiveFinding(analysis.findings),
          detections: brainTumourFindings(analysis)?.detections.length ?? 0,
        };
      } catch (error) {
        // A cancelled analysis leaves the scan as it was before; a failed one says so.
        const isCancel = ctx.signal.aborted || (isAppError(error) && error.code === 'CANCELLED');
        if (deps.scans.get(scanId) !== undefined)
          deps.scanStatus.set(scanId, isCancel ? 'imported' : 'failed', actor);
        throw error;
      }
    },
  };
}
