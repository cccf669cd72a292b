import { z } from 'zod';
import { brainTumourFindings, isPositiveFinding } from '../../../src-shared/contract/analysis.js';
import { AppError, isAppError } from '../../../src-shared/errors.js';
import type { EventBus } from '../events.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { Clock } from '../platform/clock.js';
import type { ScansRepo } from '../repos/scans-repo.js';
import type { AnalysisService } from './analysis-service.js';

export const analysisPayloadSchema = z.object({
  scanId: z.string().uuid(),
  segmentationModel: z.string().optional(),
  classificationModel: z.string().nullable().optional(),
  normaliseWith: z.array(z.string().uuid()).max(500).optional(),
  force: z.boolean().optional(),
});
export type AnalysisPayload = z.infer<typeof analysisPayloadSchema>;

/**
 * The analysis job: the scan shows 'processing' while it runs and 'completed' or 'failed'
 * after. Re-running is harmless (a new result row), so an interrupted analysis is resumed.
 */
export function createAnalysisJobRunner(deps: {
  analysis: AnalysisService;
  scans: ScansRepo;
  events: EventBus;
  clock: Clock;
}): JobRunner<AnalysisPayload> {
  const setStatus = (scanId: string, status: 'processing' | 'failed' | 'imported'): void => {
    deps.scans.setStatus(scanId, status, deps.clock.iso());
    deps.events.emit('scans.changed', { scanIds: [scanId], change: 'updated' });
  };
  return {
    type: 'analysis.run',
    isResumable: true,
    parsePayload(payload) {
      const parsed = analysisPayloadSchema.safeParse(payload);
      if (!parsed.success)
        throw new AppError('INVALID_INPUT', 'An analysis needs the id of a scan.');
      return parsed.data;
    },
    async run(ctx) {
      const { scanId } = ctx.payload;
      if (deps.scans.get(scanId) === undefined)
        throw new AppError('NOT_FOUND', 'The scan to analyse no longer exists.');
      setStatus(scanId, 'processing');
      try {
        const { analysis } = await deps.analysis.analyseAndStore(scanId, {
          segmentationModel: ctx.payload.segmentationModel,
          classificationModel: ctx.payload.classificationModel,
          normaliseWith: ctx.payload.normaliseWith,
          force: ctx.payload.force,
          jobId: ctx.job.id,
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
          setStatus(scanId, isCancel ? 'imported' : 'failed');
        throw error;
      }
    },
  };
}
