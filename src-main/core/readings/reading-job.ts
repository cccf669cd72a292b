import type { JobPayload } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AnalysisPayload } from '../analysis/analysis-job.js';
import { parseJobPayload } from '../jobs/job-payload.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { ReadingsRepo } from './readings-repo.js';

export type ReadingPayload = JobPayload<'reading.run'>;

/**
 * The reading job: the scan's analysis, run as the analysis job runs it (status, progress,
 * cancel, audit), then tied to the reading. Its priority is the job's, chosen at request.
 */
export function createReadingJobRunner(deps: {
  analysisRunner: JobRunner<AnalysisPayload>;
  readings: ReadingsRepo;
}): JobRunner<ReadingPayload> {
  return {
    type: 'reading.run',
    isResumable: true,
    // As the analysis: the image may be what brought the app down; Retry stays possible.
    resumesAfterCrash: false,
    parsePayload: (payload) => parseJobPayload('reading.run', payload),
    async run(ctx) {
      if (deps.readings.get(ctx.job.id) === undefined)
        throw new AppError('NOT_FOUND', 'The reading this job was for no longer exists.');
      const analysed = (await deps.analysisRunner.run({
        ...ctx,
        payload: { scanId: ctx.payload.scanId },
      })) as { analysisId: string };
      deps.readings.setAnalysis(ctx.job.id, analysed.analysisId);
      return { readingId: ctx.job.id, kind: ctx.payload.kind, analysisId: analysed.analysisId };
    },
  };
}
